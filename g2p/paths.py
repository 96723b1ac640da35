"""Every path the project uses, in one place: caches, scratch results, shared data.

It lives in ``g2p`` because every other part (the dataset builder, the PhoneXL model, the
benchmark scripts) imports ``g2p`` already; nothing here imports anything of the project.
Scripts that save figures write under :func:`scratch_results` unless told otherwise, so a
smoke run never rewrites :data:`COMMITTED_RESULTS` (the figures the README quotes). The one
atomic writer (:func:`write_text_atomic`) is here too, so that result files and the dataset's
manifests and cards are written the same way.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
"""The source checkout (meaningful for an editable install, which the README uses)."""

COMMITTED_RESULTS = REPOSITORY / "benchmarks" / "results"
"""The figures the README quotes; scripts write here only when this path is named."""

TMP_PREFIX = ".tmp-"
"""Names of files and folders being written; a dataset build sweeps stale ones away."""

DEFAULT_DATASET = Path("phonexl-data")
"""Where ``python -m alignment_dataset.build`` writes and the benchmark reads, by default."""


def cache_dir() -> Path:
    """``$PHONEXL_CACHE``, else ``$XDG_CACHE_HOME/phonexl``, else ``~/.cache/phonexl``."""
    if os.environ.get("PHONEXL_CACHE"):
        return Path(os.environ["PHONEXL_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "phonexl"


def shared_data() -> Path:
    """The project's read-only data: ``$PHONEXL_SHARED/data``, else ``../shared/data`` beside
    the checkout (PAN-X/UD files, gold lexicons, bilingual dictionaries)."""
    return Path(os.environ.get("PHONEXL_SHARED", REPOSITORY.parent / "shared")) / "data"


def scratch_results() -> Path:
    """The default output folder of every script that saves figures (outside the repository)."""
    return cache_dir() / "results"


def save_json_path(explicit: Path | None, name: str) -> Path:
    """``explicit`` when given, else ``scratch_results() / name``."""
    return explicit if explicit is not None else scratch_results() / name


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``: a
    kill leaves the old file or the new one, never half of one."""
    path = Path(path)
    handle, tmp = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_json(path: Path, data: object) -> Path:
    """Write ``data`` to ``path`` as indented UTF-8 JSON (readable IPA and hangul, not ``\\u``
    escapes), creating its folder, atomically (a leaderboard counts a run whose file exists as
    done); ``path`` back, for the caller's message."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return path
