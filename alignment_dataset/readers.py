"""Corpus readers: one parser per file format, all yielding :class:`Sentence`.

Formats: CoNLL-U (UD; UPOS labels), two-column IOB/TSV (``token<TAB>label``) and the PhoneXL
release TSV (``token label ipa romanisation``). Files are cut into blank-line separated blocks
first, so a malformed block can be skipped (``on_error``) without losing the rest of the file.
Errors name the file and line; readers stream, so memory does not grow with the corpus.
A UTF-8 byte order mark at the start of a file and CRLF line ends are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from g2p.script import BOM


class CorpusFormatError(ValueError):
    """A corpus file is malformed; the message names file and line."""


@dataclass(frozen=True)
class Sentence:
    """One sentence as read: surface tokens and their labels, plus where it came from.

    ``lines`` holds the source line of each token, so later checks (e.g. an unknown label)
    can name the exact line. A sentence may be empty (a CoNLL-U block of comments only).
    """

    id: str
    tokens: tuple[str, ...]
    labels: tuple[str, ...]
    source: str  # "path:line" of the sentence's first line
    lines: tuple[int, ...] = ()


# One line of a block: (line number, text, decode problem or "").
_Line = tuple[int, str, str]
ErrorHandler = Callable[[CorpusFormatError], None]
# CoNLL-U word IDs: a word (3), a multi-word token range (1-2) or an empty node (1.1).
_CONLLU_ID = re.compile(r"[1-9]\d*|[1-9]\d*-[1-9]\d*|\d+\.[1-9]\d*")


def _blocks(path: Path) -> Iterator[tuple[int, list[_Line]]]:
    """Blank-line separated blocks of (lineno, text, decode_error) lines."""
    block: list[_Line] = []
    with open(path, "rb") as handle:
        for lineno, raw in enumerate(handle, start=1):
            try:
                line, problem = raw.decode("utf-8").rstrip("\r\n"), ""
                if lineno == 1:
                    line = line.removeprefix(BOM)  # editors on Windows write one
            except UnicodeDecodeError as error:
                line, problem = "", f"not UTF-8 ({error.reason} at byte {error.start})"
            if not problem and not line.strip():
                if block:
                    yield block[0][0], block
                block = []
                continue
            block.append((lineno, line, problem))
    if block:
        yield block[0][0], block


def _checked(path: Path, block: list[_Line]) -> list[_Line]:
    for lineno, _, problem in block:
        if problem:
            raise CorpusFormatError(f"{path}:{lineno}: {problem}")
    return block


def _parse_conllu(path: Path, start: int, block: list[_Line]) -> Sentence:
    """UD CoNLL-U: surface words (column 2) and UPOS (column 4).

    Multi-word token ranges (``1-2``) and empty nodes (``1.1``) are skipped, keeping the
    syntactic words, as XTREME's UDPOS does.
    """
    tokens: list[str] = []
    labels: list[str] = []
    lines: list[int] = []
    sent_id = ""
    for lineno, line, _ in _checked(path, block):
        if line.startswith("#"):
            if line.startswith("# sent_id ="):
                sent_id = line.split("=", 1)[1].strip()
            continue
        fields = line.split("\t")
        if len(fields) != 10:
            raise CorpusFormatError(
                f"{path}:{lineno}: expected 10 CoNLL-U columns, got {len(fields)}"
            )
        if not _CONLLU_ID.fullmatch(fields[0]):
            raise CorpusFormatError(
                f"{path}:{lineno}: CoNLL-U ID {fields[0]!r} is not a word number (3), "
                "a range (1-2) or an empty node (1.1)"
            )
        if "-" in fields[0] or "." in fields[0]:
            continue
        tokens.append(fields[1])
        labels.append(fields[3])
        lines.append(lineno)
    return Sentence(sent_id or f"{path.stem}:{start}", tuple(tokens), tuple(labels),
                    f"{path}:{start}", tuple(lines))


def _column_parser(columns: int, name: str) -> Callable[[Path, int, list[_Line]], Sentence]:
    def parse(path: Path, start: int, block: list[_Line]) -> Sentence:
        rows = []
        for lineno, line, _ in _checked(path, block):
            fields = line.split("\t")
            if len(fields) != columns:
                raise CorpusFormatError(
                    f"{path}:{lineno}: expected {columns} tab-separated columns ({name}), "
                    f"got {len(fields)}"
                )
            rows.append((fields, lineno))
        return Sentence(f"{path.stem}:{start}", tuple(f[0] for f, _ in rows),
                        tuple(f[1] for f, _ in rows), f"{path}:{start}",
                        tuple(n for _, n in rows))

    return parse


_PARSERS: dict[str, Callable[[Path, int, list[_Line]], Sentence]] = {
    "conllu": _parse_conllu,
    "iob": _column_parser(2, "token, label"),
    "phonexl": _column_parser(4, "token, label, ipa, romanisation"),
}
FORMATS = tuple(_PARSERS)


def _read(path: Path, fmt: str, on_error: ErrorHandler | None) -> Iterator[Sentence]:
    path = Path(path)
    parse = _PARSERS[fmt]
    for start, block in _blocks(path):
        try:
            yield parse(path, start, block)
        except CorpusFormatError as error:
            if on_error is None:
                raise
            on_error(error)


def read_conllu(path: Path, on_error: ErrorHandler | None = None) -> Iterator[Sentence]:
    """UD CoNLL-U files; see :func:`_parse_conllu`."""
    return _read(path, "conllu", on_error)


def read_iob(path: Path, on_error: ErrorHandler | None = None) -> Iterator[Sentence]:
    """``token<TAB>label`` per line, a blank line between sentences."""
    return _read(path, "iob", on_error)


def read_phonexl(path: Path, on_error: ErrorHandler | None = None) -> Iterator[Sentence]:
    """The PhoneXL release TSV; its IPA and romanisation columns are ignored here."""
    return _read(path, "phonexl", on_error)


def read_phonexl_ipa(path: Path) -> Iterator[tuple[Sentence, tuple[str, ...]]]:
    """The PhoneXL release TSV with its IPA column (the baseline :mod:`compare` measures)."""
    path = Path(path)
    for start, block in _blocks(path):
        sentence = _PARSERS["phonexl"](path, start, block)
        yield sentence, tuple(line.split("\t")[2] for _, line, _ in block)


def detect_format(path: Path) -> str:
    """Guess the format from the suffix, else from the first token line's column count."""
    path = Path(path)
    if path.suffix == ".conllu":
        return "conllu"
    for _, block in _blocks(path):
        for lineno, line, problem in block:
            if problem:
                raise CorpusFormatError(f"{path}:{lineno}: {problem}")
            if line.startswith("#") and "\t" not in line:
                continue  # a CoNLL-U comment; a "#" token line has tabs
            columns = len(line.split("\t"))
            by_columns = {2: "iob", 4: "phonexl", 10: "conllu"}
            if columns not in by_columns:
                raise CorpusFormatError(
                    f"{path}:{lineno}: cannot detect the format from {columns} columns "
                    "(expected 2 = IOB/TSV, 4 = PhoneXL TSV, 10 = CoNLL-U)"
                )
            return by_columns[columns]
    raise CorpusFormatError(f"{path}:1: no token line in the file (empty, or only blank lines "
                            "and comments)")


def read_corpus(
    path: Path, fmt: str | None = None, on_error: ErrorHandler | None = None
) -> Iterator[Sentence]:
    """Sentences of ``path`` in format ``fmt`` (detected when None).

    Without ``on_error`` the first malformed sentence raises :class:`CorpusFormatError`;
    with it, the handler receives the error and reading goes on with the next sentence.
    """
    fmt = fmt or detect_format(path)
    if fmt not in _PARSERS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return _read(Path(path), fmt, on_error)
