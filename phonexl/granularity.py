"""Token granularity of the source language, one of the paper's open questions: do characters
or words carry more across scripts?

PAN-X tokenises Chinese and Japanese into characters, UD into words. ``word`` regroups a
character-tokenised source into words before training and model selection; ``char`` splits a
word-tokenised source into its characters. A source already at the asked granularity is left
as it is, and the run's notes say which happened. The target side is never touched: Korean and
Vietnamese are not written in characters, so target test scores compare across granularities
as they stand.

- Words: Japanese from UniDic morphemes (the ja adapter's own analyser); Chinese by forward
  maximum matching over the word types of the dataset's UD Chinese train/validation text (no
  other segmenter ships with the project), on the simplified form of each character (PAN-X
  Chinese is traditional, UD simplified), a run of ASCII letters and digits being one word.
  A word's phones are its characters' phones in order,
  which the builder read from the whole sentence. A word never spans an entity boundary (source
  labels are known, so a word that would is cut there) and takes its first character's tag.
- Characters: every Han or kana token of two or more characters is cut into characters, which
  the language's adapter reads again as one sentence (as the builder reads PAN-X). Each
  character takes its word's tag; an IOB2 entity continues as ``I-`` after its first character.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from g2p.ja.kana import is_ideograph, is_kana
from phonexl.data import Sentence, SourceData

GRANULARITIES = ("as-built", "word", "char")
_MAX_WORD = 8  # characters tried per maximum-matching step


def _written_in_characters(token: str) -> bool:
    return bool(token) and all(is_ideograph(ch) or is_kana(ch) for ch in token)


def is_char_tokenised(sentences: Sequence[Sentence]) -> bool:
    """Most Han/kana tokens are one character long (PAN-X ja/zh; UD ja/zh is not)."""
    written = [t for s in sentences for t in s.tokens if _written_in_characters(t)]
    return bool(written) and sum(len(t) == 1 for t in written) >= 0.9 * len(written)


@dataclass(frozen=True)
class Segmenter:
    """Word boundaries of a run of text, as character offsets where a word starts."""

    lang: str
    vocabulary: frozenset[str] = frozenset()  # zh: the word types maximum matching knows

    def starts(self, text: str) -> set[int]:
        if self.lang == "ja":
            from g2p.ja.analysis import analyse

            return {m.start for m in analyse(text)} | {0}
        simplified = "".join(map(_simplified, text))  # PAN-X zh is traditional, UD simplified
        starts, i = set(), 0
        while i < len(text):
            starts.add(i)
            latin = _LATIN_RUN.match(text, i)
            length = latin.end() - i if latin else next(
                (n for n in range(min(_MAX_WORD, len(text) - i), 1, -1)
                 if simplified[i:i + n] in self.vocabulary), 1)
            i += length
        return starts


_LATIN_RUN = re.compile(r"[A-Za-z0-9]+")


@cache
def _t2s() -> object:
    from opencc import OpenCC

    return OpenCC("t2s")


@cache
def _simplified(char: str) -> str:
    """The simplified form of one character (itself when OpenCC maps it to anything longer)."""
    converted = _t2s().convert(char)
    return converted if len(converted) == 1 else char


def _must_cut(tag: str, previous: str) -> bool:
    """A word must start at a token tagged `tag` after one tagged `previous`: a new entity
    begins, or the tag changes other than by continuing the same entity (I-X after B-X/I-X)."""
    continues = tag.startswith("I-") and previous[2:] == tag[2:] and previous != "O"
    return tag.startswith("B-") or (tag != previous and not continues)


def to_words(sentence: Sentence, segmenter: Segmenter, names: Sequence[str]) -> Sentence:
    """A character-tokenised sentence regrouped into words (see the module docstring)."""
    text = "".join(sentence.tokens)
    offsets = [0]
    for token in sentence.tokens:
        offsets.append(offsets[-1] + len(token))
    word_starts = segmenter.starts(text)
    groups: list[list[int]] = []
    for i in range(len(sentence.tokens)):
        tag = names[sentence.labels[i]]
        start_here = not groups or offsets[i] in word_starts or \
            _must_cut(tag, names[sentence.labels[i - 1]])
        if start_here:
            groups.append([i])
        else:
            groups[-1].append(i)
    return Sentence(
        tuple("".join(sentence.tokens[i] for i in g) for g in groups),
        tuple(" ".join(sentence.ipa[i] for i in g if sentence.ipa[i]) for g in groups),
        tuple(sentence.labels[g[0]] for g in groups), sentence.lang)


def to_characters(sentence: Sentence, names: Sequence[str],
                  transcribe: Callable[[list[str]], list[str]]) -> Sentence:
    """A word-tokenised sentence with its Han/kana words cut into characters, read again by
    `transcribe` (tokens -> one IPA string per token) as one sentence."""
    tokens: list[str] = []
    labels: list[int] = []
    index = {name: i for i, name in enumerate(names)}
    for token, label in zip(sentence.tokens, sentence.labels, strict=True):
        pieces = list(token) if _written_in_characters(token) else [token]
        tag = names[label]
        for k, piece in enumerate(pieces):
            tokens.append(piece)
            labels.append(index["I-" + tag[2:]] if k and tag.startswith("B-") else label)
    if len(tokens) == len(sentence.tokens):
        return sentence
    return Sentence(tuple(tokens), tuple(transcribe(tokens)), tuple(labels), sentence.lang)


def _zh_vocabulary(data: str) -> frozenset[str]:
    from phonexl.data import load_config

    try:
        splits, _ = load_config(data, "pos", "zh")
    except ValueError as error:
        raise ValueError(f"--granularity word for Chinese needs udpos.zh in {data} (its words "
                         f"are the segmenter's vocabulary): {error}") from error
    return frozenset(t for split, sentences in splits.items() if split != "test"
                     for s in sentences for t in s.tokens if len(t) > 1)


def _adapter_reader(lang: str) -> Callable[[list[str]], list[str]]:
    from g2p import get_adapter

    adapter = get_adapter(lang)
    return lambda tokens: [t.ipa for t in adapter.transcribe(tokens)]


def apply(source: SourceData, granularity: str, lang: str, data: str,
          names: Sequence[str]) -> tuple[SourceData, str]:
    """`source` at `granularity` and the note that says what changed."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"--granularity {granularity!r}: choose one of {GRANULARITIES}")
    if granularity == "as-built" or lang not in ("ja", "zh"):
        return source, ""
    sentences = [*source.train, *source.dev]
    chars = is_char_tokenised(sentences)
    if (granularity == "char") == chars:
        return source, f"granularity {granularity}: {lang} source already so, unchanged"
    if granularity == "word":
        segmenter = Segmenter(lang, _zh_vocabulary(data) if lang == "zh" else frozenset())
        how = "UniDic morphemes" if lang == "ja" else "maximum matching over UD zh words"

        def convert(sentence: Sentence) -> Sentence:
            return to_words(sentence, segmenter, names)
    else:
        read = _adapter_reader(lang)
        how = f"read again by the {lang} adapter"

        def convert(sentence: Sentence) -> Sentence:
            return to_characters(sentence, names, read)
    train, dev = [convert(s) for s in source.train], [convert(s) for s in source.dev]
    before = sum(len(s.tokens) for s in sentences)
    after = sum(len(s.tokens) for s in (*train, *dev))
    return (SourceData(train, dev, source.note),
            f"granularity {granularity}: {lang} source tokens {before:,} -> {after:,} ({how})")
