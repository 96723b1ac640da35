"""One IPA inventory across the four languages, checked on the embedded sample corpus.

The benchmark shares phoneme embeddings between languages, so every emitted segment must be
NFC, valid IPA (tie-barred affricates, ɡ not g) and tone letters must stand alone.
"""

from __future__ import annotations

import unicodedata
from importlib import resources

import pytest

from alignment_dataset.readers import read_iob
from g2p import LANGS, get_adapter
from g2p.inventory import invalid_segments
from g2p.ipa import TONE_LETTERS, is_tone_segment


def sample_sentences(lang: str) -> list[tuple[str, ...]]:
    folder = resources.files("alignment_dataset") / "sample"
    return [
        sentence.tokens
        for task in ("ner", "pos")
        for sentence in read_iob(folder / f"{task}-{lang}.tsv")
    ]


@pytest.fixture(scope="module")
def segments_by_lang() -> dict[str, set[str]]:
    inventory: dict[str, set[str]] = {}
    for lang in LANGS:
        adapter = get_adapter(lang)
        inventory[lang] = {
            segment
            for tokens in sample_sentences(lang)
            for item in adapter.transcribe(list(tokens))
            for segment in item.phones
        }
    return inventory


@pytest.mark.parametrize("lang", LANGS)
def test_every_segment_is_valid_nfc_ipa(segments_by_lang, lang):
    segments = segments_by_lang[lang]
    assert segments, f"no IPA produced for the {lang} sample"
    assert invalid_segments(" ".join(sorted(segments))) == []
    assert all(unicodedata.is_normalized("NFC", segment) for segment in segments)


@pytest.mark.parametrize("lang", LANGS)
def test_tone_letters_only_in_tone_segments(segments_by_lang, lang):
    mixed = [s for s in segments_by_lang[lang]
             if not is_tone_segment(s) and TONE_LETTERS & set(s)]
    assert mixed == []


def test_tonal_languages_have_tones_and_others_do_not(segments_by_lang):
    has_tones = {lang: any(map(is_tone_segment, segs)) for lang, segs in segments_by_lang.items()}
    assert has_tones == {"ja": False, "ko": False, "vi": True, "zh": True}
