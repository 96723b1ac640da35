"""Vietnamese spelling: strip the tone mark and split a syllable into its written parts.

Only the spelling is analysed here (which letters are onset, glide, nucleus and coda); what
they sound like is :mod:`g2p.vi.syllable`'s job. Tone marks are found in NFD wherever they
sit on the syllable, so both placements (hoà / hòa) and NFC or NFD input give the same result.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from g2p.tables import load_rows

VOWEL_LETTERS = frozenset("aăâeêioôơuưy")
# Icelandic eth (Ð U+00D0, ð) is a common stand-in for Vietnamese Đ (U+0110) in real text.
_LOOKALIKES = str.maketrans("ð", "đ")
NO_ONSET = "∅"  # the onsets.tsv key of a syllable that starts with a vowel letter


class Spelling(NamedTuple):
    """The written parts of one syllable, lowercase and without tone mark."""

    onset: str  # "" when the syllable starts with a vowel letter
    glide: str
    nucleus: str
    coda: str
    tone: str  # tone name as in tones.tsv (ngang, huyền, ...)


def _tone_marks() -> tuple[dict[str, str], str]:
    marks, unmarked = {}, ""
    for row in load_rows("vi", "tones.tsv")[1]:
        if row["mark"] == "none":
            unmarked = row["tone"]
        else:
            marks[chr(int(row["mark"].removeprefix("U+"), 16))] = row["tone"]
    return marks, unmarked


_TONE_MARKS, _UNMARKED_TONE = _tone_marks()
_ONSETS = sorted(
    (row["spelling"] for row in load_rows("vi", "onsets.tsv")[1] if row["spelling"] != NO_ONSET),
    key=len,
    reverse=True,
)
_GLIDES = {
    (row["spelling"], row["after"]): frozenset(row["before"].split())
    for row in load_rows("vi", "glides.tsv")[1]
}


def _nucleus_kinds() -> dict[str, frozenset[str]]:
    """Nucleus spelling -> the syllable kinds (open, closed, any) it occurs in."""
    rows = load_rows("vi", "nuclei.tsv")[1]
    return {
        spelling: frozenset(row["syllable"] for row in rows if row["spelling"] == spelling)
        for spelling in {row["spelling"] for row in rows}
    }


_NUCLEI = _nucleus_kinds()
_NUCLEUS_LENGTHS = sorted({len(spelling) for spelling in _NUCLEI}, reverse=True)
_CODAS = {
    row["spelling"]: None if row["after"] == "*" else frozenset(row["after"].split())
    for row in load_rows("vi", "codas.tsv")[1]
}


def normalize_letters(text: str) -> str:
    """Lowercase, with look-alike letters replaced by the Vietnamese ones (Ðặng → đặng)."""
    return text.lower().translate(_LOOKALIKES)


def split_tone(syllable: str) -> tuple[str, str] | None:
    """(lowercase NFC syllable without tone mark, tone name); None if it has two tone marks."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFD", normalize_letters(syllable)):
        if char in _TONE_MARKS:
            tones.append(_TONE_MARKS[char])
        else:
            letters.append(char)
    if len(tones) > 1:
        return None
    return unicodedata.normalize("NFC", "".join(letters)), tones[0] if tones else _UNMARKED_TONE


def _nucleus_and_coda(rest: str) -> tuple[str, str] | None:
    """Longest nucleus whose remainder is a coda that fits it (open vs. closed syllable)."""
    for length in _NUCLEUS_LENGTHS:
        nucleus, coda = rest[:length], rest[length:]
        kinds = _NUCLEI.get(nucleus, ())
        if "any" not in kinds and ("closed" if coda else "open") not in kinds:
            continue
        if not coda:
            return nucleus, coda
        if coda in _CODAS and (_CODAS[coda] is None or nucleus in _CODAS[coda]):
            return nucleus, coda
    return None


def _glide(onset: str, rest: str) -> str:
    if len(rest) < 2:
        return ""
    for after in (onset, "*"):
        if rest[1] in _GLIDES.get((rest[0], after), ()):
            return rest[0]
    return ""


def _lend_vowel(onset: str, rest: str) -> bool:
    """Whether the vowel letter that ends an onset spelling (gi) belongs to the rime too.

    It does when the rest has no vowel (gì, gìn) or when the letter begins a diphthong that
    is only written before a coda (giếng = gi + iêng), never in gia = gi + a.
    """
    if not any(char in VOWEL_LETTERS for char in rest):
        return True
    parts = _nucleus_and_coda(onset[-1] + rest)
    return parts is not None and len(parts[0]) > 1 and _NUCLEI[parts[0]] == {"closed"}


def parse(syllable: str) -> Spelling | None:
    """Split one written syllable (any case, NFC or NFD); None if it is not Vietnamese."""
    toned = split_tone(syllable)
    if toned is None:
        return None
    text, tone = toned
    onset = next((o for o in _ONSETS if text.startswith(o)), "")
    rest = text[len(onset):]
    if onset and onset[-1] in VOWEL_LETTERS and _lend_vowel(onset, rest):
        rest = onset[-1] + rest
    glide = _glide(onset, rest)
    parts = _nucleus_and_coda(rest[len(glide):])
    if parts is None:
        return None
    return Spelling(onset, glide, *parts, tone)
