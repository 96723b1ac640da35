"""One status contract for every language: the same case gets the same status in all four.

Each case is written the way each language writes it (a number with its counter is 3개, 15个,
3本, 3_cái), but has one expected status. A language that cannot have the case (only ja and
zh read a sentence across character tokens) is left out of that row. The rules themselves are
in :class:`g2p.types.Status` and :func:`g2p.contract.assemble`.
"""

from __future__ import annotations

import pytest

from g2p import LANGS, get_adapter
from g2p.contract import Carried, Read, Unread, assemble, per_token
from g2p.types import Status, Transcription

_ALL = dict.fromkeys(LANGS)

# (case, expected status of the last token, {lang: tokens}); None: the same tokens in every
# language, given in the case's "all" entry.
CASES: list[tuple[str, Status, dict[str, list[str]]]] = [
    ("native word", Status.OK,
     {"ja": ["東京"], "ko": ["한국어"], "vi": ["người"], "zh": ["银行"]}),
    ("native words, several in one token", Status.OK,
     {"ja": ["東京都"], "ko": ["서울특별시"], "vi": ["hải_quân"], "zh": ["北京大学"]}),
    ("number with its counter", Status.DIGIT,
     {"ja": ["3本"], "ko": ["3개"], "vi": ["3_cái"], "zh": ["15个"]}),
    ("a counter in the token after a number", Status.OK,
     {"ja": ["1", "月"], "ko": ["3", "개"], "vi": ["3", "cái"], "zh": ["1", "月"]}),
    ("year", Status.DIGIT,
     {"ja": ["2024年"], "ko": ["1999년"], "vi": ["năm_1999"], "zh": ["1990年"]}),
    ("currency", Status.DIGIT,
     {"ja": ["123円"], "ko": ["123원"], "vi": ["123_đồng"], "zh": ["123元"]}),
    ("percent", Status.DIGIT, {lang: ["95%"] for lang in _ALL}),
    ("bare number", Status.DIGIT, {lang: ["1999"] for lang in _ALL}),
    ("decimal number", Status.DIGIT, {lang: ["3.5"] for lang in _ALL}),
    ("negative number", Status.DIGIT, {lang: ["-7"] for lang in _ALL}),
    ("full-width digits", Status.DIGIT, {lang: ["１２"] for lang in _ALL}),
    ("Latin word", Status.LATIN, {lang: ["iPhone"] for lang in _ALL}),
    ("English word of Vietnamese-looking syllables", Status.LATIN,
     {lang: ["Generation"] for lang in _ALL}),
    ("acronym with digits", Status.LATIN, {lang: ["COVID-19"] for lang in _ALL}),
    ("full-width Latin", Status.LATIN, {lang: ["ＶＲ"] for lang in _ALL}),
    ("full-width Latin and a symbol", Status.LATIN, {lang: ["ＶＲ＾"] for lang in _ALL}),
    ("native letters and Latin in one token", Status.LATIN,
     {"ja": ["3D印刷"], "ko": ["XML등이"], "vi": ["nộiABC"], "zh": ["3D打印"]}),
    ("native letters and another script (kana inside hanzi)", Status.UNKNOWN,
     {"ja": ["東京한"], "ko": ["서울の"], "vi": ["nộiの"], "zh": ["东の京"]}),
    ("other script", Status.UNKNOWN, {lang: ["Москва"] for lang in _ALL}),
    ("Han in a language that does not read it", Status.UNKNOWN, {"vi": ["漢字"]}),
    ("hangul consonant letters", Status.UNKNOWN, {lang: ["ㅋㅋ"] for lang in _ALL}),
    ("a lone combining mark", Status.UNKNOWN, {lang: ["\u0301"] for lang in _ALL}),
    ("emoji", Status.PUNCT, {lang: ["🙂"] for lang in _ALL}),
    ("punctuation", Status.PUNCT, {lang: ["。"] for lang in _ALL}),
    ("symbols", Status.PUNCT, {lang: ["★©"] for lang in _ALL}),
    ("a symbol after a number", Status.PUNCT, {lang: ["3", "★"] for lang in _ALL}),
    ("empty token", Status.EMPTY, {lang: [""] for lang in _ALL}),
    ("sound carried by the token before", Status.SHARED,
     {"ja": ["今", "日"], "zh": ["1", "0"]}),
    ("a decimal point between digit tokens", Status.DIGIT,
     {"ja": ["3", ".", "5"], "zh": ["3", ".", "5"]}),
]

_PAIRS = [(case, status, lang, tokens)
          for case, status, per_lang in CASES for lang, tokens in per_lang.items()]


@pytest.mark.parametrize(("case", "status", "lang", "tokens"), _PAIRS,
                         ids=[f"{lang}-{case}" for case, _, lang, _ in _PAIRS])
def test_same_status_for_the_same_case(case, status, lang, tokens):
    item = get_adapter(lang).transcribe(tokens)[-1]
    assert item.status is status, (case, item)
    if status in (Status.OK, Status.DIGIT):
        assert item.ipa, item
    elif status in (Status.LATIN, Status.UNKNOWN):
        assert item.reading, item  # the unread letters are kept as written
    else:
        assert item.ipa == "", item


@pytest.mark.parametrize("lang", LANGS)
def test_an_empty_sentence_gives_no_transcriptions(lang):
    assert get_adapter(lang).transcribe([]) == []


def test_every_case_covers_at_least_two_languages_and_every_status():
    assert all(len(per_lang) >= 2 for case, _, per_lang in CASES if "does not read" not in case)
    assert {status for _, status, _ in CASES} == set(Status)


@pytest.mark.parametrize(("lang", "token", "reading"), [
    ("ja", "ＶＲ＾用", "ＶＲヨー"), ("ko", "ＶＲ＾등", "ＶＲ등"), ("vi", "ＶＲ-nội", "ＶＲ nội"),
    ("zh", "ＶＲ＾好", "ＶＲ hao4"),
])
def test_unread_letters_keep_their_spelling_and_the_read_part_its_ipa(lang, token, reading):
    [item] = get_adapter(lang).transcribe([token])
    assert (item.reading, item.status) == (reading, Status.LATIN)
    assert item.ipa


# --- the assembler on its own --------------------------------------------------------------

def test_read_pieces_are_ok_and_a_number_makes_the_token_digit():
    assert assemble("東京", [Read("トー"), Read("キョー")], "t oː kʲ oː", "") == Transcription(
        "東京", "t oː kʲ oː", "トーキョー", Status.OK)
    counted = assemble("3本", [Read("サン", number=True), Read("ボン")], "s a", "")
    assert counted.status is Status.DIGIT


def test_unread_letters_decide_the_status_and_keep_the_ipa_of_the_rest():
    pieces = [Unread("3D"), Read("da3"), Read("yin4")]
    assert assemble("3D打印", pieces, "t a ˨˩˦") == Transcription(
        "3D打印", "t a ˨˩˦", "3D da3 yin4", Status.LATIN)
    assert assemble("東の", [Read("dong1"), Unread("の")], "t").status is Status.UNKNOWN


def test_no_phones_is_shared_when_a_neighbour_carries_the_sound_else_unknown():
    assert assemble("ー", [Carried("ー")], "") == Transcription("ー", "", "ー", Status.SHARED)
    assert assemble("日", [Carried()], "") == Transcription("日", "", "", Status.SHARED)
    # ok and digit promise IPA: a read piece that came out as no phones is spelled as written
    assert assemble("ー", [Read("ー")], "") == Transcription("ー", "", "ー", Status.UNKNOWN)


def test_silent_tokens_unless_a_symbol_is_read_inside_a_number():
    assert assemble("", [], "") == Transcription("", "", "", Status.EMPTY)
    assert assemble("。", [], "") == Transcription("。", "", "", Status.PUNCT)
    assert assemble("％", [Read("パーセント", number=True)], "p a", "").status is Status.DIGIT


def test_per_token_cuts_the_joined_characters_back():
    assert per_token(["ab", "", "c"], [1, 2, 3]) == [[1, 2], [], [3]]


@pytest.mark.parametrize("lang", LANGS)
def test_a_sign_or_dash_next_to_digits_is_the_documented_fallback(lang):
    """README: −5 and +5 read as 5, 3-5 as 3 5 (as one number phrase: its sounds may join,
    サンゴ, 삼오); the status says digits were read."""
    def reading(token: str) -> str:
        [item] = get_adapter(lang).transcribe([token])
        assert item.status is Status.DIGIT and item.ipa
        return item.reading

    assert reading("−5") == reading("+5") == reading("5")
    assert reading("3-5").replace(" ", "") == reading("3") + reading("5")


def test_japanese_reads_a_run_of_digits_across_tokens_as_one_number():
    first, second = get_adapter("ja").transcribe(["1234", "0"])
    assert first.reading == "イチマンニセンサンビャクヨンジュー"
    assert (second.ipa, second.status) == ("", Status.SHARED)
