"""Where benchmark scripts write: a scratch folder by default, the committed one on request.

Every script that saves figures writes under ``$PHONEXL_CACHE/results`` unless its `--save`
or `--results` names a path, so a smoke run never rewrites ``benchmarks/results`` (the
figures the README quotes); updating those is always an explicit act.
"""

from __future__ import annotations

from pathlib import Path

from g2p.ko.offline_cmudict import cache_dir

COMMITTED_RESULTS = Path(__file__).resolve().parent / "results"


def scratch_results() -> Path:
    """The default output folder of the benchmark scripts (outside the repository)."""
    return cache_dir() / "results"


def save_json_path(explicit: Path | None, name: str) -> Path:
    """`explicit` when given, else ``scratch_results() / name``."""
    return explicit if explicit is not None else scratch_results() / name
