"""Vietnamese adapter: tables, syllable rules, tokens, numbers, loanwords and the gold PER."""

from __future__ import annotations

import doctest
import unicodedata
from collections import Counter

import pytest
from table_checks import bad_ipa_cells, duplicate_keys

from g2p import get_adapter
from g2p.evaluate import evaluate_lexicon
from g2p.inventory import invalid_segments
from g2p.tables import load_rows
from g2p.types import Status
from g2p.vi import VietnameseAdapter, numbers, orthography, segment, syllable
from g2p.vi.numbers import number_words
from g2p.vi.orthography import is_well_formed
from g2p.vi.segment import split_loanword
from g2p.vi.spelling import VOWEL_LETTERS, parse
from g2p.vi.syllable import syllable_ipa

# table -> (key columns, IPA columns)
TABLES = {
    "onsets.tsv": (("spelling",), ("ipa",)),
    "glides.tsv": (("spelling", "after"), ("ipa",)),
    "nuclei.tsv": (("spelling", "syllable"), ("ipa",)),
    "codas.tsv": (("spelling",), ("ipa",)),
    "rimes.tsv": (("nucleus", "coda"), ("ipa",)),
    "tones.tsv": (("tone",), ("ipa", "checked")),
    "numbers.tsv": (("key",), ()),
}
ROWS = [(name, row) for name in TABLES for row in load_rows("vi", name)[1]]
ROW_IDS = [f"{name}:{'/'.join(row.values())}" for name, row in ROWS]

def ipa(word: str, **options: object) -> str:
    return get_adapter("vi", **options).transcribe([word])[0].ipa


# --- tables ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TABLES)
def test_table_keys_are_unique(name):
    keys, _ = TABLES[name]
    assert duplicate_keys("vi", name, keys) == []


@pytest.mark.parametrize(("name", "row"), ROWS, ids=ROW_IDS)
def test_table_row_is_valid(name, row):
    assert bad_ipa_cells(row, TABLES[name][1]) == []
    if name == "numbers.tsv":  # number words are themselves read by the syllable tables
        assert all(syllable_ipa(syllable) for syllable in row["word"].split()), row
    if name == "rimes.tsv":
        assert row["nucleus"] in {r["spelling"] for r in load_rows("vi", "nuclei.tsv")[1]}
        assert row["coda"] in {r["spelling"] for r in load_rows("vi", "codas.tsv")[1]}
    if name == "codas.tsv" and row["after"] != "*":
        nuclei = {r["spelling"] for r in load_rows("vi", "nuclei.tsv")[1]}
        assert set(row["after"].split()) <= nuclei
    if name == "glides.tsv":
        assert set(row["before"].split()) <= VOWEL_LETTERS


# --- syllables ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("người", "ŋ ɨ ə j ˨˩"),
        ("khuya", "x w i ə ˧˧"),
        ("quốc", "k u ə k̚ ˧˦"),  # u begins uô, not a glide
        ("quân", "k w ə n ˧˧"),
        ("quà", "k w aː ˨˩"),
        ("giữa", "z ɨ ə ˦ˀ˥"),
        ("gì", "z i ˨˩"),
        ("gìn", "z i n ˨˩"),
        ("gia", "z aː ˧˧"),
        ("giếng", "z i ə ŋ ˧˦"),
        ("nghiêng", "ŋ i ə ŋ ˧˧"),
        ("ghế", "ɣ e ˧˦"),
        ("oanh", "ʔ w a j ŋ̟ ˧˧"),
        ("xoắn", "s w a n ˧˦"),
        ("thuở", "tʰ w əː ˧˩"),
        ("huỳnh", "h w ï ŋ̟ ˨˩"),
        ("khuếch", "x w ə j k̟̚ ˧˦"),
        ("đi", "ʔ ɗ i ˧˧"),  # implosives after a glottal closure, as WikiPron writes them
        ("bà", "ʔ ɓ aː ˨˩"),
        ("dân", "z ə n ˧˧"),
        ("rắn", "z a n ˧˦"),
        ("tranh", "t͡ɕ a j ŋ̟ ˧˧"),  # ch/nh after front vowels
        ("sách", "s a j k̟̚ ˧˦"),
        ("bệnh", "ʔ ɓ ə j ŋ̟ ˧˨ ʔ"),
        ("thích", "tʰ ï k̟̚ ˧˦"),
        ("kinh", "k ï ŋ ˧˧"),
        ("chợ", "t͡ɕ əː ˧˨ ʔ"),
        ("nhà", "ɲ aː ˨˩"),
        ("ong", "ʔ a w ŋ͡m ˧˧"),  # labialised -ong/-ông/-ung/-oc/-ôc/-uc
        ("không", "x ə w ŋ͡m ˧˧"),
        ("chung", "t͡ɕ ʊ w ŋ͡m ˧˧"),
        ("học", "h a w k͡p̚ ˧˨ ʔ"),
        ("ốc", "ʔ ə w k͡p̚ ˧˦"),
        ("cúc", "k ʊ w k͡p̚ ˧˦"),
        ("uống", "ʔ u ə ŋ ˧˦"),
        ("xoong", "s ɔ ŋ ˧˧"),
        ("tay", "t a j ˧˧"),  # short a before y/u, long elsewhere
        ("tai", "t aː j ˧˧"),
        ("sau", "s a w ˧˧"),
        ("sao", "s aː w ˧˧"),
        ("tắt", "t a t̚ ˧˦"),
        ("tất", "t ə t̚ ˧˦"),
        ("ấ", "ʔ əː ˧˦"),  # ă/â alone are long
        ("ắ", "ʔ aː ˧˦"),
        ("hưu", "h i w ˧˧"),
        ("rượu", "z i ə w ˧˨ ʔ"),
        ("yêu", "ʔ i ə w ˧˧"),
        ("uyên", "ʔ w i ə n ˧˧"),
        ("ý", "ʔ i ˧˦"),
        ("ngã", "ŋ aː ˦ˀ˥"),
        ("hỏi", "h ɔ j ˧˩"),
        ("nhập", "ɲ ə p̚ ˧˨ ʔ"),
        ("ship", ""),  # not a Vietnamese syllable (s + h...)
    ],
)
def test_syllable(word, expected):
    assert ipa(word) == expected
    assert invalid_segments(expected) == []


@pytest.mark.parametrize("text", ["io", "eu", "ăy", "xyz", "gh", "ơy", "tàá", "ươ"])
def test_non_syllables_are_rejected(text):
    assert syllable_ipa(text) is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ma", "m aː ˧˧"),
        ("mà", "m aː ˨˩"),
        ("má", "m aː ˧˦"),
        ("mả", "m aː ˧˩"),
        ("mã", "m aː ˦ˀ˥"),
        ("mạ", "m aː ˧˨ ʔ"),
        ("mát", "m aː t̚ ˧˦"),  # checked syllables use the same letters
        ("mạt", "m aː t̚ ˧˨ ʔ"),
        ("bit", "ʔ ɓ i t̚ ˧˦"),  # unmarked stop-final loan syllable: sắc
    ],
)
def test_six_tones_and_checked_syllables(word, expected):
    assert ipa(word) == expected


def test_tones_off_keeps_the_glottal_closure_of_nang():
    assert ipa("Nội", tones=False) == "n o j ʔ"
    assert ipa("người", tones=False) == "ŋ ɨ ə j"


@pytest.mark.parametrize("module", [numbers, orthography, segment, syllable])
def test_module_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted and not result.failed


def test_doctest_example():
    result = get_adapter("vi").transcribe(["Hà", "Nội"])
    assert [t.ipa for t in result] == ["h aː ˨˩", "n o j ˧˨ ʔ"]
    assert [t.reading for t in result] == ["hà", "nội"]


@pytest.mark.parametrize("pair", [("hoà", "hòa"), ("thuý", "thúy"), ("khoẻ", "khỏe")])
def test_both_tone_mark_placements(pair):
    old, new = pair
    assert ipa(old) == ipa(new) != ""


@pytest.mark.parametrize("word", ["người", "Việt", "giữa", "khuỷu", "Đặng"])
def test_nfc_and_nfd_input(word):
    nfd = unicodedata.normalize("NFD", word)
    assert nfd != word or word.isascii()
    assert ipa(nfd) == ipa(word) != ""
    assert VietnameseAdapter().transcribe([nfd])[0].reading == word.lower()


def test_case_and_lookalike_eth():
    assert ipa("HÀ") == ipa("hà")
    result = VietnameseAdapter().transcribe(["Ðặng"])[0]  # U+00D0 for U+0110
    assert (result.ipa, result.reading) == ("ʔ ɗ a ŋ ˧˨ ʔ", "đặng")


def test_parse_parts():
    assert parse("quốc") == ("q", "", "uô", "c", "sắc")
    assert parse("khuya") == ("kh", "u", "ya", "", "ngang")
    assert parse("giếng") == ("gi", "", "iê", "ng", "sắc")


# --- tokens ------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["hải quân", "hải_quân", "hải-quân"])
def test_multi_syllable_token_stays_one_token(token):
    result = VietnameseAdapter().transcribe(["Lực_lượng", token, "."])
    assert len(result) == 3
    assert result[1].ipa == "h aː j ˧˩ k w ə n ˧˧"
    assert result[1].reading == "hải quân"
    assert result[1].status is Status.OK
    assert result[0].ipa == "l ɨ k̚ ˧˨ ʔ l ɨ ə ŋ ˧˨ ʔ"


def test_edge_punctuation_is_ignored():
    assert VietnameseAdapter().transcribe(["“Hà"])[0].ipa == "h aː ˨˩"


@pytest.mark.parametrize(
    ("token", "status", "reading"),
    [
        ("iPhone", Status.LATIN, "iPhone"),
        ("WTO", Status.LATIN, "WTO"),
        ("Facebook", Status.LATIN, "Facebook"),
        ("H5N1", Status.LATIN, "H5N1"),
        ("2004", Status.DIGIT, "hai nghìn không trăm linh bốn"),
        ("70 . 000", Status.DIGIT, "bảy mươi nghìn"),  # UD VTB spacing
        ("95%", Status.DIGIT, "chín mươi lăm phần trăm"),
        ("30/11", Status.DIGIT, "ba mươi mười một"),
        ("canxi", Status.OK, "can xi"),
        ("Generation", Status.LATIN, "Generation"),  # ge is no Vietnamese spelling (ghe)
        ("London", Status.OK, "lon don"),  # well-formed syllables: still read, see orthography
        ("Chrlâng", Status.LATIN, "Chrlâng"),  # Latin letters, not a Vietnamese syllable
            ("Москва", Status.UNKNOWN, "Москва"),
    ],
)
def test_mixed_latin_and_digits(token, status, reading):
    result = VietnameseAdapter().transcribe(["Tôi", token, "nhé"])
    assert len(result) == 3
    assert result[1].status is status
    assert result[1].reading == reading
    assert (result[1].ipa == "") == (status in (Status.LATIN, Status.UNKNOWN))
    assert invalid_segments(result[1].ipa) == []
    assert result[2].ipa == "ɲ ɛ ˧˦"


def test_odd_tokens_never_crash():
    odd = ["١٢", "²", "%%5", "a" * 500, "9" * 40, "\u0301", "Hà🙂", "ð", "q", "gi", "ngh", "_"]
    result = VietnameseAdapter().transcribe(odd)
    assert [t.token for t in result] == odd
    assert all(invalid_segments(t.ipa) == [] for t in result)
    assert [t.ipa for t in result[6:10]] == ["h aː ˨˩", "", "", "z i ˧˧"]


def test_partly_readable_token_keeps_what_it_can_read():
    result = VietnameseAdapter().transcribe(["Thung_lũng_Facebook"])[0]
    assert result.status is Status.LATIN
    assert result.reading == "thung lũng Facebook"  # the unread piece as written
    assert result.ipa == "tʰ ʊ w ŋ͡m ˧˧ l ʊ w ŋ͡m ˦ˀ˥"


def test_only_the_north_is_implemented():
    assert VietnameseAdapter(dialect="north").dialect == "north"
    with pytest.raises(ValueError, match="dialect"):
        VietnameseAdapter(dialect="south")


# --- numbers and loanwords ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("0", "không"),
        ("5", "năm"),
        ("10", "mười"),
        ("15", "mười lăm"),
        ("21", "hai mươi mốt"),
        ("24", "hai mươi tư"),
        ("14", "mười bốn"),
        ("105", "một trăm linh năm"),
        ("1005", "một nghìn không trăm linh năm"),
        ("2.000", "hai nghìn"),
        ("300.000", "ba trăm nghìn"),
        ("1.000.000", "một triệu"),
        ("3000000000", "ba tỷ"),
        ("3,5", "ba phẩy năm"),
        ("0,05", "không phẩy không năm"),
        ("0912", "không chín một hai"),
        ("１２", "mười hai"),
        ("7,5%", "bảy phẩy năm phần trăm"),
        ("12a", None),
        ("5%%", None),
        ("١٢", None),  # other scripts' digits are not read as Vietnamese numbers
    ],
)
def test_number_words(number, words):
    result = number_words(number)
    assert (" ".join(result) if result is not None else None) == words


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("amoni", ("a", "mo", "ni")),  # maximal onsets
        ("kilôgam", ("ki", "lô", "gam")),
        ("Antôn", ("an", "tôn")),
        ("taxi", ("ta", "xi")),
        ("NASA", None),  # acronyms are not split
        ("iPhone", None),
        ("Facebook", None),
        ("ba", None),  # one syllable is not a loanword
    ],
)
def test_loanword_split(word, syllables):
    assert split_loanword(word) == syllables


# --- real data ---------------------------------------------------------------------------


def conllu_sentences(path, limit):
    """Word forms (column 2) of the first sentences of a CoNLL-U file."""
    sentences, tokens = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) == 10 and fields[0].isdigit():
            tokens.append(fields[1])
        elif not line.strip() and tokens:
            sentences.append(tokens)
            tokens = []
    return sentences[:limit]


def test_corpus_output_is_valid_ipa_and_aligned(shared):
    adapter = VietnameseAdapter()
    sentences = conllu_sentences(shared / "ud" / "vi_vtb-ud-dev.conllu", 300)
    assert len(sentences) == 300
    statuses: Counter[Status] = Counter()
    for tokens in sentences:
        result = adapter.transcribe(tokens)
        assert [t.token for t in result] == tokens
        for item in result:
            assert invalid_segments(item.ipa) == [], item
            statuses[item.status] += 1
    words = sum(statuses.values()) - statuses[Status.PUNCT]
    assert statuses[Status.OK] / words > 0.95  # 95.7 %: the rest are acronyms and digits


def test_wikipron_hanoi_phone_error_rate(shared):
    gold = shared / "gold" / "wikipron_vie_latn_hanoi_narrow.tsv"
    report = evaluate_lexicon(VietnameseAdapter(), gold, limit=3000)
    assert report.entries == 3000
    # First 3000 entries (capitalised names and acronyms sort first): PER 2.17 %, WER 3.0 %;
    # the whole dev file gives PER 1.37 %, WER 1.97 %.
    assert report.error_rate < 0.025
    assert report.entry_error_rate < 0.035


# One syllable per row of orthography.tsv that the parser accepts but the orthography does not.
_MISSPELLED = {("onset", "c"): "ce", ("onset", "k"): "ka", ("onset", "g"): "ge",
               ("onset", "gh"): "gha", ("onset", "ng"): "nge", ("onset", "ngh"): "ngha",
               ("onset", "q"): "qa", ("coda", "c"): "ic", ("coda", "ng"): "ing",
               ("coda", "ch"): "ech", ("coda", "nh"): "unh"}


@pytest.mark.parametrize("row", load_rows("vi", "orthography.tsv")[1],
                         ids=lambda row: f"{row['part']}-{row['spelling']}")
def test_every_orthography_rule_rejects_a_parsable_misspelling(row):
    misspelled = _MISSPELLED[row["part"], row["spelling"]]
    assert parse(misspelled) is not None and not is_well_formed(misspelled)


@pytest.mark.parametrize("syllable", ["nghiêng", "ghế", "kỹ", "quốc", "việc", "ếch", "xẻng",
                                      "séc", "kênh", "gì", "giếng", "tuyết"])
def test_real_syllables_are_well_formed(syllable):
    assert is_well_formed(syllable)
