"""Every baseline figure the README quotes, in one command: other G2P systems on our gold.

    python -m benchmarks.g2p_baselines [--data ../shared/data] [--only epitran release]

Each row is one ``python -m g2p.evaluate --baseline NAME`` run (:mod:`g2p.baselines`):
WikiPron lexicons (PER/WER) for the PhoneXL release, epitran and g2pK, the Korean rulebook
cases for g2pK, the CPP polyphone set for pypinyin and g2pM alone. A baseline whose package is
missing (epitran and g2pK come with the ``compare`` extra) is reported as skipped, with the
reason. Prints a table and saves JSON (under ``$PHONEXL_CACHE/results`` unless ``--save``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from g2p.baselines import BASELINES, BaselineUnavailable, get_baseline
from g2p.evaluate import evaluate_lexicon, evaluate_polyphones
from g2p.paths import REPOSITORY, save_json, save_json_path, shared_data
from g2p.report import Report

_RULEBOOK = REPOSITORY / "tests" / "data" / "ko_rulebook.tsv"
_WIKIPRON = {"ja": "gold/wikipron_jpn_hira_narrow.tsv", "ko": "gold/wikipron_kor_hang_narrow.tsv",
             "vi": "gold/wikipron_vie_latn_hanoi_narrow.tsv"}
_CPP = "gold/cpp_polyphone_dev.tsv"
# (baseline, lang, gold kind): the rows of the table, in the README's order.
ROWS = [
    ("release", "vi", "lexicon"), ("release", "ko", "lexicon"),
    ("epitran", "vi", "lexicon"), ("epitran", "ko", "lexicon"), ("epitran", "ja", "lexicon"),
    ("g2pk", "ko", "lexicon"), ("g2pk", "ko", "rulebook"),
    ("pypinyin", "zh", "polyphone"), ("g2pm", "zh", "polyphone"),
]


def run_row(name: str, lang: str, kind: str, data: Path, limit: int | None) -> dict[str, object]:
    """One baseline on one gold set: the figures of :class:`g2p.report.Report`."""
    release = sorted((data / "phonexl_original").glob(f"*/*-{lang}.tsv"))
    adapter = get_baseline(name, lang, release)
    runs: dict[str, Callable[[], Report]] = {
        "lexicon": lambda: evaluate_lexicon(adapter, data / _WIKIPRON[lang], limit=limit,
                                            keep=getattr(adapter, "covers", None)),
        "polyphone": lambda: evaluate_polyphones(adapter, data / _CPP, limit=limit),
        "rulebook": lambda: _rulebook(adapter),
    }
    summary = runs[kind]().summary()
    del summary["examples"], summary["confusions"]
    if name == "release":
        summary["release_files"] = [str(path.relative_to(data)) for path in release]
    return {"baseline": name, **summary}


def _rulebook(adapter) -> Report:
    from g2p.ko.rulebook import evaluate_cases

    return evaluate_cases(adapter, _RULEBOOK)


def measure(data: Path, only: list[str] | None = None, limit: int | None = None,
            save: Callable[[list[dict[str, object]]], None] | None = None,
            ) -> list[dict[str, object]]:
    """Every row of :data:`ROWS` (of the ``only`` baselines); unavailable ones skipped.
    ``save`` gets the rows so far after each one (g2pK takes minutes: a cut run keeps some)."""
    results = []
    for name, lang, kind in ROWS:
        if only and name not in only:
            continue
        try:
            results.append(run_row(name, lang, kind, data, limit))
        except BaselineUnavailable as error:
            results.append({"baseline": name, "lang": lang, "kind": kind,
                            "skipped": str(error)})
        print(format_row(results[-1]), flush=True)
        if save:
            save(results)
    return results


def format_row(row: dict[str, object]) -> str:
    head = f"| {row['baseline']} | {row['lang']} | {row['kind']} |"
    if "skipped" in row:
        return f"{head} skipped: {row['skipped']} | | |"
    rate = 100 * float(row["error_rate"])
    figure = (f"accuracy {100 - rate:.2f} %" if row["kind"] in ("polyphone", "rulebook")
              else f"PER {rate:.2f} %, WER {100 * float(row['entry_error_rate']):.2f} %")
    return f"{head} {figure} | {row['entries']:,} | {row['seconds']:.0f} s |"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.g2p_baselines",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=shared_data(),
                        help="the shared data folder (default: ../shared/data)")
    parser.add_argument("--only", nargs="+", choices=BASELINES, help="run these baselines")
    parser.add_argument("--limit", type=int, help="score only the first N gold entries")
    parser.add_argument("--save", type=Path, help="JSON path (default: the scratch results)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not (args.data / "gold").is_dir():
        print(f"error: no gold data in {args.data} (pass --data)", file=sys.stderr)
        return 2
    print("| baseline | lang | gold | figures | entries | time |\n|---|---|---|---|---:|---:|")
    path = save_json_path(args.save, "g2p_baselines.json")

    def save(rows: list[dict[str, object]]) -> None:  # after every row: a stop loses none
        save_json(path, {"limit": args.limit, "rows": rows})

    measure(args.data, args.only, args.limit, save)
    print(f"saved to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
