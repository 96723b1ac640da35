"""Shared fixtures: where ../shared lives, and skipping cleanly when it is absent.

Hugging Face caches go to a temporary folder for the whole session, never to
``~/.cache/huggingface``: datasets and huggingface_hub read these variables once, at import,
so they are set here, before any test module imports them (subprocesses inherit them).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from g2p.paths import shared_data

SHARED = shared_data().parent
HF_HOME = Path(tempfile.mkdtemp(prefix="phonexl-tests-hf-"))
os.environ.update(HF_HOME=str(HF_HOME), HF_DATASETS_CACHE=str(HF_HOME / "datasets"),
                  HF_HUB_CACHE=str(HF_HOME / "hub"))


@pytest.fixture(scope="session", autouse=True)
def temporary_hf_caches():
    """Remove the session's Hugging Face caches at the end."""
    yield HF_HOME
    shutil.rmtree(HF_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def shared() -> Path:
    """The read-only ../shared data folder; tests using it skip when it is missing."""
    if not (SHARED / "data").is_dir():
        pytest.skip(f"shared data not found at {SHARED} (set PHONEXL_SHARED)")
    return SHARED / "data"
