"""The adapter contract, IPA helpers, table loader, metrics and the evaluation code."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from g2p import get_adapter, parse_option
from g2p.__main__ import main as cli
from g2p.base import Adapter, AlignmentError, silent_token
from g2p.evaluate import evaluate_lexicon, evaluate_polyphones, evaluate_readings, main
from g2p.inventory import invalid_segments, is_valid_segment
from g2p.ipa import broad_phones, strip_tones, to_broad
from g2p.metrics import align
from g2p.script import is_latin, is_number, is_punct, to_halfwidth, unread_status
from g2p.types import Status, Transcription


class LetterAdapter(Adapter):
    """Reads each letter as itself with a tone: enough to exercise the generic code."""

    lang = "vi"

    def _transcribe(self, tokens: list[str]) -> list[Transcription]:
        out = []
        for token in tokens:
            silent = silent_token(token)
            ipa = " ".join([*token, "˧˥"])
            out.append(silent or Transcription(token, ipa, token.upper()))
        return out


class DroppingAdapter(LetterAdapter):
    def _transcribe(self, tokens: list[str]) -> list[Transcription]:
        return super()._transcribe(tokens)[:-1]


def test_one_transcription_per_token_including_silent_ones():
    result = LetterAdapter().transcribe(["ab", "", "。", "🙂", "c"])
    assert [t.status for t in result] == [
        Status.OK, Status.EMPTY, Status.PUNCT, Status.PUNCT, Status.OK
    ]
    assert [t.ipa for t in result] == ["a b ˧˥", "", "", "", "c ˧˥"]


def test_empty_sentence_gives_empty_list():
    assert LetterAdapter().transcribe([]) == []


def test_string_instead_of_token_list_is_a_clear_error():
    with pytest.raises(TypeError, match="list of tokens"):
        LetterAdapter().transcribe("ab")


def test_adapter_that_drops_a_token_is_caught():
    with pytest.raises(AlignmentError, match="1 transcriptions for 2 tokens"):
        DroppingAdapter().transcribe(["a", "b"])


def test_tones_false_strips_tone_segments_only():
    assert LetterAdapter(tones=False).transcribe(["ab"])[0].ipa == "a b"
    assert strip_tones("n o j ˧˨ ʔ") == "n o j ʔ"
    assert strip_tones("ŋ a ˦ˀ˥") == "ŋ a"


def test_input_is_normalised_to_nfc():
    nfd = "ho\u0300a"
    assert LetterAdapter().transcribe([nfd])[0].token == "hòa"


def test_unknown_language_is_rejected():
    with pytest.raises(ValueError, match="expected one of"):
        get_adapter("xx")


@pytest.mark.parametrize(
    ("segment", "broad"),
    [("a̠", "a"), ("ɯ̟ᵝ", "ɯ"), ("t͡ɕʰ", "t͡ɕʰ"), ("k͈", "k͈"), ("k̟̚", "k"), ("aː", "aː"),
     ("˧˨", "˧˨")],
)
def test_broad_normalisation(segment, broad):
    assert to_broad(segment) == broad


def test_broad_phones_drops_segments_that_vanish():
    assert broad_phones("a̠ ᵝ i") == ["a", "i"]


@pytest.mark.parametrize(
    ("gold", "pred", "distance", "edits"),
    [
        ("abc", "abc", 0, []),
        ("abc", "axc", 1, [("b", "x")]),
        ("abc", "ac", 1, [("b", "")]),
        ("ac", "abc", 1, [("", "b")]),
        ("", "ab", 2, [("", "a"), ("", "b")]),
    ],
)
def test_align(gold, pred, distance, edits):
    assert align(list(gold), list(pred)) == (distance, edits)


@pytest.mark.parametrize(
    ("token", "punct", "number", "latin"),
    [("。", True, False, False), ("🙂", True, False, False), ("1,000", False, True, False),
     ("１２", False, True, False), ("iPhone", False, False, True), ("3D", False, False, True),
     ("ＡＢＣ", False, False, True), ("東京", False, False, False), ("Hà", False, False, False)],
)
def test_script_classes(token, punct, number, latin):
    assert (is_punct(token), is_number(token), is_latin(token)) == (punct, number, latin)


def test_halfwidth():
    assert to_halfwidth("Ａ１！") == "A1!"


@pytest.mark.parametrize(("unread", "status"), [
    ("iPhone", Status.LATIN), ("3D", Status.LATIN), ("ＡＢＣ", Status.LATIN),
    ("nộiABC", Status.LATIN), ("3", Status.LATIN), ("Москва", Status.UNKNOWN),
    ("ABCΩ", Status.UNKNOWN), ("カ", Status.UNKNOWN), ("②", Status.UNKNOWN), ("", Status.UNKNOWN),
])
def test_unread_status(unread, status):
    assert unread_status(unread) is status


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_lexicon_evaluation(tmp_path):
    gold = _write(tmp_path / "gold.tsv", "ab\ta b ˧˥\nc d\tc ˧˥ d ˧˥\nx\ty ˧˥\n")
    report = evaluate_lexicon(LetterAdapter(), gold)
    assert (report.entries, report.wrong_entries, report.errors, report.reference_length) == (
        3, 1, 1, 9
    )
    assert report.confusions == [("y", "x", 1)]


def test_polyphone_evaluation(tmp_path):
    gold = _write(tmp_path / "cpp.tsv", "一▁b▁c\tB\n一▁b▁c\tX\n")
    report = evaluate_polyphones(LetterAdapter(), gold)
    assert (report.entries, report.errors) == (2, 1)
    bad = _write(tmp_path / "bad.tsv", "no marks\tB\n")
    with pytest.raises(ValueError, match="bad.tsv:1"):
        evaluate_polyphones(LetterAdapter(), bad)


def test_reading_evaluation(tmp_path):
    gold = _write(tmp_path / "r.tsv", "ab c\tAB C\nab\tAX\n")
    report = evaluate_readings(LetterAdapter(), gold)
    assert (report.entries, report.errors, report.reference_length) == (2, 1, 5)


def test_evaluate_cli_saves_json(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("g2p.evaluate.get_adapter", lambda lang, **opts: LetterAdapter(**opts))
    gold = _write(tmp_path / "gold.tsv", "ab\ta b ˧˥\n")
    out = tmp_path / "res" / "vi.json"
    assert main(["--lang", "vi", "--gold", str(gold), "--save", str(out)]) == 0
    assert "PER: 0.00 %" in capsys.readouterr().out
    assert json.loads(out.read_text())["entries"] == 1
    assert main(["--lang", "vi", "--gold", str(gold), "--option", "tones=false"]) == 0
    assert "PER: 33.33 %" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "option"),
    [("backend=pypinyin", ("backend", "pypinyin")), ("sandhi=True", ("sandhi", True)),
     ("tones=false", ("tones", False)), ("dialect=", ("dialect", ""))],
)
def test_parse_option(text, option):
    assert parse_option(text) == option


@pytest.mark.parametrize("text", ["tones", "=x"])
def test_parse_option_rejects_malformed(text):
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_option(text)


@pytest.mark.parametrize("segment", ["t͡ɕʰ", "k͈", "k̚", "ɯᵝ", "aː", "ɓ", "˧˨", "˦ˀ˥", "ʈ͡ʂ", "ŋ͡m"])
def test_valid_segments(segment):
    assert is_valid_segment(segment)


@pytest.mark.parametrize("segment", ["ts", "a1", "g", "ʨ", "", "?"])
def test_invalid_segments(segment):
    assert not is_valid_segment(segment)


def test_invalid_segments_of_a_string():
    assert invalid_segments("t͡s a ts ˧˥") == ["ts"]


def test_align_with_a_substitution_cost_prefers_related_segments():
    def related(a: str, b: str) -> float:
        return 0.0 if a == b else 0.5 if a[0] == b[0] else 1.0

    # Unit costs tie between pairing a–aː or x–aː; the weighted cost chooses a–aː.
    assert align(["a", "x"], ["aː"], related) == (2, [("a", "aː"), ("x", "")])


# --- command line ---------------------------------------------------------------------------


def test_cli_prints_one_line_per_token_with_fallback_status(capsys):
    assert cli(["--lang", "vi", "Tôi", "yêu", "iPhone", "!"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Tôi\tt o j ˧˧", "yêu\tʔ i ə w ˧˧", "iPhone\t\t[latin]", "!\t\t[punct]",
    ]


def test_cli_cuts_unspaced_chinese_into_characters_and_passes_options(capsys):
    assert cli(["--lang", "zh", "--format", "json", "--option", "sandhi=true", "你好"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["token"], r["reading"], r["ipa"]) for r in rows] == [
        ("你", "ni3", "n i ˧˥"), ("好", "hao3", "x ɑ ʊ̯ ˨˩˦"),  # third-tone sandhi in the IPA
    ]


@pytest.mark.parametrize("text", [[""], [" ", "\t"]], ids=["empty", "blank"])
def test_cli_refuses_an_empty_text_argument_instead_of_printing_nothing(text, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli(["--lang", "vi", *text])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.endswith("error: TEXT is empty: nothing to transcribe\n")


def test_cli_refuses_no_tones_with_a_tones_option_that_says_otherwise(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli(["--lang", "vi", "--no-tones", "--option", "tones=true", "Hà"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.endswith(
        "error: --no-tones and --option tones=true contradict each other\n")
    assert cli(["--lang", "vi", "--no-tones", "--option", "tones=false", "Hà"]) == 0


def test_cli_reads_sentences_from_stdin(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Hà Nội\n\nxin chào\n"))
    assert cli(["--lang", "vi", "--format", "reading", "--no-tones"]) == 0
    assert capsys.readouterr().out.split("\n\n") == ["Hà\thà\nNội\tnội", "xin\txin\nchào\tchào\n"]


def test_cli_leaves_a_byte_order_mark_out_of_the_first_token(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("\ufeffHà Nội\nxin\n"))
    assert cli(["--lang", "vi", "--format", "reading", "--no-tones"]) == 0
    assert capsys.readouterr().out.split("\n\n") == ["Hà\thà\nNội\tnội", "xin\txin\n"]


@pytest.mark.parametrize(("option", "message"), [
    ("foo=1", "the zh adapter has no option foo; its options: tones, sandhi, backend"),
    ("backend", "is not KEY=VALUE"),
    ("backend=nope", "backend"),
    ("sandhi=no", "the zh adapter's option sandhi is true or false, not 'no'"),
    ("tones=", "the zh adapter's option tones is true or false, not ''"),
])
def test_cli_rejects_bad_options_with_a_usage_error(option, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli(["--lang", "zh", "--option", option, "你"])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
