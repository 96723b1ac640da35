"""The embedded sample corpus: well-formed, correctly labelled, and covering the hard G2P cases.

The files are found through importlib.resources, as the dataset builder finds them once
phonexl is installed, so a packaging mistake (sample files left out of the wheel) fails here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import pytest

from alignment_dataset.readers import Sentence, read_iob
from g2p.script import is_latin, is_number, is_punct

LANGS = ("ja", "ko", "zh", "vi")
TASKS = ("ner", "pos")
FILES = [(task, lang) for task in TASKS for lang in LANGS]
MIN_SENTENCES = 30
ENTITY_TYPES = {"PER", "ORG", "LOC"}
NER_LABELS = {"O"} | {f"{prefix}-{kind}" for prefix in "BI" for kind in ENTITY_TYPES}
UPOS = {
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON",
    "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X",
}
CHARACTER_TOKENS = {("ner", "ja"), ("ner", "zh")}  # PAN-X ja/zh: one token per character

# Strings each language's sample (NER and POS together) must contain: the context-dependent
# readings the G2P has to get right.
HARD_CASES = {
    "ja": ["今日", "明日", "大人", "日本", "東京", "一本", "三本", "六本", "一人", "二人",
           "上", "下", "生", "行", "はし", "はな", "へや"],
    "zh": ["行长", "银行", "旅行", "长大", "长江", "重新", "重庆", "办不了", "还没有还",
           "得了", "得在", "走得", "都", "古都", "音乐", "快乐", "好客", "好吃", "女儿",
           "一点儿", "朋友", "东西"],
    "ko": ["음악을", "국물", "합니다", "신라", "연락", "학교", "국밥", "좋다", "축하", "같이",
           "굳이", "닭", "읽고", "앉아", "밟고", "솜이불", "맨입으로"],
    "vi": ["đ", "gi", "qu", "ng", "ngh", "gh", "nh", "ch", "tr", "kh", "ph", "th", "oa", "uy"],
}
VI_TONE_MARKS = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}  # huyền sắc hỏi ngã nặng


@contextmanager
def sample_path(task: str, lang: str) -> Iterator[Path]:
    """A real file path for one sample file, wherever the package is installed."""
    resource = resources.files("alignment_dataset") / "sample" / f"{task}-{lang}.tsv"
    with resources.as_file(resource) as path:
        yield path


def load(task: str, lang: str) -> list[Sentence]:
    with sample_path(task, lang) as path:
        return list(read_iob(path))


def tokens_of(task: str, lang: str) -> list[str]:
    return [token for sentence in load(task, lang) for token in sentence.tokens]


def entities(sentence: Sentence) -> list[tuple[str, str]]:
    """(type, surface) spans of an IOB2 sentence; characters are joined without spaces."""
    spans: list[tuple[str, list[str]]] = []
    for token, label in zip(sentence.tokens, sentence.labels, strict=True):
        if label.startswith("B-"):
            spans.append((label[2:], [token]))
        elif label.startswith("I-"):
            spans[-1][1].append(token)
    return [(kind, "".join(parts)) for kind, parts in spans]


@pytest.mark.parametrize(("task", "lang"), FILES)
def test_file_layout_is_strict(task, lang):
    with sample_path(task, lang) as path:
        raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text and "\ufeff" not in text
    assert not text.startswith("\n") and "\n\n\n" not in text
    for number, line in enumerate(text.split("\n")[:-1], start=1):
        if not line:
            continue
        assert not line.startswith("#"), f"line {number}: comment line"
        assert line == line.rstrip(), f"line {number}: trailing whitespace"
        assert line.count("\t") == 1, f"line {number}: expected token<TAB>label"
    assert unicodedata.normalize("NFC", text) == text


@pytest.mark.parametrize(("task", "lang"), FILES)
def test_enough_sentences_with_known_labels(task, lang):
    sentences = load(task, lang)
    assert len(sentences) >= MIN_SENTENCES
    allowed = NER_LABELS if task == "ner" else UPOS
    for sentence in sentences:
        assert sentence.tokens, sentence.source
        assert set(sentence.labels) <= allowed, sentence.source


@pytest.mark.parametrize(("task", "lang"), FILES)
def test_tokens_are_clean(task, lang):
    for sentence in load(task, lang):
        for token in sentence.tokens:
            assert token and token == token.strip(), (sentence.source, token)
            if (task, lang) in CHARACTER_TOKENS:
                assert len(token) == 1, (sentence.source, token)
            elif (task, lang) != ("pos", "vi"):  # VTB words are syllables joined by spaces
                assert " " not in token, (sentence.source, token)
            else:
                assert "  " not in token, (sentence.source, token)


@pytest.mark.parametrize("lang", LANGS)
def test_ner_is_valid_iob2_with_every_entity_type(lang):
    seen = set()
    for sentence in load("ner", lang):
        previous = "O"
        for token, label in zip(sentence.tokens, sentence.labels, strict=True):
            if label.startswith("I-"):
                assert previous[2:] == label[2:], f"{sentence.source}: {label} after {previous}"
            if is_punct(token):
                assert label == "O", f"{sentence.source}: punctuation {token!r} is {label}"
            previous = label
        found = entities(sentence)
        assert found, f"{sentence.source}: no entity"
        seen |= {kind for kind, _ in found}
    assert seen == ENTITY_TYPES


@pytest.mark.parametrize("lang", LANGS)
def test_pos_punctuation_tags_agree_with_the_characters(lang):
    for sentence in load("pos", lang):
        for token, tag in zip(sentence.tokens, sentence.labels, strict=True):
            if tag == "PUNCT":
                assert is_punct(token), (sentence.source, token)
            if is_punct(token):
                assert tag in {"PUNCT", "SYM"}, (sentence.source, token, tag)


@pytest.mark.parametrize(("task", "lang"), FILES)
def test_latin_digit_and_punctuation_tokens_present(task, lang):
    tokens = tokens_of(task, lang)
    assert any(is_latin(token) for token in tokens)
    assert any(is_number(token) for token in tokens)
    assert any(is_punct(token) for token in tokens)
    if (task, lang) not in CHARACTER_TOKENS:
        # a whole Latin word, not just a letter inside a mixed token
        assert any(is_latin(token) and len(token) > 1 for token in tokens)


@pytest.mark.parametrize("lang", LANGS)
def test_hard_cases_are_covered(lang):
    tokens = [token for task in TASKS for token in tokens_of(task, lang)]
    glue = "" if lang in {"ja", "zh"} else " "
    haystack = glue.join(tokens).lower()
    missing = [case for case in HARD_CASES[lang] if case not in haystack]
    assert not missing


@pytest.mark.parametrize("task", TASKS)
def test_vietnamese_sample_has_all_six_tones(task):
    tones = set()
    for token in tokens_of(task, "vi"):
        for syllable in token.lower().split():
            if not any(ch.isalpha() for ch in syllable):
                continue
            marks = VI_TONE_MARKS & set(unicodedata.normalize("NFD", syllable))
            tones |= marks or {"ngang"}
    assert tones == VI_TONE_MARKS | {"ngang"}


@pytest.mark.parametrize("lang", ["ja", "zh"])
def test_ner_character_tokens_rebuild_the_entities(lang):
    names = {surface for s in load("ner", lang) for _, surface in entities(s)}
    expected = {"ja": {"東京", "東京大学", "日本銀行", "UNESCO", "NHK"},
                "zh": {"长江", "中国银行", "UNESCO", "重庆", "世界卫生组织"}}[lang]
    assert expected <= names
