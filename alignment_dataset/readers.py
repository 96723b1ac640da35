"""Corpus readers: one function per file format, all yielding :class:`Sentence`.

Formats: CoNLL-U (UD; UPOS labels), two-column IOB/TSV (``token<TAB>label``) and the PhoneXL
release TSV (``token label ipa romanisation``; only the first two columns are read). Errors name
the file and line; readers stream, so memory does not grow with the corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path


class CorpusFormatError(ValueError):
    """A corpus file is malformed; the message names file and line."""


@dataclass(frozen=True)
class Sentence:
    """One sentence as read: surface tokens and their labels, plus where it came from."""

    id: str
    tokens: tuple[str, ...]
    labels: tuple[str, ...]
    source: str  # "path:line" of the sentence's first token line


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with open(path, "rb") as handle:
        for lineno, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise CorpusFormatError(
                    f"{path}:{lineno}: not UTF-8 ({error.reason} at byte {error.start})"
                ) from None
            yield lineno, line.rstrip("\r\n")


def read_conllu(path: Path) -> Iterator[Sentence]:
    """UD CoNLL-U: surface words (column 2) and UPOS (column 4).

    Multi-word token ranges (``1-2``) and empty nodes (``1.1``) are skipped, keeping the
    syntactic words, as XTREME's UDPOS does.
    """
    path = Path(path)
    tokens: list[str] = []
    labels: list[str] = []
    sent_id, start = "", 0
    for lineno, line in _lines(path):
        if not line.strip():
            if tokens:
                yield Sentence(sent_id or f"{path.stem}:{start}", tuple(tokens), tuple(labels),
                               f"{path}:{start}")
            tokens, labels, sent_id = [], [], ""
            continue
        if line.startswith("#"):
            if line.startswith("# sent_id ="):
                sent_id = line.split("=", 1)[1].strip()
            continue
        fields = line.split("\t")
        if len(fields) != 10:
            raise CorpusFormatError(
                f"{path}:{lineno}: expected 10 CoNLL-U columns, got {len(fields)}"
            )
        if "-" in fields[0] or "." in fields[0]:
            continue
        if not tokens:
            start = lineno
        tokens.append(fields[1])
        labels.append(fields[3])
    if tokens:
        yield Sentence(sent_id or f"{path.stem}:{start}", tuple(tokens), tuple(labels),
                       f"{path}:{start}")


def _read_columns(path: Path, columns: int, name: str) -> Iterator[Sentence]:
    path = Path(path)
    tokens: list[str] = []
    labels: list[str] = []
    start = 0
    for lineno, line in _lines(path):
        if not line.strip():
            if tokens:
                yield Sentence(f"{path.stem}:{start}", tuple(tokens), tuple(labels),
                               f"{path}:{start}")
            tokens, labels = [], []
            continue
        fields = line.split("\t")
        if len(fields) != columns:
            raise CorpusFormatError(
                f"{path}:{lineno}: expected {columns} tab-separated columns ({name}), "
                f"got {len(fields)}"
            )
        if not tokens:
            start = lineno
        tokens.append(fields[0])
        labels.append(fields[1])
    if tokens:
        yield Sentence(f"{path.stem}:{start}", tuple(tokens), tuple(labels), f"{path}:{start}")


def read_iob(path: Path) -> Iterator[Sentence]:
    """``token<TAB>label`` per line, a blank line between sentences."""
    return _read_columns(path, 2, "token, label")


def read_phonexl(path: Path) -> Iterator[Sentence]:
    """The PhoneXL release TSV; its IPA and romanisation columns are ignored."""
    return _read_columns(path, 4, "token, label, ipa, romanisation")


READERS: dict[str, Callable[[Path], Iterator[Sentence]]] = {
    "conllu": read_conllu,
    "iob": read_iob,
    "phonexl": read_phonexl,
}


def detect_format(path: Path) -> str:
    """Guess the format from the suffix, else from the first token line's column count."""
    path = Path(path)
    if path.suffix == ".conllu":
        return "conllu"
    for lineno, line in _lines(path):
        if line.strip() and not line.startswith("#"):
            columns = len(line.split("\t"))
            by_columns = {2: "iob", 4: "phonexl", 10: "conllu"}
            if columns not in by_columns:
                raise CorpusFormatError(
                    f"{path}:{lineno}: cannot detect the format from {columns} columns "
                    "(expected 2 = IOB/TSV, 4 = PhoneXL TSV, 10 = CoNLL-U)"
                )
            return by_columns[columns]
    raise CorpusFormatError(f"{path}: empty file")


def read_corpus(path: Path, fmt: str | None = None) -> Iterator[Sentence]:
    fmt = fmt or detect_format(path)
    if fmt not in READERS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(READERS)}")
    return READERS[fmt](Path(path))
