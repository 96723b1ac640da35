"""Mandarin adapter: tables, pinyin -> IPA, context readings, token alignment, CPP slice."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import numpy as np
import pytest

from g2p import get_adapter
from g2p.evaluate import evaluate_polyphones, evaluate_readings, read_indexed
from g2p.inventory import invalid_segments
from g2p.tables import load_rows
from g2p.types import Status
from g2p.zh.decision import FEATURES, fit, prefer_model
from g2p.zh.numbers import cardinal, read_number
from g2p.zh.pinyin_ipa import PinyinError, syllable_ipa
from g2p.zh.readings import BACKENDS, heteronyms
from g2p.zh.sandhi import sandhi_tones

DATA = Path(__file__).parent / "data"

# table -> (key columns that must be unique together, columns holding IPA, columns of pinyin)
TABLES = {
    "initials.tsv": (("initial",), ("ipa",), ()),
    "finals.tsv": (("final", "after"), ("ipa",), ()),
    "syllables.tsv": (("syllable",), ("ipa",), ()),
    "tones.tsv": (("tone",), ("ipa",), ()),
    "numerals.tsv": (("symbol",), (), ("pinyin",)),
    "citation.tsv": (("char", "sandhi"), (), ("sandhi", "citation")),
    "erhua.tsv": (("word",), (), ()),
    "decision_weights.tsv": (("feature",), (), ()),
    "phrase_freq.tsv": (("phrase",), (), ()),
}


def zh(tokens, **options):
    return get_adapter("zh", **options).transcribe(tokens)


def readings(tokens, **options):
    return [t.reading for t in zh(tokens, **options)]


def ipas(tokens, **options):
    return [t.ipa for t in zh(tokens, **options)]


# --- tables -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TABLES))
def test_table_rows_are_unique_and_valid(name):
    keys, ipa_columns, pinyin_columns = TABLES[name]
    header, rows = load_rows("zh", name)
    assert set(keys) | set(ipa_columns) | set(pinyin_columns) <= set(header)
    seen = [tuple(row[k] for k in keys) for row in rows]
    assert len(seen) == len(set(seen)), f"duplicate keys in {name}"
    for row in rows:
        for column in ipa_columns:
            assert invalid_segments(row[column]) == [], (name, row)
        for column in pinyin_columns:
            assert invalid_segments(syllable_ipa(row[column])) == [], (name, row)


def test_finals_refer_to_known_initial_classes():
    classes = {row["class"] for row in load_rows("zh", "initials.tsv")[1]}
    assert {row["after"] for row in load_rows("zh", "finals.tsv")[1]} <= classes | {"*"}


def test_erhua_words_end_in_er():
    assert all(row["word"].endswith("儿") for row in load_rows("zh", "erhua.tsv")[1])


def test_every_pypinyin_reading_maps_to_valid_ipa():
    from pypinyin.constants import PINYIN_DICT

    numbered = {py for code in PINYIN_DICT for py in heteronyms(chr(code))}
    bad = {py for py in numbered if invalid_segments(syllable_ipa(py))}
    assert not bad


# --- pinyin -> IPA ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pinyin", "ipa"),
    [
        ("zhi1", "ʈ͡ʂ ɻ̩ ˥"),  # apical vowel after retroflex
        ("chi1", "ʈ͡ʂʰ ɻ̩ ˥"),
        ("ri4", "ɻ ɻ̩ ˥˩"),
        ("zi1", "t͡s z̩ ˥"),  # apical vowel after dental sibilant
        ("ci2", "t͡sʰ z̩ ˧˥"),
        ("ji1", "t͡ɕ i ˥"),  # plain i after palatal
        ("nu:3", "n y ˨˩˦"),
        ("lu:e4", "l ɥ ɛ ˥˩"),
        ("ju4", "t͡ɕ y ˥˩"),  # ü written u after j
        ("xue2", "ɕ ɥ ɛ ˧˥"),
        ("quan2", "t͡ɕʰ ɥ ɛ n ˧˥"),
        ("yun2", "y n ˧˥"),
        ("yuan2", "ɥ ɛ n ˧˥"),
        ("you3", "j o ʊ̯ ˨˩˦"),
        ("wo3", "w ɔ ˨˩˦"),
        ("bo1", "p w ɔ ˥"),
        ("gui4", "k w e ɪ̯ ˥˩"),
        ("liu2", "l j o ʊ̯ ˧˥"),
        ("lun2", "l w ə n ˧˥"),
        ("zhong1", "ʈ͡ʂ ʊ ŋ ˥"),
        ("qiong2", "t͡ɕʰ j ʊ ŋ ˧˥"),
        ("er2", "ɤ ɻ ˧˥"),
        ("r5", "ɻ"),  # erhua suffix, neutral tone: no tone segment
        ("men5", "m ə n"),
        ("n2", "n̩ ˧˥"),
    ],
)
def test_syllable_ipa(pinyin, ipa):
    assert syllable_ipa(pinyin) == ipa
    assert invalid_segments(ipa) == []


@pytest.mark.parametrize("bad", ["zhong", "xyz1", "1", ""])
def test_bad_pinyin_is_a_clear_error(bad):
    with pytest.raises(PinyinError):
        syllable_ipa(bad)


# --- readings in context ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "index", "reading"),
    [
        ("他在银行工作", 3, "hang2"),
        ("我们一起行走", 4, "xing2"),
        ("长城很长", 0, "chang2"),
        ("他是银行的行长", 6, "zhang3"),
        ("他是银行的行长", 5, "hang2"),
        ("这件事很重要", 4, "zhong4"),
        ("我们重新开始", 2, "chong2"),
        ("他吃了饭", 2, "le5"),
        ("我不了解这件事", 2, "liao3"),
        ("他很了不起", 2, "liao3"),
    ],
)
def test_polyphones_are_read_from_the_sentence(sentence, index, reading):
    assert readings(list(sentence))[index] == reading


def test_traditional_characters_read_like_simplified():
    traditional = readings(list("他是銀行的行長，說長城很長"))
    simplified = readings(list("他是银行的行长，说长城很长"))
    assert traditional == simplified
    assert traditional[2:7] == ["yin2", "hang2", "de5", "hang2", "zhang3"]


def test_citation_tones_for_yi_and_bu():
    assert readings(["不是", "一样", "一点"]) == ["bu4 shi4", "yi1 yang4", "yi1 dian3"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_backend_reads_a_sentence(backend):
    assert readings(list("银行"), backend=backend) == ["yin2", "hang2"]


def test_unknown_backend_is_rejected():
    with pytest.raises(ValueError, match="unknown backend"):
        get_adapter("zh", backend="nope")


def test_heteronyms_use_the_cpp_spelling_of_u_umlaut():
    assert "lu:4" in heteronyms("绿")


# --- tones and sandhi -------------------------------------------------------------------


def test_ni_hao_tone_letters_without_and_with_sandhi():
    assert ipas(["你好"]) == ["n i ˨˩˦ x ɑ ʊ̯ ˨˩˦"]
    assert ipas(["你好"], sandhi=True) == ["n i ˧˥ x ɑ ʊ̯ ˨˩˦"]
    assert readings(["你好"], sandhi=True) == ["ni3 hao3"]  # reading keeps citation tones
    assert ipas(["你好"], tones=False) == ["n i x ɑ ʊ̯"]


@pytest.mark.parametrize(
    ("chars", "citation", "surface"),
    [
        ("不是", ["bu4", "shi4"], ["2", "4"]),
        ("不好", ["bu4", "hao3"], ["4", "3"]),
        ("一样", ["yi1", "yang4"], ["2", "4"]),
        ("一天", ["yi1", "tian1"], ["4", "1"]),
        ("第一天", ["di4", "yi1", "tian1"], ["4", "1", "1"]),  # ordinal keeps yi1
        ("十一", ["shi2", "yi1"], ["2", "1"]),
        ("我也很好", ["wo3", "ye3", "hen3", "hao3"], ["2", "2", "2", "3"]),
        ("好。好", ["hao3", None, "hao3"], ["3", None, "3"]),  # runs stop at punctuation
    ],
)
def test_sandhi_rules(chars, citation, surface):
    assert sandhi_tones(chars, citation) == surface


# --- erhua and apical vowels ------------------------------------------------------------


def test_nu_er_is_a_full_er_syllable():
    [result] = zh(["女儿"])
    assert (result.reading, result.ipa) == ("nu:3 er2", "n y ˨˩˦ ɤ ɻ ˧˥")


@pytest.mark.parametrize(("text", "expected"), [
    ("我妈妈的朋友", ["wo3", "ma1", "ma5", "de5", "peng2", "you5"]),  # neutral tones ...
    ("他长得很高", ["ta1", "zhang3", "de5", "hen3", "gao1"]),  # ... a fixed polyphone ...
    ("地方政府", ["di4", "fang1", "zheng4", "fu3"]),  # ... a longer word wins ...
    ("我媽媽", ["wo3", "ma1", "ma5"]),  # ... traditional characters too
    ("谁来了", ["shei2", "lai2", "le5"]),
    ("好吧。", ["hao3", "ba5", None]),  # a clause-final particle ...
    ("酒吧里", ["jiu3", "ba1", "li3"]),  # ... not inside a word
])
def test_word_readings_and_particles(text, expected):
    assert [t.reading or None for t in zh(list(text))] == expected


def test_the_pypinyin_back_end_stays_pypinyin():
    adapter = get_adapter("zh", backend="pypinyin")
    assert [t.reading for t in adapter.transcribe(list("妈妈"))] == ["ma1", "ma1"]


def test_erhua_suffix_is_a_bare_rhotic():
    result = zh(list("你去哪儿了"))
    assert [t.reading for t in result[2:4]] == ["na3", "r5"]
    assert result[3].ipa == "ɻ"


@pytest.mark.parametrize(
    ("word", "ipa"),
    [
        ("知己", "ʈ͡ʂ ɻ̩ ˥ t͡ɕ i ˨˩˦"),
        ("资料", "t͡s z̩ ˥ l j ɑ ʊ̯ ˥˩"),
        ("日本", "ɻ ɻ̩ ˥˩ p ə n ˨˩˦"),
    ],
)
def test_apical_vowels_and_r_initial(word, ipa):
    assert ipas([word]) == [ipa]


# --- token alignment and statuses -------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        ["他", "在", "银行", "工作", "了", "三", "年", "。"],
        ["1990年", "，", "长城", "上", "的", "行人", "很多"],
        ["我们", "用", "3D", "打印", "做", "了", "15", "个", "iPhone", "壳", "。"],
    ],
)
def test_character_and_word_tokens_give_the_same_phones(words):
    chars = [ch for word in words for ch in word]
    by_word = " ".join(t.ipa for t in zh(words) if t.ipa)
    by_char = " ".join(t.ipa for t in zh(chars) if t.ipa)
    assert by_word == by_char
    assert len(zh(chars)) == len(chars)


def test_mixed_latin_digit_and_han_tokens():
    word_tokens = zh(["3D打印", "iPhone"])
    assert [t.status for t in word_tokens] == [Status.LATIN, Status.LATIN]  # 3D is not read
    assert [t.reading for t in word_tokens] == ["3D da3 yin4", "iPhone"]
    assert word_tokens[0].ipa == "t a ˨˩˦ i n ˥˩"
    char_tokens = zh(list("3D打印"))
    assert [t.status for t in char_tokens] == [Status.LATIN] * 2 + [Status.OK] * 2


def test_full_width_latin_and_digits():
    assert [t.status for t in zh(["ｉＰｈｏｎｅ", "１５", "个"])] == [
        Status.LATIN, Status.DIGIT, Status.OK
    ]
    assert readings(["１５"]) == ["shi2 wu3"]


def test_numbers_are_read_in_chinese():
    result = zh(list("1990年15日"))
    assert [t.reading for t in result] == [
        "yi1", "jiu3", "jiu3", "ling2", "nian2", "shi2 wu3", "", "ri4"
    ]
    assert [t.status for t in result][5:7] == [Status.DIGIT, Status.SHARED]
    assert zh(["3.14"])[0].reading == "san1 dian3 yi1 si4"


@pytest.mark.parametrize(
    ("digits", "reading"),
    [
        ("0", "ling2"),
        ("10", "shi2"),
        ("15", "shi2 wu3"),
        ("105", "yi1 bai3 ling2 wu3"),
        ("110", "yi1 bai3 yi1 shi2"),
        ("2000", "liang3 qian1"),
        ("20000", "liang3 wan4"),
        ("10015", "yi1 wan4 ling2 yi1 shi2 wu3"),
        ("1000000", "yi1 bai3 wan4"),
        ("100000001", "yi1 yi4 ling2 yi1"),
    ],
)
def test_cardinals(digits, reading):
    assert " ".join(cardinal(digits)) == reading


def test_codes_with_leading_zero_and_separators():
    assert [s for _, s in read_number("007")] == ["ling2", "ling2", "qi1"]
    assert [s for _, s in read_number("1,000")] == ["yi1", "qian1"]


def test_characters_without_a_reading_are_unknown():
    result = zh(["の", "书"])
    assert [t.status for t in result] == [Status.UNKNOWN, Status.OK]
    assert result[0].ipa == ""


def test_rare_han_characters_do_not_crash():
    result = zh(list("𪚥㐀\U0002b81d"))
    assert len(result) == 3
    assert all(invalid_segments(t.ipa) == [] for t in result)


def test_every_output_segment_is_valid_ipa():
    sentence = list("他说：“我们1998年在北京的銀行見過iPhone，一点儿也不贵！”")
    for t in zh(sentence) + zh(sentence, sandhi=True):
        assert invalid_segments(t.ipa) == [], t


# --- CPP polyphone gold -----------------------------------------------------------------


def test_cpp_polyphone_accuracy_on_a_slice(shared, tmp_path):
    gold = shared / "gold" / "cpp_polyphone_dev.tsv"
    with open(gold, encoding="utf-8") as handle:
        lines = list(islice(handle, 0, 9000, 18))  # 500 sentences across the file
    sample = tmp_path / "cpp_slice.tsv"
    sample.write_text("".join(lines), encoding="utf-8")
    report = evaluate_polyphones(get_adapter("zh"), sample)
    assert report.entries == 500
    assert 1 - report.error_rate >= 0.97  # 97.6 % measured; g2pM alone gets 96.8 %


def test_polyphone_scores_agree_with_g2pm_itself():
    from g2pM import G2pM

    from g2p.zh.polyphone import PolyphoneModel

    model, reference = PolyphoneModel(), G2pM()
    for sentence in ["他在银行工作了三年", "我们重新开始，这很重要", "长城很长，行长说"]:
        positions = [i for i, ch in enumerate(sentence) if model.candidates(ch)]
        scores = model.score(sentence, positions)
        expected = reference(sentence, char_split=True)
        assert positions
        assert all(max(scores[i], key=scores[i].get) == expected[i] for i in positions)


# --- the decision where the back-ends disagree -------------------------------------------


def test_decision_weights_name_every_feature():
    assert [row["feature"] for row in load_rows("zh", "decision_weights.tsv")[1]] == list(
        FEATURES)


def test_phrase_frequencies_are_of_dictionary_phrases():
    from pypinyin.constants import PHRASES_DICT

    rows = load_rows("zh", "phrase_freq.tsv")[1]
    assert len(rows) > 10000
    assert all(len(r["phrase"]) > 1 and r["phrase"] in PHRASES_DICT for r in rows)
    assert all(float(r["log_freq"]) > 0 for r in rows)


def test_a_sure_model_wins_alone_and_a_common_phrase_wins_against_a_doubtful_model():
    assert prefer_model({"wei2": -0.01, "wei4": -6.0}, "wei2", "wei4", None)
    assert not prefer_model({"zhang3": -4.0, "chang2": -0.02}, "chang2", "zhang3", "校长")
    # a reading g2pM does not know at all counts as the widest margin
    assert prefer_model({"sai4": -0.01, "se4": -9.0}, "sai4", "sai1", None)


def test_fit_recovers_the_weights_of_a_known_logistic_model():
    rng = np.random.default_rng(0)
    x = np.column_stack([np.ones(20000), rng.normal(size=(20000, len(FEATURES) - 1))])
    true = np.array([0.5, 1.0, -2.0, -1.0, -3.0])
    y = rng.random(20000) < 1 / (1 + np.exp(-(x @ true)))
    assert np.allclose(fit(x, y), true, atol=0.15)


@pytest.mark.parametrize("name", ["zh_polyphones_ood.tsv", "zh_polyphones_ood_panx.tsv"])
def test_out_of_domain_set_is_well_formed(name):
    rows = list(read_indexed(DATA / name))
    assert len(rows) >= 300
    assert all(sentence.count("▁") == 2 and pinyin[-1] in "12345" for _, sentence, pinyin in rows)


def test_indexed_gold_names_the_bad_line(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("sentence\tindex\tchar\tpinyin\n银行\t1\t银\tyin2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.tsv:2: character 1 is not '银'"):
        list(read_indexed(path))


@pytest.mark.parametrize("name", ["zh_polyphones_ood.tsv", "zh_polyphones_ood_panx.tsv"])
def test_hybrid_beats_both_back_ends_out_of_domain(name):
    gold = DATA / name
    accuracy = {
        backend: 1 - evaluate_polyphones(get_adapter("zh", backend=backend), gold,
                                         indexed=True).error_rate
        for backend in BACKENDS
    }
    assert accuracy["hybrid"] > max(accuracy["pypinyin"], accuracy["g2pm"]) + 0.1, accuracy


@pytest.mark.parametrize("name", ["zh_sentence_readings.tsv", "zh_sentence_readings_heldout.tsv"])
def test_everyday_sentences_read_better_than_with_either_back_end_alone(name):
    rates = {backend: evaluate_readings(get_adapter("zh", backend=backend), DATA / name)
             for backend in BACKENDS}
    assert all(report.entries >= 50 for report in rates.values())
    errors = {backend: report.error_rate for backend, report in rates.items()}
    assert errors["hybrid"] < min(errors["pypinyin"], errors["g2pm"]), errors
    assert errors["hybrid"] <= 0.03, errors


def test_sentence_gold_is_scored_per_syllable(tmp_path):
    gold = tmp_path / "gold.tsv"
    gold.write_text("银行很好。\tyin2 hang2 hen3 hao3\n", encoding="utf-8")
    report = evaluate_readings(get_adapter("zh"), gold)
    assert (report.reference_length, report.errors) == (4, 0)


def test_a_full_score_cache_is_emptied_without_losing_the_batch(monkeypatch):
    from g2p.zh import polyphone

    monkeypatch.setattr(polyphone, "_CACHE_SIZE", 2)
    model = polyphone.PolyphoneModel()
    sentence = "银行行长说长城很长，我们重新开始"
    positions = [i for i, ch in enumerate(sentence) if model.candidates(ch)]
    assert len(positions) > 2
    assert set(model.score(sentence, positions)) == set(positions)
    assert set(model.score(sentence[1:], [p - 1 for p in positions[1:]])) == {
        p - 1 for p in positions[1:]}


def test_decision_feature_study_reads_every_sentence_and_stays_under_its_oracle():
    from benchmarks.zh_decision_features import FAMILIES, study
    from g2p.zh.fit_decision import collect

    evidence = collect(DATA / "zh_polyphones_ood.tsv", indexed=True)
    assert evidence.undisputed + len(evidence.rows) == len(
        list(read_indexed(DATA / "zh_polyphones_ood.tsv")))
    assert len(evidence.disputes) == len(evidence.rows) > 0
    result = study(evidence, evidence, folds=2)
    assert set(result["families"]) == set(FAMILIES)
    oracle = result["ood"]["oracle_accuracy"]
    for figures in result["families"].values():
        assert 0 < figures["ood_accuracy"] <= oracle
        assert 0 < figures["cpp_cv_accuracy"] <= oracle
