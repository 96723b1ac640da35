"""Raw-text configs (``--task text``): tokenisation, hostile lines, shards, determinism, resume."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from alignment_dataset import provenance, shards, text
from alignment_dataset.build import main
from alignment_dataset.readers import CorpusFormatError
from alignment_dataset.transcribe import default_factory
from alignment_dataset.writer import STAGED

VI = ["Tôi yêu Hà Nội .", "Hôm nay trời đẹp quá !", "Anh ấy mua 3 cái áo ở chợ Bến Thành .",
      "Chúng tôi học tiếng Việt và tiếng Nhật .", "Cô giáo đọc bài thơ cho cả lớp nghe ."]
# Each kind of awkward line, with what it must become (None: left out and counted as empty).
HOSTILE = [("", None), ("   \t ", None), ("!!! ... ?", ["!!!", "...", "?"]),
           ("😀👍🏽", ["😀👍🏽"]), ("Hà Nội và Tokyo 東京 iPhone", ["Hà", "Nội", "và", "Tokyo",
                                                            "東京", "iPhone"])]

@pytest.fixture(autouse=True)
def same_code(monkeypatch):
    """Keys without the code's checksum: another edit of the tree mid-test changes no name."""
    monkeypatch.setattr(provenance, "code_fingerprint", lambda: "code")



def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def corpus(tmp_path: Path, count: int = 60) -> Path:
    return write_lines(tmp_path / "corpus-vi.txt", [VI[i % len(VI)] for i in range(count)])


def shard_files(out: Path, config: str = "text.vi") -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((out / config).glob("*.parquet"))}


def rows(out: Path, config: str = "text.vi") -> list[dict]:
    return [row for path in sorted((out / config).glob("*.parquet"))
            for row in pq.read_table(path).to_pylist()]


def build(out: Path, *args: str) -> int:
    return main(["--lang", "vi", "--task", "text", "--out", str(out), "--no-progress", *args])


def test_tokens_per_language():
    assert text.tokenizer("ko")("서울에 갔다 .") == ["서울에", "갔다", "."]
    assert text.tokenizer("vi")(" Hà  Nội ") == ["Hà", "Nội"]
    assert text.tokenizer("ja")("映画 👍🏽e\u0301") == ["映", "画", "👍🏽", "e\u0301"]
    assert text.tokenizer("zh")("🇯🇵👨\u200d👩\u200d👧") == ["🇯🇵", "👨\u200d👩\u200d👧"]
    assert text.tokenizer("ja", words=True)("東京へ行く iPhone") == ["東京", "へ", "行く", "iPhone"]
    assert text.tokenizer("zh", words=True)("我爱北京, iPhone15!") == [
        "我", "爱", "北京", ",", "iPhone15", "!"]
    assert text.tokenizer("ko", words=True)("서울에 갔다") == ["서울에", "갔다"]


def test_vi_words_without_underthesea_is_one_clear_line(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "underthesea", None)
    with pytest.raises(text.MissingDependency, match="pip install underthesea"):
        text.tokenizer("vi", words=True)


def test_hostile_lines_keep_their_line_numbers(tmp_path):
    lines = [line for line, _ in HOSTILE]
    path = write_lines(tmp_path / "hostile-vi.txt", lines)
    scanned = text.scan(path, "text", every=2)
    read = list(text.sentences(scanned, 0, scanned.records, text.tokenizer("vi")))
    assert [(s.id, list(s.tokens)) for s in read] == [
        (f"hostile-vi.txt:{number}", expected or [])
        for number, (_, expected) in enumerate(HOSTILE, start=1)]
    assert scanned.records == len(HOSTILE) and len(scanned.offsets) == 3
    # A shard read from its offset gives the same records as reading from the start.
    assert [s.id for s in text.sentences(scanned, 2, 4, str.split)] == [r.id for r in read[2:4]]


def test_bad_lines_name_file_and_line(tmp_path):
    path = tmp_path / "bad-vi.txt"
    path.write_bytes(b"Xin ch\xc3\xa0o\nbad \xff byte\n" + b"a " * 30 + b"\nok\n")
    scanned = text.scan(path, "text", every=10, max_chars=20)
    with pytest.raises(CorpusFormatError, match=rf"^{path}:2: not UTF-8"):
        list(text.sentences(scanned, 0, 4, str.split, max_chars=20))
    errors: list[str] = []
    read = list(text.sentences(scanned, 0, 4, str.split, 20, lambda e: errors.append(str(e))))
    assert [s.id for s in read] == ["bad-vi.txt:1", "bad-vi.txt:4"]
    assert errors[0].startswith(f"{path}:2: not UTF-8")
    assert errors[1].startswith(f"{path}:3: more than 20 characters")


def test_jsonl_and_parquet_inputs(tmp_path):
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text('{"text": "Hà Nội"}\n{"body": "x"}\n[1]\n{"text": "đẹp"}\n',
                     encoding="utf-8")
    scanned = text.scan(jsonl, "text", every=100)
    errors: list[str] = []
    read = list(text.sentences(scanned, 0, 4, str.split, on_error=lambda e: errors.append(str(e))))
    assert [s.tokens for s in read] == [("Hà", "Nội"), ("đẹp",)]
    assert [e.split(": ")[0] for e in errors] == [f"{jsonl}:2", f"{jsonl}:3"]
    table = pa.table({"sentence": ["một", None, "hai ba", "bốn"]})
    parquet = tmp_path / "c.parquet"
    pq.write_table(table, parquet, row_group_size=2)
    scanned = text.scan(parquet, "sentence", every=100)
    assert [(s.id, s.tokens) for s in text.sentences(scanned, 1, 4, str.split)] == [
        ("c.parquet:2", ()), ("c.parquet:3", ("hai", "ba")), ("c.parquet:4", ("bốn",))]
    with pytest.raises(CorpusFormatError, match="no column 'text'"):
        text.scan(parquet, "text", every=100)


def test_old_mac_line_ends_are_not_read_as_one_sentence(tmp_path):
    path = tmp_path / "cr-vi.txt"
    path.write_bytes("Xin chào\r\nHà\rNội\r\n".encode())
    scanned = text.scan(path, "text", every=10)
    errors: list[str] = []
    read = list(text.sentences(scanned, 0, 2, str.split, on_error=lambda e: errors.append(str(e))))
    assert [s.tokens for s in read] == [("Xin", "chào")]
    assert errors == [f"{path}:2: a carriage return (\\r) inside the line; end lines with \\n "
                      "or \\r\\n"]


def test_json_lines_python_cannot_read_or_write_are_bad_records(tmp_path, capsys):
    """Valid JSON can still be no sentence: an escaped lone surrogate (which parquet cannot
    store), nesting past Python's recursion limit. A number past the 4,300 digits Python
    turns into an int is no reason to refuse the line: only its text is read."""
    jsonl = tmp_path / "c-vi.jsonl"
    jsonl.write_text('{"text": "Hà Nội"}\n{"text": "a \\ud800 b"}\n'
                     f'{{"text": "x", "n": {"9" * 5_000}}}\n{"[" * 5_000}\n{{"text": "đẹp"}}\n',
                     encoding="utf-8")
    assert build(tmp_path / "out", "--source", str(jsonl), "--max-chars", "6000") == 1
    err = capsys.readouterr().err
    assert f"error: {jsonl}:2: field 'text' holds a lone surrogate '\\ud800' at character 3" in err
    assert "Traceback" not in err
    assert build(tmp_path / "out", "--source", str(jsonl), "--max-chars", "6000",
                 "--skip-bad") == 0
    assert [row["tokens"] for row in rows(tmp_path / "out")] == [["Hà", "Nội"], ["x"], ["đẹp"]]
    errors: list[str] = []
    scanned = text.scan(jsonl, "text", every=100, max_chars=6000)
    list(text.sentences(scanned, 0, 5, str.split, 6000, lambda e: errors.append(str(e))))
    assert errors[1:] == [f"{jsonl}:4: JSON nested too deeply to read"]


def test_parquet_text_that_is_not_utf8_names_its_row(tmp_path):
    """Arrow does not check the UTF-8 of a string column it reads: a bad value must be a bad
    row (``file:row``), not an exception that stops the whole row group."""
    offsets = pa.py_buffer(b"".join(n.to_bytes(4, "little") for n in (0, 1, 3, 4)))
    bad = pa.Array.from_buffers(pa.string(), 3, [None, offsets, pa.py_buffer(b"a\xffzb")])
    parquet = tmp_path / "c.parquet"
    pq.write_table(pa.table({"text": bad}), parquet)
    scanned = text.scan(parquet, "text", every=100)
    errors: list[str] = []
    read = list(text.sentences(scanned, 0, 3, str.split, on_error=lambda e: errors.append(str(e))))
    assert [(s.id, s.tokens) for s in read] == [("c.parquet:1", ("a",)), ("c.parquet:3", ("b",))]
    assert errors == [f"{parquet}:2: not UTF-8 (invalid start byte at byte 0)"]


def test_build_writes_sharded_deterministic_config(tmp_path):
    source = corpus(tmp_path)
    write_lines(source, [*source.read_text(encoding="utf-8").splitlines(),
                         *(line for line, _ in HOSTILE)])
    assert build(tmp_path / "a", "--source", str(source), "--shard-lines", "16") == 0
    assert build(tmp_path / "b", "--source", str(source), "--shard-lines", "16",
                 "--workers", "2") == 0
    files = shard_files(tmp_path / "a")
    assert [name.split("-", 2)[2] for name in files] == [
        f"{i:05d}-of-00005.parquet" for i in range(5)]
    assert files == shard_files(tmp_path / "b")  # same names and bytes, 1 or 2 workers
    built = rows(tmp_path / "a")
    assert [row["id"] for row in built] == [f"corpus-vi.txt:{n}" for n in range(1, 66)
                                            if n not in (61, 62)]
    assert all(len({len(row[c]) for c in ("tokens", "ipa", "reading", "status")}) == 1
               for row in built)
    manifest = json.loads((tmp_path / "a" / "text.vi" / ".manifest.json").read_text())
    assert manifest["splits"]["train"]["empty"] == 2
    assert manifest["splits"]["train"]["rows"] == 63
    card = (tmp_path / "a" / "README.md").read_text(encoding="utf-8")
    assert "config_name: text.vi" in card and "tokens: syllables (whitespace)" in card
    assert not (tmp_path / "a" / shards.PARTIAL).exists()


def test_bad_line_stops_the_build_with_file_and_line(tmp_path, capsys):
    source = tmp_path / "corpus-vi.txt"
    source.write_bytes(b"Xin ch\xc3\xa0o\nbad \xff\n")
    assert build(tmp_path / "out", "--source", str(source)) == 1
    assert f"{source}:2: not UTF-8" in capsys.readouterr().err
    assert build(tmp_path / "out", "--source", str(source), "--skip-bad") == 0
    assert [row["id"] for row in rows(tmp_path / "out")] == ["corpus-vi.txt:1"]


def test_words_for_vi_without_underthesea_fails_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "underthesea", None)
    for workers in ("1", "2"):
        assert build(tmp_path / "out", "--source", str(corpus(tmp_path)), "--words",
                     "--workers", workers) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert err[-1] == ("error: --words for vi needs underthesea (word segmentation), which "
                           "the core install leaves out: pip install underthesea")


def test_a_killed_build_resumes_its_missing_shards(tmp_path):
    source = corpus(tmp_path)
    options = shards.TextOptions(shard_lines=16)
    configs, _ = shards.plan_text([str(source)], ["vi"], options)
    ran: list[int] = []

    def dies_after_two(job, todo, workers):
        for count, result in enumerate(shards.run_local(job, todo, workers)):
            if count == 2:
                raise KeyboardInterrupt
            ran.append(result["position"])
            yield result

    with pytest.raises(KeyboardInterrupt):
        shards.build_text(configs, tmp_path / "out", options, dies_after_two, 1, default_factory,
                          progress=False)
    partial = next((tmp_path / "out" / shards.PARTIAL).iterdir())
    # the third shard was written before its result reached the killed driver: it counts
    assert ran == [0, 1] and len(list(partial.glob("*.json"))) == 3
    assert not (tmp_path / "out" / STAGED).exists()
    built, _ = shards.build_text(configs, tmp_path / "out", options, shards.run_local, 1,
                                 default_factory, progress=False)
    assert built[0]["engine"]["shards_resumed"] == 3
    shards.build_text(configs, tmp_path / "fresh", options, shards.run_local, 1,
                      default_factory, progress=False)
    staged = [tmp_path / name / STAGED for name in ("out", "fresh")]
    assert shard_files(staged[0]) == shard_files(staged[1])  # resumed = uninterrupted, bytes
    assert shards.build_text(configs, tmp_path / "fresh", options, shards.run_local, 1,
                             default_factory, progress=False) == ([], ["text.vi"])


def test_a_worker_that_cannot_build_its_adapter_stops_the_build(tmp_path):
    def broken(lang: str, tones: bool):
        raise RuntimeError("no adapter here")

    options = shards.TextOptions(shard_lines=16)
    configs, _ = shards.plan_text([str(corpus(tmp_path))], ["vi"], options)
    with pytest.raises(RuntimeError, match="no adapter here"):  # raised, not respawned forever
        shards.build_text(configs, tmp_path / "out", options, shards.run_local, 2, broken,
                          progress=False)


def test_a_worker_leaves_what_it_built_out_of_the_collectors_full_passes(tmp_path):
    """Pool processes freeze their heap once built; a one-worker build in the caller's own
    process freezes it for the build's time only."""
    import gc

    from alignment_dataset.transcribe import worker_pool

    with worker_pool(2, lambda: str) as pool:
        assert min(pool.apply(gc.get_freeze_count) for _ in range(4)) > 0
    options = shards.TextOptions(shard_lines=16)
    configs, _ = shards.plan_text([str(corpus(tmp_path))], ["vi"], options)
    seen: list[int] = []

    def watched(job, todo, workers):
        for result in shards.run_local(job, todo, workers):
            seen.append(gc.get_freeze_count())
            yield result

    gc.unfreeze()
    shards.build_text(configs, tmp_path / "out", options, watched, 1, default_factory,
                      progress=False)
    assert len(seen) == 4 and min(seen) > 0
    assert gc.get_freeze_count() == 0
