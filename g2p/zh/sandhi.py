"""Mandarin tone sandhi on a sentence's syllables (off by default).

The dataset's IPA uses citation tones, like pinyin orthography and the CPP gold. With
``sandhi=True`` the adapter applies the three rules every textbook gives, to the IPA only
(``reading`` keeps the citation tones pinyin writes):

* 不 bu4 becomes bu2 before a 4th tone (不是 bú shì);
* 一 yi1 becomes yi2 before a 4th tone and yi4 before tones 1-3 (一样 yí yàng, 一天 yì tiān),
  except as a numeral: after 第 or next to another numeral (第一, 十一, 一九九〇);
* in a run of 3rd tones every syllable but the last becomes 2nd (你好 ní hǎo). Runs are
  broken by anything that is not a read character (punctuation, spaces, Latin).
"""

from __future__ import annotations

from collections.abc import Sequence

_YI, _BU = "一", "不"
_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两幾几0123456789")
_ORDINAL = "第"


def _tone(syllable: str | None) -> str | None:
    return syllable[-1] if syllable else None


def sandhi_tones(chars: str, readings: Sequence[str | None]) -> list[str | None]:
    """The surface tone digit of each character (None where it has no reading)."""
    tones = [_tone(r) for r in readings]
    for i, char in enumerate(chars):
        following = tones[i + 1] if i + 1 < len(tones) else None
        if following is None or tones[i] is None:
            continue
        if char == _BU and following == "4":
            tones[i] = "2"
        elif char == _YI and following in "1234" and not _is_numeral_yi(chars, i):
            tones[i] = "2" if following == "4" else "4"
    end = len(tones)
    for i in range(len(tones) - 1, -1, -1):
        if tones[i] != "3":
            end = i
        elif i + 1 < end:
            tones[i] = "2"
    return tones


def _is_numeral_yi(chars: str, i: int) -> bool:
    before = chars[i - 1] if i > 0 else ""
    after = chars[i + 1] if i + 1 < len(chars) else ""
    return before == _ORDINAL or before in _NUMERALS or after in _NUMERALS
