"""Reading the phonexl dataset (a local folder or a Hub id) with `datasets.load_dataset`.

Config names and tag columns come from `alignment_dataset.schema` (`panx.{lang}` with
`ner_tags`, `udpos.{lang}` with `pos_tags`), label names from the loaded dataset's ClassLabel
features. Each row has `tokens`, `ipa` (space-separated phones per token) and its tags. Where
the source language has no train split, its validation split is split once (independently of
the run seed) into training sentences and a held-out part for model selection, and the run
says so.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import datasets

from alignment_dataset.schema import DEFAULT_REPO_ID, TASKS, config_name
from g2p import LANGS
from g2p.ipa import strip_tones
from g2p.paths import DEFAULT_DATASET
from phonexl.availability import require


def resolve_data(data: str | None) -> str:
    """The dataset to train on: ``data``, else `alignment_dataset.build`'s default output
    folder when built, else the Hub dataset; fails fast when it cannot be had."""
    if data is None:
        data = str(DEFAULT_DATASET) if (DEFAULT_DATASET / "README.md").exists() else DEFAULT_REPO_ID
    require(data, "dataset", "Build it first (python -m benchmarks.dataset_build, or "
            "python -m alignment_dataset.build) and pass --data with its folder.")
    return data


@dataclass(frozen=True)
class Sentence:
    """One labelled sentence; `ipa[i]` is the space-separated phones of `tokens[i]`."""

    tokens: tuple[str, ...]
    ipa: tuple[str, ...]
    labels: tuple[int, ...]
    lang: str


@dataclass(frozen=True)
class SourceData:
    train: list[Sentence]
    dev: list[Sentence]
    note: str  # where training and selection data came from, printed and saved with the run


@cache
def load_config(data: str, task: str, lang: str) -> tuple[dict[str, list[Sentence]], tuple]:
    """All splits of one config as sentences, plus the label names (cached per process)."""
    name, column = config_name(task, lang), TASKS[task].column
    dataset = datasets.load_dataset(data, name)
    names = _label_names(dataset, column, task)
    index = {name: i for i, name in enumerate(names)}
    splits = {}
    for split, rows in dataset.items():
        sentences = []
        for tokens, ipa, labels in zip(rows["tokens"], rows["ipa"], rows[column], strict=True):
            if not tokens:
                continue
            if len(ipa) != len(tokens) or len(labels) != len(tokens):
                raise ValueError(
                    f"{name}/{split}: tokens, ipa and labels differ in length"
                )
            ids = tuple(index[label] if isinstance(label, str) else label for label in labels)
            sentences.append(Sentence(tuple(tokens), tuple(ipa), ids, lang))
        splits[split] = sentences
    return splits, names


def _label_names(dataset: datasets.DatasetDict, column: str, task: str) -> tuple[str, ...]:
    """Label names from the tag column's ClassLabel feature; the schema's for string tags."""
    feature = next(iter(dataset.values())).features[column].feature
    return tuple(feature.names) if isinstance(feature, datasets.ClassLabel) else TASKS[task].labels


def ipa_normalizer(tones: bool) -> Callable[[str], str]:
    """How a run sees IPA: as stored, or without tone segments."""
    return (lambda ipa: ipa) if tones else strip_tones


def map_ipa(sentences: list[Sentence], normalize: Callable[[str], str]) -> list[Sentence]:
    return [
        Sentence(s.tokens, tuple(normalize(i) for i in s.ipa), s.labels, s.lang)
        for s in sentences
    ]


def source_data(data: str, task: str, lang: str, holdout: float) -> SourceData:
    """Training and model-selection sentences of the source language (never the test split)."""
    splits, _ = load_config(data, task, lang)
    name = config_name(task, lang)
    if "train" in splits and "validation" in splits:
        return SourceData(splits["train"], splits["validation"],
                          f"{name}: trained on train, model selection on validation")
    pool_split = "validation" if "validation" in splits else "train"
    if pool_split not in splits:
        raise ValueError(f"{name} has neither a train nor a validation split")
    pool = list(splits[pool_split])
    random.Random(20230710).shuffle(pool)  # fixed: every variant and seed sees the same split
    n_dev = max(1, round(len(pool) * holdout))
    note = (
        f"{name}: no {'train' if pool_split == 'validation' else 'validation'} split; "
        f"trained on {len(pool) - n_dev} sentences of {pool_split}, model selection on the "
        f"other {n_dev} held out ({holdout:.0%})"
    )
    return SourceData(pool[n_dev:], pool[:n_dev], note)


def target_test(data: str, task: str, lang: str) -> tuple[list[Sentence], str]:
    """The target language's test split (validation if there is none, and it says so)."""
    splits, _ = load_config(data, task, lang)
    name = config_name(task, lang)
    if "test" in splits:
        return splits["test"], f"{name}: evaluated on test"
    return splits["validation"], f"{name}: no test split; evaluated on validation"


def target_text(data: str, task: str, lang: str) -> list[Sentence]:
    """Unlabeled target-language sentences for the target-side objectives: the train and
    validation splits of the target config with every label replaced by 0 (so no code path
    can see one); never the test split, which stays unseen until scoring."""
    splits, _ = load_config(data, task, lang)
    return [Sentence(s.tokens, s.ipa, (0,) * len(s.tokens), s.lang)
            for split, sentences in splits.items() if split != "test" for s in sentences]


def fixed_sample(sentences: list[Sentence], limit: int) -> list[Sentence]:
    """A fixed sample (the same for every variant, seed and reference) of at most `limit`."""
    if not limit or len(sentences) <= limit:
        return sentences
    return random.Random(0).sample(sentences, limit)


def fingerprint(sentences: list[Sentence]) -> str:
    """A short digest of sentences (tokens and labels, in order): runs scored on the same
    test sentences have the same one, which is what pairing them sentence by sentence needs."""
    digest = hashlib.sha256()
    for sentence in sentences:
        digest.update(json.dumps([sentence.tokens, sentence.labels], ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


def label_names(data: str, task: str, lang: str) -> tuple[str, ...]:
    return load_config(data, task, lang)[1]


def all_ipa(data: str) -> list[str]:
    """Every token IPA string of every config and split (for the phone vocabulary)."""
    return [
        ipa
        for task in TASKS
        for lang in LANGS
        for sentences in _splits_or_empty(data, task, lang).values()
        for sentence in sentences
        for ipa in sentence.ipa
    ]


def unlabeled_sentences(data: str) -> list[Sentence]:
    """All train/validation sentences of every config (test text excluded), for pre-training:
    their tokens and IPA, never their labels."""
    return [
        sentence
        for task in TASKS
        for lang in LANGS
        for split, sentences in _splits_or_empty(data, task, lang).items()
        if split != "test"
        for sentence in sentences
    ]


def unlabeled_text(data: str) -> list[tuple[str, ...]]:
    """Token sequences of :func:`unlabeled_sentences`."""
    return [sentence.tokens for sentence in unlabeled_sentences(data)]


def missing_for(data: str, task: str, pair: str) -> list[str]:
    """What a (task, pair) setting needs and `data` lacks, one phrase each (empty: all there).

    The source needs labelled training or validation sentences, the target a test (or
    validation) split; a 1-sentence pool is as good as none for training and model selection.
    """
    src, tgt = pair.split("-")

    def found(splits: dict[str, list[Sentence]]) -> str:
        return ", ".join(f"{k} ({len(v)})" for k, v in splits.items()) or "no config"

    missing = []
    source = _splits_or_empty(data, task, src)
    if sum(len(source.get(split, [])) for split in ("train", "validation")) < 2:
        missing.append(f"{config_name(task, src)} train or validation "
                       f"(source; found: {found(source)})")
    target = _splits_or_empty(data, task, tgt)
    if not (target.get("test") or target.get("validation")):
        missing.append(f"{config_name(task, tgt)} test (target; found: {found(target)})")
    return missing


def _splits_or_empty(data: str, task: str, lang: str) -> dict[str, list[Sentence]]:
    try:
        return load_config(data, task, lang)[0]
    except ValueError as error:  # a config missing from a partial build
        if "BuilderConfig" in str(error) or "not found" in str(error):
            return {}
        raise
