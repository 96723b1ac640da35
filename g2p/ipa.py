"""IPA conventions shared by all four languages.

One inventory: NFC, affricates always with the tie bar (t͡s, t͡ɕ, d͡ʑ), tones as Chao letters in
a segment of their own after the syllable. The benchmark shares phoneme embeddings across
languages, so the same sound must be the same code point sequence everywhere.
"""

from __future__ import annotations

import unicodedata

TONE_LETTERS = frozenset("˥˦˧˨˩")
# ˀ only occurs inside Vietnamese ngã tone segments (˦ˀ˥); it belongs to the tone.
_TONE_SEGMENT_CHARS = TONE_LETTERS | {"ˀ"}

TIE_BAR = "\u0361"
_TENSE_MARK = "\u0348"


def is_tone_segment(segment: str) -> bool:
    return bool(segment) and all(ch in _TONE_SEGMENT_CHARS for ch in segment)


def strip_tones(ipa: str) -> str:
    """Drop tone segments from a space-separated IPA string.

    This is the documented way to get the tone-less column of the dataset: it is derived,
    not stored. Segmental glottal closure (Vietnamese nặng's trailing ʔ) is a phone and stays.
    """
    return " ".join(seg for seg in ipa.split() if not is_tone_segment(seg))


def join_segments(*parts: str) -> str:
    """Join IPA strings (each already space-separated) into one, skipping empty parts."""
    return " ".join(part for part in parts if part)


def to_broad(segment: str) -> str:
    """Broad form of one phone, as used for evaluation against WikiPron.

    NFD, drop combining diacritics except the tie bar and the tense mark, drop ᵝ; modifier
    letters (ʰ ʲ ʷ ː) and tone letters stay.
    """
    kept = [
        ch
        for ch in unicodedata.normalize("NFD", segment)
        if ch != "ᵝ" and (not unicodedata.combining(ch) or ch in (TIE_BAR, _TENSE_MARK))
    ]
    return unicodedata.normalize("NFC", "".join(kept))


def broad_phones(ipa: str) -> list[str]:
    return [b for b in (to_broad(seg) for seg in ipa.split()) if b]
