"""add_ipa: IPA columns on any datasets.Dataset / IterableDataset, equal to a built config's."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from datasets import Dataset

from alignment_dataset.api import add_ipa
from alignment_dataset.build import main
from alignment_dataset.transcribe import TranscriptionError
from g2p.base import Adapter

LINES = ["Tôi yêu Hà Nội .", "", "!!!", "😀👍🏽", "Anh ấy mua 3 cái áo .", "iPhone và Hà Nội"]


def test_rows_match_the_built_text_config(tmp_path):
    source = tmp_path / "corpus-vi.txt"
    source.write_text("".join(f"{line}\n" for line in LINES), encoding="utf-8")
    assert main(["--lang", "vi", "--task", "text", "--source", str(source),
                 "--out", str(tmp_path / "out"), "--no-progress"]) == 0
    built = [row for path in sorted((tmp_path / "out" / "text.vi").glob("*.parquet"))
             for row in pq.read_table(path).to_pylist()]
    mapped = add_ipa(Dataset.from_dict({"text": LINES}), "vi", text_column="text", num_proc=2)
    by_line = {f"corpus-vi.txt:{index + 1}": row for index, row in enumerate(mapped)}
    for row in built:
        other = by_line[row["id"]]
        assert [other[c] for c in ("tokens", "ipa", "reading", "status")] == [
            row[c] for c in ("tokens", "ipa", "reading", "status")]
    assert mapped[1]["tokens"] == mapped[1]["ipa"] == []  # the empty line keeps its row


def test_tokens_column_and_streaming_give_the_same_columns():
    ds = Dataset.from_dict({"tokens": [line.split() for line in LINES], "n": list(range(6))})
    mapped = add_ipa(ds, "vi")
    streamed = list(add_ipa(ds.to_iterable_dataset(), "vi", batch_size=4))
    assert streamed == mapped.to_list()
    assert mapped.column_names == ["tokens", "n", "ipa", "reading", "status"]
    assert all(len(r["tokens"]) == len(r["ipa"]) == len(r["status"]) for r in streamed)
    assert mapped[0]["ipa"][2:4] == ["h aː ˨˩", "n o j ˧˨ ʔ"]


def test_bad_rows_name_their_index(monkeypatch):
    ds = Dataset.from_dict({"tokens": [["Hà"], None]})
    with pytest.raises(TypeError, match="row 1: 'tokens' must be a list of strings"):
        add_ipa(ds, "vi")
    with pytest.raises(ValueError, match="no column 'words'"):
        add_ipa(ds, "vi", tokens_column="words")
    with pytest.raises(ValueError, match="num_proc"):
        add_ipa(ds.to_iterable_dataset(), "vi", num_proc=2)

    def fails(self: Adapter, tokens: list[str]) -> list:
        raise RuntimeError("boom")

    from g2p.vi.adapter import VietnameseAdapter

    monkeypatch.setattr(VietnameseAdapter, "_transcribe", fails)
    with pytest.raises(TranscriptionError, match="^row 0: VietnameseAdapter failed"):
        add_ipa(Dataset.from_dict({"tokens": [["Hà"]]}), "vi")
