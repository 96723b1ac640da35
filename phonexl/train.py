"""One fine-tuning run: train on the source language, select on its dev set, test on the target.

    python -m phonexl.train --preset tiny --task ner --pair zh-vi --variant full \\
        --seed 111 --data /path/to/dataset [--out run.json] [--lr 1e-4 ...]

Model selection uses the source language's dev data only (held out from its validation split
when that split is also the training data); the target test set is scored once, with the
selected weights. Prints the run record as JSON.

:func:`run` reads top to bottom: :func:`start` (seeds), :func:`build_model`, :func:`fit` (the
train loop: :func:`train_step` per optimiser step, :func:`select` at each source-dev check),
:func:`evaluate` on the target test set, :func:`run_record`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import platform
import random
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import torch
import transformers
from tqdm.auto import tqdm
from transformers import get_linear_schedule_with_warmup

from alignment_dataset.schema import config_name
from g2p.paths import shared_data
from phonexl import data as ds
from phonexl import granularity, scoring
from phonexl.availability import Unavailable, require
from phonexl.batching import (
    Batch,
    Encoded,
    Encoder,
    PhoneVocab,
    collate,
    length_grouped_batches,
    mask_subwords,
)
from phonexl.codeswitch import CodeSwitcher, load_dictionary, reduce_dictionary
from phonexl.model import PhoneXL, load_backbone, load_phone_embeddings
from phonexl.objectives import MLM, XMLM, training_losses
from phonexl.presets import (
    PRESETS,
    VARIANTS,
    RunConfig,
    Variant,
    add_config_arguments,
    as_dict,
    overrides_from_args,
    resolve,
)
from phonexl.tiny import TinyEncoderConfig, tiny_encoder

log = logging.getLogger(__name__)
DEFAULT_DICTIONARIES = shared_data() / "dictionaries"


@dataclass
class SettingData:
    """Everything a (task, pair) needs that does not depend on the variant or the seed."""

    task: str
    src: str
    tgt: str
    model_path: str
    tokenizer: object
    encoder: Encoder
    labels: tuple[str, ...]
    train: list[ds.Sentence]
    dev: list[ds.Sentence]
    test: list[ds.Sentence]
    train_encoded: list[Encoded]
    dev_encoded: list[Encoded]
    test_encoded: list[Encoded]
    notes: list[str]
    switcher: CodeSwitcher | None
    overlap: dict[str, float]  # share of target test subwords / phones seen in source training
    test_fingerprint: str  # which test sentences, in which order (runs are paired on it)
    target_text: list[Encoded]  # unlabeled target sentences (config.target_text), else empty


def resolve_model(config: RunConfig, data: str, tiny: TinyEncoderConfig) -> str:
    """`tiny` -> the cached tiny encoder (pre-trained on first use); else the name/path as is,
    once it is known to be loadable."""
    if config.pretraining not in ("orth", "phonemic"):
        raise ValueError(f"--pretraining {config.pretraining!r}: choose orth or phonemic")
    if config.model != "tiny":
        if config.pretraining != "orth":
            raise ValueError("--pretraining phonemic pre-trains the tiny backbone only; "
                             f"{config.model} comes pre-trained")
        require(config.model, "model", "Offline, use --preset tiny (or --model tiny), or "
                "--model PATH to a folder saved with save_pretrained.")
        return config.model
    sentences = ds.unlabeled_sentences(data)
    ipa = [s.ipa for s in sentences] if config.pretraining == "phonemic" else None
    return str(tiny_encoder([s.tokens for s in sentences], tiny, ipa=ipa))


@cache
def weights_digest(model_path: str) -> str | None:
    """The first 16 hex digits of the sha256 of a local encoder's weight files, or None for a
    Hub name: a tiny encoder's cache key names its text and settings, not its weights (its
    WordPiece tokenizer once trained another vocabulary each time, and another machine's
    arithmetic may still differ), so two grids can only be paired when their runs record the
    same weights."""
    files = sorted(Path(model_path).glob("*.safetensors")) + sorted(Path(model_path).glob("*.bin"))
    if not files:
        return None
    digest = hashlib.sha256()
    for path in files:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:16]


@cache
def _phone_vocab(data: str, tones: bool, broad: bool) -> PhoneVocab:
    normalize = ds.ipa_normalizer(tones)
    return PhoneVocab.build([normalize(ipa) for ipa in ds.all_ipa(data)], broad)


def prepare_setting(
    config: RunConfig, task: str, pair: str, data: str, model_path: str
) -> SettingData:
    src, tgt = pair.split("-")
    _, tokenizer = load_backbone(model_path)
    source = ds.source_data(data, task, src, config.dev_holdout)
    source, granularity_note = granularity.apply(source, config.granularity, src, data,
                                                 ds.label_names(data, task, src))
    test, test_note = ds.target_test(data, task, tgt)
    train = ds.fixed_sample(source.train, config.max_train_sentences)
    test = ds.fixed_sample(test, config.max_test_sentences)
    normalize = ds.ipa_normalizer(config.tones)
    train, dev, test = (ds.map_ipa(part, normalize) for part in (train, source.dev, test))
    encoder = Encoder(tokenizer, _phone_vocab(data, config.tones, config.broad),
                      config.max_length, config.max_phones)

    def encode(sentences: list[ds.Sentence], target: bool) -> list[Encoded]:
        return [encoder.encode(s.tokens, s.ipa, s.labels, [target] * len(s.tokens))
                for s in sentences]

    notes = [source.note, test_note]
    if granularity_note:
        notes.append(granularity_note)
    if not config.mark_target:
        notes.append("target test sentences carry the source language id")
    if not config.orthographic:
        notes.append("subword embeddings zeroed: the model sees phones and positions only")
    if config.orth_dropout:
        notes.append(f"training: {config.orth_dropout:.0%} of sentences see phones without "
                     "their subwords (phonemic variants)")
    if not config.tones or not config.broad:
        notes.append(f"IPA seen by the model: tones={config.tones}, broad={config.broad}")
    if len(train) < len(source.train):
        notes.append(f"training capped at {len(train)} of {len(source.train)} sentences")
    if len(test) < len(ds.target_test(data, task, tgt)[0]):
        notes.append(f"target test: fixed sample of {len(test)} sentences")
    dictionary_dir = Path(config.dictionary_dir) if config.dictionary_dir else DEFAULT_DICTIONARIES
    dictionary_path = dictionary_dir / f"{pair}.txt"
    switcher = None
    if dictionary_path.exists():
        dictionary = reduce_dictionary(load_dictionary(dictionary_path, tgt),
                                       config.dictionary_coverage, config.shuffle_dictionary)
        switcher = CodeSwitcher(dictionary, tgt, config.r, normalize,
                                ds.label_names(data, task, src))
        notes.append(f"code-switching: {dictionary_path.name}"
                     f"{_dictionary_note(config)}, "
                     f"{switcher.coverage(train):.1%} of source tokens covered, "
                     f"inserted words' IPA from the {switcher.ipa_source}")
    train_encoded = encode(train, False)
    test_encoded = encode(test, config.mark_target)
    unlabeled: list[ds.Sentence] = []
    if config.target_text:
        unlabeled = ds.fixed_sample(ds.target_text(data, task, tgt), config.max_train_sentences)
        if not unlabeled:
            raise ValueError(f"--target-text: {config_name(task, tgt)} has no train or "
                             "validation text")
        unlabeled = ds.map_ipa(unlabeled, normalize)
        notes.append(f"target-side objectives on {len(unlabeled)} unlabeled {tgt} sentences "
                     "(train/validation text, no labels)")
    kept = [i for i, e in enumerate(train_encoded) if e.first]
    return SettingData(
        task=task, src=src, tgt=tgt, model_path=model_path, tokenizer=tokenizer,
        encoder=encoder, labels=ds.label_names(data, task, src),
        train=[train[i] for i in kept], dev=dev, test=test,
        train_encoded=[train_encoded[i] for i in kept],
        dev_encoded=encode(dev, False), test_encoded=test_encoded,
        notes=notes, switcher=switcher, overlap=overlap(train_encoded, test_encoded),
        test_fingerprint=ds.fingerprint(test),
        target_text=[e for e in encode(unlabeled, True) if e.first],
    )


def _dictionary_note(config: RunConfig) -> str:
    """How the run's dictionary differs from the whole one ('' when it does not)."""
    parts = []
    if config.dictionary_coverage < 1:
        parts.append(f"{config.dictionary_coverage:.0%} of its source words")
    if config.shuffle_dictionary:
        parts.append("translations shuffled across words (negative control)")
    return f" ({', '.join(parts)})" if parts else ""


def overlap(source: Sequence[Encoded], target: Sequence[Encoded]) -> dict[str, float]:
    """How much of the target test input the source training data has shown the model:
    the share of target subword and phone occurrences that also occur in source training.
    """
    shares = {}
    for name, units in (
        ("subwords", lambda e: e.input_ids[1:-1]),
        ("phones", lambda e: [p for token in e.phones for p in token]),
    ):
        seen = {u for e in source for u in units(e)}
        occurrences = [u for e in target for u in units(e)]
        shares[name] = round(sum(u in seen for u in occurrences) / max(len(occurrences), 1), 4)
    return shares


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


@dataclass
class RunContext:
    """What every step of one run reads: the setting, the variant, the device, the randomness."""

    config: RunConfig
    setting: SettingData
    variant_name: str
    seed: int
    device: torch.device
    rng: random.Random  # batch order, auxiliary and target-text samples, code-switching
    generator: torch.Generator  # subword (and phone) masking
    started: float  # time.perf_counter() at the start, for the record's wall time

    @property
    def variant(self) -> Variant:
        return VARIANTS[self.variant_name]

    @property
    def bf16(self) -> bool:
        return self.config.bf16 and self.device.type == "cuda"

    def autocast(self) -> AbstractContextManager:
        return torch.autocast("cuda", dtype=torch.bfloat16) if self.bf16 else nullcontext()

    def batch(self, rows: Sequence[Encoded]) -> Batch:
        """Encoded sentences padded into one batch on the run's device."""
        return collate(rows, self.setting.encoder.pad_id).to(self.device)


@dataclass
class Training:
    """What the train loop leaves behind: the selected weights and the measurements."""

    budget: int  # optimiser steps planned
    best_dev: float = -1.0  # best source-dev score so far
    best_step: int = 0  # the step it was reached at
    best_state: dict[str, torch.Tensor] | None = None  # its weights, copied to the CPU
    step_times: list[float] = field(default_factory=list)  # seconds per optimiser step
    curve: list[dict[str, float]] = field(default_factory=list)  # the losses of every step
    selection: list[dict[str, float]] = field(default_factory=list)  # source-dev checks
    sentences: int = 0  # training sentences seen, repeats counted
    tokens: int = 0  # their kept tokens


def run(
    config: RunConfig,
    setting: SettingData,
    variant_name: str,
    seed: int,
    progress: bool = True,
) -> dict[str, object]:
    """Fine-tune one variant with one seed; returns the run record.

    Seed (:func:`start`), build the model (:func:`build_model`), train with model selection
    on the source dev set (:func:`fit`), score the selected weights once on the target test
    set, and write it all down (:func:`run_record`).
    """
    context = start(config, setting, variant_name, seed)
    model, seeded_phones = build_model(context)
    training = fit(model, context, progress)
    model.load_state_dict(training.best_state)
    test_counts, test_tags = evaluate(model, context, setting.test, setting.test_encoded)
    return run_record(context, training, test_counts, test_tags, seeded_phones)


def start(config: RunConfig, setting: SettingData, variant_name: str, seed: int) -> RunContext:
    """Threads, the global torch seed and the run's own generators: the same seed, the same
    run."""
    started = time.perf_counter()
    if config.threads:
        torch.set_num_threads(config.threads)
    torch.manual_seed(seed)
    return RunContext(config, setting, variant_name, seed, pick_device(config.device),
                      random.Random(seed), torch.Generator().manual_seed(seed), started)


def build_model(context: RunContext) -> tuple[PhoneXL, int]:
    """A fresh PhoneXL on the backbone, in training mode; and how many of its phone embeddings
    phonemic pre-training seeded (0 for a text-only encoder)."""
    config, setting, variant = context.config, context.setting, context.variant
    backbone, _ = load_backbone(setting.model_path)
    if not config.orthographic and (variant.align or variant.mlm or variant.xmlm):
        raise ValueError("orthographic=False is a +phon diagnostic: the objectives need subwords")
    model = PhoneXL(backbone, len(setting.labels), len(setting.encoder.phones),
                    variant.phonemes, config.phone_init_std, config.orthographic,
                    config.orth_dropout).to(context.device)
    seeded_phones = load_phone_embeddings(model, setting.model_path, setting.encoder.phones.itos)
    model.train()
    return model, seeded_phones


def step_budget(config: RunConfig, n_train: int) -> int:
    """Optimiser steps: `epochs` passes over the training sentences, capped by `max_steps`."""
    steps = math.ceil(config.epochs * math.ceil(n_train / config.batch_size))
    return min(steps, config.max_steps) if config.max_steps else steps


def evaluation_steps(steps: int, config: RunConfig) -> set[int]:
    """The steps after which the source dev set is scored: every `eval_every` steps (and the
    last), or `evals` checks spread evenly over the budget."""
    if config.eval_every:
        return set(range(config.eval_every, steps + 1, config.eval_every)) | {steps}
    evals = max(1, config.evals)
    return {round(steps * (k + 1) / evals) for k in range(evals)}


def fit(model: PhoneXL, context: RunContext, progress: bool) -> Training:
    """The train loop: AdamW with linear warm-up and decay over the step budget, the source
    dev set scored at :func:`evaluation_steps` (stopping after `patience` checks without a
    gain), the best-scoring weights kept."""
    config, setting = context.config, context.setting
    if config.batch_size % config.grad_accum:
        raise ValueError("batch_size must be a multiple of grad_accum")
    if context.device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(context.device)
    training = Training(budget=step_budget(config, len(setting.train_encoded)))
    eval_at = evaluation_steps(training.budget, config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr,
                                  weight_decay=config.weight_decay)
    schedule = get_linear_schedule_with_warmup(optimizer, int(config.warmup * training.budget),
                                               training.budget)
    batches = length_grouped_batches([len(e.input_ids) for e in setting.train_encoded],
                                     config.batch_size // config.grad_accum, context.rng)
    stale = 0  # source-dev checks since the best one
    bar = tqdm(range(1, training.budget + 1), desc=f"{setting.task} {setting.src}-{setting.tgt} "
               f"{context.variant_name} {context.seed}", leave=False, disable=not progress)
    for step in bar:
        tick = time.perf_counter()
        losses = train_step(model, context, batches, training)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad(set_to_none=True)
        if context.device.type == "cuda":
            torch.cuda.synchronize(context.device)
        training.step_times.append(time.perf_counter() - tick)
        training.curve.append({"step": step, **{k: round(v, 4) for k, v in losses.items()}})
        bar.set_postfix(loss=f"{losses['total']:.3f}")
        if step in eval_at:
            stale = 0 if select(model, context, training, step) else stale + 1
            if config.patience and stale >= config.patience:
                break
    return training


def train_step(
    model: PhoneXL, context: RunContext, batches: Iterator[list[int]], training: Training
) -> dict[str, float]:
    """The gradients of one optimiser step, ready for it: `grad_accum` micro-batches of
    training sentences, each with its auxiliary (X)MLM rows and target-text rows; returns
    each loss averaged over the micro-batches."""
    config, setting, variant = context.config, context.setting, context.variant
    embeddings = model.backbone.get_input_embeddings().weight
    present = torch.zeros(embeddings.size(0), dtype=torch.bool, device=context.device)
    totals: dict[str, float] = {}
    for _ in range(config.grad_accum):
        indices = next(batches)
        batch = context.batch([setting.train_encoded[i] for i in indices])
        target_rows = target_sample(context, indices)
        target = context.batch(target_rows) if target_rows and variant.align else None
        aux = aux_batch(context, indices, target_rows)
        with context.autocast():
            losses = training_losses(model, batch, aux, variant, config, target)
        (losses["total"] / config.grad_accum).backward()
        for rows in (batch, aux):
            if rows is not None:
                present[rows.input_ids] = True
        for name, value in losses.items():
            totals[name] = totals.get(name, 0.0) + value.item() / config.grad_accum
        training.sentences += len(indices)
        training.tokens += int(batch.token_mask.sum())
    if config.sparse_embeddings and embeddings.grad is not None:
        embeddings.grad[~present] = 0  # see RunConfig.sparse_embeddings
    torch.nn.utils.clip_grad_norm_(model.parameters(), config.max_grad_norm)
    return totals


def aux_count(config: RunConfig, indices: list[int]) -> int:
    """Sentences each auxiliary view takes from a batch (at least one)."""
    return max(1, round(config.aux_fraction * len(indices)))


def target_sample(context: RunContext, indices: list[int]) -> list[Encoded]:
    """Unlabeled target sentences for one micro-batch's target-side L_align and L_MLM (none
    without --target-text, or when the variant has neither)."""
    target_text, variant = context.setting.target_text, context.variant
    if not target_text or not (variant.align or variant.mlm):
        return []
    return context.rng.sample(target_text, min(aux_count(context.config, indices),
                                               len(target_text)))


def aux_batch(context: RunContext, indices: list[int], target: Sequence[Encoded]) -> Batch | None:
    """Masked copies (MLM) and code-switched masked copies (XMLM) of part of a batch, and
    masked copies of the `target` sentences (MLM, target-side objectives); None when the
    variant has neither objective."""
    config, setting, variant, rng = context.config, context.setting, context.variant, context.rng
    count = aux_count(config, indices)
    rows: list[Encoded] = []
    objective: list[int] = []
    if variant.mlm:
        rows += [setting.train_encoded[i] for i in rng.sample(indices, count)] + list(target)
        objective += [MLM] * (count + len(target))
    if variant.xmlm:
        if setting.switcher is None:
            raise FileNotFoundError("XMLM needs the bilingual dictionary (--dictionary-dir)")
        for i in rng.sample(indices, count):
            sentence = setting.train[i]
            rows.append(setting.encoder.encode(*setting.switcher.switch(sentence, rng)))
            objective.append(XMLM)
    if not rows:
        return None
    batch = mask_subwords(collate(rows, setting.encoder.pad_id), config.mu, context.generator,
                          setting.encoder.mask_id, len(setting.tokenizer))
    return replace(batch, objective=torch.tensor(objective)).to(context.device)


def select(model: PhoneXL, context: RunContext, training: Training, step: int) -> bool:
    """Score the source dev set and keep the weights when they beat the best so far (model
    selection); returns whether they did."""
    setting = context.setting
    score = scoring.corpus_score(setting.task, evaluate(model, context, setting.dev,
                                                        setting.dev_encoded)[0])
    training.selection.append({"step": step, "dev": round(score, 2)})
    if score <= training.best_dev:
        return False
    training.best_dev, training.best_step = score, step
    training.best_state = {k: v.detach().to("cpu", copy=True)
                           for k, v in model.state_dict().items()}
    return True


def evaluate(
    model: PhoneXL,
    context: RunContext,
    sentences: Sequence[ds.Sentence],
    encoded: Sequence[Encoded],
) -> tuple[list[tuple[int, ...]], Counter[str]]:
    """Per-sentence counts (:mod:`scoring`): entities for NER, tokens for POS; and how often
    each label was predicted (what a model below the majority tagger predicts instead).

    Tokens cut off by `max_length` count as predicted label 0 (O for NER).
    """
    setting, size = context.setting, context.config.eval_batch_size
    model.eval()
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i].input_ids))
    predictions: dict[int, list[int]] = {}
    for start_at in range(0, len(order), size):
        chunk = [i for i in order[start_at : start_at + size] if encoded[i].first]
        if not chunk:
            continue
        batch = context.batch([encoded[i] for i in chunk])
        with torch.inference_mode(), context.autocast():
            paths = model.predict(batch)
        predictions.update(zip(chunk, paths, strict=True))
    counts, predicted = [], Counter()
    for i, sentence in enumerate(sentences):
        path = predictions.get(i, [])
        path = path + [0] * (len(sentence.labels) - len(path))
        tags = [setting.labels[t] for t in path]
        predicted.update(tags)
        counts.append(scoring.sentence_counts(
            setting.task, [setting.labels[t] for t in sentence.labels], tags))
    model.train()
    return counts, predicted


def _peak_memory_mb(device: torch.device) -> dict[str, float]:
    if device.type == "cuda":
        return {"gpu_peak_mb": round(torch.cuda.max_memory_allocated(device) / 2**20, 1)}
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return {"process_peak_rss_mb": round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20, 1)}


def run_record(
    context: RunContext,
    training: Training,
    test_counts: list[tuple[int, ...]],
    test_tags: Counter[str],
    seeded_phones: int,
) -> dict[str, object]:
    """The saved run: what ran, the test score and its per-sentence counts, model selection,
    the loss curve, speed and memory, the data notes, the full config and the versions."""
    config, setting, task = context.config, context.setting, context.setting.task
    train_seconds = sum(training.step_times)
    timed = training.step_times[3:] or training.step_times
    return {
        "task": task,
        "pair": f"{setting.src}-{setting.tgt}",
        "variant": context.variant_name,
        "seed": context.seed,
        "metric": scoring.METRICS[task],
        "test": round(scoring.corpus_score(task, test_counts), 2),
        "test_fingerprint": setting.test_fingerprint,
        "test_counts": {"columns": scoring.COLUMNS[task],
                        "per_sentence": scoring.pack(test_counts)},
        "test_tags": {  # label -> tokens of the target test sample, most frequent first
            "predicted": dict(test_tags.most_common()),
            "gold": dict(Counter(setting.labels[t] for s in setting.test
                                 for t in s.labels).most_common())},
        "phones_from_pretraining": seeded_phones,
        "dev_best": round(training.best_dev, 2),
        "best_step": training.best_step,
        "steps": len(training.step_times),
        "step_budget": training.budget,
        "train_sentences": len(setting.train_encoded),
        "dev_sentences": len(setting.dev),
        "test_sentences": len(setting.test),
        "step_time_mean_s": round(statistics.mean(timed), 4),
        "step_time_median_s": round(statistics.median(timed), 4),
        "sentences_per_s": round(training.sentences / train_seconds, 1),
        "tokens_per_s": round(training.tokens / train_seconds, 1),
        "wall_s": round(time.perf_counter() - context.started, 1),
        **_peak_memory_mb(context.device),
        "device": str(context.device) + (" (bf16 autocast)" if context.bf16 else ""),
        "notes": setting.notes,
        "target_seen_in_source": setting.overlap,
        "selection": training.selection,
        "loss_curve": training.curve,
        "config": as_dict(replace(config, model=setting.model_path)),
        "encoder_weights": weights_digest(setting.model_path),
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "transformers": transformers.__version__},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m phonexl.train",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="tiny")
    parser.add_argument("--task", choices=["ner", "pos"], required=True)
    parser.add_argument("--pair", choices=["zh-vi", "ja-ko"], required=True)
    parser.add_argument("--variant", choices=list(VARIANTS), default="full")
    parser.add_argument("--seed", type=int, default=111)
    parser.add_argument("--data", default=None, help="dataset folder or Hub id (default: "
                        "./phonexl-data if built there, else the Hub dataset)")
    parser.add_argument("--out", type=Path, help="save the run record (JSON) here")
    add_config_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    transformers.utils.logging.disable_progress_bar()
    config = resolve(args.preset, args.task, args.pair, overrides_from_args(args))
    try:
        data = ds.resolve_data(args.data)
        model_path = resolve_model(config, data, TinyEncoderConfig())
    except Unavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    setting = prepare_setting(config, args.task, args.pair, data, model_path)
    for note in setting.notes:
        log.info(note)
    record = run(config, setting, args.variant, args.seed)
    record["data"] = data
    text = json.dumps(record, ensure_ascii=False, indent=1)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    summary = {k: record[k] for k in ("task", "pair", "variant", "seed", "metric", "test",
                                       "dev_best", "step_time_mean_s", "wall_s")}
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
