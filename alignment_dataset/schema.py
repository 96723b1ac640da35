"""The one place that defines configs, splits, columns and label names of the dataset."""

from __future__ import annotations

from dataclasses import dataclass

from datasets import ClassLabel, Features, List, Value

# XTREME's label orders, so that ids agree with google/xtreme PAN-X.* and udpos.* configs.
PANX_LABELS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
UPOS_LABELS = (
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM",
    "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X",
)
SPLITS = ("train", "validation", "test")
DEFAULT_REPO_ID = "phonexl/cjkv-ipa"  # where --push-to-hub and the benchmark look
_SPLIT_ALIASES = {"train": "train", "dev": "validation", "validation": "validation",
                  "valid": "validation", "test": "test"}


@dataclass(frozen=True)
class Task:
    """A labelling task: its config prefix, tag column and label names."""

    name: str
    prefix: str
    column: str
    labels: tuple[str, ...]
    description: str
    iob2: bool = False  # labels are IOB2 entity tags, checked by :func:`repair_iob2`


TASKS = {
    "ner": Task("ner", "panx", "ner_tags", PANX_LABELS, "named-entity-recognition", iob2=True),
    "pos": Task("pos", "udpos", "pos_tags", UPOS_LABELS, "part-of-speech"),
}
# Raw text (``text.<lang>`` configs): the same columns without a label column.
TEXT = Task("text", "text", "", (), "raw text")
KINDS = {**TASKS, TEXT.name: TEXT}
"""Every kind of config; :data:`TASKS` are the labelled ones."""


def config_name(task: str, lang: str) -> str:
    """``panx.ja`` / ``udpos.ja`` / ``text.ja``."""
    return f"{KINDS[task].prefix}.{lang}"


def parse_config(name: str) -> tuple[str, str]:
    """(task, lang) of a config name; ValueError when it is not one of ours."""
    prefix, _, lang = name.partition(".")
    for task in KINDS.values():
        if task.prefix == prefix and lang:
            return task.name, lang
    raise ValueError(f"not a phonexl config name: {name!r}")


def normalize_split(name: str) -> str | None:
    """The canonical split for a name such as ``dev`` (→ ``validation``), else None."""
    return _SPLIT_ALIASES.get(name.lower())


def features(task: str) -> Features:
    """Column types; ClassLabel names travel inside the parquet files' metadata too.

    ``status`` says per token why its IPA looks the way it does (:class:`g2p.Status` values);
    the tone-less IPA is ``g2p.ipa.strip_tones(ipa)`` and is not stored. Raw-text configs
    (:data:`TEXT`) have no label column.
    """
    strings = List(Value("string"))
    kind = KINDS[task]
    labels = {kind.column: List(ClassLabel(names=list(kind.labels)))} if kind.column else {}
    return Features({
        "id": Value("string"),
        "lang": Value("string"),
        "tokens": strings,
        "ipa": strings,
        "reading": strings,
        "status": strings,
        **labels,
    })


def repair_iob2(labels: tuple[str, ...]) -> tuple[tuple[str, ...], list[int]]:
    """IOB2 tags with every ``I-X`` that does not continue an ``X`` entity read as ``B-X``.

    That is how conlleval and seqeval read such a tag. The PhoneXL release needs it: its
    ja/zh files tag the ``#`` standing for a space inside a name as ``O`` (J u m p # F e s t a
    = B I I I O I I I I). Returns the tags and the positions that were changed.
    """
    repaired, changed, previous = list(labels), [], "O"
    for index, label in enumerate(labels):
        if label.startswith("I-") and previous[2:] != label[2:]:
            repaired[index] = "B-" + label[2:]
            changed.append(index)
        previous = label
    return tuple(repaired), changed


def guess_task(labels: set[str]) -> str | None:
    """The task whose label set contains all of ``labels`` (None when none or both do)."""
    matches = [name for name, task in TASKS.items() if labels <= set(task.labels)]
    return matches[0] if len(matches) == 1 else None
