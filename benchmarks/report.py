"""The leaderboard from saved runs: table, CSV and plot, with references and significance.

Reads ``<results>/runs/*.json`` (one record per run, with per-sentence test counts) and
``<results>/references.json`` (non-learned reference scores per setting, see
:mod:`benchmarks.references`), and writes ``leaderboard.md``, ``leaderboard.csv`` and
``leaderboard.png`` in the same folder. Cells are means over seeds with a 95 % interval from a
bootstrap over test sentences and seeds; every variant is tested against `orth`, paired and
seed-matched, with Holm's correction over the grid (:mod:`benchmarks.significance`).
"""

from __future__ import annotations

import csv
import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from benchmarks import significance
from phonexl import scoring
from phonexl.presets import PAIRS, TASKS, VARIANTS

SETTING_NAMES = {"ner": "NER", "pos": "POS"}
PANEL_METRICS = {"ner": "entity F1 (%)", "pos": "accuracy (%)"}
MARK = "†"


def setting_label(task: str, pair: str) -> str:
    return f"{SETTING_NAMES[task]} {pair.replace('-', '→')}"


def load_runs(
    runs_dir: Path, preset: str | None = None, overrides: dict[str, object] | None = None
) -> list[dict[str, object]]:
    """Saved runs of one preset made with exactly these overrides (None: any)."""
    paths = sorted(runs_dir.glob("*.json"))
    runs = [json.loads(path.read_text(encoding="utf-8")) for path in paths]
    return [
        r for r in runs
        if (preset is None or r.get("preset") == preset)
        and (overrides is None or r.get("overrides", {}) == overrides)
    ]


def load_references(results: Path) -> dict[str, dict[str, object]]:
    path = results / "references.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


# Runs by setting (task, pair), then by variant, in the order they were loaded.
Settings = dict[tuple[str, str], dict[str, list[dict[str, object]]]]


def by_setting(runs: Iterable[dict[str, object]]) -> Settings:
    """The one grouping of the runs that the rows, the tests and the references all read."""
    settings: Settings = defaultdict(lambda: defaultdict(list))
    for record in runs:
        settings[(record["task"], record["pair"])][record["variant"]].append(record)
    return settings


def _std(values: list[float]) -> float:
    return statistics.stdev(values) if len(values) > 1 else 0.0


def _tests(task: str, records: dict[str, list[dict]]) -> dict[str, dict[str, object]]:
    """Bootstrap intervals and tests of one setting, when every run saved its counts and all
    were scored on the same test sentences; else {} (older records)."""
    flat = [r for rs in records.values() for r in rs]
    if not flat or not all("test_counts" in r for r in flat):
        return {}
    fingerprint(flat)
    return significance.compare_setting(
        task, {variant: counts_by_seed(task, rs) for variant, rs in records.items()})


def counts_by_seed(task: str, records: Iterable[dict[str, object]]) -> dict[int, np.ndarray]:
    """Seed -> the per-sentence test counts a run saved (what the paired tests resample)."""
    return {r["seed"]: scoring.unpack(r["test_counts"]["per_sentence"], task) for r in records}


def fingerprint(records: list[dict[str, object]]) -> str | None:
    """The test sample all these runs of one setting were scored on; mixed samples cannot be
    paired or averaged, so they are an error of the results folder, not something to skip."""
    found = {r.get("test_fingerprint") for r in records}
    if len(found) > 1:
        first = records[0]
        raise ValueError(
            f"runs of {setting_label(first['task'], first['pair'])} were scored on "
            f"{len(found)} different test samples; keep one configuration per results folder")
    return found.pop() if found else None


def matching_references(references: dict[str, dict[str, object]],
                        settings: Settings) -> dict[str, dict[str, object]]:
    """The references scored on the runs' own test sample and learnt from as many source
    training sentences (the runs drop a sentence whose first token alone overflows
    max_length); any other is replaced by a note saying so (its score would not compare)."""
    kept = {}
    for key, found in references.items():
        task, pair = key.split()
        records = [r for rs in settings.get((task, pair), {}).values() for r in rs]
        if records and (found.get("test_fingerprint") != fingerprint(records) or (
                "train_sentences" in found
                and {r.get("train_sentences") for r in records} != {found["train_sentences"]})):
            kept[key] = {"omitted": "computed on another test sample than the runs; rerun the "
                                    "grid command to recompute"}
        else:
            kept[key] = found
    return kept


def aggregate(settings: Settings, tests: bool = True) -> list[dict[str, object]]:
    """One row per (task, pair, variant): seeds, mean, std, interval, test against `orth`
    (Holm-adjusted over all rows; `tests=False` skips the bootstrap), mean step time."""
    rows = []
    for task in TASKS:
        for pair in PAIRS:
            by_variant = settings.get((task, pair))
            if not by_variant:
                continue
            found_tests = _tests(task, by_variant) if tests else {}
            for variant in VARIANTS:
                records = sorted(by_variant.get(variant, []), key=lambda r: r["seed"])
                if not records:
                    continue
                scores = [float(r["test"]) for r in records]
                row = {
                    "task": task, "pair": pair, "variant": variant,
                    "metric": records[0]["metric"], "seeds": len(records),
                    "test_sentences": records[0].get("test_sentences"),
                    "mean": round(statistics.mean(scores), 2), "std": round(_std(scores), 2),
                    "scores": scores,
                    "dev_mean": round(statistics.mean(float(r["dev_best"]) for r in records), 2),
                    "step_time_s": round(statistics.mean(
                        float(r["step_time_mean_s"]) for r in records), 4),
                    "steps": round(statistics.mean(int(r["steps"]) for r in records)),
                }
                found = found_tests.get(variant, {})
                if "ci" in found:
                    row["ci"] = [round(v, 2) for v in found["ci"]]
                if "difference" in found:
                    row.update(difference=round(found["difference"], 2),
                               difference_ci=[round(v, 2) for v in found["difference_ci"]],
                               p=found["p"])
                rows.append(row)
    adjusted = significance.holm({i: r["p"] for i, r in enumerate(rows) if "p" in r})
    for i, p in adjusted.items():
        rows[i]["p_holm"] = round(p, 4)
        rows[i]["significant"] = p < significance.ALPHA
    return rows


def write_csv(rows: list[dict[str, object]], path: Path) -> None:
    columns = ["task", "pair", "variant", "metric", "seeds", "test_sentences", "mean", "std",
               "ci_low", "ci_high", "difference", "difference_ci_low", "difference_ci_high",
               "p", "p_holm", "significant", "scores", "dev_mean", "steps", "step_time_s"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            low, high = row.get("ci", ("", ""))
            d_low, d_high = row.get("difference_ci", ("", ""))
            writer.writerow({**row, "ci_low": low, "ci_high": high, "difference_ci_low": d_low,
                             "difference_ci_high": d_high,
                             "scores": " ".join(f"{s:.2f}" for s in row["scores"])})


def step_time_ratios(rows: list[dict[str, object]]) -> dict[str, dict[str, float]]:
    """Per setting: each variant's mean step time divided by `orth`'s."""
    base = {(r["task"], r["pair"]): r["step_time_s"] for r in rows if r["variant"] == "orth"}
    ratios: dict[str, dict[str, float]] = defaultdict(dict)
    for row in rows:
        orth = base.get((row["task"], row["pair"]))
        if orth:
            ratios[setting_label(row["task"], row["pair"])][row["variant"]] = round(
                row["step_time_s"] / orth, 2)
    return dict(ratios)


def _score_cell(row: dict[str, object] | None, show_n: bool = False) -> str:
    if not row:
        return "–"
    text = f"{row['mean']:.1f}"
    if "ci" in row:
        text += f" [{row['ci'][0]:.1f}, {row['ci'][1]:.1f}]"
    else:
        text += f" ± {row['std']:.1f}"
    if show_n:
        text += f" (n={row['seeds']})"
    if row.get("significant"):
        text = f"**{text}** {MARK}"
    return text


def _difference_cell(row: dict[str, object] | None) -> str:
    if not row or "difference" not in row:
        return "–"
    low, high = row["difference_ci"]
    text = f"{row['difference']:+.1f} [{low:+.1f}, {high:+.1f}], p={row['p_holm']:.3f}"
    return f"**{text}** {MARK}" if row.get("significant") else text


def _reference_rows(settings: list[tuple[str, str]],
                    references: dict[str, dict[str, object]]) -> list[str]:
    names = list(dict.fromkeys(name for s in settings
                               for name in references.get(" ".join(s), {}).get("references", {})))
    lines = []
    for name in names:
        cells = []
        for setting in settings:
            found = references.get(" ".join(setting), {}).get("references", {}).get(name)
            cells.append(f"{found['score']:.1f}" if found else "–")
        lines.append(f"| *reference: {name}* | " + " | ".join(cells) + " |")
    return lines


def markdown(rows: list[dict[str, object]], runs: list[dict[str, object]],
             grids: list[dict[str, object]] = (),
             references: dict[str, dict[str, object]] | None = None) -> str:
    """Scores with intervals, references, differences against `orth`, step times, notes."""
    references = references or {}
    settings = list(dict.fromkeys((r["task"], r["pair"]) for r in rows))
    cell = {(r["task"], r["pair"], r["variant"]): r for r in rows}
    header = [setting_label(*s) for s in settings]
    seeds = sorted({r["seeds"] for r in rows})
    sentences = sorted({r["test_sentences"] for r in rows if r.get("test_sentences")})
    tested = [r for r in rows if "p_holm" in r]
    lines = [
        "# PhoneXL leaderboard",
        "",
        "Zero-shot scores on the target language's test set: entity F1 (seqeval) for NER, "
        "token accuracy for POS (the UPOS standard). Each cell is the mean over "
        f"{'n = ' + str(seeds[0]) if len(seeds) == 1 else 'n (shown per cell)'} seeds of a "
        "run's score on "
        f"{'/'.join(map(str, sentences)) or '?'} test sentences, with its 95 % interval "
        "[bootstrap over test sentences and seeds]. Model selection uses source dev data only.",
        "",
        "| variant | " + " | ".join(header) + " |",
        "|---|" + "---:|" * len(header),
    ]
    for variant in VARIANTS:
        found = [cell.get((*s, variant)) for s in settings]
        if not any(found):
            continue
        lines.append(f"| {variant} | " + " | ".join(
            _score_cell(r, show_n=len(seeds) > 1) for r in found) + " |")
    lines += _reference_rows(settings, references)
    if tested:
        lines += [
            "",
            "## Against `orth`",
            "",
            "Mean difference from `orth` over the seeds both have, its 95 % interval (paired "
            "bootstrap: the same test sentences and the same seeds drawn for both), and the "
            f"p-value after Holm's correction over all {len(tested)} comparisons. {MARK} and "
            f"bold: significant at family-wise α = {significance.ALPHA}. A variant with fewer "
            f"than {significance.MIN_SEEDS} seeds paired with `orth` is not tested (–).",
            "",
            "| variant | " + " | ".join(header) + " |",
            "|---|" + "---:|" * len(header),
        ]
        for variant in list(VARIANTS)[1:]:
            found = [cell.get((*s, variant)) for s in settings]
            if any(found):
                lines.append(f"| {variant} | " + " | ".join(map(_difference_cell, found)) + " |")
        significant = [r for r in tested if r["significant"]]
        lines += ["", f"{len(significant)} of {len(tested)} differences are significant"
                  + (": " + "; ".join(
                      f"{r['variant']} on {setting_label(r['task'], r['pair'])} "
                      f"({r['difference']:+.1f})" for r in significant) if significant else "")
                  + "."]
    lines += _reference_notes(settings, references)
    lines += _prediction_lines(runs)
    lines += _time_lines(rows, settings)
    lines += _data_lines(runs, grids)
    return "\n".join(lines) + "\n"


def _reference_notes(settings: list[tuple[str, str]],
                     references: dict[str, dict[str, object]]) -> list[str]:
    if not references:
        return []
    lines = ["", "## References", "",
             "Non-learned taggers scored on the same test sentences "
             "(`benchmarks/references.py`):"]
    for setting in settings:
        entry = references.get(" ".join(setting), {})
        found = entry.get("references", {})
        if "omitted" in entry:
            lines.append(f"- {setting_label(*setting)}: omitted, {entry['omitted']}")
        elif found:
            lines.append(f"- {setting_label(*setting)}: " + "; ".join(
                f"{name} {ref['score']:.1f} ({ref['what']})" for name, ref in found.items()))
    lines += ["- NER `all O` is 0 by definition. `source entity strings` can only match Latin "
              "names and digits across scripts; its score says how much of the target's entities "
              "a model could find without transferring anything.",
              "- POS: the authors' released code scored POS with seqeval chunk F1 over runs of "
              "equal tags, not accuracy (../shared/docs/phonexl-reference.md); the figures here "
              "are token accuracy and are not comparable with the paper's POS numbers."]
    return lines


def _prediction_lines(runs: list[dict[str, object]]) -> list[str]:
    """POS: which tag each variant spreads over the target test tokens, against the gold's
    most frequent one: a model below the majority tagger shows what it predicts instead."""
    tagged: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for record in runs:
        if record["task"] == "pos" and "test_tags" in record:
            tagged[record["pair"]][record["variant"]].append(record["test_tags"])
    if not tagged:
        return []
    pairs = [p for p in PAIRS if p in tagged]
    gold_tags = {p: next(iter(tagged[p].values()))[0]["gold"] for p in pairs}  # same per pair
    majority = {p: next(iter(gold_tags[p])) for p in pairs}  # most frequent first

    def share(tags: dict[str, int], tag: str) -> float:
        return tags.get(tag, 0) / max(sum(tags.values()), 1)

    gold = {p: share(gold_tags[p], majority[p]) for p in pairs}
    lines = ["", "## What the POS models predict on the target", "",
             "Per variant (mean over seeds): the tag it gives most target test tokens and that "
             "share, then the share it tags with the gold's most frequent tag (the majority "
             "reference tags every token so).", "",
             "| variant | " + " | ".join(f"POS {p.replace('-', '→')} (gold: {majority[p]} "
                                        f"{gold[p]:.0%})" for p in pairs) + " |",
             "|---|" + "---:|" * len(pairs)]
    for variant in VARIANTS:
        cells = []
        for pair in pairs:
            found = tagged[pair].get(variant, [])
            if not found:
                cells.append("–")
                continue
            totals: Counter[str] = Counter()
            for tags in found:
                totals.update({tag: share(tags["predicted"], tag) for tag in tags["predicted"]})
            top, top_share = totals.most_common(1)[0]
            cells.append(f"{top} {top_share / len(found):.0%}; {majority[pair]} "
                         f"{totals[majority[pair]] / len(found):.0%}")
        if any(cell != "–" for cell in cells):
            lines.append(f"| {variant} | " + " | ".join(cells) + " |")
    return lines


def _time_lines(rows: list[dict[str, object]], settings: list[tuple[str, str]]) -> list[str]:
    ratios = step_time_ratios(rows)
    if not ratios:
        return []
    lines = ["", "## Time per training step, relative to `orth` (same grid, same machine)",
             "", "| variant | " + " | ".join(ratios) + " |", "|---|" + "---:|" * len(ratios)]
    for variant in VARIANTS:
        values = [ratios[s].get(variant) for s in ratios]
        if any(v is not None for v in values):
            lines.append(f"| {variant} | " + " | ".join(
                f"{v:.2f}×" if v is not None else "–" for v in values) + " |")
    seconds = {(r["task"], r["pair"], r["variant"]): r["step_time_s"] for r in rows}
    lines += ["", "Mean seconds per step: " + "; ".join(
        f"{setting_label(t, p)} orth {seconds[(t, p, 'orth')]:.3f} s, "
        f"full {seconds[(t, p, 'full')]:.3f} s"
        for t, p in settings if (t, p, "orth") in seconds and (t, p, "full") in seconds)]
    return lines


def _data_lines(runs: list[dict[str, object]], grids: list[dict[str, object]]) -> list[str]:
    lines = []
    notes: dict[str, dict[str, None]] = defaultdict(dict)  # setting -> ordered unique notes
    for record in runs:
        for note in record.get("notes", []):
            notes[setting_label(record["task"], record["pair"])][note] = None
    if notes:
        lines += ["", "## Data", ""] + [f"- {setting}: " + "; ".join(found)
                                        for setting, found in sorted(notes.items())]
    seen = {(r["task"], r["pair"]): r["target_seen_in_source"] for r in runs
            if "target_seen_in_source" in r}
    if seen:
        lines += ["", "Share of the target test input that source training shows the model "
                  "(occurrences): " + "; ".join(
                      f"{setting_label(*s)} subwords {v['subwords']:.1%}, phones {v['phones']:.1%}"
                      for s, v in seen.items()) + "."]
    if runs:
        config = runs[0]["config"]
        keys = ("lr", "epochs", "max_steps", "batch_size", "max_length", "max_train_sentences",
                "max_test_sentences", "evals", "eval_every", "patience", "aux_fraction",
                "pretraining", "target_text", "threads")
        lines += ["", "## Configuration", "",
                  "Preset `" + str(runs[0].get("preset")) + "`: "
                  + ", ".join(f"{k}={config[k]}" for k in keys if k in config)
                  + "; α/β/γ/µ/r per setting from the paper (see `phonexl/presets.py`).",
                  f"Device: {runs[0]['device']}; torch {runs[0]['versions']['torch']}, "
                  f"transformers {runs[0]['versions']['transformers']}."]
    if grids:
        lines += ["", "Grid invocations (wall time): " + "; ".join(
            f"{g['runs_executed']} runs ({' '.join(g.get('variants', []))}) in "
            f"{g.get('wall_s', 0) / 60:.1f} min with {g['workers']} worker(s)"
            + (f" after {g['pretraining_s'] / 60:.1f} min of tiny encoder pre-training"
               if g.get("pretraining_s", 0) > 60 else "")
            + (f" ({g['note']})" if g.get("note") else "")
            for g in grids) + "."]
    return lines


def caption(rows: list[dict[str, object]], runs: list[dict[str, object]]) -> str:
    seeds = "/".join(str(n) for n in sorted({r["seeds"] for r in rows}))
    sentences = "/".join(str(n) for n in sorted({r["test_sentences"] for r in rows
                                                 if r.get("test_sentences")}))
    setting = ""
    if runs:
        config, device = runs[0]["config"], runs[0]["device"]
        model = "tiny encoder pre-trained here" if runs[0].get("preset") == "tiny" else \
            str(config.get("model"))
        setting = f"{model}, {device}, {config.get('max_steps') or 'all'} steps; "
    return (f"{setting}n = {seeds} seeds × {sentences} target test sentences per setting. "
            "Bars: mean over seeds; error bars: 95 % bootstrap interval (sentences and seeds); "
            f"{MARK}: differs from orth (paired bootstrap, Holm-corrected p < "
            f"{significance.ALPHA}); lines: non-learned references.")


def plot(rows: list[dict[str, object]], path: Path, runs: list[dict[str, object]] = (),
         references: dict[str, dict[str, object]] | None = None) -> None:
    """One panel per metric (NER F1, POS accuracy): a group of bars per language pair, one
    bar per variant with its interval, reference lines, significance marks, a caption."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    references = references or {}
    tasks = [t for t in TASKS if any(r["task"] == t for r in rows)]
    variants = [v for v in VARIANTS if any(r["variant"] == v for r in rows)]
    cell = {(r["task"], r["pair"], r["variant"]): r for r in rows}
    width = 0.8 / max(len(variants), 1)
    fig, axes = plt.subplots(1, len(tasks), figsize=(5.4 * len(tasks), 5.4), squeeze=False)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    styles = ["--", ":", "-."]
    for ax, task in zip(axes[0], tasks, strict=True):
        pairs = [p for p in PAIRS if any((task, p, v) in cell for v in variants)]
        top = 0.0
        for k, variant in enumerate(variants):
            for i, pair in enumerate(pairs):
                row = cell.get((task, pair, variant))
                if not row:
                    continue
                x = i + (k - (len(variants) - 1) / 2) * width
                low, high = row.get("ci", (row["mean"], row["mean"]))
                ax.bar(x, row["mean"], width, color=colours[k % len(colours)],
                       label=variant if i == 0 else None,
                       yerr=[[row["mean"] - low], [high - row["mean"]]], capsize=2)
                top = max(top, high)
                if row.get("significant"):
                    ax.text(x, high, MARK, ha="center", va="bottom")
        for i, pair in enumerate(pairs):
            found = references.get(f"{task} {pair}", {}).get("references", {})
            for j, (name, ref) in enumerate(found.items()):
                ax.hlines(ref["score"], i - 0.45, i + 0.45, colors="black", zorder=3,
                          linestyles=styles[j % len(styles)], linewidth=1.2,
                          label=name if i == 0 else None)
                top = max(top, ref["score"])
        ax.set_xticks(range(len(pairs)), [p.replace("-", "→") for p in pairs])
        ax.set_ylim(0, max(top * 1.12, 1.0))
        ax.set_ylabel(f"target test {PANEL_METRICS[task]}")
        ax.set_title(f"{SETTING_NAMES[task]}, zero-shot")
    legend: dict[str, object] = {}
    for ax in axes[0]:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            legend.setdefault(label, handle)
    fig.legend(legend.values(), legend.keys(), loc="lower center", ncol=5, fontsize="small",
               bbox_to_anchor=(0.5, 0.07), frameon=False)
    fig.suptitle("PhoneXL ablation")
    fig.text(0.01, 0.01, caption(rows, list(runs)), fontsize="x-small", wrap=True)
    fig.tight_layout(rect=(0, 0.2, 1, 1))
    fig.savefig(path, dpi=120)
    plt.close(fig)


def load_grids(results: Path) -> list[dict[str, object]]:
    """Earlier grid invocations recorded in grid.json (a list, oldest first)."""
    path = results / "grid.json"
    if not path.exists():
        return []
    grids = json.loads(path.read_text())
    return grids if isinstance(grids, list) else [grids]


def write_leaderboard(
    results: Path, preset: str | None, overrides: dict[str, object], current: dict | None = None,
    tests: bool = True,
) -> list[dict]:
    """Rewrite the leaderboard files of `results` from its saved runs; returns the rows.
    `tests=False` (while a grid is running) leaves out the bootstrap: means ± std only."""
    runs = load_runs(results / "runs", preset, overrides)
    settings = by_setting(runs)
    rows = aggregate(settings, tests)
    if not rows:
        return rows
    grids = load_grids(results) + ([current] if current else [])
    references = matching_references(load_references(results), settings)
    write_csv(rows, results / "leaderboard.csv")
    (results / "leaderboard.md").write_text(markdown(rows, runs, grids, references),
                                            encoding="utf-8")
    plot(rows, results / "leaderboard.png", runs, references)
    return rows
