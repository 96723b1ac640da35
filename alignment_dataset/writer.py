"""Atomic, streaming parquet output: nothing becomes visible before the whole build is done.

Each config is written in row-group batches into a hidden ``.tmp-*`` folder, gets its manifest
and is renamed to ``.staged/<config>`` (hidden folders are ignored by ``datasets``). When every
config of the run is staged, :func:`publish` swaps them into ``<config>/`` and the card is
written last. An interrupted build therefore leaves the previous dataset untouched (or, on a
first build, nothing that loads), and its finished configs wait in ``.staged/`` with manifests
that say from what and how they were built, so a re-run resumes them.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.parquet as pq

from alignment_dataset.schema import TASKS, features

MANIFEST = ".manifest.json"
STAGED = ".staged"
_TMP_PREFIX = ".tmp-"
ROW_GROUP_ROWS = 1000


class MisalignedRowError(RuntimeError):
    """A row whose token, IPA, reading, status and label lists differ in length (a bug)."""


def shard_name(split: str, index: int = 0, count: int = 1) -> str:
    return f"{split}-{index:05d}-of-{count:05d}.parquet"


class SplitWriter:
    """Buffers rows and writes them as parquet row groups of :data:`ROW_GROUP_ROWS` rows."""

    def __init__(self, path: Path, task: str) -> None:
        self.task = task
        self.column = TASKS[task].column
        self.label_ids = {name: i for i, name in enumerate(TASKS[task].labels)}
        self.schema = features(task).arrow_schema
        self._writer = pq.ParquetWriter(path, self.schema, compression="zstd")
        self._buffer: dict[str, list] = {name: [] for name in self.schema.names}
        self.rows = 0

    def add(self, row: dict[str, object]) -> None:
        """Add one row; ``row[column]`` holds label names, stored as ClassLabel ids."""
        lengths = {key: len(row[key]) for key in ("tokens", "ipa", "reading", "status",
                                                  self.column)}
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
            self._writer.write_table(pa.Table.from_pydict(self._buffer, schema=self.schema))
            self._buffer = {name: [] for name in self.schema.names}

    def close(self) -> None:
        self._flush()
        self._writer.close()

    def discard(self) -> None:
        """Close without writing the buffered rows (the file is about to be deleted)."""
        self._writer.close()


class ConfigWriter:
    """Writes one config atomically; a failure or interruption leaves no visible trace."""

    def __init__(self, out_dir: Path, config: str, task: str) -> None:
        self.out_dir, self.config, self.task = Path(out_dir), config, task
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{config}-", dir=self.out_dir))
        self._open: list[SplitWriter] = []

    def split(self, split: str) -> SplitWriter:
        writer = SplitWriter(self.tmp / shard_name(split), self.task)
        self._open.append(writer)
        return writer

    def commit(self, manifest: dict[str, object]) -> Path:
        """Close the files, add the manifest and move the folder to ``.staged/<config>``."""
        for writer in self._open:
            writer.close()
        self._open.clear()
        write_text_atomic(self.tmp / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
        _make_readable(self.tmp)
        staged = self.out_dir / STAGED / self.config
        staged.parent.mkdir(exist_ok=True)
        _swap_in(self.tmp, staged, self.out_dir)
        return staged

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


def _make_readable(folder: Path) -> None:
    """mkdtemp/mkstemp create private (0700/0600) entries; a dataset is meant to be shared."""
    folder.chmod(0o755)
    for path in folder.iterdir():
        path.chmod(0o644)


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``."""
    path = Path(path)
    handle, tmp = tempfile.mkstemp(prefix=f"{_TMP_PREFIX}{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _swap_in(new: Path, final: Path, scratch: Path) -> None:
    """Put folder ``new`` at ``final`` with two renames; the old one goes via ``scratch``."""
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}old-{final.name}-", dir=scratch))
        os.replace(final, old / final.name)
        os.replace(new, final)
        shutil.rmtree(old)
    else:
        os.replace(new, final)


def publish(out_dir: Path) -> list[str]:
    """Move every staged config into place; returns their names."""
    staging = Path(out_dir) / STAGED
    names = sorted(p.name for p in staging.iterdir()) if staging.is_dir() else []
    for name in names:
        _swap_in(staging / name, Path(out_dir) / name, Path(out_dir))
    if staging.is_dir():
        staging.rmdir()
    return names


def remove_stale(out_dir: Path) -> list[Path]:
    """Delete ``.tmp-*`` leftovers of an interrupted build; returns what was removed."""
    out_dir = Path(out_dir)
    stale = sorted(out_dir.glob(f"{_TMP_PREFIX}*")) if out_dir.is_dir() else []
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
