"""Edit distance with alignment: the one implementation behind PER, WER, CER and comparisons."""

from __future__ import annotations

from collections.abc import Callable, Sequence

# (gold, predicted) pairs; "" marks an insertion (gold side) or a deletion (predicted side).
Edit = tuple[str, str]
SubstitutionCost = Callable[[str, str], float]


def unit_cost(a: str, b: str) -> float:
    return 0.0 if a == b else 1.0


def align(
    gold: Sequence[str], pred: Sequence[str], substitution_cost: SubstitutionCost = unit_cost
) -> tuple[int, list[Edit]]:
    """Levenshtein distance (integer edit count) and the list of non-matching aligned pairs.

    ``substitution_cost`` only steers which pairs are aligned (e.g. cheaper for related
    segments); the returned distance always counts each edit once.
    """
    rows, cols = len(gold) + 1, len(pred) + 1
    cost = [[float(i + j) if not (i and j) else 0.0 for j in range(cols)] for i in range(rows)]
    for i in range(1, rows):
        for j in range(1, cols):
            cost[i][j] = min(cost[i - 1][j] + 1, cost[i][j - 1] + 1,
                             cost[i - 1][j - 1] + substitution_cost(gold[i - 1], pred[j - 1]))
    edits: list[Edit] = []
    i, j = len(gold), len(pred)
    while i or j:
        diagonal = i and j and cost[i][j] == cost[i - 1][j - 1] + substitution_cost(
            gold[i - 1], pred[j - 1]
        )
        if diagonal:
            if gold[i - 1] != pred[j - 1]:
                edits.append((gold[i - 1], pred[j - 1]))
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + 1:
            edits.append((gold[i - 1], ""))
            i -= 1
        else:
            edits.append(("", pred[j - 1]))
            j -= 1
    edits.reverse()
    return len(edits), edits
