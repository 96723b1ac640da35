"""Comparison with the PhoneXL release: normalisation, counting, CLI and card."""

from __future__ import annotations

import importlib.util
import json

import pytest

from alignment_dataset import build, compare, writer
from alignment_dataset.compare import LangComparison, normalize, segments
from alignment_dataset.sources import lang_from_name
from g2p.types import Status


@pytest.mark.parametrize(
    ("ipa", "expected"),
    [("t͡ɕ i ˥", "tɕi˥"), ("ɡa", "ɡa"), ("ga", "ɡa"), ("  ʈ͡ʂ  ən ", "ʈʂən")],
)
def test_normalize(ipa, expected):
    assert normalize(ipa) == expected


def test_segments_keep_diacritics_and_modifiers_with_their_base():
    assert segments("tʰaːŋ˧˥") == ["tʰ", "aː", "ŋ", "˧˥"]
    assert segments("kɤ̆w") == ["k", "ɤ̆", "w"]


def test_lang_comparison_counts():
    result = LangComparison("vi")
    result.add("Hà", "ha", "h aː ˨˩", Status.OK)  # differs, also without tones (a vs aː)
    result.add("Nội", "noj", "n o j ˧˨ ʔ", Status.OK)  # differs by tone and ʔ
    result.add("ba", "ɓa˧", "ɓ a ˧", Status.OK)  # same after normalisation
    result.add(",", ",", "", Status.PUNCT)  # the release copies punctuation: not compared
    result.add("WTO", "wto", "", Status.LATIN)  # only the release has IPA
    summary = result.summary()
    assert (summary["tokens"], summary["compared"], summary["differ"]) == (5, 3, 2)
    assert summary["differ_without_tones"] == 2
    assert summary["release_only"] == {"latin": 1}
    assert (summary["tone_coverage_ours"], summary["tone_coverage_release"]) == (1.0, 0.3333)
    edits = {d["edit"]: d["count"] for d in summary["top_differences"]}
    assert edits == {"a → aː": 1, "∅ → ˨˩": 1, "∅ → ˧˨": 1, "∅ → ʔ": 1}
    assert summary["top_differences"][0]["example"].startswith("Hà: ha → ")


def test_lang_of_file_names():
    assert lang_from_name("dev-vi.tsv") == "vi"
    assert lang_from_name("udpos_train_ja.tsv") == "ja"
    assert lang_from_name("release.tsv") is None


@pytest.mark.skipif(importlib.util.find_spec("g2p.vi.adapter") is None,
                    reason="the vi adapter is not written yet")
def test_compare_cli_on_a_slice_and_into_the_card(shared, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    release = shared / "phonexl_original" / "panx" / "dev-vi.tsv"
    out = tmp_path / "data"
    assert build.main(["--lang", "vi", "--task", "ner", "--source", str(release), "--limit",
                       "20", "--out", str(out), "--no-progress"]) == 0
    assert "not compared with the release" in (out / "README.md").read_text()
    saved = tmp_path / "cmp.json"
    assert compare.main([str(release), "--limit", "200", "--save", str(saved),
                         "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    summary = json.loads(saved.read_text())["vi"]
    assert summary["sentences"] == 200 and summary["compared"] > 300
    # The release's Vietnamese IPA has no tones; ours has them on every syllable we read.
    assert summary["tone_coverage_release"] < 0.05 < 0.95 < summary["tone_coverage_ours"]
    assert summary["differ_rate"] > summary["differ_without_tones_rate"]
    assert "| vi |" in printed and "card refreshed" in printed
    card = (out / "README.md").read_text()
    assert "## Comparison with the PhoneXL release" in card
    assert "panx/dev-vi.tsv (200 sentences)" in card
    assert json.loads((out / writer.COMPARISON_FILE).read_text())["vi"] == summary


def test_compare_without_language_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "release.tsv"
    path.write_text("a\tO\ta\ta\n", encoding="utf-8")
    assert compare.main([str(path)]) == 2
    assert "no language code in the file name" in capsys.readouterr().err


@pytest.mark.skipif(importlib.util.find_spec("g2p.vi.adapter") is None,
                    reason="the vi adapter is not written yet")
def test_build_with_compare_puts_it_in_the_card(shared, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    release = shared / "phonexl_original" / "udpos" / "dev-vi.tsv"
    out = tmp_path / "data"
    assert build.main(["--lang", "vi", "--source", str(release), "--limit", "10",
                       "--compare", str(release), "--out", str(out), "--no-progress"]) == 0
    card = (out / "README.md").read_text()
    assert "| vi | udpos/dev-vi.tsv (10 sentences) |" in card
