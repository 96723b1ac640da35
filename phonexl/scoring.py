"""Scores as sums of per-sentence counts, so that tests can resample sentences.

NER is entity F1 as seqeval computes it (default mode): per sentence the counts
(true positives, predicted entities, gold entities); the corpus F1 is 2·tp / (pred + gold)
over the summed counts. POS is token accuracy (the UPOS standard): per sentence
(correct tokens, tokens). A run saves these counts for every target test sentence, which is
what the leaderboard's paired significance test resamples.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

COLUMNS = {"ner": ("tp", "predicted", "gold"), "pos": ("correct", "tokens")}
METRICS = {"ner": "entity F1 (seqeval)", "pos": "accuracy"}


def sentence_counts(task: str, gold: Sequence[str], predicted: Sequence[str]) -> tuple[int, ...]:
    """The counts of one sentence (label names, equal lengths)."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted label sequences differ in length")
    if task == "pos":
        return sum(g == p for g, p in zip(gold, predicted, strict=True)), len(gold)
    gold_entities, predicted_entities = _entities(tuple(gold)), _entities(tuple(predicted))
    return len(gold_entities & predicted_entities), len(predicted_entities), len(gold_entities)


@lru_cache(maxsize=1 << 16)
def _entities(labels: tuple[str, ...]) -> frozenset[tuple[str, int, int]]:
    """seqeval's entities of one label sequence; cached, since every dev check scores the
    same gold sequences again (and many predicted ones repeat)."""
    from seqeval.metrics.sequence_labeling import get_entities  # slow to import: on first use

    return frozenset(get_entities(list(labels)))


def score(task: str, counts: np.ndarray) -> np.ndarray:
    """Percent score from counts summed over sentences (last axis = the task's columns)."""
    counts = np.asarray(counts, dtype=float)
    if task == "pos":
        return 100 * counts[..., 0] / np.maximum(counts[..., 1], 1)
    return 200 * counts[..., 0] / np.maximum(counts[..., 1] + counts[..., 2], 1)


def corpus_score(task: str, per_sentence: Sequence[Sequence[int]]) -> float:
    """The corpus score of a list of per-sentence counts."""
    array = np.asarray(per_sentence, dtype=float).reshape(-1, len(COLUMNS[task]))
    return float(score(task, array.sum(axis=0)))


def pack(per_sentence: Sequence[Sequence[int]]) -> str:
    """Counts as one line of text ("3 4 5;0 1 0;…"): a run record stays readable."""
    return ";".join(" ".join(str(int(v)) for v in row) for row in per_sentence)


def unpack(text: str, task: str) -> np.ndarray:
    """The inverse of :func:`pack`: an (n_sentences, n_columns) integer array."""
    width = len(COLUMNS[task])
    if not text:
        return np.zeros((0, width), dtype=np.int64)
    rows = [[int(v) for v in row.split()] for row in text.split(";")]
    if any(len(row) != width for row in rows):
        raise ValueError(f"per-sentence counts for {task} need {width} columns")
    return np.asarray(rows, dtype=np.int64)
