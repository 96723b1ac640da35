"""Source granularity: characters regrouped into words, words cut into characters."""

from __future__ import annotations

import pytest

from alignment_dataset.schema import PANX_LABELS, UPOS_LABELS
from phonexl import granularity
from phonexl.data import Sentence, SourceData

NER = {name: i for i, name in enumerate(PANX_LABELS)}
POS = {name: i for i, name in enumerate(UPOS_LABELS)}


def _ner(tokens: str, tags: list[str]) -> Sentence:
    return Sentence(tuple(tokens), tuple(f"p{i}" for i in range(len(tokens))),
                    tuple(NER[t] for t in tags), "zh")


def test_words_follow_the_segmenter_and_never_cross_an_entity():
    segmenter = granularity.Segmenter("zh", frozenset({"北京", "大学", "学生", "京大"}))
    sentence = _ner("北京大学的学生", ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O", "O"])
    words = granularity.to_words(sentence, segmenter, PANX_LABELS)
    assert words.tokens == ("北京", "大学", "的", "学生")
    assert [PANX_LABELS[t] for t in words.labels] == ["B-ORG", "I-ORG", "O", "O"]
    assert words.ipa == ("p0 p1", "p2 p3", "p4", "p5 p6")
    cut = granularity.to_words(_ner("北京大", ["B-LOC", "I-LOC", "B-PER"]), segmenter,
                               PANX_LABELS)  # 京大 is a word, but an entity starts at 大
    assert cut.tokens == ("北京", "大")
    ends = granularity.to_words(_ner("学生", ["B-PER", "O"]), segmenter, PANX_LABELS)
    assert ends.tokens == ("学", "生")


def test_japanese_words_are_unidic_morphemes():
    sentence = Sentence(tuple("東京都に住む"), tuple("tokniu"), (0,) * 6, "ja")
    words = granularity.to_words(sentence, granularity.Segmenter("ja"), PANX_LABELS)
    assert words.tokens == ("東京", "都", "に", "住む")


def test_chinese_matching_reads_traditional_characters_and_keeps_latin_runs():
    segmenter = granularity.Segmenter("zh", frozenset({"配音", "学生"}))
    sentence = _ner("配音員UHT22學生", ["O"] * 11)
    words = granularity.to_words(sentence, segmenter, PANX_LABELS)
    assert words.tokens == ("配音", "員", "UHT22", "學生")


def test_characters_take_their_word_tag_and_are_read_again():
    sentence = Sentence(("北京", "是", "2024年"), ("a", "b", "c"),
                        (POS["PROPN"], POS["AUX"], POS["NOUN"]), "zh")
    read = []
    chars = granularity.to_characters(sentence, UPOS_LABELS,
                                      lambda tokens: read.append(tokens) or ["x"] * len(tokens))
    assert chars.tokens == ("北", "京", "是", "2024年") and read == [list(chars.tokens)]
    assert [UPOS_LABELS[t] for t in chars.labels] == ["PROPN", "PROPN", "AUX", "NOUN"]
    entity = Sentence(("北京",), ("a",), (NER["B-LOC"],), "zh")
    split = granularity.to_characters(entity, PANX_LABELS, lambda t: ["x"] * len(t))
    assert [PANX_LABELS[t] for t in split.labels] == ["B-LOC", "I-LOC"]


def test_apply_says_what_it_did_and_leaves_other_sources_alone():
    chars = _ner("北京大学", ["B-ORG", "I-ORG", "I-ORG", "I-ORG"])
    source = SourceData([chars] * 3, [chars], "panx.zh: trained on validation")
    assert granularity.is_char_tokenised(source.train)
    same, note = granularity.apply(source, "char", "zh", "unused", PANX_LABELS)
    assert same is source and note == "granularity char: zh source already so, unchanged"
    assert granularity.apply(source, "word", "vi", "unused", PANX_LABELS) == (source, "")
    assert granularity.apply(source, "as-built", "zh", "unused", PANX_LABELS) == (source, "")
    with pytest.raises(ValueError, match="choose one of"):
        granularity.apply(source, "morpheme", "zh", "unused", PANX_LABELS)


def test_cutting_words_reads_the_characters_with_the_real_adapter():
    words = Sentence(("東京", "に", "行く"), ("t o", "n i", "i k u"),
                     (POS["PROPN"], POS["ADP"], POS["VERB"]), "ja")
    source = SourceData([words], [words], "udpos.ja")
    split, note = granularity.apply(source, "char", "ja", "unused", UPOS_LABELS)
    sentence = split.train[0]
    assert sentence.tokens == ("東", "京", "に", "行", "く")
    assert sentence.ipa == ("t oː", "kʲ oː", "ɲ̟ i", "i", "k ɯ̟ᵝ")  # read, not the words' IPA
    assert [UPOS_LABELS[t] for t in sentence.labels] == ["PROPN", "PROPN", "ADP", "VERB", "VERB"]
    assert note == "granularity char: ja source tokens 6 -> 10 (read again by the ja adapter)"
