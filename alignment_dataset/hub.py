"""Reading from the Hugging Face Hub: reachability and XTREME input (uploading is
:mod:`alignment_dataset.publish`).

The Hub is never required: ``--source auto`` probes it with a short timeout and falls back to
the embedded sample, and an upload on an offline machine fails at once with a clear message.
XTREME is read at the commit :func:`resolve_revision` finds when the build starts (the
dataset's current commit, or the ``--revision`` given), so the card and the provenance name
the exact data, and a revision or config that does not exist fails before anything is built.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from alignment_dataset.readers import Sentence
from alignment_dataset.schema import TASKS

XTREME_REPO = "google/xtreme"
XTREME_COMMITS = f"https://huggingface.co/datasets/{XTREME_REPO}/commits/main"
_UDPOS_LANGUAGES = {"ja": "Japanese", "ko": "Korean", "vi": "Vietnamese", "zh": "Chinese"}
_PROBE_TIMEOUT_S = 3.0


class HubUnavailable(RuntimeError):
    """The Hub cannot be reached (offline, blocked, or HF_HUB_OFFLINE set)."""


class UnknownRevision(ValueError):
    """A pinned revision, or a config in it, does not exist; the message says what to pass."""


@dataclass(frozen=True)
class Revision:
    """One commit of XTREME: its full sha and, when its card lists them, the splits of each
    config (``None``: the card lists no configs, every split is tried)."""

    sha: str
    splits: Mapping[str, tuple[str, ...]] | None = None

    def config_splits(self, config: str, wanted: tuple[str, ...]) -> tuple[str, ...]:
        """The splits of ``wanted`` that ``config`` has at this commit; an unknown config
        raises :class:`UnknownRevision`."""
        if self.splits is None:
            return wanted
        if config not in self.splits:
            raise UnknownRevision(
                f"{XTREME_REPO}@{self.sha[:12]} has no config {config}; pass --revision with "
                f"a commit that has it ({XTREME_COMMITS}), or build from local files "
                "(--source PATH ...)")
        return tuple(split for split in wanted if split in self.splits[config])


def _card_splits(card_data: object) -> dict[str, tuple[str, ...]] | None:
    """{config: splits} from the ``configs`` list of a dataset card's YAML, if it has one."""
    configs = card_data.to_dict().get("configs") if card_data is not None else None
    if not configs:
        return None
    splits = {}
    for entry in configs:
        files = entry.get("data_files") or []
        splits[entry["config_name"]] = tuple(
            item["split"] for item in files if isinstance(item, dict) and "split" in item)
    return splits


def resolve_revision(pin: str | None = None, timeout: float = 10.0) -> Revision:
    """The commit to read XTREME at: ``pin`` (a sha, branch or tag) or the current one.

    Raises :class:`UnknownRevision` for a pin the Hub does not know, :class:`HubUnavailable`
    when the Hub's API cannot be asked.
    """
    import httpx
    from huggingface_hub import HfApi
    from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError

    try:
        info = HfApi().dataset_info(XTREME_REPO, revision=pin, timeout=timeout)
    except RevisionNotFoundError:
        raise UnknownRevision(
            f"{XTREME_REPO} has no revision {pin!r}; pass --revision with a commit sha, "
            f"branch or tag listed at {XTREME_COMMITS}, or leave it out to use the current "
            "commit") from None
    except RepositoryNotFoundError as error:
        raise HubUnavailable(f"{XTREME_REPO} is not on the Hub ({error})") from None
    except (httpx.HTTPError, OSError) as error:  # HfHubHTTPError is both
        raise HubUnavailable(f"the Hub's API did not answer for {XTREME_REPO}: "
                             f"{type(error).__name__}: {error}") from None
    return Revision(info.sha, _card_splits(info.card_data))


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


def hub_sentences(task: str, lang: str, split: str, revision: str) -> Iterator[Sentence]:
    """Stream one split of XTREME's PAN-X / UDPOS config at ``revision`` (a full sha),
    labels mapped from ids to names."""
    from datasets import load_dataset
    from datasets.exceptions import DatasetNotFoundError

    config = xtreme_config(task, lang)
    fix = (f"pass --revision with a commit that has it ({XTREME_COMMITS}), or build from "
           "local files (--source PATH ...)")
    try:
        rows = load_dataset(XTREME_REPO, config, split=split, revision=revision,
                            streaming=True)
    except DatasetNotFoundError as error:
        raise UnknownRevision(f"{XTREME_REPO}@{revision[:12]}: {error}; {fix}") from None
    except (ValueError, RuntimeError) as error:  # an unknown config or split, or a commit
        # that still has a loading script (datasets 4+ refuses those); datasets words it
        raise UnknownRevision(f"{XTREME_REPO}@{revision[:12]} {config}/{split}: "
                              f"{str(error).splitlines()[0]}; {fix}") from None
    except OSError as error:
        raise _read_failed(config, split, revision, error) from None
    column = TASKS[task].column
    if rows.features is None or column not in rows.features:
        raise HubUnavailable(f"{XTREME_REPO}@{revision[:12]} {config} has no {column} labels; "
                             f"{fix}")
    names = rows.features[column].feature.names
    where = f"hf://datasets/{XTREME_REPO}@{revision[:7]}/{config}/{split}"
    try:
        for index, row in enumerate(rows):
            yield Sentence(f"{config}/{split}/{index}", tuple(row["tokens"]),
                           tuple(names[i] for i in row[column]), f"{where}#{index}")
    except OSError as error:  # the connection dropped while streaming
        raise _read_failed(config, split, revision, error) from None


def _read_failed(config: str, split: str, revision: str, error: OSError) -> HubUnavailable:
    return HubUnavailable(f"reading {XTREME_REPO}@{revision[:12]} {config}/{split} failed "
                          f"({type(error).__name__}: {error}); re-run the command to resume")


#END
