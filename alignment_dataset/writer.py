"""Atomic, streaming parquet output: nothing becomes visible before the whole build is done.

Each config is written in row-group batches into a hidden ``.tmp-*`` folder, gets its manifest
and is renamed to ``.staged/<config>`` (hidden folders are ignored by ``datasets``). When every
config of the run is staged, :mod:`alignment_dataset.publish` moves them into ``<config>/``
and writes the card.
``datasets`` reads a folder through its card, and every shard has a name of its own
(``<split>-<tag>-00000-of-00001.parquet``), so the old card keeps reading the old files until
the rename of the new card, the one step that commits. A kill at any step leaves the previous
dataset (or, on a first build, nothing that loads) or the new one. Finished configs wait in
``.staged/`` with manifests that say from what and how they were built, so a re-run resumes
them. :func:`build_lock` keeps a second build out of a folder that is being built.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.parquet as pq

from alignment_dataset.schema import KINDS, features
from g2p.paths import TMP_PREFIX, write_text_atomic

MANIFEST = ".manifest.json"
STAGED = ".staged"
CARD = "README.md"
LOCK = ".lock"
COMPARISON_FILE = "comparison.json"  # alignment_dataset.compare writes it, the card reads it
ROW_GROUP_ROWS = 1000


class MisalignedRowError(RuntimeError):
    """A row whose token, IPA, reading, status and label lists differ in length (a bug)."""


class BuildLocked(RuntimeError):
    """Another build holds the output folder."""


def shard_name(split: str, tag: str, index: int = 0, count: int = 1) -> str:
    """``<split>-<tag>-00000-of-00001.parquet``; the tag keeps each build's files apart."""
    return f"{split}-{tag}-{index:05d}-of-{count:05d}.parquet"


class SplitWriter:
    """Buffers rows and writes them as parquet row groups of :data:`ROW_GROUP_ROWS` rows.

    The file is created with the first row group: a split without rows writes no file.
    """

    def __init__(self, path: Path, task: str) -> None:
        self.path = path
        self.task = task
        self.column = KINDS[task].column  # "" for raw text: no labels
        self.label_ids = {name: i for i, name in enumerate(KINDS[task].labels)}
        self.schema = features(task).arrow_schema
        self._writer: pq.ParquetWriter | None = None
        self._buffer: dict[str, list] = {name: [] for name in self.schema.names}
        self.rows = 0

    def add(self, row: dict[str, object]) -> None:
        """Add one row; ``row[column]`` holds label names, stored as ClassLabel ids."""
        keys = ("tokens", "ipa", "reading", "status", self.column)
        lengths = {key: len(row[key]) for key in keys if key}
        if len(set(lengths.values())) != 1:
            raise MisalignedRowError(f"row {row['id']}: lengths differ {lengths}")
        for name in self.schema.names:
            value = row[name]
            if name == self.column:
                value = [self.label_ids[label] for label in value]
            self._buffer[name].append(value)
        self.rows += 1
        if len(self._buffer["id"]) >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._buffer["id"]:
            if self._writer is None:
                self._writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")
            self._writer.write_table(pa.Table.from_pydict(self._buffer, schema=self.schema))
            self._buffer = {name: [] for name in self.schema.names}

    def close(self) -> None:
        self._flush()
        self.discard()

    def discard(self) -> None:
        """Close without writing the buffered rows (the file is about to be deleted)."""
        if self._writer is not None:
            self._writer.close()


class ConfigWriter:
    """Writes one config atomically; a failure or interruption leaves no visible trace."""

    def __init__(self, out_dir: Path, config: str, task: str) -> None:
        self.out_dir, self.config, self.task = Path(out_dir), config, task
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{config}-", dir=self.out_dir))
        self.tag = uuid.uuid4().hex[:8]
        self._open: list[SplitWriter] = []

    def split(self, split: str) -> SplitWriter:
        writer = SplitWriter(self.tmp / shard_name(split, self.tag), self.task)
        self._open.append(writer)
        return writer

    def commit(self, manifest: dict[str, object]) -> Path:
        """Close the files, add the manifest and move the folder to ``.staged/<config>``."""
        for writer in self._open:
            writer.close()
        self._open.clear()
        return stage(self.tmp, self.out_dir, self.config, manifest)

    def abort(self) -> None:
        for writer in self._open:
            writer.discard()
        self._open.clear()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> ConfigWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.tmp.exists():  # not committed: an error, or left early
            self.abort()


def stage(folder: Path, out_dir: Path, config: str, manifest: dict[str, object]) -> Path:
    """Add the manifest to the finished ``folder`` of ``config`` and move it to
    ``out_dir/.staged/<config>``, where publication takes it from."""
    write_text_atomic(folder / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
    _make_readable(folder)
    staged = Path(out_dir) / STAGED / config
    staged.parent.mkdir(exist_ok=True)
    _swap_in(folder, staged, Path(out_dir))
    return staged


def _make_readable(folder: Path) -> None:
    """mkdtemp/mkstemp create private (0700/0600) entries; a dataset is meant to be shared."""
    folder.chmod(0o755)
    for path in folder.iterdir():
        path.chmod(0o644)


def _swap_in(new: Path, final: Path, scratch: Path) -> None:
    """Put folder ``new`` at ``final`` with two renames; the old one goes via ``scratch``."""
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}old-{final.name}-", dir=scratch))
        os.replace(final, old / final.name)
        os.replace(new, final)
        shutil.rmtree(old)
    else:
        os.replace(new, final)


@contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """Hold ``out_dir/.lock`` while building; raises :class:`BuildLocked` at once if taken.

    An flock is dropped by the kernel when its holder dies, so the lock of a killed build is
    taken over; the file stays (removing it could let two builds lock two files).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / LOCK, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildLocked(f"{out_dir} is being built by {holder}; wait for that build to "
                              "end, or build into another --out") from None
        handle.seek(0)
        handle.truncate()
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        handle.write(f"process {os.getpid()} (started {started})\n")
        handle.flush()
        yield


def remove_stale(out_dir: Path) -> list[Path]:
    """Delete ``.tmp-*`` leftovers of an interrupted build; returns what was removed."""
    out_dir = Path(out_dir)
    stale = sorted(out_dir.glob(f"{TMP_PREFIX}*")) if out_dir.is_dir() else []
    for path in stale:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    return stale


def read_manifest(config_dir: Path) -> dict[str, object] | None:
    """The manifest of a complete config folder, or None."""
    path = Path(config_dir) / MANIFEST
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None


def config_dir(out_dir: Path, config: str) -> Path:
    """Where ``config`` is now: staged by this build, else published."""
    staged = Path(out_dir) / STAGED / config
    return staged if staged.is_dir() else Path(out_dir) / config


def built_configs(out_dir: Path) -> dict[str, tuple[Path, dict[str, object]]]:
    """Every complete config (staged ones take precedence): its folder and manifest."""
    out_dir = Path(out_dir)
    names = set()
    for folder in (out_dir, out_dir / STAGED):
        if folder.is_dir():
            names |= {p.name for p in folder.iterdir() if p.is_dir() and p.name[0] != "."}
    found = {}
    for name in sorted(names):
        folder = config_dir(out_dir, name)
        manifest = read_manifest(folder)
        if manifest is not None:
            found[name] = (folder, manifest)
    return found
