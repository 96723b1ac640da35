"""Korean adapter: tables, standard-pronunciation rules, token alignment, numbers, gold PER."""

from __future__ import annotations

import doctest

import pytest
from offline import run_offline
from table_checks import bad_ipa_cells, duplicate_keys

from g2p import get_adapter
from g2p.evaluate import evaluate_lexicon
from g2p.inventory import invalid_segments
from g2p.ko import adapter as adapter_module
from g2p.ko.hangul import CODAS, ONSETS, VOWELS, Syllable, compose, decompose, is_syllable
from g2p.ko.hanja import apply_initial_law
from g2p.ko.morph import pos_classes
from g2p.ko.numbers import spell_numbers
from g2p.ko.rules import JunctionRules, jamo_classes, jamo_maps
from g2p.tables import load_rows
from g2p.types import Status

# table -> (key columns, IPA columns)
TABLES = {
    "classes.tsv": (("class",), ()),
    "maps.tsv": (("map", "from"), ()),
    "junction.tsv": (("article", "coda", "onset", "vowel", "when"), ()),
    "coda_exceptions.tsv": (("syllable", "next"), ()),
    "n_insertion_blockers.tsv": (("morpheme",), ()),
    "tensing_morphemes.tsv": (("morpheme",), ()),
    "pos_classes.tsv": (("tag",), ()),
    "vowel_rules.tsv": (("onsets", "onset", "vowel"), ()),
    "vowels.tsv": (("vowel",), ("nucleus", "long")),
    "onsets.tsv": (("onset", "after", "before"), ("ipa",)),
    "codas.tsv": (("coda", "before"), ("ipa",)),
    "initial_law.tsv": (("onset", "vowels"), ()),
    "numbers.tsv": (("kind", "value"), ()),
    "native_numbers.tsv": (("value",), ()),
    "counters.tsv": (("counter",), ()),
    "letter_names.tsv": (("name",), ()),
    "n_insertion_morphemes.tsv": (("morpheme", "class"), ()),
    "sino_l_morphemes.tsv": (("morpheme",), ()),
    "l_nasal_suffixes.tsv": (("morpheme",), ()),
    "stem_splits.tsv": (("syllable", "tag"), ()),
    "length_weights.tsv": (("feature",), ()),
}
# The generated length weights are checked as a whole (test_length_table), not row by row.
ROWS = [
    (name, row) for name in TABLES if name != "length_weights.tsv"
    for row in load_rows("ko", name)[1]
]
ROW_IDS = [f"{name}:{'/'.join(row.values())}" for name, row in ROWS]
JAMO = set(ONSETS) | set(VOWELS) | set(CODAS[1:]) | {"∅", "#"}
HANGUL_COLUMNS = {
    "maps.tsv": ("from", "to"),
    "vowel_rules.tsv": ("onsets", "vowel", "new_vowel"),
    "vowels.tsv": ("vowel",),
    "onsets.tsv": ("onset",),
    "codas.tsv": ("coda",),
    "initial_law.tsv": ("onset", "new_onset"),
}


def transcribe(*tokens: str, **options: object):
    return get_adapter("ko", **options).transcribe(list(tokens))


def reading(word: str) -> str:
    return transcribe(word)[0].reading


# --- tables ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TABLES)
def test_table_keys_are_unique(name):
    keys, _ = TABLES[name]
    assert duplicate_keys("ko", name, keys) == []


@pytest.mark.parametrize(("name", "row"), ROWS, ids=ROW_IDS)
def test_table_row_is_valid(name, row):
    silent = name == "onsets.tsv" and row["onset"] == "ㅇ"  # ㅇ: no onset sound
    assert bad_ipa_cells(row, TABLES[name][1], may_be_empty=silent) == []
    if name == "vowels.tsv":
        assert bad_ipa_cells(row, ["glide"], may_be_empty=True) == []
    for column in HANGUL_COLUMNS.get(name, ()):
        assert set(row[column].split()) <= JAMO, (column, row)
    if name == "classes.tsv":
        assert set(row["members"].split()) <= JAMO, row
    if name == "junction.tsv":
        assert row["note"], row  # every rule cites an example
    if name in (
        "n_insertion_blockers.tsv", "tensing_morphemes.tsv", "n_insertion_morphemes.tsv",
        "sino_l_morphemes.tsv", "l_nasal_suffixes.tsv",
    ):
        assert all(map(is_syllable, row["morpheme"])), row
    if name == "l_nasal_suffixes.tsv":
        assert decompose(row["morpheme"][0]).onset == "ㄹ", row
    if name == "tensing_morphemes.tsv":
        assert row["after"] in ("any", "sonorant", "sonorant1"), row
    if name == "n_insertion_morphemes.tsv":
        assert row["class"] in set(pos_classes().values()), row
    if name == "sino_l_morphemes.tsv":
        assert decompose(row["morpheme"][-1]).coda == "ㄹ", row
    if name == "letter_names.tsv":
        assert len(row["name"]) == 2 and row["coda"] in CODAS, row
    if name == "stem_splits.tsv":
        assert is_syllable(row["syllable"]) and row["tag"] in pos_classes(), row
    if name == "counters.tsv":
        assert row["numerals"] in ("native", "sino"), row
    if name == "pos_classes.tsv":
        assert row["class"] in {
            "nominal", "numeral", "prefix", "stem", "grammatical", "ending", "nsuffix"
        }


def test_rule_tables_compile():
    rules = JunctionRules()
    assert len(rules.rules) == len(load_rows("ko", "junction.tsv")[1])
    assert "TENSE" in jamo_maps() and "LAX" in jamo_classes()
    assert pos_classes()["NNG"] == "nominal"


def test_every_onset_vowel_and_coda_has_ipa():
    for onset in ONSETS:
        for vowel in VOWELS:
            for coda in ("", "ㄱ", "ㄴ", "ㄹ"):
                token = compose(Syllable(onset, vowel, coda))
                result = transcribe(token, sandhi=False)[0]
                assert result.ipa and invalid_segments(result.ipa) == [], token


# --- standard pronunciation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("음운론", "으문논"),  # ㄴ+ㄹ → ㄴㄴ before a suffix morpheme (20 다만)
        ("신라", "실라"),  # lateralisation (20)
        ("칼날", "칼랄"),
        ("국물", "궁물"),  # nasalisation (18)
        ("협력", "혐녁"),  # ㄹ → ㄴ after an obstruent, then nasalisation (19)
        ("좋다", "조타"),  # aspiration with ㅎ (12)
        ("국화", "구콰"),
        ("낳은", "나은"),  # ㅎ deletion (12-4)
        ("않은", "아는"),
        ("놓는", "논는"),
        ("같이", "가치"),  # palatalisation (17)
        ("굳이", "구지"),
        ("굳히다", "구치다"),
        ("닭", "닥"),  # complex codas (10, 11)
        ("앉다", "안따"),
        ("읽고", "일꼬"),
        ("읽다", "익따"),
        ("밟다", "밥따"),  # ㄼ read ㅂ in 밟- ...
        ("넓다", "널따"),  # ... but ㄹ in 넓-
        ("읊다", "읍따"),
        ("값어치", "가버치"),  # neutralised before a lexical morpheme (15)
        ("값을", "갑쓸"),  # second consonant moves before a particle (14)
        ("닭을", "달글"),
        ("솜이불", "솜니불"),  # ㄴ-insertion in a compound (29)
        ("색연필", "생년필"),
        ("설익다", "설릭따"),  # ... after the prefix 설- cut from MeCab's stem 설익-
        ("낯익다", "난닉따"),
        ("유들유들", "유들류들"),  # ... between the halves of a reduplicated adverb
        ("1일", "이릴"),  # ... not between equal parts that are no adverb (1 + 日)
        ("한국인", "한구긴"),  # ... not before the Sino-Korean suffix 人
        ("신고", "신고"),  # noun 申告: no tensing ...
        ("앉고", "안꼬"),  # ... a verb stem in ㄵ tenses its ending (24)
        ("결단력", "결딴녁"),  # ㄴ + a suffix's ㄹ: [ㄴ] (20 다만) ...
        ("견문록", "견문녹"),
        ("보안림", "보안님"),
        ("광한루", "광할루"),  # ... a one-syllable part that is no suffix: [ㄹ] ...
        ("퓨전레스토랑", "퓨전네스토랑"),  # ... a longer part: [ㄴ]
        ("한랭", "할랭"),
        ("갈등", "갈뜽"),  # ㄹ + ㄷ in a Sino-Korean word (26)
        ("할수록", "할쑤록"),  # after the adnominal -ㄹ (27)
        ("사용법", "사용뻡"),  # lexically tensed suffix (28)
        ("영수증", "영수쯩"),
        ("가져", "가저"),  # no glide after an affricate (5)
        ("희망", "히망"),
        ("문의", "무늬"),
        ("ㅜㅜ", "우우"),
    ],
)
def test_standard_pronunciation(word, expected):
    assert reading(word) == expected


@pytest.mark.parametrize(
    ("word", "ipa"),
    [
        ("음운론", "ɯ m u n n o̞ n"),
        ("같이", "k a̠ t͡ɕʰ i"),
        ("국물", "k u ŋ m u ɭ"),
        ("신라", "ɕʰ i ɭ ɭ a̠"),
        ("관리", "k w a̠ ʎ ʎ i"),
        ("가득", "k a̠ d ɯ k̚"),
        ("흐르다", "x ɯ ɾ ɯ d a̠"),
        ("결혼", "k j ʌ ɾ β o̞ n"),
        ("간조", "k a̠ ɲ d͡ʑ o̞"),
        ("쉼", "ʃʰ ɥ i m"),
        ("크다", "k x ɯ d a̠"),
        ("샤워", "ɕʰ a̠ w ʌ"),
        ("녀석", "ɲ ʌ sʰ ʌ k̚"),
        ("의사", "ɰ i sʰ a̠"),
    ],
)
def test_ipa_follows_wikipron_conventions(word, ipa):
    assert transcribe(word)[0].ipa == ipa


# --- tokens --------------------------------------------------------------------------------


def test_liaison_across_tokens_stays_with_the_spelled_syllable():
    result = transcribe("옷", "안에", "있다")
    assert [t.reading for t in result] == ["옫", "아네", "읻따"]
    assert [t.ipa for t in result] == ["o̞ d", "a̠ n e̞", "i t̚ t͈ a̠"]
    alone = transcribe("옷", "안에", "있다", sandhi=False)
    assert [t.ipa for t in alone] == ["o̞ t̚", "a̠ n e̞", "i t̚ t͈ a̠"]


def test_sound_changes_across_tokens():
    assert [t.reading for t in transcribe("밥", "먹어")] == ["밤", "머거"]
    assert [t.reading for t in transcribe("할", "것을")] == ["할", "꺼슬"]
    assert [t.reading for t in transcribe("옷", "한", "벌")] == ["오", "탄", "벌"]
    assert [t.reading for t in transcribe("인사를", "나누게")] == ["인사를", "나누게"]


def test_character_tokens_are_read_as_the_words_they_were_cut_from():
    # PAN-X ko splits some sentences into syllables; the rules must still see the words.
    result = transcribe(*"같 이 국 물 을 신 라 솜 이 불".split())
    assert " ".join(t.reading for t in result) == "갗 이 궁 물 을 실 라 솜 니 불"
    assert [t.ipa for t in result][:3] == ["k a̠ t͡ɕʰ", "i", "ɡ u ŋ"]


def test_mixed_latin_digits_hanja_and_punctuation():
    result = transcribe("iPhone을", "3개", "1999년", "XML", "漢字", "，", "2.5")
    assert [t.status for t in result] == [
        Status.LATIN, Status.DIGIT, Status.DIGIT, Status.LATIN, Status.OK, Status.PUNCT,
        Status.DIGIT,
    ]
    assert [t.reading for t in result] == [
        "iPhone을", "세개", "천구백꾸십꾸년", "XML", "한자", "", "이저모",
    ]
    assert result[0].ipa == "ɯ ɭ" and result[3].ipa == "" and result[5].ipa == ""
    assert all(invalid_segments(t.ipa) == [] for t in result)


def test_morphology_is_aligned_after_tokens_without_hangul():
    # MeCab's spans skip leading spaces; a sentence starting with a Latin token must still
    # see 솜이불 as the compound 솜+이불.
    result = transcribe("KBS", "기자는", "솜이불", "2023년에")
    assert [t.reading for t in result] == ["KBS", "기자는", "솜니불", "이처니십쌈녀네"]


def test_unreadable_tokens_are_unknown():
    assert [t.status for t in transcribe("ㅋㅋ", "旨")] == [Status.UNKNOWN, Status.UNKNOWN]


def test_tones_option_is_accepted_and_changes_nothing():
    assert transcribe("국물", tones=False) == transcribe("국물")


def test_one_result_per_token_with_its_own_syllables(shared):
    from alignment_dataset.readers import read_corpus

    sentences = [s.tokens for s in read_corpus(shared / "ud" / "ko_gsd-ud-dev.conllu")][:300]
    for tokens in sentences:
        result = transcribe(*tokens)
        assert len(result) == len(tokens)
        for token, item in zip(tokens, result, strict=True):
            assert invalid_segments(item.ipa) == [], item
            if token and all(map(is_syllable, token)):
                assert len(item.reading) == len(token), item
                assert item.ipa and item.status is Status.OK, item


# --- numbers, hanja -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        ("1999년", "천구백구십구년"),
        ("54만5천366명이다", "오십사만오천삼백육십육명이다"),
        ("10000", "만"),
        ("88,000", "팔만팔천"),
        ("1.46배", "일점사육배"),
        ("007", "영영칠"),
        ("3개", "세개"),
        ("3개월", "삼개월"),
        ("21살", "스물한살"),
        ("20살", "스무살"),
        ("100명", "백명"),
    ],
)
def test_numbers(text, spelled):
    assert spell_numbers(text) == spelled


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (["16"], ["심뉵"]),  # ㄴ-insertion before 육 after a coda (29), then nasalisation
        (["십육"], ["심뉵"]),
        (["이천육"], ["이천뉵"]),  # the ㄴ of 천 stays
        (["2006년"], ["이천늉년"]),  # ... and ㄱ is nasalised before 년
        (["16일"], ["심뉴길"]),
        (["16.6"], ["심뉵쩜뉵"]),
        (["160"], ["뱅뉵씹"]),
        (["2020년"], ["이처니심년"]),  # no insertion before 이
        (["70"], ["칠씹"]),  # Sino-Korean ㄹ + ㅅ (26)
        (["6·25"], ["유기오"]),  # digits of a date, said as one word (29 다만)
        (["3·1절"], ["사밀쩔"]),
        (["16명"], ["열려선명"]),
    ],
)
def test_numbers_with_sound_rules(tokens, expected):
    assert [t.reading for t in transcribe(*tokens)] == expected


@pytest.mark.parametrize(("syllable", "expected"), [("녀", "여"), ("로", "노"), ("리", "이")])
def test_initial_sound_law(syllable, expected):
    assert apply_initial_law(syllable) == expected


def test_hangul_round_trip():
    assert decompose("닭") == Syllable("ㄷ", "ㅏ", "ㄺ")
    assert all(compose(decompose(chr(c))) == chr(c) for c in range(0xAC00, 0xD7A4, 97))


def test_doctests():
    result = doctest.testmod(adapter_module)
    assert result.attempted > 0 and result.failed == 0


# --- offline import, gold ------------------------------------------------------------------


def test_adapter_imports_and_runs_without_network(tmp_path):
    output = run_offline(
        """
        import g2p.ko.adapter
        result = g2p.ko.adapter.KoreanAdapter().transcribe(["같이", "국물을", "먹었다", "."])
        print(" ".join(t.reading for t in result))
        """,
        tmp_path,
    )
    assert output == "가치 궁무를 머걷따"


def test_length_table():
    _, rows = load_rows("ko", "length_weights.tsv")
    assert {row["feature"].split("=")[0] for row in rows} >= {"bias", "s1", "s2", "m", "v"}
    assert all(float(row["weight"]) == float(row["weight"]) for row in rows)  # no NaN


def test_vowel_length_is_optional():
    # 사람 and 대학 start with a long vowel (표준 발음법 제6항; long ㅐ is ɛː), 학교 does not.
    words = {"사람": "sʰ aː ɾ a̠ m", "대학": "t ɛː ɦ a̠ k̚", "학교": "h a̠ k̚ k͈ j o"}
    for word, ipa in words.items():
        long, = transcribe(word)
        short, = transcribe(word, length=False)
        assert long.ipa == ipa and invalid_segments(long.ipa) == []
        assert "ː" not in short.ipa and short.reading == long.reading


def test_length_model_learns_from_features():
    from g2p.ko.fit_length import fit
    from g2p.ko.length import LengthModel, features

    examples = [(features(word, word, "NNG"), long) for word, long in
                [("눈", True), ("눈물", True), ("사람", False), ("사랑", False)] * 5]
    model = fit(examples)
    assert isinstance(model, LengthModel)
    assert model.is_long(features("눈길", "눈", "NNG"))
    assert not model.is_long(features("사과", "사과", "NNG"))


def test_wikipron_slice_phone_error_rate(shared):
    # The length table was fitted on this file: these are in-sample figures (held-out
    # ones: `python -m g2p.ko.fit_length`, README).
    report = evaluate_lexicon(
        get_adapter("ko"), shared / "gold" / "wikipron_kor_hang_narrow.tsv", limit=1000
    )
    assert report.entries == 1000
    assert report.error_rate < 0.02
    no_length = evaluate_lexicon(
        get_adapter("ko"), shared / "gold" / "wikipron_kor_hang_narrow.tsv", limit=1000,
        ignore_length=True,
    )
    assert no_length.error_rate < 0.015
