"""Japanese script helpers: which characters are kana or kanji, and kana normalisation.

Readings are kept in full-width katakana (the spelling of UniDic's ``pron`` field), so every
kana input, hiragana or half-width katakana, is brought to that form first.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from g2p.script import is_han

_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}
_HIRAGANA_TO_KATAKANA.update({ord("ゝ"): ord("ヽ"), ord("ゞ"): ord("ヾ")})
_VOICED_MARK = "\u3099"
_HALF_WIDTH = re.compile("[\uff61-\uff9f]")

# Characters read like kanji: CJK ideographs, the iteration mark 々, 〆, and the counter ヶ.
_IDEOGRAPH_EXTRAS = frozenset("々〆ヶヵ〇")


@lru_cache(maxsize=65536)
def is_ideograph(ch: str) -> bool:
    """A kanji (:func:`g2p.script.is_han`) or a character read like one (々 〆 ヶ)."""
    return is_han(ch) or ch in _IDEOGRAPH_EXTRAS


def is_kana(ch: str) -> bool:
    """Hiragana, katakana (full or half width) and the prolonged sound mark ー."""
    code = ord(ch)
    return (
        0x3041 <= code <= 0x309F
        or 0x30A1 <= code <= 0x30FC
        or 0xFF66 <= code <= 0xFF9F
    ) and ch not in _IDEOGRAPH_EXTRAS and ch != "・"


def is_japanese(text: str) -> bool:
    """True when every character is kana or kanji."""
    return bool(text) and all(is_kana(ch) or is_ideograph(ch) for ch in text)


def widen_katakana(text: str) -> str:
    """Half-width katakana (ｶﾞ) to full width (ガ); other characters are left alone."""
    if not _HALF_WIDTH.search(text):
        return text
    # NFKC turns ﾞ into a combining mark, which NFC then joins with its base: ｶﾞ -> ガ.
    wide = "".join(
        unicodedata.normalize("NFKC", ch) if 0xFF61 <= ord(ch) <= 0xFF9F else ch for ch in text
    )
    return unicodedata.normalize("NFC", wide)


def to_katakana(text: str) -> str:
    """Hiragana and half-width katakana to full-width katakana; iteration marks expanded."""
    text = widen_katakana(text).translate(_HIRAGANA_TO_KATAKANA)
    if "ヽ" not in text and "ヾ" not in text:
        return text
    out: list[str] = []
    for ch in text:
        if ch in "ヽヾ" and out:
            base = unicodedata.normalize("NFD", out[-1])[0]
            ch = unicodedata.normalize("NFC", base + _VOICED_MARK) if ch == "ヾ" else base
        out.append(ch)
    return "".join(out)
