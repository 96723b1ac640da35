"""Which evidence could decide better between pypinyin's dictionary and g2pM (g2p.zh.decision)?

    python -m benchmarks.zh_decision_features \\
        [--cpp ../shared/data/gold/cpp_polyphone_dev.tsv] [--ood tests/data/zh_polyphones_ood.tsv]

The decision's own features (g2pM's margin, the dictionary phrase's length and frequency)
are extended in turn by one family of further evidence, and each set is scored two ways: the
cross-validated accuracy on CPP dev (folds as in ``python -m g2p.zh.fit_decision``) and, with
weights fitted on all of CPP dev, the accuracy on the out-of-domain set. The oracle (the right
reading whenever either back-end has it) bounds what any decision over the two can reach.
Prints a table and saves JSON (``$PHONEXL_CACHE/results/zh_decision_features.json`` unless
``--save`` names a path).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
from pypinyin.constants import PHRASES_DICT

from g2p.paths import save_json, save_json_path, shared_data
from g2p.zh.decision import MAX_MARGIN, fit
from g2p.zh.fit_decision import Evidence, accuracy, collect, cross_validate
from g2p.zh.polyphone import PolyphoneModel
from g2p.zh.readings import Dispute, heteronyms, normalize_pinyin, word_readings

_MAX_PHRASE = 5


def _phrase_support(text: str, dispute: Dispute) -> list[float]:
    """Whether some dictionary phrase over the character (any segmentation, not only the one
    maximum matching chose) reads it as g2pM does, and whether more than one reads it as the
    dictionary does: a segmentation ambiguity versus a reading every phrase agrees on."""
    index, for_dictionary, for_model = dispute.index, 0, 0
    for size in range(2, _MAX_PHRASE + 1):
        for start in range(max(0, index - size + 1), min(index, len(text) - size) + 1):
            word = text[start:start + size]
            readings = word_readings(word) if word in PHRASES_DICT else ()
            if len(readings) != size:
                continue
            reading = normalize_pinyin(readings[index - start])
            for_dictionary += reading == dispute.dictionary
            for_model += reading == dispute.best
    return [float(for_model > 0), float(for_dictionary > 1)]


@cache
def _model() -> PolyphoneModel:
    return PolyphoneModel()


def _phrase_alone(text: str, dispute: Dispute) -> list[float]:
    """Whether g2pM, given the dictionary phrase on its own, reads the character as the
    dictionary does, and as g2pM does in the sentence: does g2pM know the word at all, or
    is it the context that moves it?"""
    phrase = dispute.phrase
    if not phrase:
        return [0.0, 0.0]
    for start in range(max(0, dispute.index - len(phrase) + 1), dispute.index + 1):
        if text[start:start + len(phrase)] == phrase:
            scores = _model().score(phrase, [dispute.index - start])[dispute.index - start]
            best = max(scores, key=scores.__getitem__)
            return [float(best == dispute.dictionary), float(best == dispute.best)]
    return [0.0, 0.0]


# name -> the extra features of one dispute (its sentence, simplified as the model reads it)
FAMILIES: dict[str, Callable[[str, Dispute], list[float]]] = {
    "decision's own": lambda text, d: [],
    "+ g2pM's confidence (log p of its best)": lambda text, d: [d.scores[d.best]],
    "+ log p of the dictionary's reading": lambda text, d: [
        max(d.scores.get(d.dictionary, -MAX_MARGIN), -MAX_MARGIN)],
    "+ dictionary reading is the most common one": lambda text, d: [
        float(d.dictionary == heteronyms(text[d.index])[0])],
    "+ neutral tone on either side": lambda text, d: [
        float(d.best.endswith("5")), float(d.dictionary.endswith("5"))],
    "+ number of candidate readings": lambda text, d: [float(len(d.scores))],
    "+ phrase support over every segmentation": _phrase_support,
    "+ g2pM's reading of the dictionary phrase alone": _phrase_alone,
}


def _rows(evidence: Evidence, family: Callable[[str, Dispute], list[float]]) -> np.ndarray:
    return np.array([row + family(text, dispute)
                     for row, (text, dispute) in zip(evidence.rows, evidence.disputes,
                                                     strict=True)])


def study(cpp: Evidence, ood: Evidence, folds: int = 5) -> dict[str, object]:
    model_right = np.array(ood.model_right)
    dictionary_right = np.array(ood.dictionary_right)
    results, report = {}, {}
    for name, family in FAMILIES.items():
        rows = _rows(cpp, family)
        weights = fit(rows, np.array(cpp.model_right))
        chose_model = _rows(ood, family) @ weights > 0
        report = cross_validate(cpp, folds, rows)  # its references do not depend on ``rows``
        results[name] = {
            "cpp_cv_accuracy": report["cv_accuracy"],
            "ood_accuracy": accuracy(ood, np.where(chose_model, model_right, dictionary_right)),
        }
    return {
        "families": results,
        "cpp": {key: report[key] for key in ("sentences", "disputed", "always_model_accuracy",
                                             "always_dictionary_accuracy", "oracle_accuracy")},
        "ood": {"sentences": ood.sentences, "disputed": len(ood.rows),
                "always_model_accuracy": accuracy(ood, model_right),
                "always_dictionary_accuracy": accuracy(ood, dictionary_right),
                "oracle_accuracy": accuracy(ood, model_right | dictionary_right)},
        "folds": folds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.zh_decision_features",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--cpp", type=Path,
                        default=shared_data() / "gold" / "cpp_polyphone_dev.tsv")
    parser.add_argument("--ood", type=Path, default=Path("tests/data/zh_polyphones_ood.tsv"),
                        help="sentence/index/char/pinyin TSV outside CPP")
    parser.add_argument("--save", type=Path, help="JSON path (default: scratch results)")
    args = parser.parse_args(argv)
    for path in (args.cpp, args.ood):
        if not path.is_file():
            parser.error(f"{path} not found")
    result = study(collect(args.cpp), collect(args.ood, indexed=True))
    result.update(cpp_gold=str(args.cpp), ood_gold=str(args.ood))
    print(f"{'features':<46} {'CPP dev (CV)':>12} {'out of domain':>14}")
    for name, figures in result["families"].items():
        print(f"{name:<46} {figures['cpp_cv_accuracy']:>12.2f} {figures['ood_accuracy']:>14.2f}")
    for part in ("cpp", "ood"):
        figures = result[part]
        print(f"{part}: oracle {figures['oracle_accuracy']}, always g2pM "
              f"{figures['always_model_accuracy']}, always dictionary "
              f"{figures['always_dictionary_accuracy']}")
    path = save_json(save_json_path(args.save, "zh_decision_features.json"), result)
    print(f"saved: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
