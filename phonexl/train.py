"""One fine-tuning run: train on the source language, select on its dev set, test on the target.

    python -m phonexl.train --preset tiny --task ner --pair zh-vi --variant full \\
        --seed 111 --data /path/to/dataset [--out run.json] [--lr 1e-4 ...]

Model selection uses the source language's dev data only (held out from its validation split
when that split is also the training data); the target test set is scored once, with the
selected weights. Prints the run record as JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import platform
import random
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import torch
import transformers
from tqdm.auto import tqdm
from transformers import get_linear_schedule_with_warmup

from alignment_dataset.schema import config_name
from g2p.paths import shared_data
from phonexl import data as ds
from phonexl import scoring
from phonexl.availability import Unavailable, require
from phonexl.batching import (
    Encoded,
    Encoder,
    PhoneVocab,
    collate,
    length_grouped_batches,
    mask_subwords,
)
from phonexl.codeswitch import CodeSwitcher, load_dictionary
from phonexl.model import PhoneXL, load_backbone, load_phone_embeddings
from phonexl.objectives import MLM, XMLM, training_losses
from phonexl.presets import (
    PRESETS,
    VARIANTS,
    RunConfig,
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
def _phone_vocab(data: str, tones: bool, broad: bool) -> PhoneVocab:
    normalize = ds.ipa_normalizer(tones)
    return PhoneVocab.build([normalize(ipa) for ipa in ds.all_ipa(data)], broad)


def prepare_setting(
    config: RunConfig, task: str, pair: str, data: str, model_path: str
) -> SettingData:
    src, tgt = pair.split("-")
    _, tokenizer = load_backbone(model_path)
    source = ds.source_data(data, task, src, config.dev_holdout)
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
        switcher = CodeSwitcher(load_dictionary(dictionary_path, tgt), tgt, config.r, normalize,
                                ds.label_names(data, task, src))
        notes.append(f"code-switching: {dictionary_path.name}, "
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


def _to(batch: dict[str, torch.Tensor], device: torch.device) -> dict[str, torch.Tensor]:
    return {k: v.to(device, non_blocking=True) for k, v in batch.items()}


def evaluate(
    model: PhoneXL,
    setting: SettingData,
    sentences: Sequence[ds.Sentence],
    encoded: Sequence[Encoded],
    config: RunConfig,
    device: torch.device,
    autocast,
) -> list[tuple[int, ...]]:
    """Per-sentence counts (:mod:`scoring`): entities for NER, tokens for POS.

    Tokens cut off by `max_length` count as predicted label 0 (O for NER).
    """
    model.eval()
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i].input_ids))
    predictions: dict[int, list[int]] = {}
    for start in range(0, len(order), config.eval_batch_size):
        chunk = [i for i in order[start : start + config.eval_batch_size] if encoded[i].first]
        if not chunk:
            continue
        batch = _to(collate([encoded[i] for i in chunk], setting.encoder.pad_id), device)
        with torch.inference_mode(), autocast():
            paths = model.predict(batch)
        predictions.update(zip(chunk, paths, strict=True))
    counts = []
    for i, sentence in enumerate(sentences):
        path = predictions.get(i, [])
        path = path + [0] * (len(sentence.labels) - len(path))
        counts.append(scoring.sentence_counts(
            setting.task, [setting.labels[t] for t in sentence.labels],
            [setting.labels[t] for t in path]))
    model.train()
    return counts


def evaluation_steps(steps: int, config: RunConfig) -> set[int]:
    """The steps after which the source dev set is scored: every `eval_every` steps (and the
    last), or `evals` checks spread evenly over the budget."""
    if config.eval_every:
        return set(range(config.eval_every, steps + 1, config.eval_every)) | {steps}
    evals = max(1, config.evals)
    return {round(steps * (k + 1) / evals) for k in range(evals)}


def aux_count(config: RunConfig, indices: list[int]) -> int:
    """Sentences each auxiliary view takes from a batch (at least one)."""
    return max(1, round(config.aux_fraction * len(indices)))


def aux_batch(
    setting: SettingData,
    indices: list[int],
    config: RunConfig,
    variant_mlm: bool,
    variant_xmlm: bool,
    rng: random.Random,
    generator: torch.Generator,
    target: Sequence[Encoded] = (),
) -> dict[str, torch.Tensor] | None:
    """Masked copies (MLM) and code-switched masked copies (XMLM) of part of a batch, and
    masked copies of the `target` sentences (MLM, target-side objectives)."""
    count = aux_count(config, indices)
    rows: list[Encoded] = []
    objective: list[int] = []
    if variant_mlm:
        rows += [setting.train_encoded[i] for i in rng.sample(indices, count)] + list(target)
        objective += [MLM] * (count + len(target))
    if variant_xmlm:
        if setting.switcher is None:
            raise FileNotFoundError("XMLM needs the bilingual dictionary (--dictionary-dir)")
        for i in rng.sample(indices, count):
            sentence = setting.train[i]
            rows.append(setting.encoder.encode(*setting.switcher.switch(sentence, rng)))
            objective.append(XMLM)
    if not rows:
        return None
    batch = collate(rows, setting.encoder.pad_id)
    batch = mask_subwords(batch, config.mu, generator, setting.encoder.mask_id,
                          len(setting.tokenizer))
    batch["objective"] = torch.tensor(objective)
    return batch


def _peak_memory_mb(device: torch.device) -> dict[str, float]:
    if device.type == "cuda":
        return {"gpu_peak_mb": round(torch.cuda.max_memory_allocated(device) / 2**20, 1)}
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return {"process_peak_rss_mb": round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20, 1)}


def run(
    config: RunConfig,
    setting: SettingData,
    variant_name: str,
    seed: int,
    progress: bool = True,
) -> dict[str, object]:
    """Fine-tune one variant with one seed; returns the run record."""
    variant = VARIANTS[variant_name]
    started = time.perf_counter()
    if config.threads:
        torch.set_num_threads(config.threads)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    generator = torch.Generator().manual_seed(seed)
    device = pick_device(config.device)
    use_bf16 = config.bf16 and device.type == "cuda"

    def autocast():
        return torch.autocast("cuda", dtype=torch.bfloat16) if use_bf16 else nullcontext()

    backbone, _ = load_backbone(setting.model_path)
    if not config.orthographic and (variant.align or variant.mlm or variant.xmlm):
        raise ValueError("orthographic=False is a +phon diagnostic: the objectives need subwords")
    model = PhoneXL(backbone, len(setting.labels), len(setting.encoder.phones),
                    variant.phonemes, config.phone_init_std, config.orthographic,
                    config.orth_dropout).to(device)
    seeded_phones = load_phone_embeddings(model, setting.model_path, setting.encoder.phones.itos)
    model.train()
    embeddings = backbone.get_input_embeddings().weight
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    if config.batch_size % config.grad_accum:
        raise ValueError("batch_size must be a multiple of grad_accum")
    micro = config.batch_size // config.grad_accum
    n_train = len(setting.train_encoded)
    steps = math.ceil(config.epochs * math.ceil(n_train / config.batch_size))
    if config.max_steps:
        steps = min(steps, config.max_steps)
    eval_at = evaluation_steps(steps, config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr,
                                  weight_decay=config.weight_decay)
    schedule = get_linear_schedule_with_warmup(optimizer, int(config.warmup * steps), steps)
    batches = length_grouped_batches([len(e.input_ids) for e in setting.train_encoded], micro, rng)
    needs_aux = variant.mlm or variant.xmlm
    step_times, curve, selection = [], [], []
    best = (-1.0, 0, None)
    stale = 0  # source-dev checks since the best one
    sentences = tokens = 0
    bar = tqdm(range(1, steps + 1), desc=f"{setting.task} {setting.src}-{setting.tgt} "
               f"{variant_name} {seed}", leave=False, disable=not progress)
    for step in bar:
        tick = time.perf_counter()
        totals: dict[str, float] = {}
        present = torch.zeros(embeddings.size(0), dtype=torch.bool, device=device)
        for _ in range(config.grad_accum):
            indices = next(batches)
            batch = _to(collate([setting.train_encoded[i] for i in indices],
                                setting.encoder.pad_id), device)
            aux = target = None
            target_rows = []
            if setting.target_text and (variant.align or variant.mlm):
                count = min(aux_count(config, indices), len(setting.target_text))
                target_rows = rng.sample(setting.target_text, count)
                if variant.align:
                    target = _to(collate(target_rows, setting.encoder.pad_id), device)
            if needs_aux:
                aux = aux_batch(setting, indices, config, variant.mlm, variant.xmlm, rng,
                                generator, target_rows)
                aux = _to(aux, device) if aux is not None else None
            with autocast():
                losses = training_losses(model, batch, aux, variant, config, target)
            (losses["total"] / config.grad_accum).backward()
            present[batch["input_ids"]] = True
            if aux is not None:
                present[aux["input_ids"]] = True
            for name, value in losses.items():
                totals[name] = totals.get(name, 0.0) + value.item() / config.grad_accum
            sentences += len(indices)
            tokens += int(batch["token_mask"].sum())
        if config.sparse_embeddings and embeddings.grad is not None:
            embeddings.grad[~present] = 0  # see RunConfig.sparse_embeddings
        torch.nn.utils.clip_grad_norm_(model.parameters(), config.max_grad_norm)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad(set_to_none=True)
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        step_times.append(time.perf_counter() - tick)
        curve.append({"step": step, **{k: round(v, 4) for k, v in totals.items()}})
        bar.set_postfix(loss=f"{totals['total']:.3f}")
        if step in eval_at:
            score = scoring.corpus_score(setting.task, evaluate(
                model, setting, setting.dev, setting.dev_encoded, config, device, autocast))
            selection.append({"step": step, "dev": round(score, 2)})
            if score > best[0]:
                state = {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}
                best, stale = (score, step, state), 0
            else:
                stale += 1
            if config.patience and stale >= config.patience:
                break
    train_seconds = sum(step_times)
    model.load_state_dict(best[2])
    test_counts = evaluate(model, setting, setting.test, setting.test_encoded, config, device,
                           autocast)
    test_score = scoring.corpus_score(setting.task, test_counts)
    timed = step_times[3:] or step_times
    return {
        "task": setting.task,
        "pair": f"{setting.src}-{setting.tgt}",
        "variant": variant_name,
        "seed": seed,
        "metric": scoring.METRICS[setting.task],
        "test": round(test_score, 2),
        "test_fingerprint": setting.test_fingerprint,
        "test_counts": {"columns": scoring.COLUMNS[setting.task],
                        "per_sentence": scoring.pack(test_counts)},
        "phones_from_pretraining": seeded_phones,
        "dev_best": round(best[0], 2),
        "best_step": best[1],
        "steps": len(step_times),
        "step_budget": steps,
        "train_sentences": n_train,
        "dev_sentences": len(setting.dev),
        "test_sentences": len(setting.test),
        "step_time_mean_s": round(statistics.mean(timed), 4),
        "step_time_median_s": round(statistics.median(timed), 4),
        "sentences_per_s": round(sentences / train_seconds, 1),
        "tokens_per_s": round(tokens / train_seconds, 1),
        "wall_s": round(time.perf_counter() - started, 1),
        **_peak_memory_mb(device),
        "device": str(device) + (" (bf16 autocast)" if use_bf16 else ""),
        "notes": setting.notes,
        "target_seen_in_source": setting.overlap,
        "selection": selection,
        "loss_curve": curve,
        "config": as_dict(replace(config, model=setting.model_path)),
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
