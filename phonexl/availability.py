"""Fail fast, with a way out, when a backbone or dataset named on the Hub cannot be had.

Without this, an offline machine spends most of a minute in download retries and ends in a
long traceback from deep inside ``transformers`` or ``datasets``.
"""

from __future__ import annotations

from pathlib import Path

from huggingface_hub import try_to_load_from_cache

from alignment_dataset.hub import probe


class Unavailable(RuntimeError):
    """Not a local path, not in the Hugging Face cache, and the Hub cannot be reached."""


def require(name: str, repo_type: str, hint: str) -> None:
    """Return when ``name`` is a local path, cached, or the Hub answers; else :class:`Unavailable`.

    ``repo_type`` is ``model`` or ``dataset``; the cache check looks for the file every such
    repository has (``config.json`` / ``README.md``).
    """
    if Path(name).exists():
        return
    marker = "config.json" if repo_type == "model" else "README.md"
    if isinstance(try_to_load_from_cache(name, marker, repo_type=repo_type), str):
        return
    reachable, why = probe()
    if not reachable:
        raise Unavailable(f"{repo_type} {name!r} is not a local path, not in the Hugging Face "
                          f"cache, and the Hub cannot be reached ({why}). {hint}")
