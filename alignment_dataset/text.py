"""Raw text in, tokenised sentences out: the input of the ``text.<lang>`` configs.

One sentence per record: a line of a ``.txt`` file (any suffix other than the two below), a
line of a ``.jsonl`` file (its text field), a row of a ``.parquet`` file (its text column).
Records are numbered from 1, so every error names ``file:number`` and every row's id is
``<file name>:<number>``. A file is scanned once (:func:`scan`: checksum, record count, the
byte offset where each shard starts), so that any worker can read its own range of records
(:func:`sentences`) without reading the file from the start.

Bad records, each with its ``file:number``: bytes that are not UTF-8 (in a line or a parquet
value), a carriage return inside a ``.txt`` line (old Mac line ends would make the whole
file one sentence), a ``.jsonl`` line that is not a JSON object with a string text field
(or is nested too deeply to parse, or whose text escapes a lone surrogate such as
``\ud800``), a line longer than ``max_chars`` (read in pieces, so memory stays bounded by the
limit, not by the line) raise :class:`~alignment_dataset.readers.CorpusFormatError`, or with
``on_error`` are handed to it and left out (``--skip-bad``: counted and reported). Empty and
blank lines, and null text in parquet, become sentences without tokens, which the builder
counts as ``empty`` and leaves out. Lines of punctuation or emoji only are sentences like
any other (status ``punct``).

Tokens per language (:func:`tokenizer`): ko and vi are split on whitespace (vi: syllables, as
written); ja and zh into characters (grapheme clusters, so an emoji with its modifiers or a
letter with its combining marks stays one token; whitespace is dropped). ``words=True`` asks
the language's analyser instead: fugashi + UniDic words for ja, underthesea word segmentation
for vi (not in the core install), pypinyin's maximum matching over its phrase dictionary for
zh (Han runs only; other text is cut into words and symbols; there is no trained Chinese word
segmenter in the install). Analyser tokens must spell the line without its whitespace, or the
line is refused: no character is dropped silently.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from alignment_dataset.readers import CorpusFormatError, ErrorHandler, Sentence
from g2p.script import BOM, SURROGATE

MAX_CHARS = 10_000
"""Default longest sentence, in characters: a longer line is a document, not a sentence."""
_COMPRESSED = (".gz", ".bz2", ".xz", ".zst", ".zip")
Tokenizer = Callable[[str], list[str]]


class MissingDependency(RuntimeError):
    """An optional package a flag needs is not installed; the message says what to install."""


@dataclass(frozen=True)
class TextFile:
    """One input file of a raw-text config, as scanned."""

    path: Path
    fmt: str  # "txt", "jsonl" or "parquet"
    field: str  # the jsonl field / parquet column holding the text
    records: int
    fingerprint: str  # sha256 of the file
    offsets: tuple[int, ...]  # txt/jsonl: byte offset of record 1, 1 + every, 1 + 2 every ...
    every: int  # records between two offsets


def text_format(path: Path) -> str:
    """``jsonl`` / ``parquet`` by suffix, else ``txt``; compressed files are refused."""
    suffix = Path(path).suffix.lower()
    if suffix in _COMPRESSED:
        raise CorpusFormatError(f"{path}: compressed input ({suffix}) is not read; "
                                "decompress it first")
    return {".jsonl": "jsonl", ".parquet": "parquet"}.get(suffix, "txt")


def _piece_size(max_chars: int) -> int:
    """Bytes read at once from a line: a line of ``max_chars`` characters fits in one piece."""
    return 4 * max_chars + 8


def scan(path: Path, field: str, every: int, max_chars: int = MAX_CHARS) -> TextFile:
    """Checksum, record count and shard offsets of ``path`` in one pass of bounded memory."""
    path = Path(path)
    fmt = text_format(path)
    digest = hashlib.sha256()
    if fmt == "parquet":
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256")
        try:
            schema = pq.read_schema(path)
            records = pq.ParquetFile(path).metadata.num_rows
        except pa.ArrowException as error:
            raise CorpusFormatError(f"{path}: not a parquet file ({error})") from None
        if field not in schema.names:
            raise CorpusFormatError(f"{path}: no column {field!r} (columns: "
                                    f"{', '.join(schema.names)}); pass --text-field")
        kind = schema.field(field).type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            raise CorpusFormatError(f"{path}: column {field!r} holds {kind}, not text")
        return TextFile(path, fmt, field, records, digest.hexdigest(), (), every)
    offsets, records, position, at_start = [], 0, 0, True
    with open(path, "rb") as handle:
        while piece := handle.readline(_piece_size(max_chars)):
            if at_start and records % every == 0:
                offsets.append(position)
            digest.update(piece)
            position += len(piece)
            at_start = piece.endswith(b"\n")
            records += at_start
    records += not at_start
    return TextFile(path, fmt, field, records, digest.hexdigest(), tuple(offsets), every)


def _lines(file: TextFile, start: int, max_chars: int) -> Iterator[tuple[int, str | None]]:
    """(number, text) of the lines from record ``start`` (0-based, a multiple of ``every``);
    text is None for a line over ``max_chars`` bytes' worth (read and dropped in pieces)."""
    size = _piece_size(max_chars)
    with open(file.path, "rb") as handle:
        handle.seek(file.offsets[start // file.every] if file.offsets else 0)
        number = start
        while raw := handle.readline(size):
            number += 1
            if not raw.endswith(b"\n") and len(raw) == size:  # too long: skip to its end
                while (rest := handle.readline(size)) and not rest.endswith(b"\n"):
                    pass
                yield number, None
                continue
            yield number, raw


def _decoded(file: TextFile, number: int, raw: bytes) -> str:
    where = f"{file.path}:{number}"
    try:
        line = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        raise CorpusFormatError(
            f"{where}: not UTF-8 ({error.reason} at byte {error.start})") from None
    if number == 1:
        line = line.removeprefix(BOM)
    if file.fmt == "txt":
        if "\r" in line:  # a file with old Mac line ends would be read as one sentence
            raise CorpusFormatError(f"{where}: a carriage return (\\r) inside the line; "
                                    "end lines with \\n or \\r\\n")
        return line
    if not line.strip():
        return ""
    try:
        # numbers stay text: only the text field is read, and Python refuses to turn one of
        # over 4,300 digits into an int
        record = json.loads(line, parse_int=str)
    except json.JSONDecodeError as error:
        raise CorpusFormatError(
            f"{where}: not JSON ({error.msg} at column {error.colno})") from None
    except RecursionError:  # [[[[... nested past Python's limit
        raise CorpusFormatError(f"{where}: JSON nested too deeply to read") from None
    value = record.get(file.field) if isinstance(record, dict) else None
    if not isinstance(value, str):
        raise CorpusFormatError(f"{where}: no string field {file.field!r} in this JSON line "
                                "(pass --text-field)")
    if surrogate := SURROGATE.search(value):  # "\ud800": JSON can escape what is not text
        raise CorpusFormatError(f"{where}: field {file.field!r} holds a lone surrogate "
                                f"{surrogate.group()!a} at character {surrogate.start() + 1}, "
                                "which is not Unicode text")
    return value


def _too_long(source: str, max_chars: int) -> CorpusFormatError:
    return CorpusFormatError(f"{source}: more than {max_chars:,} characters: a document, not a "
                             "sentence (--max-chars sets the limit)")


def _records(file: TextFile, start: int, stop: int,
             max_chars: int) -> Iterator[tuple[int, str | CorpusFormatError]]:
    """(number, text or the record's error) for records ``start`` .. ``stop - 1``."""
    if file.fmt == "parquet":
        yield from _parquet_records(file, start, stop)
        return
    for number, raw in _lines(file, start, max_chars):
        if number > stop:
            return
        if raw is None:
            yield number, _too_long(f"{file.path}:{number}", max_chars)
            continue
        try:
            yield number, _decoded(file, number, raw)
        except CorpusFormatError as error:
            yield number, error


def _parquet_records(file: TextFile, start: int,
                     stop: int) -> Iterator[tuple[int, str | CorpusFormatError]]:
    """Rows ``start`` .. ``stop - 1``, reading only the row groups that hold them. Values
    are read as bytes and decoded here: a writer may have stored bytes that are not UTF-8 in
    a string column, and Arrow would raise on the whole group rather than name the row."""
    parquet = pq.ParquetFile(file.path)
    first = 0
    for group in range(parquet.metadata.num_row_groups):
        rows = parquet.metadata.row_group(group).num_rows
        if first + rows > start and first < stop:
            values = parquet.read_row_group(group, columns=[file.field])[file.field]
            low, high = max(start - first, 0), min(stop - first, rows)
            raw = values.slice(low, high - low).cast(pa.large_binary()).to_pylist()
            for number, value in enumerate(raw, start=first + low + 1):
                try:
                    yield number, (value or b"").decode("utf-8")
                except UnicodeDecodeError as error:
                    yield number, CorpusFormatError(
                        f"{file.path}:{number}: not UTF-8 ({error.reason} at byte "
                        f"{error.start})")
        first += rows


def sentences(file: TextFile, start: int, stop: int, tokenize: Tokenizer,
              max_chars: int = MAX_CHARS,
              on_error: ErrorHandler | None = None) -> Iterator[Sentence]:
    """The sentences of records ``start`` .. ``stop - 1`` (0-based) of ``file``, tokenised.

    A bad record raises :class:`CorpusFormatError`, or goes to ``on_error`` and is left out.
    """
    for number, text in _records(file, start, stop, max_chars):
        source = f"{file.path}:{number}"
        if isinstance(text, str) and len(text) > max_chars:  # parquet values, multibyte lines
            text = _too_long(source, max_chars)
        if isinstance(text, str):
            try:
                tokens = tokenize(text)
            except CorpusFormatError as error:
                text = CorpusFormatError(f"{source}: {error}")
            else:
                yield Sentence(f"{file.path.name}:{number}", tuple(tokens), (), source)
                continue
        if on_error is None:
            raise text
        on_error(text)


# Characters that extend the previous one into one grapheme cluster (an approximation of
# UAX #29 that covers combining marks, variation selectors, emoji modifiers and tags).
_EXTENDERS = re.compile("[\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
                        "\U000e0100-\U000e01ef\u20e3]")
_REGIONAL = re.compile("[\U0001f1e6-\U0001f1ff]")


def characters(text: str) -> list[str]:
    """Grapheme clusters of ``text`` without whitespace: 映画👍🏽 → 映, 画, 👍🏽."""
    clusters: list[str] = []
    joined = False  # the previous character was a zero-width joiner
    for char in text:
        if char.isspace():
            joined = False
            continue
        extends = bool(clusters) and (joined or _EXTENDERS.match(char) is not None
                                      or unicodedata.category(char).startswith("M")
                                      or (_REGIONAL.match(char) is not None
                                          and len(clusters[-1]) == 1
                                          and _REGIONAL.match(clusters[-1]) is not None))
        if extends:
            clusters[-1] += char
        else:
            clusters.append(char)
        joined = char == "\u200d"
    return clusters


def _covering(name: str, split: Tokenizer) -> Tokenizer:
    """``split``, checked to spell the text without its whitespace (a vi word may hold
    spaces: Hà Nội)."""
    def tokenize(text: str) -> list[str]:
        tokens = [token for token in split(text) if token.strip()]
        if "".join("".join(tokens).split()) != "".join(text.split()):
            raise CorpusFormatError(f"the {name} tokens do not spell the line")
        return tokens
    return tokenize


def _fugashi_words() -> Tokenizer:
    import fugashi

    tagger = fugashi.Tagger()
    return lambda text: [word.surface for word in tagger(text)]


def _underthesea_words() -> Tokenizer:
    try:
        from underthesea import word_tokenize
    except ImportError:
        raise MissingDependency("--words for vi needs underthesea (word segmentation), which "
                                "the core install leaves out: pip install underthesea") from None
    return word_tokenize


_HAN_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+)")


def _words_and_symbols(text: str) -> list[str]:
    """Runs of letters and digits as words, every other grapheme cluster on its own."""
    tokens: list[str] = []
    for chunk in text.split():
        previous_alnum = False
        for cluster in characters(chunk):
            alnum = cluster[0].isalnum()
            if alnum and previous_alnum:
                tokens[-1] += cluster
            else:
                tokens.append(cluster)
            previous_alnum = alnum
    return tokens


def _zh_words(text: str) -> list[str]:
    from pypinyin.seg.mmseg import seg

    tokens: list[str] = []
    for index, run in enumerate(_HAN_RUN.split(text)):
        tokens += seg.cut(run) if index % 2 else _words_and_symbols(run)
    return tokens


def tokenizer(lang: str, words: bool = False) -> Tokenizer:
    """How ``text.<lang>`` lines become tokens (see the module docstring)."""
    if not words or lang == "ko":
        return str.split if lang in ("ko", "vi") else characters
    if lang == "vi":
        return _covering("underthesea", _underthesea_words())
    if lang == "ja":
        return _covering("fugashi", _fugashi_words())
    return _covering("pypinyin", _zh_words)


def describe_tokens(lang: str, words: bool = False) -> str:
    """The tokenisation in words, for the banner and the card."""
    if not words or lang == "ko":
        return ("whitespace words" if lang == "ko" else "syllables (whitespace)" if lang == "vi"
                else "characters (grapheme clusters)")
    return {"vi": "underthesea words", "ja": "fugashi + UniDic words",
            "zh": "pypinyin phrase-dictionary maximum matching"}[lang]
