"""Katakana readings to IPA, with the sound changes that cross mora and token boundaries.

The mora table (``kana_ipa.tsv``) gives each kana its phones; four small tables then apply
the context rules WikiPron writes for Japanese: the moraic nasal ン takes the place of the next
consonant, the geminate ッ copies it, ー lengthens the previous vowel, and ジ/ズ weaken to
fricatives after a vowel. High vowels between voiceless consonants are devoiced (a documented
choice; evaluation ignores devoicing).

A sentence is converted as a whole (ン before a word still assimilates to it) and each phone
is handed back to the token its kana came from, so that character tokens (コ|ー|ヒ|ー) each get
their own mora. Merges into one long segment (sː, mː, oː) happen only inside a token, except
for ー: a token that starts with it lengthens the vowel of the token before (コ|ー -> k oː|),
so a length mark never becomes a full vowel.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from g2p.ja.kana import to_katakana
from g2p.ja.tables import TABLES
from g2p.tables import Rows

GEMINATE, NASAL, LONG = "ッ", "ン", "ー"
_PAUSE = "pause"
_PAUSE_CHAR = "\x00"  # stands for a pause (None) in the joined kana of a sentence
# Consonants that make a neighbouring high vowel voiceless (unreleased stops from ッ included).
_VOICELESS = frozenset(
    "k kʲ k̚ k̚ʲ s ɕ t tʲ t̚ t̚ʲ t͡s t͡ɕ h ç ɸ ɸʲ p pʲ p̚ p̚ʲ sː ɕː".split()
)


@dataclass(frozen=True)
class _Vowel:
    long: str
    nasal: str
    devoiced: str | None


@dataclass(slots=True)
class _Phone:
    """One phone on its way out: which token it belongs to and how it may merge."""

    text: str
    segment: int
    kind: str = "plain"  # plain | nasal (ン) | geminate (ッ) | long (ー)
    merge: bool = False


@TABLES.view("kana_ipa.tsv")
def _mora_table(rows: Rows) -> dict[str, tuple[str, ...]]:
    return {row["kana"]: tuple(row["ipa"].split()) for row in rows}


@TABLES.view("vowels.tsv")
def _vowels(rows: Rows) -> dict[str, _Vowel]:
    return {
        row["vowel"]: _Vowel(row["long"], row["nasal"],
                             None if row["devoiced"] == "-" else row["devoiced"])
        for row in rows
    }


@cache
def _vowel_phones() -> frozenset[str]:
    phones = set(_vowels())
    for vowel in _vowels().values():
        phones.update(p for p in (vowel.long, vowel.nasal, vowel.devoiced) if p)
    return frozenset(phones)


_lenition = TABLES.mapping("lenition.tsv", "affricate", "fricative")
_spelled_long_vowels = TABLES.mapping("spelled_long_vowels.tsv", "vowel", "kana")


@cache
def _context_table(name: str) -> dict[str, tuple[str, bool]]:
    """``moraic_nasal.tsv`` or ``geminate.tsv``: next phone -> (IPA, merges with it)."""
    return {row["next"]: (row["ipa"], row["merge"] == "yes") for row in TABLES.rows(name)}


@cache
def _morae() -> re.Pattern[str]:
    """One match per step of :func:`_parse`: a ッ, ン or ー (their sound comes from a
    neighbour), else the longest mora of the table, else one character (a pause)."""
    keys = sorted(_mora_table(), key=len, reverse=True)
    return re.compile("|".join([GEMINATE, NASAL, LONG, *map(re.escape, keys), "."]), re.DOTALL)


def _parse(segments: Sequence[str | None]) -> list[_Phone | None]:
    """Split the readings into phones; None marks a pause (punctuation, unknown text)."""
    pieces: list[str] = []
    owners: list[int] = []  # the segment of each character of ``kana``
    for index, text in enumerate(segments):
        kana = _PAUSE_CHAR if text is None else to_katakana(text)
        pieces.append(kana)
        owners.extend([index] * len(kana))
    table, vowels = _mora_table(), _vowels()
    phones: list[_Phone | None] = []
    last_vowel: str | None = None
    i = 0
    for key in _morae().findall("".join(pieces)):
        segment, size = owners[i], len(key)
        i += size
        if key == GEMINATE or key == NASAL:
            phones.append(_Phone("", segment, "geminate" if key == GEMINATE else "nasal"))
            last_vowel = None
            continue
        if key == LONG:
            if last_vowel is not None:
                phones.append(_Phone(last_vowel, segment, "long"))
            continue
        mora = table.get(key)  # no key holds the pause character
        if mora is None:
            phones.append(None)  # a pause, or a character with no reading, which acts as one
            last_vowel = None
        elif size == 1 and len(mora) == 1 and mora[0] == last_vowel and key in "ァィゥェォ":
            # A small vowel repeating the previous one only lengthens it (ねぇ n e̞ː).
            phones.append(_Phone(mora[0], segment, "long"))
        else:
            last = len(mora) - 1
            for k, phone in enumerate(mora):
                phones.append(_Phone(phone, owners[i - 1] if k == last else segment))
            last_vowel = mora[-1] if mora[-1] in vowels else None
    return phones


def _next_text(phones: list[_Phone | None], i: int) -> str:
    nxt = phones[i + 1] if i + 1 < len(phones) else None
    if nxt is None or nxt.kind != "plain":
        return _PAUSE if nxt is None else (nxt.text or _PAUSE)
    return nxt.text


def _resolve(phones: list[_Phone | None]) -> None:
    """Fill in ン and ッ from the next phone, weaken affricates, nasalise and devoice vowels."""
    vowels, vowel_phones = _vowels(), _vowel_phones()
    nasal_table, geminate_table = _context_table("moraic_nasal.tsv"), _context_table(
        "geminate.tsv"
    )
    lenition = _lenition()
    for i in range(len(phones) - 1, -1, -1):  # right to left: ン before ッ sees its result
        phone = phones[i]
        if phone is None:
            continue
        if phone.kind == "nasal":
            phone.text, phone.merge = nasal_table.get(_next_text(phones, i), ("ɰ̃", False))
        elif phone.kind == "geminate":
            phone.text, phone.merge = geminate_table.get(_next_text(phones, i), ("ʔ", False))
    for i, phone in enumerate(phones):
        if phone is None:
            continue
        prev = phones[i - 1] if i else None
        if phone.text in lenition and prev is not None and prev.text in vowel_phones:
            phone.text = lenition[phone.text]
        nxt = phones[i + 1] if i + 1 < len(phones) else None
        vowel = vowels.get(phone.text) if phone.kind == "plain" else None
        if vowel is None or nxt is None:
            continue
        if nxt.kind == "nasal":
            phone.text = vowel.nasal
        elif (
            vowel.devoiced
            and nxt.kind in ("plain", "geminate")
            and nxt.text in _VOICELESS
            and prev is not None
            and prev.text in _VOICELESS
        ):
            phone.text = vowel.devoiced


def _render(phones: list[_Phone | None], count: int) -> list[str]:
    """Join each token's phones, merging long vowels and geminates inside the token."""
    vowels, vowel_phones = _vowels(), _vowel_phones()
    out: list[list[str]] = [[] for _ in range(count)]
    skip_next = False
    for i, phone in enumerate(phones):
        if skip_next or phone is None or not phone.text:
            skip_next = False
            continue
        target = out[phone.segment]
        nxt = phones[i + 1] if i + 1 < len(phones) else None
        if phone.kind == "long":
            # ー lengthens the vowel before it, in its own token or, when it stands at the
            # start of one (コ|ー), in the token that vowel belongs to; it is never a vowel
            # of its own. A second ー adds nothing.
            if not (target and target[-1] in vowel_phones) and i and phones[i - 1]:
                target = out[phones[i - 1].segment]
            if target and target[-1] in vowels:
                target[-1] = vowels[target[-1]].long
        elif phone.merge and nxt is not None and nxt.segment == phone.segment \
                and nxt.text == phone.text:
            target.append(phone.text + "ː")
            skip_next = True
        else:
            target.append(phone.text)
    return [" ".join(parts) for parts in out]


def lengthen_spelled_vowels(pieces: Sequence[str | None]) -> list[str | None]:
    """Rewrite えい/おう-type spellings as long vowels (エイ -> エー) over a token's pieces."""
    spelled = _spelled_long_vowels()
    table = _mora_table()
    out: list[str | None] = []
    vowel: str | None = None
    for piece in pieces:
        text = ""
        for ch in piece or "":
            mora = table.get(ch)
            if mora and spelled.get(vowel or "") == ch and len(mora) == 1:
                text += LONG
                vowel = None  # a long vowel is not lengthened again (えいい エーイ)
                continue
            text += ch
            vowel = mora[-1] if mora else None
        out.append(text if piece is not None else None)
    return out


def kana_to_ipa(segments: Sequence[str | None]) -> list[str]:
    """IPA for each reading of a sentence (katakana or hiragana); None marks a pause.

    >>> kana_to_ipa(["トー", "キョー"])
    ['t oː', 'kʲ oː']
    >>> kana_to_ipa(["コ", "ー"])
    ['k oː', '']
    """
    phones = _parse(segments)
    _resolve(phones)
    return _render(phones, len(segments))


def word_to_ipa(kana: str) -> str:
    """IPA of one kana word read on its own."""
    return kana_to_ipa([kana])[0]
