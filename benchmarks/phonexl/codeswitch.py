"""Code-switching for L_XMLM: source words replaced by dictionary translations.

The dictionaries (``{zh-vi,ja-ko}.txt``: ``src<TAB>src_ipa<TAB>tgt<TAB>tgt_ipa``) are noisy:
Latin-script and English entries, duplicates. An entry is kept when the source contains a
CJK or kana character and the target looks like a word of the target language (Hangul for
Korean, one Vietnamese syllable for Vietnamese). A replaced token keeps its label; its IPA
comes from the target language's g2p adapter (cached per word), or from the dictionary's
IPA column, segmented with panphon, when that adapter is not available.
"""

from __future__ import annotations

import logging
import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from benchmarks.phonexl.data import Sentence
from g2p.ipa import strip_tones

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


@cache
def _panphon_table():
    import panphon

    return panphon.FeatureTable()


class CodeSwitcher:
    """Replaces a share `ratio` of the dictionary-covered source tokens by translations."""

    def __init__(
        self,
        dictionary: dict[str, list[tuple[str, str]]],
        tgt_lang: str,
        ratio: float,
        tones: bool = True,
    ) -> None:
        self.dictionary = dictionary
        self.tgt_lang = tgt_lang
        self.ratio = ratio
        self.tones = tones
        self._ipa: dict[str, str] = {}
        self.ipa_source = "g2p adapter"
        try:
            from g2p import get_adapter

            self._adapter = get_adapter(tgt_lang, tones=tones)
        except (ImportError, OSError, RuntimeError, ValueError) as error:
            self._adapter = None
            self.ipa_source = "dictionary IPA column (no g2p adapter)"
            log.warning("no g2p adapter for %s (%s): code-switched words use the dictionary's "
                        "IPA column", tgt_lang, error)

    def transcribe(self, word: str, dictionary_ipa: str) -> str:
        """IPA of an inserted target-language word, cached per word."""
        if word not in self._ipa:
            ipa = self._adapter.transcribe([word])[0].ipa if self._adapter else ""
            if not ipa:
                ipa = " ".join(_panphon_table().ipa_segs(dictionary_ipa))
            self._ipa[word] = ipa if self.tones else strip_tones(ipa)
        return self._ipa[word]

    def coverage(self, sentences: Sequence[Sentence]) -> float:
        """Share of source tokens that have a dictionary entry."""
        total = sum(len(s.tokens) for s in sentences)
        covered = sum(token in self.dictionary for s in sentences for token in s.tokens)
        return covered / max(total, 1)

    def switch(
        self, sentence: Sentence, rng: random.Random
    ) -> tuple[list[str], list[str], list[bool]]:
        """Tokens, IPA and target-language flags of a code-switched copy (labels unchanged)."""
        tokens, ipa = list(sentence.tokens), list(sentence.ipa)
        target = [False] * len(tokens)
        for i, token in enumerate(tokens):
            options = self.dictionary.get(token)
            if options and rng.random() < self.ratio:
                word, dictionary_ipa = rng.choice(options)
                tokens[i], ipa[i], target[i] = word, self.transcribe(word, dictionary_ipa), True
        return tokens, ipa, target
