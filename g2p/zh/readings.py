"""Context-aware numbered pinyin for every Han character of a sentence.

Three back-ends, all reading the whole sentence:

``pypinyin``  pypinyin's phrase mode: its own segmentation (maximum matching over its phrase
              dictionary), then phrase readings, else the character's most common reading.
``g2pm``      the same, but every character g2pM knows as polyphonic is decided by g2pM's
              BiLSTM (:mod:`g2p.zh.polyphone`).
``hybrid``    (default) where the two disagree, the reading :mod:`g2p.zh.decision` finds
              likelier from g2pM's margin and the dictionary phrase (its length and how
              common it is). Lexicalised words (银行, 校长) are what dictionaries get right
              and a character model trained on one domain sometimes misses.

Afterwards (not in the ``pypinyin`` back-end, which is pypinyin's own reading) the common
words of ``word_readings.tsv`` take their listed readings, mostly neutral tones that neither
back-end gives (东西 dong1 xi5, 朋友 peng2 you5), and a clause-final particle its neutral
tone (``particles.tsv``: 好吧 ba5). 一 / 不 get their citation tones back (``citation.tsv``)
and the 儿 of common erhua words becomes ``r5`` (``erhua.tsv``).

Traditional characters are converted to simplified (OpenCC t2s) for segmentation and the
model, which were built on simplified text; the reading found is kept only if it is a
reading of the original character.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
from pypinyin.seg.mmseg import seg as mmseg

from g2p.script import to_halfwidth
from g2p.tables import Rows, TableError
from g2p.zh.decision import prefer_model
from g2p.zh.polyphone import PolyphoneModel
from g2p.zh.tables import TABLES

BACKENDS = ("hybrid", "g2pm", "pypinyin")

_ERHUA_CHAR, _ERHUA_READING = "儿", "r5"
_PINYIN_OPTIONS = {"style": Style.TONE3, "neutral_tone_with_five": True}


def has_reading(char: str) -> bool:
    """True for characters pypinyin's dictionary can read (Han, 〇, ...)."""
    return ord(char) in PINYIN_DICT


def normalize_pinyin(syllable: str) -> str:
    """pypinyin's ``lv4`` / ``lü4`` to the CPP / CC-CEDICT spelling ``lu:4``."""
    return syllable.replace("v", "u:").replace("ü", "u:")


# (character, sandhi reading in pypinyin's phrases) -> its citation reading
_citation = TABLES.mapping("citation.tsv", ("char", "sandhi"), "citation")


@TABLES.view("erhua.tsv")
def _erhua_words(rows: Rows) -> frozenset[str]:
    return frozenset(row["word"] for row in rows)


@TABLES.view("word_readings.tsv")
def _word_table(rows: Rows) -> tuple[dict[str, tuple[str, ...]], tuple[int, ...], frozenset[str]]:
    """The words and their syllables, the word lengths found (longest first) and the
    characters a word starts with (the only places a match is tried)."""
    words = {}
    for row in rows:
        syllables = tuple(row["pinyin"].split())
        if len(syllables) != len(row["word"]):
            raise TableError(f"{TABLES.path('word_readings.tsv')}: {row['word']!r} has "
                             f"{len(syllables)} syllables")
        words[row["word"]] = syllables
    lengths = tuple(sorted({len(word) for word in words}, reverse=True))
    return words, lengths, frozenset(word[0] for word in words)


_particles = TABLES.mapping("particles.tsv", "char", "pinyin")


def apply_word_readings(text: str, readings: list[str | None]) -> None:
    """Give the words of ``word_readings.tsv`` found in ``text`` (longest first, left to
    right) their listed readings, and clause-final particles (``particles.tsv``: after a
    character with a reading, before one without or the end; not inside a listed word) the
    neutral tone, in place. A particle at the start is an interjection (啊，… a4)."""
    words, lengths, starts = _word_table()
    particles = _particles()
    index = 0
    while index < len(text):
        for size in lengths if text[index] in starts else ():
            syllables = words.get(text[index:index + size])
            if syllables:
                readings[index:index + size] = syllables
                index += size
                break
        else:
            reading = particles.get(text[index])
            if (reading and index and has_reading(text[index - 1])
                    and (index + 1 == len(text) or not has_reading(text[index + 1]))):
                readings[index] = reading
            index += 1


@cache
def heteronyms(char: str) -> tuple[str, ...]:
    """All readings of one character, most common first."""
    readings = pinyin(char, heteronym=True, **_PINYIN_OPTIONS)[0]
    return tuple(normalize_pinyin(r) for r in readings)


@lru_cache(maxsize=65536)
def word_readings(word: str) -> tuple[str, ...]:
    """pypinyin's readings of one segmented word. pypinyin converts each word of a list on
    its own, so a sentence's readings are those of its words in turn; its style conversion
    is most of its cost, and the words of a corpus repeat."""
    return tuple(lazy_pinyin([word], **_PINYIN_OPTIONS))


def dictionary_readings(text: str) -> tuple[list[str | None], list[str | None]]:
    """pypinyin phrase-mode readings per character, and the dictionary phrase each came
    from (None: the character's own most common reading)."""
    readings: list[str | None] = [None] * len(text)
    phrases: list[str | None] = [None] * len(text)
    words: list[tuple[int, str]] = []
    start = None
    for index, char in enumerate([*text, ""]):
        if char and has_reading(char):
            start = index if start is None else start
        elif start is not None:
            offset = start
            for word in mmseg.cut(text[start:index]):
                words.append((offset, word))
                offset += len(word)
            start = None
    if not words:
        return readings, phrases
    syllables = [syllable for _, word in words for syllable in word_readings(word)]
    if len(syllables) != sum(len(word) for _, word in words):
        syllables = [heteronyms(ch)[0] for _, word in words for ch in word]
    cursor = iter(syllables)
    citation = _citation()
    for offset, word in words:
        phrase = word if len(word) > 1 and word in PHRASES_DICT else None
        for index in range(offset, offset + len(word)):
            reading = normalize_pinyin(next(cursor))
            readings[index] = citation.get((text[index], reading), reading)
            phrases[index] = phrase
    return readings, phrases


def erhua_positions(text: str) -> list[int]:
    """The 儿 that end a word of ``erhua.tsv`` (哪儿, 一点儿): they are read r5."""
    words = _erhua_words()
    longest = max(map(len, words))
    found = []
    for index, char in enumerate(text):
        if char != _ERHUA_CHAR:
            continue
        for size in range(2, min(longest, index + 1) + 1):
            if text[index + 1 - size : index + 1] in words:
                found.append(index)
                break
    return found


def _own_reading(char: str, reading: str | None) -> bool:
    """Whether ``reading`` is one of ``char``'s, or the neutral tone of one (媽 ma5)."""
    own = heteronyms(char)
    return reading in own or (reading is not None and reading.endswith("5")
                              and any(r[:-1] == reading[:-1] for r in own))


@dataclass(frozen=True)
class Dispute:
    """A character the two back-ends read differently, and the evidence of each."""

    index: int
    dictionary: str
    phrase: str | None  # the dictionary phrase ``dictionary`` comes from
    scores: dict[str, float]  # g2pM's log-probability of each candidate
    best: str  # g2pM's best reading


class SentenceReader:
    """Numbered pinyin (tone 5 = neutral) for each character of a sentence."""

    def __init__(self, backend: str = "hybrid") -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}; expected one of {BACKENDS}")
        self.backend = backend
        self.model = PolyphoneModel()

    @cached_property
    def _t2s(self):
        import opencc

        return opencc.OpenCC("t2s")

    def model_text(self, text: str) -> str:
        """Simplified characters and ASCII digits/letters, same length as ``text``."""
        simplified = self._t2s.convert(text)
        if len(simplified) != len(text):
            simplified = "".join(self._t2s.convert(ch) for ch in text)
            if len(simplified) != len(text):
                simplified = text
        out = []
        for original, converted, half in zip(text, simplified, to_halfwidth(text), strict=True):
            if half.isascii() and half.isalnum():
                out.append(half)
            else:
                out.append(converted if has_reading(converted) else original)
        return "".join(out)

    def read(self, text: str) -> list[str | None]:
        """One reading per character of ``text``; None for characters without one."""
        model_text = self.model_text(text)
        readings, phrases = dictionary_readings(model_text)
        if self.backend != "pypinyin":
            erhua = set(erhua_positions(model_text))
            # Only where the model can change the answer: :meth:`finish` gives the erhua 儿
            # and a traditional character with one reading of its own their reading anyway.
            open_positions = [
                i for i, (original, converted) in enumerate(zip(text, model_text, strict=True))
                if i not in erhua and not (original != converted and has_reading(original)
                                           and len(heteronyms(original)) == 1)
            ]
            for dispute in self.disputes(model_text, readings, phrases, open_positions):
                if self.backend == "g2pm" or prefer_model(
                    dispute.scores, dispute.best, dispute.dictionary, dispute.phrase
                ):
                    readings[dispute.index] = dispute.best
            apply_word_readings(model_text, readings)
        return self.finish(text, model_text, readings)

    def finish(self, text: str, model_text: str, readings: list[str | None]) -> list[str | None]:
        """The readings of ``model_text`` given back to ``text``: a traditional character
        keeps only a reading of its own; the erhua 儿 becomes r5."""
        for index, (original, converted) in enumerate(zip(text, model_text, strict=True)):
            if original != converted and has_reading(original):
                if not _own_reading(original, readings[index]):
                    readings[index] = heteronyms(original)[0]
        for index in erhua_positions(model_text):
            readings[index] = _ERHUA_READING
        return readings

    def disputes(
        self, text: str, readings: list[str | None], phrases: list[str | None],
        positions: list[int] | None = None,
    ) -> list[Dispute]:
        """The polyphonic characters of ``text`` (simplified, see :meth:`model_text`; all of
        them, or those at ``positions``) where g2pM's best reading is not the dictionary's,
        with the evidence of both."""
        scored = [
            i for i in (range(len(text)) if positions is None else positions)
            if readings[i] and self.model.candidates(text[i])
        ]
        found = []
        for index, scores in self.model.score(text, scored).items():
            best = max(scores, key=scores.__getitem__)
            if best != readings[index]:
                found.append(Dispute(index, readings[index], phrases[index], scores, best))
        return found
