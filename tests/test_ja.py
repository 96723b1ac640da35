"""Japanese adapter: tables, kana -> IPA rules, reading splits, tokens, numbers, gold figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from g2p import get_adapter
from g2p.evaluate import evaluate_readings
from g2p.inventory import invalid_segments
from g2p.ja.kana import is_kana, to_katakana
from g2p.ja.numbers import kanji_value, read_number
from g2p.ja.phonology import kana_to_ipa, word_to_ipa
from g2p.ja.split import split_reading
from g2p.tables import load_rows
from g2p.types import Status

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def adapter():
    return get_adapter("ja")


def readings(adapter, tokens: list[str]) -> list[str]:
    return [t.reading for t in adapter.transcribe(tokens)]


# --- tables -----------------------------------------------------------------------------

_IPA_COLUMNS = {
    "kana_ipa.tsv": ("ipa",),
    "vowels.tsv": ("vowel", "long", "nasal", "devoiced"),
    "moraic_nasal.tsv": ("ipa",),
    "geminate.tsv": ("ipa",),
    "lenition.tsv": ("affricate", "fricative"),
}
_KEYS = {
    "kana_ipa.tsv": ("kana",),
    "vowels.tsv": ("vowel",),
    "moraic_nasal.tsv": ("next",),
    "geminate.tsv": ("next",),
    "lenition.tsv": ("affricate",),
    "numerals.tsv": ("digit", "power"),
    "counters.tsv": ("counter",),
    "kanji_readings.tsv": ("kanji",),
    "kanji_readings_extra.tsv": ("kanji",),
    "reading_fixes.tsv": ("before", "surface", "pron", "after"),
    "spelled_long_vowels.tsv": ("vowel",),
}


def test_every_table_is_walked():
    folder = Path(__file__).parents[1] / "g2p" / "data" / "ja"
    assert {p.name for p in folder.glob("*.tsv")} == set(_KEYS)


@pytest.mark.parametrize("name", sorted(_KEYS))
def test_table_has_header_and_unique_keys(name):
    header, rows = load_rows("ja", name)
    assert set(_KEYS[name]) <= set(header)
    keys = [tuple(row[k] for k in _KEYS[name]) for row in rows]
    assert rows and len(keys) == len(set(keys))


@pytest.mark.parametrize("name", sorted(_IPA_COLUMNS))
def test_table_ipa_is_valid(name):
    _, rows = load_rows("ja", name)
    for row in rows:
        for column in _IPA_COLUMNS[name]:
            if row[column] != "-":
                assert not invalid_segments(row[column]), (name, row)


def _katakana(text: str) -> bool:
    return all(is_kana(ch) and ch == to_katakana(ch) for ch in text)


@pytest.mark.parametrize("name, columns", [
    ("kanji_readings.tsv", ("readings",)),
    ("kanji_readings_extra.tsv", ("readings",)),
    ("numerals.tsv", ("reading",)),
    ("counters.tsv", ("reading", "last", "whole")),
    ("reading_fixes.tsv", ("pron", "fixed")),
])
def test_table_readings_are_katakana(name, columns):
    _, rows = load_rows("ja", name)
    for row in rows:
        for column in columns:
            for item in row[column].replace("|", " ").split():
                reading = item.partition("=")[2] if "=" in item else item
                assert reading == "-" or _katakana(reading), (name, row)


def test_kana_table_covers_every_kana():
    _, rows = load_rows("ja", "kana_ipa.tsv")
    keys = {row["kana"] for row in rows}
    plain = [chr(c) for c in range(0x30A1, 0x30F7) if chr(c) not in "ッンヮヷヸヹヺ"]
    assert [ch for ch in plain if ch not in keys] == []


# --- kana to IPA --------------------------------------------------------------------------

@pytest.mark.parametrize("kana, ipa", [
    ("とうきょう", "t o̞ ɯ̟ᵝ kʲ o̞ ɯ̟ᵝ"),  # spelling only: long vowels come from readings
    ("トーキョー", "t oː kʲ oː"),
    ("しんぶん", "ɕ ĩ m b ɯ̃ᵝ ɴ"),
    ("てんいん", "t ẽ ɰ̃ ĩ ɴ"),
    ("さんま", "s ã mː a̠"),
    ("あんない", "ã nː a̠ i"),
    ("ぎんこう", "ɡʲ ĩ ŋ k o̞ ɯ̟ᵝ"),
    ("あんじょう", "ã ɲ̟ d͡ʑ o̞ ɯ̟ᵝ"),
    ("いっぱい", "i p̚ p a̠ i"),
    ("ざっし", "d͡z a̠ ɕː i"),
    ("きって", "kʲ i̥ t̚ t e̞"),
    ("あっ", "a̠ ʔ"),
    ("じしょ", "d͡ʑ i ɕ o̞"),
    ("かじ", "k a̠ ʑ i"),
    ("ちず", "t͡ɕ i z ɨᵝ"),
    ("ふね", "ɸ ɯ̟ᵝ n e̞"),
    ("ひと", "ç i̥ t o̞"),
    ("にわ", "ɲ̟ i ɰᵝ a̠"),
    ("りゅう", "ɾʲ ɨᵝ ɯ̟ᵝ"),
    ("ねぇ", "n eː"),
    ("ファン", "ɸ ã ɴ"),
    ("ﾃﾞｨｽｸ", "dʲ i s ɨ̥ᵝ k ɯ̟ᵝ"),
])
def test_word_to_ipa(kana, ipa):
    assert word_to_ipa(kana) == ipa
    assert not invalid_segments(ipa)


def test_sound_changes_cross_tokens_but_merges_stay_inside():
    assert kana_to_ipa(["コ", "ー", "ヒ", "ー"]) == ["k oː", "", "ç iː", ""]  # never a vowel
    assert kana_to_ipa(["サン", "マ"]) == ["s ã m", "m a̠"]
    assert kana_to_ipa(["キ", "ャ"]) == ["kʲ", "a̠"]
    assert kana_to_ipa(["サン", None, "ア"]) == ["s ã ɴ", "", "a̠"]  # a pause ends the word


# --- splitting a word's reading over its characters ------------------------------------

@pytest.mark.parametrize("word, reading, pieces", [
    ("東京", "トーキョー", ("トー", "キョー")),
    ("学校", "ガッコー", ("ガッ", "コー")),
    ("日本", "ニッポン", ("ニッ", "ポン")),
    ("日本", "ニホン", ("ニ", "ホン")),
    ("映画", "エーガ", ("エー", "ガ")),  # 映 also reads エ: the ー still is 映's
    ("大学", "ダイガク", ("ダイ", "ガク")),
    ("人々", "ヒトビト", ("ヒト", "ビト")),
    ("行き", "イキ", ("イ", "キ")),
    ("今日", "キョー", ("キョー", None)),
    ("大人", "オトナ", ("オトナ", None)),
    ("明日", "アシタ", ("アシタ", None)),
    # readings of kanji_readings_extra.tsv that a single word shows
    ("規模", "キボ", ("キ", "ボ")),
    ("過去", "カコ", ("カ", "コ")),
    ("南京", "ナンキン", ("ナン", "キン")),
    ("兄弟", "キョーダイ", ("キョー", "ダイ")),
    ("彼女", "カノジョ", ("カノ", "ジョ")),
    ("取締役", "トリシマリヤク", ("トリ", "シマリ", "ヤク")),
    ("息子", "ムスコ", ("ムスコ", None)),  # jukujikun of the Jōyō appendix: not split
])
def test_split_reading(word, reading, pieces):
    assert split_reading(word, reading) == pieces


# --- the adapter ------------------------------------------------------------------------

def _token_rows():
    header, rows = None, []
    lines = (DATA / "ja_char_tokens.tsv").read_text(encoding="utf-8").splitlines()
    for lineno, line in enumerate(lines, start=1):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if header is None:
            header = fields
            continue
        row = dict(zip(header, fields, strict=True))
        rows.append(pytest.param(row, id=f"ja_char_tokens.tsv:{lineno}"))
    return rows


@pytest.mark.parametrize("row", _token_rows())
def test_character_tokens(adapter, row):
    result = adapter.transcribe(row["tokens"].split("|"))
    assert [t.reading for t in result] == row["readings"].split("|"), row["note"]
    assert [t.ipa for t in result] == row["ipa"].split("|"), row["note"]
    assert [t.status.value for t in result] == row["statuses"].split("|"), row["note"]


def test_tokyo_character_tokens(adapter):
    result = adapter.transcribe(["東", "京"])
    assert [(t.reading, t.ipa, t.status) for t in result] == [
        ("トー", "t oː", Status.OK), ("キョー", "kʲ oː", Status.OK)]


def test_kyou_wa_is_jukujikun_and_particle(adapter):
    result = adapter.transcribe(list("今日は"))
    assert [(t.reading, t.ipa, t.status) for t in result] == [
        ("キョー", "kʲ oː", Status.OK), ("", "", Status.SHARED), ("ワ", "ɰᵝ a̠", Status.OK)]


@pytest.mark.parametrize("sentence, expected", [
    ("大人が来た", ["オトナ", "", "ガ", "キ", "タ"]),
    ("明日行く", ["アシタ", "", "イ", "ク"]),
    ("学校へ", ["ガッ", "コー", "エ"]),
    ("日本を", ["ニ", "ホン", "オ"]),
])
def test_sentence_readings_per_character(adapter, sentence, expected):
    assert readings(adapter, list(sentence)) == expected


def test_particles_only_when_particles(adapter):
    assert readings(adapter, ["私", "は", "東京", "へ", "手紙", "を", "送る"]) == [
        "ワタシ", "ワ", "トーキョー", "エ", "テガミ", "オ", "オクル"]
    assert readings(adapter, ["はし"]) == ["ハシ"]  # a word, not the particle
    assert readings(adapter, ["かたは"]) == ["カタハ"]
    assert readings(adapter, ["私は", "東京へ"]) == ["ワタシワ", "トーキョーエ"]
    assert readings(adapter, ["東京へ行く"]) == ["トーキョーエイク"]  # a phrase as one token
    assert adapter.transcribe(["さいはて"])[0].ipa == "s a̠ i h a̠ t e̞"


@pytest.mark.parametrize("sentence, expected", [
    ("木曽川", "キソガワ"),  # a river's 川 cut from its name is voiced
    ("神田川を渡る", "カンダガワオワタル"),
    ("荒川", "アラカワ"),  # a name UniDic knows whole keeps its reading
    ("この川", "コノカワ"),  # after kana: the plain noun
    ("九段坂", "クダンザカ"),
    ("眼鏡橋", "メガネバシ"),
    ("坂の上の橋", "サカノウエノハシ"),
    ("第三大橋", "ダイサンダイハシ"),  # not after 大 (UniDic reads it ダイ here)
])
def test_rendaku_after_names(adapter, sentence, expected):
    assert "".join(readings(adapter, [sentence])) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("日本人", "ニホンジン"),  # unidic-lite's suffix 人 is ニン: a people's is ジン ...
    ("外国人", "ガイコクジン"),
    ("アメリカ人", "アメリカジン"),
    ("一般人", "イッパンジン"),  # ... and after a plain noun ...
    ("管理人", "カンリニン"),  # ... not after a verbal noun
    ("島津家", "シマズケ"),  # a family's 家 after a name ...
    ("ハプスブルク家", "ハプスブルクケ"),
    ("政治家", "セージカ"),  # ... not after a common noun
    ("株式会社", "カブシキガイシャ"),
    ("男性会社員", "ダンセーカイシャイン"),  # not in 会社員
    ("天皇家", "テンノーケ"),
    ("オリノコ川", "オリノコガワ"),
    ("エベレスト山", "エベレストサン"),
    ("奥ノ山", "オクノヤマ"),  # after the particle ノ: unchanged
    ("昨日川で泳いだ", "キノーカワデオヨイダ"),  # after a noun that stands as an adverb ...
    ("毎日会社に行く", "マイニチカイシャニイク"),  # ... the next noun is a word of its own
    ("マンガ家", "マンガカ"),  # a common noun in katakana: not a family's 家
    ("浅間山", "アサマヤマ"),  # a Japanese mountain: unchanged
    ("お父さんとお母さん", "オトーサントオカーサン"),  # kin words before さん ちゃん 様 ...
    ("お兄ちゃんとお姉様", "オニーチャントオネーサマ"),
    ("お祖父さん", "オジーサン"),
    ("父さえいれば", "チチサエイレバ"),  # ... not before さえ
    ("一日中", "イチニチジュー"),  # 中 "throughout" after a span or a whole ...
    ("世界中で", "セカイジューデ"),
    ("一晩中", "ヒトバンジュー"),
    ("自治体中心地", "ジチタイチューシンチ"),  # 中 of another word
    ("今日中に", "キョージューニ"),
    ("会議中です", "カイギチューデス"),  # ... "in the middle of" after a verbal noun
    ("本日中に", "ホンジツチューニ"),
    ("来る人も来ない人もいる", "クルヒトモコナイヒトモイル"),  # not the adnominal キタル
    ("お腹が空いた", "オナカガスイタ"),
    ("席が空いた", "セキガアイタ"),
    ("一昨日と明後日", "オトトイトアサッテ"),
    ("下の階から", "シタノカイカラ"),
    ("お気に入りの部屋に入った", "オキニイリノヘヤニハイッタ"),
])
def test_readings_fixed_in_context(adapter, sentence, expected):
    assert "".join(readings(adapter, [sentence])) == expected


def test_voiced_word_splits_over_its_characters(adapter):
    assert readings(adapter, list("株式会社")) == ["カブ", "シキ", "ガイ", "シャ"]


@pytest.mark.parametrize("tokens, expected", [
    (["ヘンリー", "8", "世"], ["ヘンリー", "ハッ", "セー"]),  # regnal numbers
    (["第", "3", "次"], ["ダイ", "サン", "ジ"]),
    (["5", "次元"], ["ゴ", "ジゲン"]),  # not the counter 次
    (["6", "カ国"], ["ロッ", "カコク"]),
    (["1", "社"], ["イッ", "シャ"]),
    (["1", "秒間"], ["イチ", "ビョーカン"]),
    (["2", "ヶ月", "間"], ["ニ", "カゲツ", "カン"]),
    (["5", "割引"], ["ゴ", "ワリビキ"]),
    (["5", "割引き"], ["ゴ", "ワリビキ"]),
    (["4", "次元"], ["ヨ", "ジゲン"]),
    (["100", "社"], ["ヒャク", "シャ"]),
    (["3", "世代"], ["サン", "セダイ"]),  # words that start with a counter
    (["21", "世紀"], ["ニジューイッ", "セーキ"]),
    (["ジャウマ", "2", "世", "軍"], ["ジャウマ", "ニ", "セー", "グン"]),
    (["1", "社長"], ["イチ", "シャチョー"]),
])
def test_counters_after_digits(adapter, tokens, expected):
    assert readings(adapter, tokens) == expected


def test_token_spanning_several_morphemes(adapter):
    assert readings(adapter, ["東京へ", "行きました"]) == ["トーキョーエ", "イキマシタ"]


@pytest.mark.parametrize("tokens, reading, ipa", [
    (["がっこう"], "ガッコー", "ɡ a̠ k̚ k oː"),
    (["ガッコウ"], "ガッコー", "ɡ a̠ k̚ k oː"),
    (["ｶﾞｯｺｰ"], "ガッコー", "ɡ a̠ k̚ k oː"),
    (["コーヒー"], "コーヒー", "k oː ç iː"),
    (["えいが"], "エーガ", "eː ɡ a̠"),
])
def test_kana_input(adapter, tokens, reading, ipa):
    result = adapter.transcribe(tokens)[0]
    assert (result.reading, result.ipa, result.status) == (reading, ipa, Status.OK)


@pytest.mark.parametrize("tokens, expected", [
    (["3", "本"], ["サン", "ボン"]),
    (["1", "本"], ["イッ", "ポン"]),
    (["2024", "年"], ["ニセンニジューヨ", "ネン"]),
    (["2", "0", "2", "4", "年"], ["ニセン", "", "ニジュー", "ヨ", "ネン"]),
    (["１０", "分"], ["ジュッ", "プン"]),
    (["3", ".", "5"], ["サン", "テン", "ゴ"]),
    (["十", "五", "分"], ["ジュー", "ゴ", "フン"]),
    (["一", "週", "間"], ["イッ", "シュー", "カン"]),
])
def test_numbers_and_counters(adapter, tokens, expected):
    result = adapter.transcribe(tokens)
    assert [t.reading for t in result] == expected
    assert result[0].status is (Status.DIGIT if tokens[0][0].isdigit() else Status.OK)


def test_digit_statuses(adapter):
    result = adapter.transcribe(["2", "0", "2", "4"])
    assert [t.status for t in result] == [Status.DIGIT, Status.SHARED, Status.DIGIT, Status.DIGIT]
    assert result[0].ipa == "ɲ̟ i s ẽ ɲ̟"  # ン before the ニ of the next token


@pytest.mark.parametrize("text, value", [("二千二十三", 2023), ("一〇〇", 100), ("十万", 100000)])
def test_kanji_value(text, value):
    assert kanji_value(text) == value


def test_read_number_leading_zero_is_digit_by_digit():
    assert read_number("0120", 0) == (4, ["ゼロ", "イチ", "ニ", "ゼロ"])




def test_tones_option_changes_nothing():
    tokens = list("東京に行く")
    assert get_adapter("ja", tones=False).transcribe(tokens) == get_adapter("ja").transcribe(
        tokens)


# --- figures ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, bound", [
    ("ja_sentence_readings.tsv", 0.005),
    ("ja_sentence_readings_heldout.tsv", 0.01),
])
def test_reading_gold_cer(adapter, name, bound):
    report = evaluate_readings(adapter, DATA / name)
    assert report.entries >= 25
    assert report.error_rate <= bound, report.examples


def test_reading_gold_ipa_is_valid(adapter):
    for line in (DATA / "ja_sentence_readings.tsv").read_text(encoding="utf-8").splitlines():
        for item in adapter.transcribe(list(line.split("\t")[0])):
            assert not invalid_segments(item.ipa), item


def test_panx_alignment_slice(shared):
    from benchmarks.ja_alignment import measure

    report = measure(shared / "phonexl_original" / "panx" / "dev-ja.tsv", limit=150)
    assert report["reading_match_rate"] >= 0.99
    assert report["kanji_own_reading_rate"] >= 0.95
    assert report["statuses"].get("unknown", 0) <= 5
