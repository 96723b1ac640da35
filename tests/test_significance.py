"""Scores from per-sentence counts, the paired bootstrap, Holm, and the reference taggers."""

from __future__ import annotations

import random

import numpy as np
import pytest
from seqeval.metrics import f1_score

from benchmarks import significance
from benchmarks.references import references, tag_with_gazetteer
from phonexl import scoring
from phonexl.data import Sentence

NER = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")


def _random_tags(rng: random.Random, n: int) -> list[str]:
    return [rng.choice(NER) for _ in range(n)]


def test_ner_f1_from_summed_counts_is_seqeval_f1():
    rng = random.Random(0)
    gold = [_random_tags(rng, rng.randint(1, 12)) for _ in range(300)]
    predicted = [[t if rng.random() < 0.6 else rng.choice(NER) for t in g] for g in gold]
    counts = [scoring.sentence_counts("ner", g, p) for g, p in zip(gold, predicted, strict=True)]
    assert scoring.corpus_score("ner", counts) == pytest.approx(100 * f1_score(gold, predicted))


def test_pos_accuracy_and_packing_round_trip():
    counts = [scoring.sentence_counts("pos", ["NOUN", "VERB"], ["NOUN", "NOUN"]), (3, 3)]
    assert counts[0] == (1, 2) and scoring.corpus_score("pos", counts) == pytest.approx(80.0)
    assert scoring.unpack(scoring.pack(counts), "pos").tolist() == [[1, 2], [3, 3]]
    with pytest.raises(ValueError, match="2 columns"):
        scoring.unpack("1 2 3", "pos")


def test_holm_is_step_down_and_monotone():
    adjusted = significance.holm({"a": 0.01, "b": 0.04, "c": 0.03, "d": 0.5})
    assert adjusted == pytest.approx({"a": 0.04, "c": 0.09, "b": 0.09, "d": 0.5})


def _counts(rng: np.random.Generator, accuracy: float, n: int = 200) -> np.ndarray:
    return np.stack([rng.binomial(10, accuracy, n), np.full(n, 10)], axis=1)


def test_bootstrap_finds_a_real_gain_and_not_a_null_one():
    rng = np.random.default_rng(1)
    seeds = (1, 2, 3, 4, 5)
    counts = {
        "orth": {s: _counts(rng, 0.50) for s in seeds},
        "same": {s: _counts(rng, 0.50) for s in seeds},
        "better": {s: _counts(rng, 0.56) for s in seeds},
    }
    result = significance.compare_setting("pos", counts, replicates=2000)
    assert result["better"]["p"] < 0.01 and result["better"]["difference_ci"][0] > 2
    assert result["same"]["p"] > 0.05
    low, high = result["same"]["difference_ci"]
    assert low < result["same"]["difference"] < high
    assert "difference" not in result["orth"]


def test_seed_noise_widens_the_interval():
    """Seed-level spread with no sentence-level gain must not look significant."""
    rng = np.random.default_rng(2)
    base = _counts(rng, 0.5)
    counts = {"orth": {s: base for s in range(5)},
              "noisy": {s: _counts(rng, acc) for s, acc in enumerate((.3, .7, .35, .65, .5))}}
    result = significance.compare_setting("pos", counts, replicates=2000)
    assert result["noisy"]["p"] > 0.05


def test_references_majority_and_gazetteer():
    labels = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")
    train = [Sentence(("Hà", "Nội", "đẹp"), ("",) * 3, (3, 4, 0), "vi"),
             Sentence(("Obama", "đến"), ("",) * 2, (1, 0), "vi")]
    test = [Sentence(("Obama", "ở", "Hà", "Nội"), ("",) * 4, (1, 0, 3, 4), "ko")]
    found = references("ner", train, test, labels)
    assert found["all O"]["score"] == 0.0 and found["source entity strings"]["score"] == 100.0
    gazetteer = {("Hà", "Nội"): "LOC", ("Hà",): "PER"}
    assert tag_with_gazetteer(["Hà", "Nội", "Hà"], gazetteer, 2) == ["B-LOC", "I-LOC", "B-PER"]
    pos = ("NOUN", "VERB")
    pos_train = [Sentence(("a", "b", "c"), ("",) * 3, (0, 0, 1), "zh")]
    pos_test = [Sentence(("x", "y"), ("",) * 2, (1, 1), "vi")]
    found = references("pos", pos_train, pos_test, pos)
    assert found["source majority"]["score"] == 0.0
    assert found["target majority (oracle)"]["score"] == 100.0
