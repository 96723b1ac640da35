"""Publishing a built dataset, in one place: into its folder, then (optionally) to the Hub.

Locally, :func:`publish_staged` moves every staged config into place and writes the card; the
card's rename is the one step that commits (see :mod:`alignment_dataset.writer` for why the old
card keeps reading the old files until then). A journal written first lets the next build
finish or undo a publication a kill left half-done (:func:`recover`). :func:`push_to_hub`
uploads the finished folder in one Hub commit and never changes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from alignment_dataset.card import render
from alignment_dataset.hub import HubUnavailable, probe
from alignment_dataset.schema import DEFAULT_REPO_ID
from alignment_dataset.writer import CARD, MANIFEST, STAGED
from g2p.paths import write_text_atomic

JOURNAL = ".publishing.json"
_PLACEHOLDER_NOTE = "A phonexl build is publishing into this folder"


def publish_folder(out_dir: Path, repo_id: str = DEFAULT_REPO_ID) -> Path:
    """Render the card, then publish the staged configs with it as ``out_dir/README.md``.

    Rendering comes first, so a card error leaves the previous dataset as it was.
    """
    publish_staged(out_dir, render(out_dir, repo_id) + "\n")
    return Path(out_dir) / CARD


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _placeholder(configs: list[str]) -> str:
    """A card whose configs have no files: the folder loads as before (not at all)."""
    entries = "".join(f"- config_name: {name}\n  data_files:\n  - split: train\n"
                      f"    path: {STAGED}/not-yet/*.parquet\n" for name in configs)
    return (f"---\nconfigs:\n{entries}---\n\n{_PLACEHOLDER_NOTE}; it has no data yet. "
            "If no build is running, re-run it: the next build completes or undoes this.\n")


def publish_staged(out_dir: Path, card: str) -> list[str]:
    """Move every staged config into place and write ``card`` as README.md; returns the names.

    Steps: a placeholder card on a first build, the journal, the shard moves (beside the
    files the old card reads), the card's rename (the commit), then :func:`_finish`.
    """
    out_dir = Path(out_dir)
    staging = out_dir / STAGED
    moves = {path.name: sorted(p.name for p in path.glob("*.parquet"))
             for path in sorted(staging.iterdir())} if staging.is_dir() else {}
    if moves and not (out_dir / CARD).is_file():
        write_text_atomic(out_dir / CARD, _placeholder(list(moves)))
    write_text_atomic(out_dir / JOURNAL, json.dumps({"card": _digest(card), "configs": moves}))
    for name, files in moves.items():
        (out_dir / name).mkdir(exist_ok=True)
        (out_dir / name).chmod(0o755)
        for file in files:
            os.replace(staging / name / file, out_dir / name / file)
    write_text_atomic(out_dir / CARD, card)
    _finish(out_dir, moves)
    return list(moves)


def _finish(out_dir: Path, moves: dict[str, list[str]]) -> None:
    """After the commit: the new manifests into place, the old shards and the journal out.

    Idempotent, so :func:`recover` can run it again after a kill.
    """
    staging = out_dir / STAGED
    for name, files in moves.items():
        staged, published = staging / name, out_dir / name
        if (staged / MANIFEST).is_file():
            os.replace(staged / MANIFEST, published / MANIFEST)
        for old in published.glob("*.parquet"):
            if old.name not in files:
                old.unlink()
        shutil.rmtree(staged, ignore_errors=True)
    if staging.is_dir() and not any(staging.iterdir()):
        staging.rmdir()
    (out_dir / JOURNAL).unlink(missing_ok=True)


def recover(out_dir: Path) -> str | None:
    """Complete or undo the publication a killed build left half-done; says which, or None.

    The card decides: if it is the journal's new card, the publication is finished; if not,
    the moved shards go back to ``.staged/`` (to be resumed) and a placeholder card is removed.
    """
    out_dir = Path(out_dir)
    journal = out_dir / JOURNAL
    if not journal.is_file():
        return None
    entry = json.loads(journal.read_text(encoding="utf-8"))
    card = out_dir / CARD
    text = card.read_text(encoding="utf-8") if card.is_file() else ""
    if _digest(text) == entry["card"]:
        _finish(out_dir, entry["configs"])
        return "finished publishing what an interrupted build had committed"
    for name, files in entry["configs"].items():
        staged, published = out_dir / STAGED / name, out_dir / name
        staged.mkdir(parents=True, exist_ok=True)
        for file in files:
            if (published / file).is_file():
                os.replace(published / file, staged / file)
        if published.is_dir() and not any(published.iterdir()):
            published.rmdir()
    if _PLACEHOLDER_NOTE in text:
        card.unlink()
    journal.unlink()
    return "undid the unfinished publication of an interrupted build; the previous dataset " \
           "is as it was"


def push_to_hub(folder: Path, repo_id: str, *, private: bool = False) -> str:
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
