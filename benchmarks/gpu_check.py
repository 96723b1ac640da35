"""A GPU run ready to go: every PhoneXL path on the device under bf16, its throughput and peak
memory, then a grid larger than the CPU allows.

    python -m benchmarks.gpu_check --size gpu [--data ./phonexl-data] [--out DIR]
    python -m benchmarks.gpu_check --size toy          # the same steps on CPU, in seconds (CI)

1. **Paths.** A synthetic zh→vi corpus (both tasks, a shared phone inventory, a bilingual
   dictionary of real Vietnamese syllables) is written as a dataset folder. Two encoders of the
   chosen size are pre-trained on it on the device, one orthographic and one phonemic, and a
   check asserts that every parameter sits on the device and that the encoder's states are
   bf16 under the run's autocast (CUDA). Then every variant of both tasks is fine-tuned from
   each encoder through the leaderboard, so every objective, the CRF and the evaluation run on
   the device; each run's record gives sentences/s, tokens/s, step time and peak GPU memory.
2. **Grid** (with ``--data``, the real corpora): the two encoders of the chosen size
   pre-trained on the dataset's unlabeled text for ``--pretrain-steps``, and the leaderboard
   grid (``--variants``, ``--seeds``) fine-tuned from each, with its references and
   significance tests; ``python -m benchmarks.compare_grids`` compares the two folders.

Everything lands in ``--out`` (default ``$PHONEXL_CACHE/results/gpu_check``):
``gpu_check.json`` (the summary printed at the end), ``paths-<pre-training>/`` and
``grid-<pre-training>/`` (leaderboard folders). ``benchmarks/gpu_check.sh`` runs the GPU size
on a lent machine and packs the folder into one archive.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from g2p.paths import scratch_results

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Size:
    """Encoder shape and the work done at it."""

    layers: int
    hidden: int
    heads: int
    intermediate: int
    vocab: int
    pretrain_steps: int  # synthetic pre-training (throughput); --pretrain-steps for the grid
    pretrain_batch: int
    sentences: int  # synthetic training sentences per language (dev and test: a quarter)
    steps: int  # fine-tuning steps per synthetic run
    batch: int
    max_length: int


SIZES = {
    "toy": Size(layers=2, hidden=32, heads=2, intermediate=64, vocab=400, pretrain_steps=3,
                pretrain_batch=8, sentences=48, steps=2, batch=8, max_length=48),
    "gpu": Size(layers=6, hidden=512, heads=8, intermediate=2048, vocab=12000,
                pretrain_steps=300, pretrain_batch=128, sentences=4000, steps=200, batch=32,
                max_length=128),
}
VARIANT_NAMES = ("orth", "+phon", "+align", "+mlm", "+xmlm", "full")
ONSETS = ("b", "c", "d", "đ", "h", "l", "m", "n", "t", "s", "x", "nh", "ng", "th", "tr", "ph")
RHYMES = ("a", "á", "à", "an", "anh", "ang", "o", "ô", "ơn", "u", "ung", "ư", "ương", "ai")
PHONES = ("p t k b d ɡ m n ŋ s ʂ x h l j w a e i o u ə ɛ ɔ ɨ aː ɗ ɓ t͡ɕ ˧ ˥ ˨˩ ˧˥ ˨˦").split()


def synthetic_corpus(folder: Path, size: Size, seed: int = 0) -> Path:
    """A zh→vi dataset folder in the builder's layout (both tasks, all splits) and its
    dictionary folder: random Han tokens and Vietnamese syllables, random phones and labels.
    Nothing in it is language; it exists to run every code path at a chosen size."""
    import datasets

    from alignment_dataset.schema import TASKS, config_name, features
    from g2p import Status, get_adapter

    rng = random.Random(seed)
    han = [chr(0x4E00 + i) for i in range(400)]
    vietnamese = get_adapter("vi")
    syllables = [f"{onset}{rhyme}" for onset in ONSETS for rhyme in RHYMES]
    syllables = [s for s, t in zip(syllables, vietnamese.transcribe(syllables), strict=True)
                 if t.status is Status.OK]  # words the vi adapter reads: no fallback needed
    words = {"zh": han, "vi": syllables}
    card = ["---", "configs:"]
    for task_name, task in TASKS.items():
        for lang in ("zh", "vi"):
            config = config_name(task_name, lang)
            card += [f"- config_name: {config}", "  data_files:"]
            for split, count in (("train", size.sentences), ("validation", size.sentences // 4),
                                 ("test", size.sentences // 4)):
                rows = [_sentence(rng, words[lang], task.labels, task.iob2) for _ in range(count)]
                table = {"id": [f"{lang}-{split}-{i}" for i in range(count)],
                         "lang": [lang] * count,
                         **{key: [row[key] for row in rows] for key in ("tokens", "ipa")},
                         "reading": [row["tokens"] for row in rows],
                         "status": [["ok"] * len(row["tokens"]) for row in rows],
                         task.column: [row["labels"] for row in rows]}
                path = folder / config / f"{split}-00000-of-00001.parquet"
                path.parent.mkdir(parents=True, exist_ok=True)
                datasets.Dataset.from_dict(table, features=features(task_name)).to_parquet(
                    str(path))
                card += [f"  - split: {split}", f"    path: {config}/{path.name}"]
    (folder / "README.md").write_text("\n".join([*card, "---", ""]), encoding="utf-8")
    dictionaries = folder / "dictionaries"
    dictionaries.mkdir(exist_ok=True)
    (dictionaries / "zh-vi.txt").write_text("".join(
        f"{source}\t{_ipa(rng)}\t{rng.choice(syllables)}\t{_ipa(rng)}\n" for source in han),
        encoding="utf-8")
    return folder


def _ipa(rng: random.Random) -> str:
    return " ".join(rng.choice(PHONES) for _ in range(rng.randint(1, 4)))


def _sentence(rng: random.Random, words: list[str], labels: tuple[str, ...],
              iob2: bool) -> dict[str, list[str]]:
    tokens = [rng.choice(words) for _ in range(rng.randint(4, 40))]
    if iob2:  # entities of one to three tokens, as valid IOB2
        tags, i = ["O"] * len(tokens), 0
        while i < len(tokens):
            if rng.random() < 0.15:
                kind = rng.choice(("PER", "ORG", "LOC"))
                for j in range(i, min(i + rng.randint(1, 3), len(tokens))):
                    tags[j] = ("B-" if j == i else "I-") + kind
                i = j + 1
            else:
                i += 1
    else:
        tags = [rng.choice(labels) for _ in tokens]
    return {"tokens": tokens, "ipa": [_ipa(rng) for _ in tokens], "labels": tags}


def pretrain_encoders(data: str, size: Size, steps: int, root: Path, device: str
                      ) -> dict[str, dict[str, object]]:
    """The orthographic and the phonemic encoder of `size`, pre-trained on `data`'s unlabeled
    text on `device` (cached in `root`): their folders and pre-training logs."""
    from phonexl import data as ds
    from phonexl.tiny import TinyEncoderConfig, tiny_encoder

    config = TinyEncoderConfig(vocab_size=size.vocab, layers=size.layers, hidden=size.hidden,
                               heads=size.heads, intermediate=size.intermediate,
                               max_length=size.max_length, steps=steps,
                               batch_size=size.pretrain_batch)
    sentences = ds.unlabeled_sentences(data)
    text = [s.tokens for s in sentences]
    encoders = {}
    for pretraining, ipa in (("orth", None), ("phonemic", [s.ipa for s in sentences])):
        path = tiny_encoder(text, config, root=root, progress=False, ipa=ipa, device=device)
        encoders[pretraining] = {"path": str(path), **json.loads(
            (path / "pretraining.json").read_text())}
    return encoders


def check_placement(data: str, encoder: str, device: str) -> dict[str, object]:
    """Build the full model as a run does and push one batch through it under the run's
    autocast: where its parameters live and which dtype the encoder states have."""
    import torch

    from phonexl.presets import resolve
    from phonexl.train import build_model, prepare_setting, start

    config = resolve("tiny", "ner", "zh-vi", {"model": encoder, "device": device, "threads": 0,
                                              "dictionary_dir": str(Path(data) / "dictionaries")})
    setting = prepare_setting(config, "ner", "zh-vi", data, encoder)
    context = start(config, setting, "full", 0)
    model, _ = build_model(context)
    batch = context.batch(setting.train_encoded[:4])
    with context.autocast():
        embeds, _, _ = model.embed(batch)
        hidden = model.encode(batch, embeds)
    found = {
        "device": str(context.device),
        "parameter_devices": sorted({str(p.device) for p in model.parameters()}),
        "encoder_dtype": str(hidden.dtype).removeprefix("torch."),
        "bf16_autocast": context.bf16,
    }
    wanted_dtype = torch.bfloat16 if context.bf16 else torch.float32
    if found["parameter_devices"] != [str(context.device)] or hidden.dtype != wanted_dtype:
        raise RuntimeError(f"placement check failed: {found}")
    return found


def leaderboard(data: str, encoder: str, results: Path, device: str, extra: list[str]) -> Path:
    """The leaderboard grid fine-tuned from `encoder` into `results` (resumable)."""
    from benchmarks import leaderboard as grid

    argv = ["--data", data, "--model", encoder, "--device", device, "--threads", "0",
            "--results", str(results), *extra]
    if grid.main(argv) != 0:
        raise RuntimeError(f"leaderboard failed: {' '.join(argv)}")
    return results


def throughput(results: Path) -> list[dict[str, object]]:
    """Per run of a leaderboard folder: what it measured about speed and memory."""
    keys = ("sentences_per_s", "tokens_per_s", "step_time_median_s", "gpu_peak_mb",
            "process_peak_rss_mb", "steps", "wall_s", "device", "test")
    runs = [json.loads(p.read_text()) for p in sorted((results / "runs").glob("*.json"))]
    return [{"run": f"{r['task']} {r['pair']} {r['variant']} {r['seed']}",
             **{k: r[k] for k in keys if k in r}} for r in runs]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gpu_check",
                                     description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="gpu",
                        help="encoder and work size: gpu (6x512) or toy (CI, CPU)")
    parser.add_argument("--device", default="auto", help="auto | cuda | cpu")
    parser.add_argument("--data", default=None,
                        help="the real dataset folder: also run the grid (stage 2)")
    parser.add_argument("--dictionary-dir", default="",
                        help="the grid's bilingual dictionaries ('' = ../shared/data/dictionaries)")
    parser.add_argument("--pretrain-steps", type=int, default=2000,
                        help="pre-training steps of the grid's encoders")
    parser.add_argument("--seeds", type=int, default=3,
                        help="grid seeds, run one seed at a time for both encoders")
    parser.add_argument("--variants", nargs="+", choices=VARIANT_NAMES,
                        default=["orth", "+phon", "full"], help="grid variants")
    parser.add_argument("--grid-steps", type=int, default=600,
                        help="fine-tuning steps per grid run (source-dev checks: 5)")
    parser.add_argument("--workers", type=int, default=1,
                        help="grid runs in parallel (processes sharing the device)")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: gpu_check in $PHONEXL_CACHE/results)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    import torch

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    device = ("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" \
        else args.device
    size, out = SIZES[args.size], args.out or scratch_results() / "gpu_check"
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    summary: dict[str, object] = {
        "size": args.size, "shape": vars(size), "device": device,
        "device_name": torch.cuda.get_device_name() if device == "cuda" else "cpu",
        "torch": torch.__version__}

    def save(stage: str) -> None:
        """The summary so far: a run cut short by its time limit keeps every finished stage."""
        summary.update(stage=stage, wall_s=round(time.perf_counter() - started, 1))
        (out / "gpu_check.json").write_text(json.dumps(summary, indent=1) + "\n",
                                            encoding="utf-8")

    synthetic = str(synthetic_corpus(out / "synthetic-data", size))
    encoders = pretrain_encoders(synthetic, size, size.pretrain_steps, out / "encoders", device)
    summary["pretraining_synthetic"] = {
        name: {k: found[k] for k in ("seconds", "loss_first_50", "loss_last_50", "device")}
        for name, found in encoders.items()}
    summary["placement"] = check_placement(synthetic, encoders["phonemic"]["path"], device)
    save("placement")
    run_size = ["--max-steps", str(size.steps), "--batch-size", str(size.batch),
                "--max-length", str(size.max_length), "--evals", "2", "--eval-batch-size",
                "256", "--pairs", "zh-vi", "--tasks", "ner", "pos", "--seeds", "1",
                "--dictionary-dir", str(Path(synthetic) / "dictionaries")]
    summary["paths"] = {}
    for name, found in encoders.items():
        folder = leaderboard(synthetic, found["path"], out / f"paths-{name}", device,
                             [*run_size, "--variants", *VARIANT_NAMES])
        summary["paths"][name] = throughput(folder)
    step = {(r["run"].split()[2]): r["step_time_median_s"] for r in summary["paths"]["orth"]
            if r["run"].startswith("ner")}
    summary["full_over_orth_step"] = round(step["full"] / step["orth"], 2)
    save("paths")
    if args.data:
        grid_encoders = pretrain_encoders(args.data, size, args.pretrain_steps,
                                          out / "encoders", device)
        summary["pretraining_grid"] = {
            name: {k: found[k] for k in ("path", "seconds", "loss_first_50", "loss_last_50")}
            for name, found in grid_encoders.items()}
        save("grid pre-training")
        grid = ["--variants", *args.variants, "--max-steps", str(args.grid_steps), "--evals",
                "5", "--max-test-sentences", "0", "--workers", str(args.workers)]
        if args.dictionary_dir:
            grid += ["--dictionary-dir", args.dictionary_dir]
        summary["grid"] = {}
        for seeds in range(1, args.seeds + 1):  # seed by seed: both encoders stay paired
            for name, found in grid_encoders.items():
                folder = leaderboard(args.data, found["path"], out / f"grid-{name}", device,
                                     [*grid, "--seeds", str(seeds)])
                summary["grid"][name] = {"folder": str(folder), "runs": throughput(folder)}
            save(f"grid seed {seeds}")
    save("done")
    rates = [r["sentences_per_s"] for runs in summary["paths"].values() for r in runs]
    print(f"device {summary['device_name']}: placement {summary['placement']}; synthetic runs "
          f"{statistics.median(rates):.0f} sentences/s (median of {len(rates)}); full/orth per "
          f"step {summary['full_over_orth_step']}x; wall {summary['wall_s']:.0f} s")
    print(f"saved to {out / 'gpu_check.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
