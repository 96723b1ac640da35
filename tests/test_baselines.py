"""Baselines (g2p.baselines) through g2p.evaluate and benchmarks.g2p_baselines.

epitran and g2pK come with the ``compare`` extra: their tests skip, with the reason, where it
is not installed. The release and pypinyin baselines need only the core install and always run.
"""

from __future__ import annotations

import json
import re
import sys

import pytest

from benchmarks import g2p_baselines
from g2p import evaluate, get_adapter
from g2p.baselines import COMPARE_EXTRA, BaselineUnavailable, get_baseline, segments
from g2p.types import Status

_NO_COMPARE = "needs the compare extra (pip install -e '.[compare]')"


@pytest.mark.parametrize(
    ("ipa", "phones"),
    [("t͡ɕʰa", ["t͡ɕʰ", "a"]), ("kɤ̆w", ["k", "ɤ̆", "w"]), ("hakk͈jo", ["h", "a", "k", "k͈", "j", "o"]),
     ("naː˧˨ʔ", ["n", "aː", "˧˨", "ʔ"]), ("ha noj", ["h", "a", "n", "o", "j"]), ("", [])],
)
def test_segments_of_unspaced_ipa(ipa, phones):
    assert segments(ipa) == phones


def write_release(path, rows):
    path.write_text("".join(f"{t}\tO\t{ipa}\t{t}\n" if t else "\n" for t, ipa in rows),
                    encoding="utf-8")
    return path


def test_release_baseline_scores_only_the_words_it_has(tmp_path, capsys):
    release = write_release(tmp_path / "dev-vi.tsv", [
        ("Hà", "ha"), ("Nội", "noj"), ("", ""), ("ba", "ɓaː"), ("ba", "ɓaː"), ("ba", "ba"),
        ("xyz", "xyz")])  # the release copies a token it cannot read: not IPA
    gold = tmp_path / "gold.tsv"
    gold.write_text("hà nội\th aː ˨˩ n o j ˧˨ ʔ\nba\tɓ aː ˧˧\nxyz\tx\ncầu\tk əw ˨˩\n",
                    encoding="utf-8")
    saved = tmp_path / "figures.json"
    assert evaluate.main(["--lang", "vi", "--gold", str(gold), "--baseline", "release",
                          "--release", str(release), "--save", str(saved)]) == 0
    figures = json.loads(saved.read_text(encoding="utf-8"))
    assert figures["baseline"] == "release"
    # hà nội and ba are scored (xyz has no IPA in the release, cầu is absent): 8 + 3 gold
    # phones. The release has aː as a in hà, no tones (˨˩ ˧˨ ˧˧) and no ʔ: 5 edits; ba takes
    # its most frequent IPA (ɓaː)
    assert figures["entries"] == 2 and figures["reference_length"] == 11
    assert figures["errors"] == 5
    assert "entries: 2" in capsys.readouterr().out


def test_release_baseline_needs_files(capsys):
    with pytest.raises(SystemExit):
        evaluate.main(["--lang", "vi", "--gold", "x.tsv", "--baseline", "release"])
    assert "--release FILE" in capsys.readouterr().err


def test_pypinyin_baseline_is_our_adapter_with_that_backend_alone(tmp_path):
    cpp = tmp_path / "cpp.tsv"
    cpp.write_text("他▁长▁大了\tzhang3\n银▁行▁长\thang2\n我们▁了▁解\tliao3\n", encoding="utf-8")
    saved = tmp_path / "baseline.json"
    assert evaluate.main(["--lang", "zh", "--cpp", str(cpp), "--baseline", "pypinyin",
                          "--save", str(saved)]) == 0
    baseline = json.loads(saved.read_text(encoding="utf-8"))
    direct = evaluate.evaluate_polyphones(get_adapter("zh", backend="pypinyin"), cpp)
    assert (baseline["entries"], baseline["errors"]) == (3, direct.errors)


def test_baseline_for_a_language_it_cannot_read_is_one_line(capsys):
    assert evaluate.main(["--lang", "vi", "--cpp", "x.tsv", "--baseline", "g2pm"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "error: g2pm reads Mandarin only, not vi"


@pytest.mark.parametrize("name", ["epitran", "g2pk"])
def test_missing_compare_extra_names_the_command(monkeypatch, tmp_path, capsys, name):
    monkeypatch.setenv("PHONEXL_CACHE", str(tmp_path))
    monkeypatch.setitem(sys.modules, name, None)  # as if not installed: import fails
    with pytest.raises(BaselineUnavailable,
                       match=re.escape(f"compare extra installs: {COMPARE_EXTRA}")):
        get_baseline(name, "ko")
    assert evaluate.main(["--lang", "ko", "--gold", "x.tsv", "--baseline", name]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("error: ") and COMPARE_EXTRA in line


def test_benchmark_reports_an_unavailable_baseline_as_skipped(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "epitran", None)
    rows = g2p_baselines.measure(tmp_path, only=["epitran"])
    assert [row["lang"] for row in rows] == ["vi", "ko", "ja"]
    assert all(COMPARE_EXTRA in row["skipped"] for row in rows)
    assert "skipped: the epitran baseline needs epitran" in capsys.readouterr().out


def test_benchmark_runs_the_release_rows_on_shared_data(shared, tmp_path):
    rows = g2p_baselines.measure(shared, only=["release"], limit=200)
    assert [(row["lang"], row["kind"]) for row in rows] == [("vi", "lexicon"), ("ko", "lexicon")]
    for row in rows:
        assert 0 < row["entries"] <= 200 and 0 < row["error_rate"] < 1
        assert row["release_files"]


def test_epitran_baseline_reads_vietnamese_without_tones():
    pytest.importorskip("epitran", reason=f"epitran {_NO_COMPARE}")
    [ha, comma] = get_baseline("epitran", "vi").transcribe(["Hà", ","])
    assert ha.ipa == "h a" and ha.status == Status.OK
    assert comma.status == Status.PUNCT


def test_g2pk_baseline_keeps_its_pronunciation_and_our_phones():
    pytest.importorskip("g2pk", reason=f"g2pk {_NO_COMPARE}")
    [item] = get_baseline("g2pk", "ko").transcribe(["같이"])
    assert item.reading == "가치"
    # 가치 is said as written: our adapter gives the same phones for it
    assert item.ipa == get_adapter("ko", length=False).transcribe(["가치"])[0].ipa
