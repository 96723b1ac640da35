"""Edit distance with alignment: the one implementation behind PER, WER and CER."""

from __future__ import annotations

from collections.abc import Sequence

# (gold, predicted) pairs; "" marks an insertion (gold side) or a deletion (predicted side).
Edit = tuple[str, str]


def align(gold: Sequence[str], pred: Sequence[str]) -> tuple[int, list[Edit]]:
    """Levenshtein distance and the list of non-matching aligned pairs."""
    rows, cols = len(gold) + 1, len(pred) + 1
    dist = [[0] * cols for _ in range(rows)]
    for i in range(rows):
        dist[i][0] = i
    for j in range(cols):
        dist[0][j] = j
    for i in range(1, rows):
        for j in range(1, cols):
            cost = 0 if gold[i - 1] == pred[j - 1] else 1
            dist[i][j] = min(dist[i - 1][j] + 1, dist[i][j - 1] + 1, dist[i - 1][j - 1] + cost)
    edits: list[Edit] = []
    i, j = len(gold), len(pred)
    while i or j:
        if i and j and dist[i][j] == dist[i - 1][j - 1] + (gold[i - 1] != pred[j - 1]):
            if gold[i - 1] != pred[j - 1]:
                edits.append((gold[i - 1], pred[j - 1]))
            i, j = i - 1, j - 1
        elif i and dist[i][j] == dist[i - 1][j] + 1:
            edits.append((gold[i - 1], ""))
            i -= 1
        else:
            edits.append(("", pred[j - 1]))
            j -= 1
    edits.reverse()
    return dist[-1][-1], edits
