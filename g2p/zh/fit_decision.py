"""Fit the weights of :mod:`g2p.zh.decision` on the CPP polyphone set, cross-validated.

    python -m g2p.zh.fit_decision --cpp ../shared/data/gold/cpp_polyphone_dev.tsv \\
        [--folds 5] [--save REPORT.json] [--write-weights]

Only the sentences whose marked character the two back-ends read differently teach the
model; the others count towards the accuracy as the reader reads them. Folds are the line
numbers modulo ``--folds``, so the figure does not depend on a random seed. The printed
cross-validated accuracy is the honest one; ``python -m g2p.evaluate --cpp`` on the same
file with the written weights is an in-sample figure. ``--write-weights`` replaces
``g2p/data/zh/decision_weights.tsv`` with the weights fitted on the whole file.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from g2p.evaluate import read_indexed, read_pairs, split_marked
from g2p.paths import save_json
from g2p.zh.decision import FEATURES, features, fit, format_weights, margin
from g2p.zh.readings import Dispute, SentenceReader, dictionary_readings
from g2p.zh.tables import TABLES


@dataclass
class Evidence:
    """The disputed sentences as feature rows (and the disputes themselves, with their
    sentence, for studies of other features), and what the reader gets right elsewhere."""

    rows: list[list[float]]
    lines: list[int]
    model_right: list[bool]
    dictionary_right: list[bool]
    disputes: list[tuple[str, Dispute]] = field(default_factory=list)
    undisputed: int = 0
    undisputed_right: int = 0

    @property
    def sentences(self) -> int:
        return self.undisputed + len(self.rows)


def collect(path: Path, indexed: bool = False) -> Evidence:
    """Evidence from a CPP file, or (``indexed``) from a sentence/index/char/pinyin TSV."""
    reader = SentenceReader("hybrid")
    evidence = Evidence([], [], [], [])
    for lineno, sentence, gold in (read_indexed if indexed else read_pairs)(path):
        before, marked, after = split_marked(sentence, path, lineno)
        text = "".join([*before, marked, *after])
        model_text = reader.model_text(text)
        readings, phrases = dictionary_readings(model_text)
        found = reader.disputes(model_text, readings, phrases, [len(before)])
        if not found:  # the other characters cannot change this one's reading
            evidence.undisputed += 1
            evidence.undisputed_right += reader.finish(text, model_text, readings)[
                len(before)] == gold
            continue
        dispute = found[0]
        evidence.rows.append(features(
            margin(dispute.scores, dispute.best, dispute.dictionary), dispute.phrase
        ))
        evidence.lines.append(lineno)
        evidence.disputes.append((text, dispute))
        evidence.model_right.append(dispute.best == gold)
        evidence.dictionary_right.append(dispute.dictionary == gold)
    return evidence


def accuracy(evidence: Evidence, right: np.ndarray) -> float:
    """Percent of all sentences read right when the disputed ones go as ``right`` says."""
    return round(100 * (evidence.undisputed_right + int(right.sum())) / evidence.sentences, 2)


def cross_validate(evidence: Evidence, folds: int,
                   rows: np.ndarray | None = None) -> dict[str, object]:
    """Accuracy on the whole set when each disputed sentence is decided by weights fitted
    on the other folds, beside always-g2pM and always-dictionary. ``rows``: other feature
    rows for the same disputes (a study of features), else the decision's own."""
    x = np.array(evidence.rows) if rows is None else rows
    model_right = np.array(evidence.model_right)
    dictionary_right = np.array(evidence.dictionary_right)
    fold = np.array(evidence.lines) % folds
    chose_model = np.zeros(len(x), dtype=bool)
    for k in range(folds):
        weights = fit(x[fold != k], model_right[fold != k])
        chose_model[fold == k] = x[fold == k] @ weights > 0
    return {
        "sentences": evidence.sentences,
        "disputed": len(x),
        "undisputed_right": evidence.undisputed_right,
        "cv_accuracy": accuracy(evidence, np.where(chose_model, model_right, dictionary_right)),
        "always_model_accuracy": accuracy(evidence, model_right),
        "always_dictionary_accuracy": accuracy(evidence, dictionary_right),
        "oracle_accuracy": accuracy(evidence, model_right | dictionary_right),
        "folds": folds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m g2p.zh.fit_decision",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--cpp", type=Path, required=True, help="CPP polyphone TSV")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--save", type=Path, help="write the report as JSON to this file")
    parser.add_argument("--write-weights", action="store_true",
                        help="replace g2p/data/zh/decision_weights.tsv with the fitted weights")
    args = parser.parse_args(argv)
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    evidence = collect(args.cpp)
    if not evidence.rows:
        parser.error(f"{args.cpp}: no sentence where the back-ends disagree; nothing to fit")
    report = cross_validate(evidence, args.folds)
    x, model_right = np.array(evidence.rows), np.array(evidence.model_right)
    weights = fit(x, model_right)
    chose_model = x @ weights > 0
    right = np.where(chose_model, model_right, np.array(evidence.dictionary_right))
    report["in_sample_accuracy"] = accuracy(evidence, right)
    report["weights"] = dict(zip(FEATURES, np.round(weights, 6).tolist(), strict=True))
    report["gold"] = str(args.cpp)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if args.save:
        save_json(args.save, report)
    if args.write_weights:
        path = TABLES.path("decision_weights.tsv")
        path.write_text(format_weights(weights), encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
