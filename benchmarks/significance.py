"""Paired, seed-matched significance of each variant against `orth`, with Holm's correction.

A cell of the leaderboard is the mean over seeds of a corpus score. Two sources of noise move
it: which test sentences were drawn, and which seed trained the model. The bootstrap here
resamples both, hierarchically and paired: each replicate draws the test sentences with
replacement (the same draw for every variant, so a sentence is compared with itself) and the
seeds with replacement (the same seeds for the variant and `orth`, so seed *s* of one is
compared with seed *s* of the other), and recomputes the mean score difference from the summed
per-sentence counts. The 95 % interval is the replicates' 2.5–97.5 percentiles; the two-sided
p-value is twice the smaller tail share of replicates on either side of 0. Holm's step-down
method then controls the family-wise error over every comparison of the grid.

This is the paired "multi-bootstrap" of Sellam et al. (2022, the MultiBERTs paper). With few
seeds it is optimistic (resampling n seeds keeps (n-1)/n of their variance), so the report
states n beside every cell.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from phonexl import scoring

REPLICATES = 10_000
ALPHA = 0.05
MIN_SEEDS = 3  # fewer paired seeds say nothing about seed variance: no test


class Resampler:
    """One setting's bootstrap draws, shared by all its variants (common random numbers):
    the sentence weights once, the seed draws once per number of seeds."""

    def __init__(self, n_sentences: int, replicates: int = REPLICATES, rng_seed: int = 0) -> None:
        self.rng = np.random.default_rng(rng_seed)
        self.replicates = replicates
        self.weights = self.rng.multinomial(
            n_sentences, np.full(n_sentences, 1 / n_sentences), size=replicates
        ).astype(np.float64)  # (replicates, sentences): how often each sentence is drawn
        self._seed_draws: dict[int, np.ndarray] = {}

    def scores(self, task: str, counts: Mapping[int, np.ndarray], seeds: list[int]) -> np.ndarray:
        """(replicates,) mean over the drawn seeds of the score on the drawn sentences."""
        if len(seeds) not in self._seed_draws:
            self._seed_draws[len(seeds)] = self.rng.integers(
                len(seeds), size=(self.replicates, len(seeds)))
        per_seed = np.stack(
            [scoring.score(task, self.weights @ counts[seed]) for seed in seeds], axis=1
        )  # (replicates, seeds)
        return np.take_along_axis(per_seed, self._seed_draws[len(seeds)], axis=1).mean(axis=1)


def interval(replicates: np.ndarray) -> tuple[float, float]:
    low, high = np.percentile(replicates, [2.5, 97.5])
    return float(low), float(high)


def p_value(differences: np.ndarray) -> float:
    """Two-sided bootstrap p-value of a difference of 0 (add-one smoothed)."""
    n = len(differences)
    below = (np.sum(differences <= 0) + 1) / (n + 1)
    above = (np.sum(differences >= 0) + 1) / (n + 1)
    return float(min(1.0, 2 * min(below, above)))


def holm(p_values: Mapping[object, float]) -> dict[object, float]:
    """Holm-adjusted p-values (step-down, monotone, capped at 1)."""
    ordered = sorted(p_values.items(), key=lambda item: item[1])
    m = len(ordered)
    adjusted, running = {}, 0.0
    for rank, (key, p) in enumerate(ordered):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[key] = running
    return adjusted


def compare_setting(
    task: str, counts: Mapping[str, Mapping[int, np.ndarray]], baseline: str = "orth",
    replicates: int = REPLICATES,
) -> dict[str, dict[str, object]]:
    """Per variant: the 95 % interval of its mean score and, against `baseline` (seeds both
    have, at least MIN_SEEDS), the mean difference, its 95 % interval and the unadjusted p-value.
    The cell mean itself is the report's (the mean of the runs' own scores)."""
    sizes = {len(c) for by_seed in counts.values() for c in by_seed.values()}
    if len(sizes) != 1:
        raise ValueError(f"{task}: runs were scored on different numbers of test sentences")
    draws = Resampler(sizes.pop(), replicates)

    def mean_score(by_seed: Mapping[int, np.ndarray], seeds: list[int]) -> float:
        return float(np.mean([scoring.score(task, by_seed[s].sum(axis=0)) for s in seeds]))

    result: dict[str, dict[str, object]] = {}
    for variant, by_seed in counts.items():
        seeds = sorted(by_seed)
        result[variant] = {"seeds": seeds, "ci": interval(draws.scores(task, by_seed, seeds))}
    base = counts.get(baseline)
    for variant, by_seed in counts.items():
        paired = sorted(set(by_seed) & set(base or {}))
        if variant == baseline or len(paired) < MIN_SEEDS:
            continue
        differences = draws.scores(task, by_seed, paired) - draws.scores(task, base, paired)
        result[variant].update(
            difference=mean_score(by_seed, paired) - mean_score(base, paired),
            difference_ci=interval(differences), p=p_value(differences), paired_seeds=paired)
    return result
