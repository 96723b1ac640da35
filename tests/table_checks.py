"""Checks shared by the per-language table tests (epitran/g2p style: every row is tested)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from g2p.inventory import invalid_segments
from g2p.tables import load_rows


def duplicate_keys(lang: str, name: str, keys: Sequence[str]) -> list[tuple[str, ...]]:
    """Key tuples that occur more than once in ``g2p/data/<lang>/<name>``.

    Also asserts the table is non-empty and has the key columns, so a renamed column or an
    emptied file fails loudly instead of passing vacuously.
    """
    header, rows = load_rows(lang, name)
    assert rows, f"{lang}/{name} has no rows"
    assert set(keys) <= set(header), f"{lang}/{name} lacks key columns {keys}"
    counts = Counter(tuple(row[key] for key in keys) for row in rows)
    return [key for key, count in counts.items() if count > 1]


def bad_ipa_cells(row: dict[str, str], columns: Sequence[str], *, may_be_empty: bool = False
                  ) -> list[tuple[str, str]]:
    """(column, cell) pairs of ``row`` that are empty (unless allowed) or not valid IPA."""
    return [(column, row[column]) for column in columns
            if (not row[column] and not may_be_empty) or invalid_segments(row[column])]
