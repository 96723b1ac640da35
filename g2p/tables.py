"""Strict loader for the TSV mapping tables in ``g2p/data/<lang>/``.

Tables are data, read by this one small function (the epitran / roedoejet-g2p model): a
required header, ``#`` comments, and errors that name the file and line at load time rather
than wrong output later.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path


class TableError(ValueError):
    """A mapping table is malformed; the message names file and line."""


def table_path(lang: str, name: str) -> Path:
    return Path(str(resources.files("g2p") / "data" / lang / name))


@cache
def load_rows(lang: str, name: str) -> tuple[tuple[str, ...], tuple[dict[str, str], ...]]:
    """Read ``g2p/data/<lang>/<name>``: returns (header, rows as dicts), all NFC.

    Lines starting with ``#`` and blank lines are skipped. Every row must have as many
    tab-separated fields as the header.
    """
    path = table_path(lang, name)
    header: tuple[str, ...] | None = None
    rows: list[dict[str, str]] = []
    with open(path, encoding="utf-8") as handle:
        for lineno, raw in enumerate(handle, start=1):
            line = unicodedata.normalize("NFC", raw.rstrip("\n"))
            if not line.strip() or line.startswith("#"):
                continue
            fields = tuple(field.strip() for field in line.split("\t"))
            if header is None:
                header = fields
                continue
            if len(fields) != len(header):
                raise TableError(
                    f"{path}:{lineno}: expected {len(header)} fields {header}, got {len(fields)}"
                )
            rows.append(dict(zip(header, fields, strict=True)))
    if header is None:
        raise TableError(f"{path}: empty table (no header)")
    return header, tuple(rows)


@cache
def load_mapping(lang: str, name: str, key: str, value: str) -> dict[str, str]:
    """Read a two-column view ``key -> value`` of a table; a key mapped twice is an error."""
    _, rows = load_rows(lang, name)
    mapping: dict[str, str] = {}
    for row in rows:
        k, v = row[key], row[value]
        if k in mapping and mapping[k] != v:
            raise TableError(
                f"{table_path(lang, name)}: {key}={k!r} maps to both {mapping[k]!r} and {v!r}"
            )
        mapping[k] = v
    return mapping
