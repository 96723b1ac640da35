"""Hostile corpus files through the build command line, in-process, with and without --skip-bad.

Every file is generated here (no binary fixtures in the repository). The promises checked:
no traceback and no escaping exception; a bad file fails with ``file:line`` or, with
``--skip-bad``, has its bad sentences skipped and counted; a good file keeps every sentence
and every token aligned with its IPA, reading, status and tag.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from alignment_dataset import build, writer
from alignment_dataset.schema import TASKS
from g2p import LANGS, get_adapter
from g2p.base import Adapter, silent_token
from g2p.types import Status, Transcription

CONLLU_ROW = "{i}\t{form}\t_\t{upos}\t_\t_\t0\troot\t_\t_\n"


def _conllu(*words: tuple[str, str], first: int = 1) -> str:
    return "".join(CONLLU_ROW.format(i=i, form=f, upos=u)
                   for i, (f, u) in enumerate(words, start=first))


@dataclass(frozen=True)
class Case:
    """A corpus file; ``good`` lists the sentences (tokens, tags) the dataset must hold."""

    name: str  # file name: its suffix and split part matter
    content: bytes
    task: str = "ner"
    good: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    bad: bool = False  # holds at least one bad sentence (or is bad as a whole)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


LONG = "ab" * 10_000  # one 20,000-letter Latin token

CASES = [
    Case("plain-dev.tsv", _utf8("Hà Nội\tB-LOC\nđẹp\tO\n\nTôi\tO\n"),
         good=((("Hà Nội", "đẹp"), ("B-LOC", "O")), (("Tôi",), ("O",)))),
    Case("bom-crlf-dev.tsv", b"\xef\xbb\xbf" + _utf8("Người\tB-PER\r\nta\tO\r\n\r\nđi\tO\r\n"),
         good=((("Người", "ta"), ("B-PER", "O")), (("đi",), ("O",)))),
    Case("crlf-phonexl-dev.tsv", _utf8("Cầu\tB-ORG\tkəw\tCầu\r\n,\tO\t,\t,\r\n"),
         good=((("Cầu", ","), ("B-ORG", "O")),)),
    Case("no-final-newline-and-blank-runs-dev.tsv", _utf8("\n\n\na\tO\n\n\n\n  \nb\tB-PER"),
         good=((("a",), ("O",)), (("b",), ("B-PER",)))),
    Case("iob-repaired-dev.tsv", _utf8("Hà\tI-LOC\nNội\tI-LOC\nvà\tO\nAn\tI-PER\n"),
         good=((("Hà", "Nội", "và", "An"), ("B-LOC", "I-LOC", "O", "B-PER")),)),
    Case("odd-unicode-dev.tsv",
         _utf8("🙂\tO\na\u0301\tO\n\u200b\tO\n\tO\na\x00b\tO\nＡＢＣ\tB-ORG\n"),
         good=((("🙂", "a\u0301", "\u200b", "", "a\x00b", "ＡＢＣ"),
                ("O", "O", "O", "O", "O", "B-ORG")),)),
    Case("huge-line-dev.tsv", _utf8(f"{LONG}\tO\nx\tO\n"), good=(((LONG, "x"), ("O", "O")),)),
    Case("ud-dev.conllu", _utf8("# sent_id = a\n1-2\tĐi học\t_\t_\t_\t_\t_\t_\t_\t_\n"
                                + _conllu(("Đi", "VERB"), ("học", "VERB"))
                                + "2.1\tx\t_\tX\t_\t_\t_\t_\t_\t_\n\n# comments only\n"),
         task="pos", good=((("Đi", "học"), ("VERB", "VERB")),)),
    Case("ud-bom-crlf-dev.conllu",
         b"\xef\xbb\xbf" + _utf8(_conllu(("Sách", "NOUN")).replace("\n", "\r\n")),
         task="pos", good=((("Sách",), ("NOUN",)),)),
    # bad as a whole
    Case("empty-dev.tsv", b"", bad=True),
    Case("blank-lines-dev.tsv", b"\n \n\t\n", bad=True),
    Case("binary-dev.tsv", bytes(range(256)) * 8, bad=True),
    Case("latin1-dev.tsv", "Hà\tO\n".encode("latin-1"), bad=True),
    Case("utf16-dev.tsv", "Hà\tO\n".encode("utf-16"), bad=True),
    Case("cr-only-dev.tsv", b"a\tO\rb\tO\r", bad=True),
    Case("all-bad-dev.tsv", _utf8("a\tB-MISC\n\nb\tX\n\nc\tO\textra\n"), bad=True),
    Case("all-bad-dev.conllu", _utf8("X\tB\tB\tX\t_\t_\t_\t_\t_\t_\n"), task="pos", bad=True),
    # bad sentences among good ones
    Case("surrogate-bytes-dev.tsv", _utf8("a\tO\n\n") + b"\xed\xa0\x80\tO\n\n" + _utf8("b\tO\n"),
         good=((("a",), ("O",)), (("b",), ("O",))), bad=True),
    Case("columns-dev.tsv", _utf8("a\tO\n\nb\tO\tX\n\nc\tO\n"),
         good=((("a",), ("O",)), (("c",), ("O",))), bad=True),
    Case("label-dev.tsv", _utf8("a\tO\n\nb\tB-MISC\n\nc\tO \n\nd\tO\n"),
         good=((("a",), ("O",)), (("d",), ("O",))), bad=True),
    Case("phonexl-short-row-dev.tsv", _utf8("a\tO\ta\ta\n\nb\tO\tb\n"),
         good=((("a",), ("O",)),), bad=True),
    Case("conllu-id-dev.conllu",
         _utf8(_conllu(("a", "NOUN")) + "\n" + "X\tB\tB\tX\t_\t_\t_\t_\t_\t_\n\n"
               + _conllu(("c", "NOUN")) + "\n" + _conllu(("d", "NOUN"))[:-3] + "\n"),
         task="pos", good=((("a",), ("NOUN",)), (("c",), ("NOUN",))), bad=True),
    Case("conllu-label-dev.conllu", _utf8(_conllu(("a", "NOUN")) + "\n" + _conllu(("b", "NOPE"))),
         task="pos", good=((("a",), ("NOUN",)),), bad=True),
]
_WHERE = re.compile(r"[\w.-]+\.(tsv|conllu):\d+: ")


def real_vi(lang: str, tones: bool) -> Adapter:
    """The real adapter, without the provenance probe (a subprocess) of the default factory."""
    return get_adapter(lang, tones=tones)


def _build(tmp_path: Path, case: Case, skip_bad: bool, capsys,
           factory=real_vi) -> tuple[int, str, Path]:
    path = tmp_path / "corpus" / case.name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(case.content)
    out = tmp_path / "out"
    args = ["--lang", "vi", "--task", case.task, "--source", str(path), "--out", str(out),
            "--no-progress", *(["--skip-bad"] if skip_bad else [])]
    capsys.readouterr()
    code = build.main(args, factory=factory)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text
    return code, captured.err, out


def _rows(out: Path, task: str) -> list[dict]:
    """Every published row, from the files the card names."""
    config = f"{TASKS[task].prefix}.{'vi'}"
    rows = []
    for path in sorted((out / config).glob("*.parquet")):
        rows += pq.read_table(path).to_pylist()
    return rows


def _manifest_stats(out: Path, task: str) -> dict:
    config = f"{TASKS[task].prefix}.vi"
    return json.loads((out / config / writer.MANIFEST).read_text())["splits"]["validation"]


@pytest.mark.parametrize("skip_bad", [False, True], ids=["strict", "skip-bad"])
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_hostile_file(tmp_path, capsys, case, skip_bad):
    code, err, out = _build(tmp_path, case, skip_bad, capsys)
    if case.bad and (not skip_bad or code != 0):
        assert code in (1, 2), err
        last = [line for line in err.splitlines() if line.startswith("error: ")][-1]
        assert _WHERE.search(last), last  # names file and line
        assert not (out / "README.md").exists()
        assert not [p for p in out.glob("*") if not p.name.startswith(".")]
        return
    assert code == 0, err
    column = TASKS[case.task].column
    names = TASKS[case.task].labels
    rows = _rows(out, case.task)
    assert [(tuple(r["tokens"]), tuple(names[i] for i in r[column])) for r in rows] == [
        (tokens, tags) for tokens, tags in case.good]
    for row in rows:
        assert len(row["tokens"]) == len(row["ipa"]) == len(row["reading"]) == len(
            row["status"]) == len(row[column])
    stats = _manifest_stats(out, case.task)
    assert (stats["skipped"] > 0) == case.bad
    if case.bad:
        assert "skipped: " in err and _WHERE.search(err)


def test_an_all_bad_file_does_not_poison_the_next_build(tmp_path, capsys):
    all_bad = next(case for case in CASES if case.name == "all-bad-dev.tsv")
    for _ in range(2):
        code, err, out = _build(tmp_path, all_bad, True, capsys)
        assert code == 1 and "no sentence left to write (3 skipped as bad" in err
        assert "all-bad-dev.tsv:1: unknown ner label 'B-MISC'" in err
    good = next(case for case in CASES if case.name == "plain-dev.tsv")
    code, err, out = _build(tmp_path, good, True, capsys)
    assert code == 0, err
    assert len(_rows(out, "ner")) == 2


def test_a_split_left_without_rows_writes_no_file(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a-dev.tsv").write_text("a\tO\n", encoding="utf-8")
    (corpus / "a-test.tsv").write_text("b\tB-MISC\n", encoding="utf-8")
    out = tmp_path / "out"
    assert build.main(["--lang", "vi", "--task", "ner", "--source", str(corpus / "a-dev.tsv"),
                       str(corpus / "a-test.tsv"), "--out", str(out), "--skip-bad",
                       "--no-progress"], factory=real_vi) == 0
    assert [p.name.split("-")[0] for p in (out / "panx.vi").glob("*.parquet")] == ["validation"]
    assert "panx.vi/test: 1 bad sentence(s)" in capsys.readouterr().err


def test_two_files_for_one_split_are_refused(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a-dev.tsv", "b-dev.tsv"):
        (corpus / name).write_text("a\tO\n", encoding="utf-8")
    code = build.main(["--lang", "vi", "--source", str(corpus / "a-dev.tsv"),
                       str(corpus / "b-dev.tsv"), "--out", str(tmp_path / "out"),
                       "--no-progress"], factory=real_vi)
    assert code == 2
    assert "a-dev.tsv and b-dev.tsv are both the validation split of panx.vi" in (
        capsys.readouterr().err)


class Fragile(Adapter):
    """Raises on the token BOOM, as an adapter bug would."""

    lang = "vi"

    def _transcribe(self, tokens: list[str]) -> list[Transcription]:
        if "BOOM" in tokens:
            raise KeyError("no rule for BOOM\nsecond line")
        return [silent_token(t) or Transcription(t, "a", t) for t in tokens]


def fragile(lang: str, tones: bool) -> Adapter:
    return Fragile(tones=tones)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_sentence_the_adapter_fails_on_is_skipped_or_named(tmp_path, capsys, workers):
    path = tmp_path / "x-dev.tsv"
    path.write_text("a\tO\n\nb\tO\nBOOM\tO\n\nc\tO\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["--lang", "vi", "--source", str(path), "--out", str(out), "--no-progress",
            "--workers", workers]
    assert build.main(args, factory=fragile) == 1
    err = capsys.readouterr().err
    [line] = [line for line in err.splitlines() if line.startswith("error: ")]
    assert f"{path}:3: Fragile failed: KeyError('no rule for BOOM\\nsecond line')" in line
    assert "Traceback" not in err and not (out / "panx.vi").exists()
    assert build.main([*args, "--skip-bad"], factory=fragile) == 0
    stats = _manifest_stats(out, "ner")
    assert (stats["rows"], stats["skipped"]) == (2, 1)
    assert stats["skipped_examples"][0].startswith(f"{path}:3: Fragile failed")


@pytest.mark.parametrize("lang", LANGS)
def test_lone_surrogates_get_a_status_in_every_language(lang):
    tokens = ["\ud800", "a\udcffb", "1"]
    result = get_adapter(lang).transcribe(tokens)
    assert [t.status for t in result[:2]] == [Status.UNKNOWN, Status.UNKNOWN]
    assert [t.reading for t in result[:2]] == tokens[:2] and result[2].status is Status.DIGIT


@pytest.mark.parametrize("length", [5_000, 20_000])
def test_vietnamese_time_is_linear_in_the_length_of_a_token(length):
    """Two shapes that were quadratic: a solid 'loanword' and punctuation inside a word."""
    adapter = get_adapter("vi")
    for token in ("a" * length, "a" + "!" * length + "b"):
        started = time.perf_counter()
        adapter.transcribe([token])
        assert time.perf_counter() - started < length / 5_000  # 4 s at 20 k: ~4× the need


def test_a_second_build_into_a_busy_folder_refuses_at_once(tmp_path, capsys):
    path = tmp_path / "x-dev.tsv"
    path.write_text("a\tO\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["--lang", "vi", "--source", str(path), "--out", str(out), "--no-progress"]
    with writer.build_lock(out):  # another build holds the folder
        started = time.perf_counter()
        assert build.main(args, factory=real_vi) == 1
        assert time.perf_counter() - started < 5
        assert f"error: {out} is being built by process " in capsys.readouterr().err
    (out / writer.LOCK).write_text("process 999999999 (started long ago)\n")  # it died
    assert build.main(args, factory=real_vi) == 0


def test_the_g2p_command_names_the_input_line_an_adapter_fails_on(monkeypatch, capsys):
    import io

    from g2p import __main__ as cli

    monkeypatch.setattr(cli, "get_adapter", lambda lang, **options: Fragile())
    monkeypatch.setattr("sys.stdin", io.StringIO("a\nBOOM\nb\n"))
    assert cli.main(["--lang", "vi"]) == 1
    captured = capsys.readouterr()
    assert captured.out.split() == ["a", "a", "b", "a"]
    assert captured.err == ("error: input line 2: Fragile failed: "
                            "KeyError('no rule for BOOM\\nsecond line')\n")


def _source_error(tmp_path: Path, capsys, source: str, task: str = "text",
                  out: str = "out") -> str:
    """The one error line of a build refused for its ``--source`` (or ``--out``) path."""
    args = ["--lang", "vi", "--task", task, "--source", source, "--out",
            str(tmp_path / out), "--no-progress"]
    capsys.readouterr()
    try:
        code = build.main(args, factory=real_vi)
    except SystemExit as usage:  # argparse's parser.error
        code = usage.code
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err, err
    assert not (tmp_path / out).exists()
    return err.strip().splitlines()[-1]


@pytest.mark.parametrize("task", ["text", "ner"])
def test_a_folder_or_an_unreadable_file_as_source_is_named_in_one_line(tmp_path, capsys,
                                                                       monkeypatch, task):
    folder = tmp_path / "corpus-vi.txt"
    folder.mkdir()
    assert _source_error(tmp_path, capsys, str(folder), task) == (
        f"error: --source {folder}: a folder, not a file; pass the files in it")
    fifo = tmp_path / "fifo-vi.txt"
    os.mkfifo(fifo)  # opening it to read would wait for a writer forever
    assert _source_error(tmp_path, capsys, str(fifo), task) == (
        f"error: --source {fifo}: not a regular file")
    locked = tmp_path / "locked-dev-vi.tsv"
    locked.write_text("a\tO\n", encoding="utf-8")
    opened = Path.open

    def refuse(path: Path, *args, **kwargs):  # chmod 000 does not stop root, who runs CI
        if path == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return opened(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert _source_error(tmp_path, capsys, str(locked), task) == (
        f"error: --source {locked}: cannot be read (Permission denied)")


def test_paths_that_are_not_utf8_are_refused_before_the_build(tmp_path, capsys):
    """Bytes that are not UTF-8 in a name reach Python as lone surrogates: parquet (the row
    ids) and Arrow's file system cannot encode them, so the build would fail at its end."""
    name = os.fsdecode(b"corpus-\xff-vi.txt")
    source = tmp_path / name
    source.write_text("a b\n", encoding="utf-8")
    assert _source_error(tmp_path, capsys, str(source)) == (
        f"error: --source {str(source)!a}: the file name is not UTF-8; rename the file")
    good = tmp_path / "corpus-vi.txt"
    good.write_text("a b\n", encoding="utf-8")
    out = os.fsdecode(b"out-\xff")
    assert _source_error(tmp_path, capsys, str(good), out=out).endswith(
        f"error: --out {str(tmp_path / out)!a}: the folder name is not UTF-8; choose another")
