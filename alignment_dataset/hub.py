"""Everything that talks to the Hugging Face Hub: reachability, XTREME input, upload.

The Hub is never required: ``--source auto`` probes it with a short timeout and falls back to
the embedded sample, and an upload on an offline machine fails at once with a clear message.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

from alignment_dataset.readers import Sentence
from alignment_dataset.schema import TASKS

XTREME_REPO = "google/xtreme"
# google/xtreme after its conversion to parquet (no loading script; loads with datasets 5).
# Override with PHONEXL_XTREME_REVISION to follow a newer commit.
XTREME_REVISION = "b6419ab883183e08a85be8eef7cc71562f946684"
_UDPOS_LANGUAGES = {"ja": "Japanese", "ko": "Korean", "vi": "Vietnamese", "zh": "Chinese"}
_PROBE_TIMEOUT_S = 3.0


class HubUnavailable(RuntimeError):
    """The Hub cannot be reached (offline, blocked, or HF_HUB_OFFLINE set)."""


def xtreme_revision() -> str:
    return os.environ.get("PHONEXL_XTREME_REVISION", XTREME_REVISION)


def xtreme_config(task: str, lang: str) -> str:
    """XTREME's config name: ``PAN-X.ja`` or ``udpos.Japanese``."""
    return f"PAN-X.{lang}" if task == "ner" else f"udpos.{_UDPOS_LANGUAGES[lang]}"


def _endpoint() -> tuple[str, int]:
    url = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    return url.hostname or "huggingface.co", url.port or (80 if url.scheme == "http" else 443)


def probe(timeout: float = _PROBE_TIMEOUT_S) -> tuple[bool, str]:
    """(reachable, why): a TCP connection to the Hub endpoint, bounded by ``timeout``.

    DNS resolution runs in a daemon thread because ``getaddrinfo`` ignores socket timeouts.
    """
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"}:
        return False, "HF_HUB_OFFLINE is set"
    host, port = _endpoint()
    outcome: list[str] = []

    def connect() -> None:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            outcome.append("")
        except OSError as error:
            outcome.append(f"{type(error).__name__}: {error}")

    thread = threading.Thread(target=connect, daemon=True)
    thread.start()
    thread.join(timeout)
    if not outcome:
        return False, f"{host}:{port} did not answer within {timeout:g} s"
    if outcome[0]:
        return False, f"cannot reach {host}:{port} ({outcome[0]})"
    return True, f"{host}:{port} answered"


def hub_sentences(task: str, lang: str, split: str) -> Iterator[Sentence]:
    """Stream one split of XTREME's PAN-X / UDPOS config, labels mapped from ids to names."""
    from datasets import load_dataset

    config, revision = xtreme_config(task, lang), xtreme_revision()
    rows = load_dataset(XTREME_REPO, config, split=split, revision=revision, streaming=True)
    column = TASKS[task].column
    if rows.features is None or column not in rows.features:
        raise HubUnavailable(f"{XTREME_REPO}@{revision} {config} has no {column} labels; "
                             "set PHONEXL_XTREME_REVISION to a revision that has them")
    names = rows.features[column].feature.names
    where = f"hf://datasets/{XTREME_REPO}@{revision[:7]}/{config}/{split}"
    for index, row in enumerate(rows):
        yield Sentence(f"{config}/{split}/{index}", tuple(row["tokens"]),
                       tuple(names[i] for i in row[column]), f"{where}#{index}")


def push_folder(folder: Path, repo_id: str, *, private: bool = False) -> str:
    """Upload a built dataset folder as one commit; returns the commit URL.

    Fails fast with :class:`HubUnavailable` when the Hub cannot be reached; the local folder
    is only read, never changed.
    """
    reachable, why = probe()
    if not reachable:
        raise HubUnavailable(
            f"cannot push to the Hub ({why}). The dataset at {folder} is intact; push it later "
            f"with --push-to-hub {repo_id} or `hf upload {repo_id} {folder} --repo-type dataset`."
        )
    import httpx
    from huggingface_hub import HfApi

    api = HfApi()
    try:
        api.create_repo(repo_id, repo_type="dataset", exist_ok=True, private=private)
        commit = api.upload_folder(
            folder_path=str(folder), repo_id=repo_id, repo_type="dataset",
            commit_message="Upload phonexl CJKV IPA dataset",
            ignore_patterns=[".tmp-*/**", ".tmp-*", ".staged/**", ".lock", ".publishing.json"],
        )
    except (httpx.HTTPError, OSError) as error:  # HfHubHTTPError is both
        raise HubUnavailable(f"upload to {repo_id} failed: {error}. "
                             f"The dataset at {folder} is intact.") from error
    return str(commit.commit_url)
