"""Vietnamese spelling: strip the tone mark and split a syllable into its written parts.

Only the spelling is analysed here (which letters are onset, glide, nucleus and coda); what
they sound like is :mod:`g2p.vi.syllable`'s job. Tone marks are found in NFD wherever they
sit on the syllable, so both placements (hoà / hòa) and NFC or NFD input give the same result.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from g2p.tables import Rows
from g2p.vi.tables import TABLES

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


@TABLES.view("tones.tsv")
def _tone_marks(rows: Rows) -> tuple[dict[str, str], str]:
    """(combining tone mark -> tone name, the name of the unmarked tone)."""
    marks, unmarked = {}, ""
    for row in rows:
        if row["mark"] == "none":
            unmarked = row["tone"]
        else:
            marks[chr(int(row["mark"].removeprefix("U+"), 16))] = row["tone"]
    return marks, unmarked


@TABLES.view("onsets.tsv")
def _onsets(rows: Rows) -> list[str]:
    """Onset spellings, longest first (ngh before ng before n)."""
    return sorted((row["spelling"] for row in rows if row["spelling"] != NO_ONSET),
                  key=len, reverse=True)


@TABLES.view("glides.tsv")
def _glides(rows: Rows) -> dict[tuple[str, str], frozenset[str]]:
    """(glide letter, onset or *) -> the vowel letters it is a glide before."""
    return {(row["spelling"], row["after"]): frozenset(row["before"].split()) for row in rows}


@TABLES.view("nuclei.tsv")
def _nuclei(rows: Rows) -> dict[str, frozenset[str]]:
    """Nucleus spelling -> the syllable kinds (open, closed, any) it occurs in."""
    return {
        spelling: frozenset(row["syllable"] for row in rows if row["spelling"] == spelling)
        for spelling in {row["spelling"] for row in rows}
    }


@TABLES.view("nuclei.tsv")
def _nucleus_lengths(rows: Rows) -> list[int]:
    """The lengths of the nucleus spellings, longest first."""
    return sorted({len(row["spelling"]) for row in rows}, reverse=True)


@TABLES.view("codas.tsv")
def _codas(rows: Rows) -> dict[str, frozenset[str] | None]:
    """Coda spelling -> the nuclei it may follow (None: any)."""
    return {
        row["spelling"]: None if row["after"] == "*" else frozenset(row["after"].split())
        for row in rows
    }


def normalize_letters(text: str) -> str:
    """Lowercase, with look-alike letters replaced by the Vietnamese ones (Ðặng → đặng)."""
    return text.lower().translate(_LOOKALIKES)


def split_tone(syllable: str) -> tuple[str, str] | None:
    """(lowercase NFC syllable without tone mark, tone name); None if it has two tone marks."""
    marks, unmarked = _tone_marks()
    letters, tones = [], []
    for char in unicodedata.normalize("NFD", normalize_letters(syllable)):
        if char in marks:
            tones.append(marks[char])
        else:
            letters.append(char)
    if len(tones) > 1:
        return None
    return unicodedata.normalize("NFC", "".join(letters)), tones[0] if tones else unmarked


def _nucleus_and_coda(rest: str) -> tuple[str, str] | None:
    """Longest nucleus whose remainder is a coda that fits it (open vs. closed syllable)."""
    nuclei, codas = _nuclei(), _codas()
    for length in _nucleus_lengths():
        nucleus, coda = rest[:length], rest[length:]
        kinds = nuclei.get(nucleus, ())
        if "any" not in kinds and ("closed" if coda else "open") not in kinds:
            continue
        if not coda:
            return nucleus, coda
        if coda in codas and (codas[coda] is None or nucleus in codas[coda]):
            return nucleus, coda
    return None


def _glide(onset: str, rest: str) -> str:
    if len(rest) < 2:
        return ""
    glides = _glides()
    for after in (onset, "*"):
        if rest[1] in glides.get((rest[0], after), ()):
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
    return parts is not None and len(parts[0]) > 1 and _nuclei()[parts[0]] == {"closed"}


def parse(syllable: str) -> Spelling | None:
    """Split one written syllable (any case, NFC or NFD); None if it is not Vietnamese."""
    toned = split_tone(syllable)
    if toned is None:
        return None
    text, tone = toned
    onset = next((o for o in _onsets() if text.startswith(o)), "")
    rest = text[len(onset):]
    if onset and onset[-1] in VOWEL_LETTERS and _lend_vowel(onset, rest):
        rest = onset[-1] + rest
    glide = _glide(onset, rest)
    parts = _nucleus_and_coda(rest[len(glide):])
    if parts is None:
        return None
    return Spelling(onset, glide, *parts, tone)
