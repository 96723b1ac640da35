"""Where the sentences come from: the Hub (XTREME), the embedded sample, or local files.

:func:`resolve` turns the command line's ``--source`` into a :class:`Plan`: one
:class:`ConfigPlan` per ``panx.{lang}`` / ``udpos.{lang}`` config, each with the inputs of its
splits, their checksums (for resuming) and their licenses (for the card).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from alignment_dataset import hub
from alignment_dataset.readers import (
    CorpusFormatError,
    ErrorHandler,
    Sentence,
    detect_format,
    read_corpus,
)
from alignment_dataset.schema import SPLITS, TASKS, config_name, guess_task, normalize_split
from g2p import LANGS
from g2p.script import SURROGATE

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
SAMPLE_SPLIT = "test"
KEYWORDS = ("auto", "hub", "sample")
# A LICENSE file beside a local corpus is classified by the first of these phrases it contains.
_LICENSE_PHRASES = (
    ("Attribution-NonCommercial-ShareAlike 4.0", "cc-by-nc-sa-4.0"),
    ("Attribution-ShareAlike 4.0", "cc-by-sa-4.0"),
    ("Attribution 4.0", "cc-by-4.0"),
)
_TASK_GUESS_SENTENCES = 200


class SourceError(ValueError):
    """The requested sources cannot be used; the message says why and what to do."""


def is_utf8_name(name: str) -> bool:
    """Whether a path from the command line is text: a name of bytes that are not UTF-8
    arrives with lone surrogates, which neither Arrow's paths nor parquet strings (the row
    ids hold the file name) can encode."""
    return SURROGATE.search(name) is None


def local_file(entry: str, hint: str = "") -> Path:
    """``--source PATH`` checked to be a readable file with a UTF-8 name, else a one-line
    :class:`SourceError` that says which of these it is not (``hint`` follows "no such
    file")."""
    if not is_utf8_name(entry):
        raise SourceError(f"--source {entry!a}: the file name is not UTF-8; rename the file")
    path = Path(entry)
    if not path.exists():
        raise SourceError(f"--source {entry}: no such file{hint}")
    if path.is_dir():
        raise SourceError(f"--source {entry}: a folder, not a file; pass the files in it")
    if not path.is_file():  # a FIFO, a device: nothing to scan and shard
        raise SourceError(f"--source {entry}: not a regular file")
    try:
        path.open("rb").close()
    except OSError as error:
        raise SourceError(f"--source {entry}: cannot be read ({error.strerror})") from None
    return path


@dataclass(frozen=True)
class SplitSource:
    """One input of one split: a file or a Hub config split."""

    split: str
    kind: str  # "sample", "hub" or "path"
    name: str  # file name or Hub location, as shown in logs and the card
    fingerprint: str  # sha256 of the file, or repo@revision/config/split
    license: str  # Hub license identifier for the card's YAML
    license_note: str
    read: Callable[[ErrorHandler | None], Iterator[Sentence]] = field(compare=False)
    count: Callable[[], int | None] = field(compare=False, default=lambda: None)


@dataclass
class ConfigPlan:
    config: str
    task: str
    lang: str
    inputs: list[SplitSource] = field(default_factory=list)

    def splits(self) -> list[str]:
        present = {source.split for source in self.inputs}
        return [split for split in SPLITS if split in present]


@dataclass
class Plan:
    kind: str  # "sample", "hub" or "path"
    reason: str
    configs: list[ConfigPlan]
    revision: str = ""  # the Hub commit read, for kind "hub"


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def count_sentences(path: Path) -> int:
    """Blank-line separated blocks: a cheap total for the progress bar."""
    blocks, inside = 0, False
    with open(path, "rb") as handle:
        for raw in handle:
            if raw.strip():
                blocks += not inside
                inside = True
            else:
                inside = False
    return blocks


def _name_parts(path: Path) -> list[str]:
    """The words of a file name, last first: ``ja_gsd-ud-dev.conllu`` → conllu, dev, ud, ..."""
    return list(reversed(re.split(r"[-_.]", Path(path).name)))


def split_from_name(path: Path) -> str | None:
    """``train``/``validation``/``test`` from a file name such as ``ja_gsd-ud-dev.conllu``."""
    return next(filter(None, map(normalize_split, _name_parts(path))), None)


def lang_from_name(path: Path) -> str | None:
    """The language code in a file name: ``dev-vi.tsv``, ``ja_gsd-ud-dev.conllu``."""
    return next((part for part in _name_parts(path) if part in LANGS), None)


def _license_of(path: Path) -> tuple[str, str]:
    """(license id, note) from a LICENSE file beside ``path`` whose name matches it."""
    for candidate in sorted(path.parent.glob("LICENSE*")):
        key = re.sub(r"^LICENSE[-_.]?", "", candidate.stem)
        if key and not path.name.startswith(key):
            continue
        text = candidate.read_text(encoding="utf-8", errors="replace")
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        for phrase, license_id in _LICENSE_PHRASES:
            if phrase in text:
                return license_id, f"{candidate.name}: {first}"
        return "other", f"{candidate.name}: {first}"
    return "other", "local file without a LICENSE file beside it: check the corpus's own terms"


def _file_source(path: Path, split: str, kind: str, fmt: str,
                 license_id: str, note: str) -> SplitSource:
    return SplitSource(
        split=split, kind=kind, name=path.name, fingerprint=_sha256(path),
        license=license_id, license_note=note,
        read=lambda on_error: read_corpus(path, fmt, on_error),
        count=lambda: count_sentences(path),
    )


def sample_plan(langs: Sequence[str], tasks: Sequence[str]) -> list[ConfigPlan]:
    """The embedded hand-written sample, one file per task and language, as the test split."""
    plans = []
    for lang in langs:
        for task in tasks:
            path = SAMPLE_DIR / f"{task}-{lang}.tsv"
            if not path.is_file():
                raise SourceError(f"the embedded sample {path} is missing; reinstall phonexl")
            source = _file_source(path, SAMPLE_SPLIT, "sample", "iob", "cc0-1.0",
                                  "written for phonexl, not taken from any corpus (CC0 1.0)")
            plans.append(ConfigPlan(config_name(task, lang), task, lang, [source]))
    return plans


def hub_plan(langs: Sequence[str], tasks: Sequence[str],
             revision: hub.Revision) -> list[ConfigPlan]:
    """XTREME's PAN-X / UDPOS configs on the Hub at ``revision``: the splits it has."""
    license_by_task = {
        "ner": ("other", "WikiANN/PAN-X: no license stated by its authors; text from Wikipedia"),
        "pos": ("cc-by-sa-4.0", "Universal Dependencies treebanks: CC BY-SA 4.0"),
    }
    plans = []
    sha = revision.sha
    for lang in langs:
        for task in tasks:
            remote = hub.xtreme_config(task, lang)
            license_id, note = license_by_task[task]
            inputs = [
                SplitSource(
                    split=split, kind="hub", name=f"{hub.XTREME_REPO}@{sha[:12]}/{remote}/{split}",
                    fingerprint=f"{hub.XTREME_REPO}@{sha}/{remote}/{split}",
                    license=license_id, license_note=note,
                    read=lambda _on_error, t=task, la=lang, s=split: hub.hub_sentences(
                        t, la, s, sha),
                )
                for split in revision.config_splits(remote, SPLITS)
            ]
            plans.append(ConfigPlan(config_name(task, lang), task, lang, inputs))
    return plans


def _task_of(path: Path, fmt: str, tasks: Sequence[str]) -> str:
    if len(tasks) == 1:
        return tasks[0]
    if fmt == "conllu":
        return "pos"
    labels: set[str] = set()
    for sentence in islice(read_corpus(path, fmt, lambda error: None), _TASK_GUESS_SENTENCES):
        labels.update(sentence.labels)
    task = guess_task(labels)
    if task is None:
        raise SourceError(f"{path}: cannot tell NER from POS by its labels "
                          f"({', '.join(sorted(labels)[:8])}); pass --task ner or --task pos")
    return task


def path_plan(paths: Sequence[str], langs: Sequence[str], tasks: Sequence[str],
              fmt: str | None) -> tuple[list[ConfigPlan], list[str]]:
    """Local files: language from --lang (or, for several, from the file name), split from
    the file name, task from --task/labels.

    Returns the plans and notes for the banner (e.g. a split that defaulted to train). Two
    files for one split of a config are refused: concatenating them would silently keep the
    sentences both hold (UD ja dev and the PhoneXL dev-ja.tsv share 119).
    """
    notes: list[str] = []
    plans: dict[str, ConfigPlan] = {}
    for entry in paths:
        path = local_file(entry, " (or use auto, hub or sample)")
        lang = langs[0] if len(langs) == 1 else lang_from_name(path)
        if lang not in langs:
            found = f"its name says {lang}" if lang else "its name has no language code"
            raise SourceError(f"--source {entry}: {found} (one of {', '.join(langs)} needed); "
                              "rename it, or pass one --lang for all files")
        try:
            file_format = fmt or detect_format(path)
        except CorpusFormatError as error:
            raise SourceError(f"{error}; pass --format conllu|iob|phonexl") from None
        split = split_from_name(path)
        if split is None:
            split = "train"
            notes.append(f"{path.name}: no train/dev/test in the name, used as the train split")
        task = _task_of(path, file_format, tasks)
        config = config_name(task, lang)
        license_id, note = _license_of(path)
        plan = plans.setdefault(config, ConfigPlan(config, task, lang))
        twin = next((s.name for s in plan.inputs if s.split == split), None)
        if twin is not None:
            raise SourceError(f"--source {twin} and {path.name} are both the {split} split of "
                              f"{config}; pass one file per split (join them first if you mean "
                              "to, after removing the sentences they share)")
        plan.inputs.append(_file_source(path, split, "path", file_format, license_id, note))
    for plan in plans.values():
        plan.inputs.sort(key=lambda source: SPLITS.index(source.split))
    return list(plans.values()), notes


def _hub(langs: Sequence[str], tasks: Sequence[str], revision: str | None,
         why: str) -> Plan:
    """The Hub plan at the resolved revision; an unknown pin or config is a SourceError."""
    try:
        resolved = hub.resolve_revision(revision)
        plans = hub_plan(langs, tasks, resolved)
    except hub.UnknownRevision as error:
        raise SourceError(str(error)) from None
    pinned = f"--revision {revision}" if revision else "the current commit"
    return Plan("hub", f"{why}; {pinned}", plans, resolved.sha)


def resolve(sources: Sequence[str], langs: Sequence[str], tasks: Sequence[str],
            fmt: str | None = None,
            probe: Callable[[], tuple[bool, str]] | None = None,
            revision: str | None = None) -> Plan:
    """The plan for ``--source``; ``auto`` probes the Hub (:func:`hub.probe` unless ``probe``
    is given) and falls back to the sample. The Hub is read at ``revision`` (a pin) or at
    the commit that is current now, found before building."""
    keywords = [entry for entry in sources if entry in KEYWORDS]
    if keywords and len(sources) > 1:
        raise SourceError(f"--source {keywords[0]} cannot be combined with other sources")
    choice = keywords[0] if keywords else "path"
    if revision and choice in ("path", "sample"):
        raise SourceError(f"--revision pins the Hub's {hub.XTREME_REPO}; it does not apply to "
                          f"--source {'PATH' if choice == 'path' else choice}")
    if choice == "path":
        plans, notes = path_plan(sources, langs, tasks, fmt)
        names = ", ".join(source.name for plan in plans for source in plan.inputs)
        return Plan("path", "; ".join([f"local files given: {names}", *notes]), plans)
    if choice == "sample":
        return Plan("sample", "--source sample was given", sample_plan(langs, tasks))
    reachable, why = (probe or hub.probe)()
    if choice == "hub" or revision:
        if not reachable:
            flag = "--source hub" if choice == "hub" else f"--revision {revision}"
            raise SourceError(f"{flag}: the Hub is not reachable ({why}); use --source "
                              "sample, or local files (--source PATH ...)")
        try:
            return _hub(langs, tasks, revision, f"--source {choice} was given ({why})")
        except hub.HubUnavailable as error:
            raise SourceError(f"{error}; use --source sample, or local files "
                              "(--source PATH ...)") from None
    if reachable:
        try:
            return _hub(langs, tasks, None, f"the Hub is reachable ({why})")
        except hub.HubUnavailable as error:
            why = str(error)
    return Plan("sample", f"the Hub is not reachable ({why})", sample_plan(langs, tasks))


def describe(plan: Plan) -> str:
    """The loud banner: which source, why, and what it contains."""
    what = {
        "hub": f"the Hugging Face Hub: {hub.XTREME_REPO} (PAN-X, UDPOS) at revision "
               f"{plan.revision}",
        "sample": f"the EMBEDDED SAMPLE ({SAMPLE_DIR})\n  what: hand-written sentences "
                  f"per language and task, written as the '{SAMPLE_SPLIT}' split: a showcase "
                  "of hard cases, not a corpus to train on",
        "path": "local files",
    }[plan.kind]
    rule = "=" * 78
    lines = [rule, f"phonexl source: {what}", f"  why: {plan.reason}"]
    if plan.kind == "sample":
        lines.append("  For the real corpora: go online (--source hub) or pass local files "
                     "(--source PATH ... --lang L).")
    for config in plan.configs:
        splits = ", ".join(f"{s.split}<-{s.name}" for s in config.inputs)
        lines.append(f"  {config.config} ({TASKS[config.task].description}): {splits}")
    return "\n".join([*lines, rule])
