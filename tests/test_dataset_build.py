"""The dataset builder: CLI, sources, streaming atomic output, resume, card, round trips.

Most tests inject a fake adapter (each letter is a phone, plus a tone) so they run without the
real back-ends; the round trips at the end use the real adapters on ../shared data.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from datasets import load_dataset

from alignment_dataset import build, hub, publish, sources, writer
from alignment_dataset.card import CardError, render
from alignment_dataset.readers import read_corpus
from alignment_dataset.schema import PANX_LABELS, TASKS, UPOS_LABELS, repair_iob2
from g2p import LANGS
from g2p.base import Adapter, silent_token
from g2p.paths import DEFAULT_DATASET
from g2p.types import Transcription

NER_TSV = "Hà Nội\tB-LOC\nđẹp\tO\n!\tO\n\nTôi\tO\nyêu\tO\nAn\tB-PER\n\n\nBa\tB-PER\n"
POS_CONLLU = (
    "# sent_id = p1\n"
    "1-2\tĐi học\t_\t_\t_\t_\t_\t_\t_\t_\n"
    "1\tĐi\t_\tVERB\t_\t_\t0\troot\t_\t_\n"
    "2\thọc\t_\tVERB\t_\t_\t1\txcomp\t_\t_\n"
    "3\t.\t_\tPUNCT\t_\t_\t1\tpunct\t_\t_\n"
    "\n# sent_id = p2 (comments only: an empty sentence)\n\n"
    "# sent_id = p3\n1\tSách\t_\tNOUN\t_\t_\t0\troot\t_\t_\n"
)


class LetterAdapter(Adapter):
    """Each letter is a phone, then a tone: enough to exercise the pipeline."""

    lang = "vi"

    def _transcribe(self, tokens: list[str]) -> list[Transcription]:
        return [silent_token(t) or Transcription(t, " ".join([*t.replace(" ", ""), "˧"]), t)
                for t in tokens]


class ShortAdapter(LetterAdapter):
    def _transcribe(self, tokens: list[str]) -> list[Transcription]:
        return super()._transcribe(tokens)[1:]


def fake(lang: str, tones: bool) -> Adapter:
    return LetterAdapter(tones=tones)


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """No test may touch the network: the Hub reads as unreachable."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture
def corpus(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "corpus"
    folder.mkdir()
    files = {"ner": folder / "ner-dev.tsv", "pos": folder / "pos-train.conllu"}
    files["ner"].write_text(NER_TSV, encoding="utf-8")
    files["pos"].write_text(POS_CONLLU, encoding="utf-8")
    return files


def run(args: list[str], factory=fake) -> int:
    return build.main([*args, "--no-progress"], factory=factory)


def load(out: Path, config: str, tmp_path: Path):
    return load_dataset(str(out), config, cache_dir=str(tmp_path / "hf-cache"))


# --- command line and sources -------------------------------------------------------------

def test_parser_defaults_and_options():
    args = build.build_parser().parse_args(["--lang", "ja"])
    assert (args.task, args.source, args.out, args.workers) == ("all", ["auto"],
                                                                DEFAULT_DATASET, 1)
    assert not (args.no_tones or args.skip_bad or args.force or args.push_to_hub)
    args = build.build_parser().parse_args(
        ["--lang", "vi", "--task", "pos", "--source", "a.conllu", "b.tsv", "--workers", "2",
         "--no-tones", "--limit", "5", "--skip-bad", "--push-to-hub", "me/x", "--format", "iob"])
    assert args.source == ["a.conllu", "b.tsv"] and args.limit == 5 and args.format == "iob"
    with pytest.raises(SystemExit):
        build.build_parser().parse_args(["--lang", "fr"])


@pytest.mark.parametrize(
    ("name", "split"),
    [("ja_gsd-ud-dev.conllu", "validation"), ("train-vi.tsv", "train"),
     ("my.test.iob", "test"), ("x_validation.tsv", "validation"), ("corpus.tsv", None)],
)
def test_split_from_name(name, split):
    assert sources.split_from_name(Path(name)) == split


def test_path_sources_of_several_languages_need_the_language_in_the_name(corpus):
    with pytest.raises(sources.SourceError, match="no language code.*one --lang"):
        sources.resolve([str(corpus["ner"])], ["ja", "vi"], ["ner", "pos"])
    ko = corpus["ner"].with_name("dev-ko.tsv")
    ko.write_text(NER_TSV, encoding="utf-8")
    with pytest.raises(sources.SourceError, match="its name says ko"):
        sources.resolve([str(ko)], ["ja", "vi"], ["ner"])


@pytest.mark.parametrize(
    ("name", "lang"),
    [("dev-vi.tsv", "vi"), ("ja_gsd-ud-dev.conllu", "ja"), ("zh_gsdsimp-ud-test.conllu", "zh"),
     ("train-ko.tsv", "ko"), ("corpus-dev.tsv", None), ("java-dev.tsv", None)],
)
def test_lang_from_name(name, lang):
    assert sources.lang_from_name(Path(name)) == lang


def test_lang_all_builds_local_files_of_every_language_in_one_command(tmp_path, capsys):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in ("dev-vi.tsv", "test-ja.tsv"):
        (folder / name).write_text(NER_TSV, encoding="utf-8")
    (folder / "ko_gsd-ud-test.conllu").write_text(POS_CONLLU, encoding="utf-8")
    out = tmp_path / "out"
    assert run(["--lang", "all", "--source", *map(str, sorted(folder.iterdir())),
                "--out", str(out)]) == 0
    expected = {"panx.vi": "validation", "panx.ja": "test", "udpos.ko": "test"}
    assert {p.name for p in out.iterdir() if p.is_dir()} == set(expected)
    for config, split in expected.items():
        rows = load(out, config, tmp_path)[split]
        assert {row["lang"] for row in rows} == {config.split(".")[1]}


def test_path_sources_infer_task_split_and_license(corpus):
    (corpus["ner"].parent / "LICENSE-ner.txt").write_text("Attribution-ShareAlike 4.0 Intl\n")
    plan = sources.resolve([str(corpus["pos"]), str(corpus["ner"])], ["vi"], ["ner", "pos"])
    assert plan.kind == "path"
    by_config = {c.config: c for c in plan.configs}
    assert set(by_config) == {"udpos.vi", "panx.vi"}
    assert [s.split for s in by_config["panx.vi"].inputs] == ["validation"]
    assert by_config["panx.vi"].inputs[0].license == "cc-by-sa-4.0"
    assert by_config["udpos.vi"].inputs[0].license == "other"


def test_path_source_with_ambiguous_labels_asks_for_task(tmp_path):
    odd = tmp_path / "odd-dev.tsv"
    odd.write_text("a\tFOO\n", encoding="utf-8")
    with pytest.raises(sources.SourceError, match="--task ner or --task pos"):
        sources.resolve([str(odd)], ["vi"], ["ner", "pos"])


def test_lang_all_plans_every_corpus_of_shared_in_one_command(shared):
    """The README's one command for ../shared: every file lands in its language's config."""
    release = shared / "phonexl_original"
    files = [*sorted((shared / "ud").glob("*.conllu")), *sorted((release / "panx").glob("*.tsv")),
             release / "udpos" / "train-ja.tsv"]
    plan = sources.resolve([str(path) for path in files], list(LANGS), list(TASKS))
    assert sorted(c.config for c in plan.configs) == sorted(
        f"{task}.{lang}" for task in ("panx", "udpos") for lang in LANGS)
    assert all(sources.lang_from_name(Path(s.name)) == c.lang
               for c in plan.configs for s in c.inputs)
    assert sorted(s.name for c in plan.configs for s in c.inputs) == sorted(p.name for p in files)


def test_auto_falls_back_to_the_sample_and_says_why():
    plan = sources.resolve(["auto"], ["vi"], ["ner"], probe=lambda: (False, "no route"))
    assert plan.kind == "sample" and "no route" in plan.reason
    assert plan.configs[0].inputs[0].split == "test"
    banner = sources.describe(plan)
    assert "EMBEDDED SAMPLE" in banner and "no route" in banner


def test_auto_online_reads_the_hub_at_its_current_commit(fake_hub):
    online = sources.resolve(["auto"], ["ja"], ["pos", "ner"], probe=lambda: (True, "ok"))
    assert online.kind == "hub" and online.revision == CURRENT_SHA
    assert "current commit" in online.reason and CURRENT_SHA in sources.describe(online)
    udpos, panx = online.configs
    # the splits come from the card of that commit: udpos.Japanese has no train split there
    assert [s.name for s in udpos.inputs] == [
        f"google/xtreme@{CURRENT_SHA[:12]}/udpos.Japanese/{split}"
        for split in ("validation", "test")]
    assert [s.fingerprint for s in panx.inputs] == [
        f"google/xtreme@{CURRENT_SHA}/PAN-X.ja/{split}" for split in _ALL_SPLITS]
    assert fake_hub[0] == ("info", "google/xtreme", None)


def test_auto_falls_back_to_the_sample_when_the_hub_api_fails(monkeypatch):
    def unreachable(*args, **kwargs):
        raise hub.HubUnavailable("the Hub's API did not answer for google/xtreme: timeout")

    monkeypatch.setattr(hub, "resolve_revision", unreachable)
    plan = sources.resolve(["auto"], ["ja"], ["ner"], probe=lambda: (True, "ok"))
    assert plan.kind == "sample" and "did not answer" in plan.reason


def test_revision_applies_to_the_hub_only(corpus):
    for source in (["sample"], [str(corpus["ner"])]):
        with pytest.raises(sources.SourceError, match="--revision pins the Hub"):
            sources.resolve(source, ["vi"], ["ner"], revision="main")
    with pytest.raises(sources.SourceError, match="--revision main: the Hub is not reachable"):
        sources.resolve(["auto"], ["vi"], ["ner"], probe=lambda: (False, "no route"),
                        revision="main")


def test_hub_source_offline_is_a_clear_error():
    with pytest.raises(sources.SourceError, match="not reachable"):
        sources.resolve(["hub"], ["ja"], ["ner"])


HUB_ROWS = {  # google/xtreme PAN-X.ja as the Hub serves it: label ids, ClassLabel names
    "train": [["東", "京", "に", "行", "く"], [0, 5, 6, 0, 0]],
    "validation": [["山", "田", "さ", "ん"], [1, 2, 0, 0]],
    "test": [["。"], [0]],
}


CURRENT_SHA = "c0ffee" + "1" * 34
OLD_SHA = "0ld" + "2" * 37
NO_CARD_SHA = "ca4d" + "3" * 36
_ALL_SPLITS = ("train", "validation", "test")
# The commits of the fake google/xtreme: what each revision resolves to, and the configs its
# card lists with their splits (None: a card without a configs list).
HUB_COMMITS = {
    None: CURRENT_SHA, "main": CURRENT_SHA, CURRENT_SHA: CURRENT_SHA, "v1": OLD_SHA,
    NO_CARD_SHA: NO_CARD_SHA,
}
HUB_CARDS = {
    CURRENT_SHA: {"PAN-X.ja": _ALL_SPLITS, "udpos.Japanese": ("validation", "test")},
    OLD_SHA: {"udpos.Japanese": _ALL_SPLITS},
    NO_CARD_SHA: None,
}


@pytest.fixture
def fake_hub(monkeypatch):
    """A reachable Hub: ``HfApi.dataset_info`` knows :data:`HUB_COMMITS`, ``load_dataset``
    serves :data:`HUB_ROWS` for the configs of :data:`HUB_CARDS`, and both record calls."""
    import datasets
    import httpx
    import huggingface_hub
    from huggingface_hub.errors import RevisionNotFoundError

    calls = []

    def dataset_info(self, repo_id, *, revision=None, timeout=None, **kwargs):
        calls.append(("info", repo_id, revision))
        if revision not in HUB_COMMITS:
            response = httpx.Response(404, request=httpx.Request("GET", "https://hub.test"))
            raise RevisionNotFoundError(f"404: no revision {revision}", response=response)
        sha = HUB_COMMITS[revision]
        card = HUB_CARDS[sha]
        configs = None if card is None else [
            {"config_name": name, "data_files": [{"split": s, "path": f"{name}/{s}-*"}
                                                 for s in splits]}
            for name, splits in card.items()]
        card_data = huggingface_hub.DatasetCardData(**({"configs": configs} if configs else {}))
        return type("Info", (), {"sha": sha, "card_data": card_data})()

    def load(repo, config, *, split, revision, streaming):
        calls.append((repo, config, split, revision, streaming))
        if config != "PAN-X.ja":
            raise ValueError(f"BuilderConfig '{config}' not found. Available: ['PAN-X.ja']")
        tokens, tags = HUB_ROWS[split]
        features = datasets.Features({
            "tokens": datasets.List(datasets.Value("string")),
            "ner_tags": datasets.List(datasets.ClassLabel(names=list(PANX_LABELS))),
            "langs": datasets.List(datasets.Value("string")),
        })
        rows = {"tokens": [tokens], "ner_tags": [tags], "langs": [["ja"] * len(tokens)]}
        return datasets.Dataset.from_dict(rows, features=features).to_iterable_dataset()

    monkeypatch.setattr(datasets, "load_dataset", load)
    monkeypatch.setattr(huggingface_hub.HfApi, "dataset_info", dataset_info)
    monkeypatch.setattr(hub, "probe", lambda: (True, "test Hub answered"))
    return calls


def test_hub_sentences_carry_label_names_and_provenance(fake_hub):
    [sentence] = hub.hub_sentences("ner", "ja", "train", CURRENT_SHA)
    assert sentence.tokens == ("東", "京", "に", "行", "く")
    assert sentence.labels == ("O", "B-LOC", "I-LOC", "O", "O")
    assert sentence.source == f"hf://datasets/google/xtreme@{CURRENT_SHA[:7]}/PAN-X.ja/train#0"
    assert fake_hub == [("google/xtreme", "PAN-X.ja", "train", CURRENT_SHA, True)]


@pytest.mark.parametrize(("pin", "sha"), [(None, CURRENT_SHA), ("v1", OLD_SHA),
                                          (CURRENT_SHA, CURRENT_SHA)])
def test_resolve_revision_gives_the_full_commit(fake_hub, pin, sha):
    revision = hub.resolve_revision(pin)
    assert revision.sha == sha
    assert revision.config_splits("udpos.Japanese", _ALL_SPLITS) == HUB_CARDS[sha][
        "udpos.Japanese"]


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if line.startswith("error:")]
    return line


def test_unknown_revision_is_one_line_with_the_fix(fake_hub, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["--lang", "ja", "--task", "ner", "--revision", "nope", "--out", str(out)]) == 2
    line = one_line_error(capsys)
    assert "google/xtreme has no revision 'nope'" in line
    assert "pass --revision with a commit sha, branch or tag" in line
    assert not out.exists() and ("info", "google/xtreme", "nope") in fake_hub


def test_config_missing_at_the_pinned_revision_is_one_line_with_the_fix(fake_hub, tmp_path,
                                                                        capsys):
    out = tmp_path / "out"
    assert run(["--lang", "ja", "--task", "ner", "--revision", "v1", "--out", str(out)]) == 2
    line = one_line_error(capsys)
    assert f"google/xtreme@{OLD_SHA[:12]} has no config PAN-X.ja" in line
    assert "pass --revision with a commit that has it" in line
    assert not out.exists()


def test_config_the_hub_refuses_when_loading_is_one_line(fake_hub, tmp_path, capsys):
    """A card without a configs list cannot be checked first: loading's error is translated."""
    assert run(["--lang", "ja", "--task", "pos", "--revision", NO_CARD_SHA,
                "--out", str(tmp_path / "out")]) == 1
    line = one_line_error(capsys)
    assert "udpos.Japanese/train: BuilderConfig 'udpos.Japanese' not found" in line
    assert "pass --revision with a commit that has it" in line


def test_connection_lost_while_reading_the_hub_is_one_line(fake_hub, monkeypatch, tmp_path,
                                                           capsys):
    import datasets

    def dropped(*args, **kwargs):
        raise ConnectionError("Connection reset by peer")

    monkeypatch.setattr(datasets, "load_dataset", dropped)
    assert run(["--lang", "ja", "--task", "ner", "--out", str(tmp_path / "out")]) == 1
    line = one_line_error(capsys)
    assert f"reading google/xtreme@{CURRENT_SHA[:12]} PAN-X.ja/train failed" in line
    assert "re-run the command to resume" in line


def test_pinned_revision_is_read_and_recorded(fake_hub, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["--lang", "ja", "--task", "ner", "--revision", "main", "--out", str(out)]) == 0
    assert f"at revision {CURRENT_SHA}" in capsys.readouterr().err
    assert {call[3] for call in fake_hub if call[0] != "info"} == {CURRENT_SHA}
    manifest = json.loads((out / "panx.ja" / ".manifest.json").read_text(encoding="utf-8"))
    assert {i["fingerprint"].split("/")[1] for i in manifest["inputs"]} == {
        f"xtreme@{CURRENT_SHA}"}
    assert f"google/xtreme@{CURRENT_SHA[:12]}/PAN-X.ja/train" in (out / "README.md").read_text(
        encoding="utf-8")


def test_hub_config_without_labels_is_a_clear_error(monkeypatch):
    import datasets

    unlabelled = datasets.Dataset.from_dict({"tokens": [["a"]]}).to_iterable_dataset()
    monkeypatch.setattr(datasets, "load_dataset", lambda *args, **kwargs: unlabelled)
    with pytest.raises(hub.HubUnavailable, match="has no ner_tags labels"):
        list(hub.hub_sentences("ner", "ja", "test", CURRENT_SHA))


def test_build_from_the_hub_writes_every_split(fake_hub, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["--lang", "ja", "--task", "ner", "--out", str(out)]) == 0
    banner = capsys.readouterr().err
    assert "google/xtreme" in banner and "test Hub answered" in banner
    loaded = load(out, "panx.ja", tmp_path)
    for split, (tokens, tags) in HUB_ROWS.items():
        [row] = loaded[split]
        assert row["tokens"] == tokens and row["ner_tags"] == tags
        assert len(row["ipa"]) == len(tokens)
    assert {call[2] for call in fake_hub if call[0] != "info"} == set(HUB_ROWS)


@pytest.mark.parametrize("endpoint", [None, "http://127.0.0.1:9"])
def test_probe_fails_fast_offline(monkeypatch, endpoint):
    if endpoint:
        monkeypatch.delenv("HF_HUB_OFFLINE")
        monkeypatch.setenv("HF_ENDPOINT", endpoint)
    started = time.perf_counter()
    reachable, why = hub.probe(timeout=2)
    assert not reachable and why
    assert time.perf_counter() - started < 3


# --- building -------------------------------------------------------------------------------

def test_build_round_trip_from_local_files(tmp_path, corpus, capsys):
    out = tmp_path / "out"
    assert run(["--lang", "vi", "--source", str(corpus["ner"]), str(corpus["pos"]),
                "--out", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert f"Dataset written to: {out}" in stdout
    for task, config, split in [("ner", "panx.vi", "validation"), ("pos", "udpos.vi", "train")]:
        rows = load(out, config, tmp_path)[split]
        read = [s for s in read_corpus(corpus[task]) if s.tokens]
        names = TASKS[task].labels
        assert [r["tokens"] for r in rows] == [list(s.tokens) for s in read]
        assert [[names[i] for i in r[TASKS[task].column]] for r in rows] == [
            list(s.labels) for s in read]
        assert all(len(r["tokens"]) == len(r["ipa"]) == len(r["reading"]) == len(r["status"])
                   for r in rows)
    rows = load(out, "panx.vi", tmp_path)["validation"]
    assert rows[0]["ipa"] == ["H à N ộ i ˧", "đ ẹ p ˧", ""]
    assert rows[0]["status"] == ["ok", "ok", "punct"]
    assert rows.features["ner_tags"].feature.names == list(PANX_LABELS)
    manifest = json.loads((out / "udpos.vi" / writer.MANIFEST).read_text())
    assert manifest["splits"]["train"]["empty"] == 1 and manifest["splits"]["train"]["rows"] == 2


def test_card_is_generated_from_the_files(tmp_path, corpus):
    out = tmp_path / "out"
    assert run(["--lang", "vi", "--source", str(corpus["ner"]), str(corpus["pos"]),
                "--out", str(out), "--no-tones"]) == 0
    text = (out / "README.md").read_text(encoding="utf-8")
    header = yaml.safe_load(text.split("---")[1])
    assert header["task_categories"] == ["token-classification"]
    assert header["task_ids"] == ["named-entity-recognition", "part-of-speech"]
    files = {c["config_name"]: c["data_files"] for c in header["configs"]}
    assert [f["split"] for f in files["panx.vi"]] == ["validation"]
    assert re.fullmatch(r"panx\.vi/validation-[0-9a-f]{8}-00000-of-00001\.parquet",
                        files["panx.vi"][0]["path"])
    assert re.fullmatch(r"udpos\.vi/train-[0-9a-f]{8}-00000-of-00001\.parquet",
                        files["udpos.vi"][0]["path"])
    info = {i["config_name"]: i for i in header["dataset_info"]}
    assert info["panx.vi"]["splits"][0]["num_examples"] == 3
    pos_names = info["udpos.vi"]["features"][-1]["list"]["class_label"]["names"]
    assert list(pos_names.values()) == list(UPOS_LABELS)
    assert "tones off" in text and "˧" not in text.split("### Phone inventory")[1]
    assert "| `panx.vi` | 3 | 7 |" in text  # sentences and tokens from the files


_RST_OR_DOCTEST = re.compile(r":[a-z]+:`|(?<!`)``(?!`)|^\s*(?:>>>|\.\.\.) |^\.\. ", re.MULTILINE)


def test_card_shows_no_docstring_markup_and_links_its_license(tmp_path, corpus):
    out = tmp_path / "all"
    assert run(["--lang", "all", "--source", "sample", "--out", str(out)]) == 0
    text = (out / "README.md").read_text(encoding="utf-8")
    assert "### Japanese" in text and "### Korean" in text and "### Mandarin" in text
    assert [m.group(0) for m in _RST_OR_DOCTEST.finditer(text)] == []
    example = text.split("An instance of")[1].split("```json")[1].split("```")[0]
    assert len(json.loads(example)["tokens"]) <= 16
    local = tmp_path / "local"
    assert run(["--lang", "vi", "--source", str(corpus["ner"]), "--out", str(local)]) == 0
    header = yaml.safe_load((local / "README.md").read_text(encoding="utf-8").split("---")[1])
    assert header["license"] == "other" and header["license_name"] == "mixed-sources"
    assert header["license_link"].endswith("phonexl/cjkv-ipa#sources-and-licenses")


def test_card_renders_to_html_without_quotes_or_rst(tmp_path):
    markdown_it = pytest.importorskip("markdown_it")
    out = tmp_path / "all"
    assert run(["--lang", "all", "--source", "sample", "--out", str(out)]) == 0
    body = (out / "README.md").read_text(encoding="utf-8").split("---", 2)[2]
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(body)
    assert "<blockquote>" not in html and "&gt;&gt;&gt;" not in html.split("<pre>")[0]
    assert _RST_OR_DOCTEST.search(html) is None
    assert html.count("<table>") >= 3


def test_card_refuses_placeholders(tmp_path, corpus, monkeypatch):
    out = tmp_path / "out"
    assert run(["--lang", "vi", "--source", str(corpus["ner"]), "--out", str(out)]) == 0
    monkeypatch.setattr("alignment_dataset.card._template",
                        lambda: "---\n{{ card_data }}\n---\n[More Information Needed]\n")
    with pytest.raises(CardError, match="placeholders"):
        render(out)


def test_sample_build_offline(tmp_path, capsys):
    out = tmp_path / "sample"
    assert run(["--lang", "vi", "--task", "ner", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "EMBEDDED SAMPLE" in captured.err and "HF_HUB_OFFLINE" in captured.err
    rows = load(out, "panx.vi", tmp_path)["test"]
    read = [s for s in read_corpus(sources.SAMPLE_DIR / "ner-vi.tsv") if s.tokens]
    assert len(rows) == len(read) >= 30
    assert "| `panx.vi` | test | sample: `ner-vi.tsv` | cc0-1.0 |" in (
        out / "README.md").read_text()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a\tO\n\nb\tB-MISC\n", "ner-dev.tsv:3: unknown ner label 'B-MISC'"),
        ("a\tO\n\nb\tO\tX\n", "ner-dev.tsv:3: expected 2 tab-separated columns"),
        (b"a\tO\n\n\xff\tO\n", "ner-dev.tsv:3: not UTF-8"),
    ],
)
def test_bad_input_fails_with_file_and_line_or_is_skipped(tmp_path, capsys, text, message):
    path = tmp_path / "ner-dev.tsv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert run(["--lang", "vi", "--task", "ner", "--source", str(path), "--out", str(out)]) == 1
    assert message in capsys.readouterr().err
    assert not (out / "panx.vi").exists() and not (out / "README.md").exists()
    assert run(["--lang", "vi", "--task", "ner", "--source", str(path), "--out", str(out),
                "--skip-bad"]) == 0
    stats = json.loads((out / "panx.vi" / writer.MANIFEST).read_text())["splits"]["validation"]
    assert (stats["rows"], stats["skipped"]) == (1, 1)
    assert message in stats["skipped_examples"][0]


def test_misaligned_adapter_output_writes_nothing(tmp_path, corpus, capsys):
    out = tmp_path / "out"
    short = lambda lang, tones: ShortAdapter(tones=tones)  # noqa: E731
    assert run(["--lang", "vi", "--source", str(corpus["ner"]), "--out", str(out)],
               factory=short) == 1
    assert "returned 2 transcriptions for 3 tokens" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == [writer.LOCK]


def test_workers_preserve_order(tmp_path):
    big = tmp_path / "big-test.tsv"
    big.write_text("".join(f"w{i}\tO\nx{i}\tB-PER\n\n" for i in range(700)), encoding="utf-8")
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        assert run(["--lang", "vi", "--source", str(big), "--out", str(out),
                    "--workers", workers]) == 0
        outs.append(load(out, "panx.vi", tmp_path)["test"]["tokens"])
    assert outs[0] == outs[1] and outs[0][699] == ["w699", "x699"]


def test_interrupted_build_leaves_no_half_config_and_resumes(tmp_path, corpus, monkeypatch,
                                                             capsys):
    out = tmp_path / "out"
    args = ["--lang", "vi", "--source", str(corpus["ner"]), str(corpus["pos"]), "--out", str(out)]
    original_add = writer.SplitWriter.add

    def crash_in_pos(self, row):
        if self.task == "pos":
            raise KeyboardInterrupt  # the user pressed Ctrl-C mid-config
        original_add(self, row)

    monkeypatch.setattr(writer.SplitWriter, "add", crash_in_pos)
    capsys.readouterr()
    assert run(args) == 130
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("interrupted: ")
    assert not [p.name for p in out.iterdir() if not p.name.startswith(".")]
    [staged] = (out / writer.STAGED / "panx.vi").glob("validation-*.parquet")
    # the finished config waits, hidden, for the re-run
    (out / ".tmp-udpos.vi-killed").mkdir()  # what a hard kill would leave behind
    for config in ("panx.vi", "udpos.vi"):
        with pytest.raises(FileNotFoundError, match="doesn't contain any data files"):
            load(out, config, tmp_path)
    monkeypatch.setattr(writer.SplitWriter, "add", original_add)
    stamp = staged.stat().st_mtime_ns
    capsys.readouterr()
    assert run(args) == 0
    err = capsys.readouterr().err
    assert "resumed: panx.vi" in err and ".tmp-udpos.vi-killed" in err
    published = out / "panx.vi" / staged.name
    assert published.stat().st_mtime_ns == stamp  # moved into place, not rebuilt
    assert not list(out.glob(".tmp-*")) and not (out / writer.STAGED).exists()
    assert len(load(out, "udpos.vi", tmp_path)["train"]) == 2


def test_failed_rebuild_keeps_the_previous_dataset(tmp_path, corpus, monkeypatch):
    out = tmp_path / "out"
    args = ["--lang", "vi", "--source", str(corpus["ner"]), "--out", str(out)]
    assert run(args) == 0
    card = (out / "README.md").read_text()

    def crash(self, row):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer.SplitWriter, "add", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        run([*args, "--no-tones"])  # other options: a rebuild, which fails
    assert (out / "README.md").read_text() == card
    assert load(out, "panx.vi", tmp_path)["validation"][0]["ipa"][0].endswith("˧")


def test_push_to_hub_offline_fails_fast_and_keeps_the_folder(tmp_path, corpus, capsys):
    out = tmp_path / "out"
    started = time.perf_counter()
    code = run(["--lang", "vi", "--source", str(corpus["ner"]), "--out", str(out),
                "--push-to-hub", "someone/cjkv-ipa"])
    assert code == 3 and time.perf_counter() - started < 20
    err = capsys.readouterr().err
    assert "cannot push to the Hub (HF_HUB_OFFLINE is set)" in err and "is intact" in err
    assert (out / "README.md").is_file()
    assert "someone/cjkv-ipa" in (out / "README.md").read_text()
    assert len(load(out, "panx.vi", tmp_path)["validation"]) == 3


# --- real adapters on real data -------------------------------------------------------------

REAL = {
    "ja": ("phonexl_original/panx/dev-ja.tsv", "ud/ja_gsd-ud-dev.conllu"),
    "ko": ("phonexl_original/panx/dev-ko.tsv", "ud/ko_gsd-ud-dev.conllu"),
    "vi": ("phonexl_original/panx/dev-vi.tsv", "ud/vi_vtb-ud-dev.conllu"),
    "zh": ("phonexl_original/panx/dev-zh.tsv", "ud/zh_gsdsimp-ud-dev.conllu"),
}


# What each adapter imports to read (vi reads from its own tables only); pykakasi is imported
# only for words UniDic does not know.
BACKENDS = {"ja": {"fugashi", "unidic-lite"}, "ko": {"python-mecab-ko", "python-mecab-ko-dic"},
            "vi": set(), "zh": {"g2pM", "OpenCC", "pypinyin"}}


@pytest.mark.parametrize("lang", LANGS)
def test_real_round_trip(shared, tmp_path, lang):
    files = [shared / name for name in REAL[lang]]
    out = tmp_path / "out"
    assert build.main(["--lang", lang, "--source", *map(str, files), "--out", str(out),
                       "--limit", "25", "--no-progress"]) == 0
    for path, task in zip(files, ("ner", "pos"), strict=True):
        config = f"{TASKS[task].prefix}.{lang}"
        rows = load(out, config, tmp_path)["validation"]
        read = [s for s in read_corpus(path)][:25]
        names = TASKS[task].labels
        assert [r["tokens"] for r in rows] == [list(s.tokens) for s in read]
        assert [[names[i] for i in r[TASKS[task].column]] for r in rows] == [
            list(repair_iob2(s.labels)[0] if TASKS[task].iob2 else s.labels) for s in read]
        assert all(len(r["tokens"]) == len(r["ipa"]) == len(r["reading"]) for r in rows)
        ok = [ipa for r in rows for ipa, st in zip(r["ipa"], r["status"], strict=True)
              if st == "ok"]
        assert len(ok) > 20 and all(ok)  # tokens read by the rules have IPA
    backends = json.loads((out / f"panx.{lang}" / writer.MANIFEST).read_text())["backends"]
    assert set(backends) >= BACKENDS[lang] and (lang != "vi" or not backends)
    assert all(version == metadata.version(name) for name, version in backends.items())


def test_readme_command_one_builds_japanese_offline(tmp_path, capsys):
    out = tmp_path / "phonexl-data"
    assert build.main(["--lang", "ja", "--out", str(out), "--no-progress"]) == 0
    captured = capsys.readouterr()
    assert "EMBEDDED SAMPLE" in captured.err
    assert f"Dataset written to: {out}" in captured.out
    assert len(load(out, "panx.ja", tmp_path)["test"]) >= 30
    assert len(load(out, "udpos.ja", tmp_path)["test"]) >= 30


@pytest.mark.parametrize("lang", LANGS)
def test_whole_dev_data_stays_aligned(shared, tmp_path, lang):
    """Every dev sentence of PAN-X and UD: the writer checks each row's lengths."""
    out = tmp_path / "out"
    assert build.main(["--lang", lang, "--source", *(str(shared / n) for n in REAL[lang]),
                       "--out", str(out), "--workers", "2", "--no-progress"]) == 0


# --- kills at every step, a second build, publication's commit point --------------------------

class Killed(BaseException):
    """A kill: no handler of the build catches it (KeyboardInterrupt would be tidied up)."""


def _snapshot(out: Path, cache: Path) -> dict[str, object]:
    """What ``datasets`` loads from the folder, config by config (None: it does not load)."""
    import datasets

    state = {}
    for config in ("panx.vi", "udpos.vi"):
        try:
            loaded = load_dataset(str(out), config, cache_dir=str(cache))
        except (ValueError, FileNotFoundError, datasets.exceptions.DatasetGenerationError):
            state[config] = None
            continue
        state[config] = {split: rows["ipa"] for split, rows in loaded.items()}
    return state


def _kill_at(monkeypatch, step: int | None) -> list[str]:
    """Count the build's renames and deletions; raise :class:`Killed` at number ``step``."""
    import os
    import shutil

    done: list[str] = []

    def counted(name, real):
        def call(*args, **kwargs):
            done.append(f"{name} {args[0]}")
            if len(done) == step:
                raise Killed(done[-1])
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(os, "replace", counted("replace", os.replace))
    monkeypatch.setattr(shutil, "rmtree", counted("rmtree", shutil.rmtree))
    monkeypatch.setattr(Path, "unlink", counted("unlink", Path.unlink))
    monkeypatch.setattr(Path, "rmdir", counted("rmdir", Path.rmdir))
    return done


def test_a_kill_at_any_step_leaves_the_old_or_the_new_dataset(tmp_path, corpus, monkeypatch):
    """First build (nothing → A), then a rebuild that changes one config and adds one (A → B):
    killed at each rename or deletion, the folder loads as before or as after, never a mix,
    and the next build completes it."""
    import shutil

    first = ["--lang", "vi", "--source", str(corpus["ner"])]
    second = ["--lang", "vi", "--source", str(corpus["ner"]), str(corpus["pos"]), "--no-tones"]
    states, steps = {}, {}
    for name, args, start in (("A", first, None), ("B", second, "A")):
        out = tmp_path / name
        if start:
            shutil.copytree(tmp_path / start, out)
        with monkeypatch.context() as patch:
            done = _kill_at(patch, None)
            assert run([*args, "--out", str(out)]) == 0
        steps[name] = len(done)
        states[name] = _snapshot(out, tmp_path / f"cache-{name}")
    assert states["A"]["panx.vi"] and states["A"]["udpos.vi"] is None
    assert states["B"]["udpos.vi"] and states["B"]["panx.vi"] != states["A"]["panx.vi"]
    assert steps["A"] >= 5 and steps["B"] >= 8, steps
    before = {"A": {"panx.vi": None, "udpos.vi": None}, "B": states["A"]}
    for name, args, start in (("A", first, None), ("B", second, "A")):
        for step in range(1, steps[name] + 1):
            out = tmp_path / f"{name}{step}"
            if start:
                shutil.copytree(tmp_path / start, out)
            with monkeypatch.context() as patch:
                done = _kill_at(patch, step)
                with pytest.raises(Killed):
                    run([*args, "--out", str(out)])
            state = _snapshot(out, tmp_path / f"cache-{name}{step}")
            assert state in (before[name], states[name]), (name, done[-1])
            assert run([*args, "--out", str(out)]) == 0, (name, done[-1])
            assert _snapshot(out, tmp_path / f"cache-{name}{step}-again") == states[name]
            assert not (out / publish.JOURNAL).exists() and not (out / writer.STAGED).exists()


# --- signals and pipes, in real processes ----------------------------------------------------

def _start_build(tmp_path: Path, workers: str) -> tuple[subprocess.Popen, Path]:
    """A real build, in its own process group, once it is writing its first config."""
    big = tmp_path / "big-test.tsv"
    big.write_text("".join(f"Hà\tO\nNội{i}\tB-LOC\n\n" for i in range(60_000)), encoding="utf-8")
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "alignment_dataset.build", "--lang", "vi", "--source", str(big),
         "--out", str(out), "--workers", workers, "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, process_group=0,
        cwd=Path(__file__).resolve().parents[1],
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not list(out.glob(".tmp-panx.vi-*/*.parquet")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, process.communicate()
    return process, out


@pytest.mark.parametrize(("how", "code"), [("Ctrl-C", 130), ("SIGTERM", 143), ("SIGKILL", -9)])
def test_a_stopped_build_says_one_line_and_workers_stay_quiet(tmp_path, how, code):
    process, out = _start_build(tmp_path, "2")
    if how == "Ctrl-C":
        os.killpg(process.pid, signal.SIGINT)  # the terminal signals the whole group
    else:
        os.kill(process.pid, getattr(signal, how))  # the main process only
    _, err = process.communicate(timeout=60)
    time.sleep(0.5)  # workers of a killed build end by themselves (their stderr is ours)
    assert process.returncode == code and "Traceback" not in err, err
    if how != "SIGKILL":
        assert err.strip().splitlines()[-1].startswith(("interrupted: ", "terminated: "))
        assert not list(out.glob(".tmp-*"))
    assert not [p for p in out.iterdir() if not p.name.startswith(".")]
    alive = subprocess.run(["pgrep", "-g", str(process.pid), "--runstates", "D,R,S,T"],
                           capture_output=True).stdout
    assert alive == b""  # the workers ended too (zombies wait for a reaper, not counted)


@pytest.mark.parametrize("command", [["g2p", "--lang", "vi"],
                                     ["alignment_dataset.build", "--lang", "vi", "--task", "ner",
                                      "--source", "sample", "--no-progress"]])
def test_a_closed_pipe_is_not_an_error(tmp_path, command):
    args = [*command, *(["--out", str(tmp_path / "out")] if "--task" in command else [])]
    process = subprocess.Popen([sys.executable, "-m", *args], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=Path(__file__).resolve().parents[1])
    process.stdout.close()  # `| head` that has read enough
    _, err = process.communicate(b"H\xe0 N\xf4i " * 5000 + "Hà Nội\n".encode() * 2000)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err
    assert process.returncode in (0, 141)
