"""Code-switching for L_XMLM: source words replaced by dictionary translations.

The dictionaries (``{zh-vi,ja-ko}.txt``: ``src<TAB>src_ipa<TAB>tgt<TAB>tgt_ipa``) are noisy:
Latin-script and English entries, duplicates. An entry is kept when the source contains a
CJK or kana character and the target looks like a word of the target language (Hangul for
Korean, one Vietnamese syllable for Vietnamese). A replaced word (one token, or a run of
character tokens) becomes one token that keeps its label; its IPA comes from the target
language's g2p adapter (cached per word), or from the dictionary's IPA column, segmented with
panphon, when that adapter is not available.
"""

from __future__ import annotations

import logging
import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from phonexl.data import Sentence

log = logging.getLogger(__name__)

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"^[\uac00-\ud7a3]+$")
_VI_SYLLABLE = re.compile(
    r"^(ngh|ng|gh|gi|ch|kh|nh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?$"
)


def _is_vietnamese_syllable(word: str) -> bool:
    plain = "".join(
        ch for ch in unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
        if not unicodedata.combining(ch)
    )
    return bool(_VI_SYLLABLE.match(plain))


_TARGET_CHECKS = {"ko": lambda word: bool(_HANGUL.match(word)), "vi": _is_vietnamese_syllable}


def load_dictionary(path: Path, tgt_lang: str) -> dict[str, list[tuple[str, str]]]:
    """source word -> [(translation, dictionary IPA of the translation)], filtered, deduplicated."""
    entries: dict[str, list[tuple[str, str]]] = defaultdict(list)
    seen = set()
    check = _TARGET_CHECKS[tgt_lang]
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 4:
                raise ValueError(f"{path}:{lineno}: expected 4 tab-separated columns")
            src, _, tgt, tgt_ipa = (unicodedata.normalize("NFC", f.strip()) for f in fields)
            if (src, tgt) in seen or src == tgt or not _CJK.search(src) or not check(tgt):
                continue
            seen.add((src, tgt))
            entries[src].append((tgt, tgt_ipa))
    return dict(entries)


def reduce_dictionary(dictionary: dict[str, list[tuple[str, str]]], coverage: float,
                      shuffle: bool, seed: int = 0) -> dict[str, list[tuple[str, str]]]:
    """The paper's dictionary-coverage question: keep a seeded share ``coverage`` of the
    source words; ``shuffle`` (a negative control) hands each kept source word the
    translations of another one, so the target words stay but the pairing is broken.

    The seed is fixed, not the run's: every run of one coverage sees the same entries.
    """
    if not 0 < coverage <= 1:
        raise ValueError(f"dictionary coverage must be in (0, 1], got {coverage}")
    rng = random.Random(seed)
    chosen = set(rng.sample(sorted(dictionary), round(len(dictionary) * coverage)))
    kept = [word for word in dictionary if word in chosen]  # the dictionary's own order
    translations = [dictionary[word] for word in kept]
    if shuffle:
        rng.shuffle(translations)
    return dict(zip(kept, translations, strict=True))


@cache
def _panphon_table():
    import panphon

    return panphon.FeatureTable()


class CodeSwitcher:
    """Replaces a share `ratio` of the dictionary-covered source words by translations."""

    def __init__(
        self,
        dictionary: dict[str, list[tuple[str, str]]],
        tgt_lang: str,
        ratio: float,
        normalize: Callable[[str], str] = str,
        label_names: Sequence[str] = (),
        max_span: int = 4,
    ) -> None:
        self.dictionary = dictionary
        self.label_names = list(label_names)
        self.max_span = max_span
        self.tgt_lang = tgt_lang
        self.ratio = ratio
        self.normalize = normalize
        self._ipa: dict[str, str] = {}
        self.ipa_source = "g2p adapter"
        try:
            from g2p import get_adapter

            self._adapter = get_adapter(tgt_lang)
        except (ImportError, OSError, RuntimeError, ValueError) as error:
            self._adapter = None
            self.ipa_source = "dictionary IPA column (no g2p adapter)"
            log.warning("no g2p adapter for %s (%s): code-switched words use the dictionary's "
                        "IPA column", tgt_lang, error)

    def transcribe(self, word: str, dictionary_ipa: str) -> str:
        """IPA of an inserted target-language word (normalised like the corpus), cached."""
        if word not in self._ipa:
            ipa = self._adapter.transcribe([word])[0].ipa if self._adapter else ""
            if not ipa:
                ipa = " ".join(_panphon_table().ipa_segs(dictionary_ipa))
            self._ipa[word] = self.normalize(ipa)
        return self._ipa[word]

    def spans(self, tokens: Sequence[str]) -> list[tuple[int, int]]:
        """Greedy longest matches of dictionary words over runs of consecutive tokens.

        Runs matter where the source is tokenised into characters (PAN-X zh and ja): 東+京
        matches 東京. Spans of up to `max_span` tokens are tried.
        """
        found, i = [], 0
        while i < len(tokens):
            for n in range(min(self.max_span, len(tokens) - i), 0, -1):
                if "".join(tokens[i : i + n]) in self.dictionary:
                    found.append((i, i + n))
                    i += n
                    break
            else:
                i += 1
        return found

    def coverage(self, sentences: Sequence[Sentence]) -> float:
        """Share of source tokens inside a dictionary match."""
        total = sum(len(s.tokens) for s in sentences)
        covered = sum(end - start for s in sentences for start, end in self.spans(s.tokens))
        return covered / max(total, 1)

    def _merged_label(self, labels: Sequence[int]) -> int | None:
        """The one label of a replaced run: all equal, or B-X/I-X followed by I-X; else None."""
        first, rest = labels[0], set(labels[1:])
        if not rest or rest == {first}:
            return first
        name = self.label_names[first] if first < len(self.label_names) else ""
        inside = "I-" + name[2:]
        if name[:2] in ("B-", "I-") and inside in self.label_names:
            return first if rest == {self.label_names.index(inside)} else None
        return None

    def switch(
        self, sentence: Sentence, rng: random.Random
    ) -> tuple[list[str], list[str], list[int], list[bool]]:
        """Tokens, IPA, labels and target-language flags of a code-switched copy.

        Each chosen run of source tokens becomes one target-language token that keeps the
        run's label (a run whose labels cannot merge into one is left alone), so tokens,
        labels and IPA stay aligned one to one.
        """
        tokens, ipa, labels, target = [], [], [], []
        done = 0
        for start, end in self.spans(sentence.tokens):
            label = self._merged_label(sentence.labels[start:end])
            if label is None or rng.random() >= self.ratio:
                continue
            tokens += sentence.tokens[done:start]
            ipa += sentence.ipa[done:start]
            labels += sentence.labels[done:start]
            target += [False] * (start - done)
            key = "".join(sentence.tokens[start:end])
            word, dictionary_ipa = rng.choice(self.dictionary[key])
            tokens.append(word)
            ipa.append(self.transcribe(word, dictionary_ipa))
            labels.append(label)
            target.append(True)
            done = end
        tokens += sentence.tokens[done:]
        ipa += sentence.ipa[done:]
        labels += sentence.labels[done:]
        target += [False] * (len(sentence.tokens) - done)
        return tokens, ipa, labels, target
