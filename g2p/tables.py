"""The one loader for the TSV tables in ``g2p/data/<lang>/``, and their declarations.

Tables are data, read by this one small loader (the epitran / roedoejet-g2p model): a
required header, ``#`` comments, and errors that name the file and line at load time rather
than wrong output later. Each language declares its tables once, with their columns, in
``g2p/<lang>/tables.py`` (a :class:`Tables`); a table is read on first use and kept, so
importing an adapter opens no file, and a table that is not declared cannot be read.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from functools import cache, update_wrapper
from importlib import import_module, resources
from pathlib import Path
from typing import TypeVar

Row = dict[str, str]
Rows = tuple[Row, ...]
Key = str | tuple[str, ...]  # one key column, or several (the view is keyed by tuples)
T = TypeVar("T")


class TableError(ValueError):
    """A mapping table is malformed or undeclared; the message names the file (and line)."""


def read_table(path: Path) -> tuple[tuple[str, ...], Rows]:
    """Read one TSV file: returns (header, rows as dicts), all NFC.

    Lines starting with ``#`` and blank lines are skipped. Every row must have as many
    tab-separated fields as the header.
    """
    header: tuple[str, ...] | None = None
    rows: list[Row] = []
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


class Tables:
    """The tables one language declares: file name in ``g2p/data/<lang>/`` -> its columns
    (the header, space-separated).

    The accessors read a table the first time it is asked for and keep it; asking for a
    table that is not declared, or reading one whose header differs from its declared
    columns, is a :class:`TableError`.
    """

    def __init__(self, lang: str, columns: Mapping[str, str]) -> None:
        self.lang = lang
        self.columns = {name: tuple(header.split()) for name, header in columns.items()}

    def path(self, name: str) -> Path:
        """Where the declared table ``name`` lives (build scripts write it there)."""
        self.columns_of(name)
        return Path(str(resources.files("g2p") / "data" / self.lang / name))

    def rows(self, name: str) -> Rows:
        """The rows of a declared table, read on the first call for it."""
        return load_rows(self.lang, name)[1]

    def mapping(self, name: str, key: Key, value: str) -> Callable[[], dict[Key, str]]:
        """An accessor (see :meth:`view`) of the view ``key -> value`` of ``name``: a tuple
        ``key`` names several key columns and keys the view by tuples of theirs; a key mapped
        to two values is an error. The columns are checked against the declaration now."""
        missing = {*(key if isinstance(key, tuple) else (key,)), value} - set(self.columns_of(name))
        if missing:
            raise TableError(f"g2p/data/{self.lang}/{name}: no column {sorted(missing)}")

        def build(rows: Rows) -> dict[Key, str]:
            mapping: dict[Key, str] = {}
            for row in rows:
                k = tuple(row[column] for column in key) if isinstance(key, tuple) else row[key]
                if k in mapping and mapping[k] != row[value]:
                    raise TableError(f"g2p/data/{self.lang}/{name}: {key}={k!r} maps to both "
                                     f"{mapping[k]!r} and {row[value]!r}")
                mapping[k] = row[value]
            return mapping

        return self.view(name)(build)

    def view(self, *names: str) -> Callable[[Callable[..., T]], Callable[[], T]]:
        """Decorator: ``build(rows of names[0], rows of names[1], ...)`` becomes an accessor
        without arguments that builds on its first call and returns the same object after.

        The names are checked at decoration time (import), without reading any file.
        """
        for name in names:
            self.columns_of(name)

        def decorate(build: Callable[..., T]) -> Callable[[], T]:
            def accessor() -> T:
                return build(*map(self.rows, names))

            return cache(update_wrapper(accessor, build))

        return decorate

    def columns_of(self, name: str) -> tuple[str, ...]:
        """The declared columns of ``name``; an undeclared name is an error."""
        if name not in self.columns:
            raise TableError(f"g2p/data/{self.lang}/{name}: not declared in g2p.{self.lang}.tables")
        return self.columns[name]


def spec(lang: str) -> Tables:
    """The :class:`Tables` that ``g2p/<lang>/tables.py`` declares."""
    return import_module(f"g2p.{lang}.tables").TABLES


@cache
def load_rows(lang: str, name: str) -> tuple[tuple[str, ...], Rows]:
    """(header, rows) of a declared table, read once; the header must be the declared one."""
    tables = spec(lang)
    columns = tables.columns_of(name)
    path = tables.path(name)
    header, rows = read_table(path)
    if header != columns:
        raise TableError(f"{path}: header {header} is not the declared columns {columns}")
    return header, rows

