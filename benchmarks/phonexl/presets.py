"""Run configuration: the `paper` and `tiny` presets, the ablation variants, CLI overrides.

`paper` holds the values of the PhoneXL authors' scripts (lr 2e-5, max length 128, 10 epochs,
effective batch 32, seeds 111/222/333, and α/β/γ/µ/r per setting). `tiny` keeps the same
objective weights but fine-tunes a small encoder on CPU within about a minute per run: 150
steps over a capped sample of the training data, a larger learning rate, a capped target test
sample, the two auxiliary MLM views on an eighth of each batch, and near-zero initial phone
embeddings (see `TINY`).
"""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass, field, fields, replace

TASKS = ("ner", "pos")
PAIRS = ("zh-vi", "ja-ko")


@dataclass(frozen=True)
class Variant:
    """Which parts of PhoneXL a run uses.

    Every objective variant includes the phonemic embedding, as in the paper's ablation,
    where each objective is added on top of the phonemic input.
    """

    phonemes: bool
    align: bool = False
    mlm: bool = False
    xmlm: bool = False


VARIANTS: dict[str, Variant] = {
    "orth": Variant(phonemes=False),
    "+phon": Variant(phonemes=True),
    "+align": Variant(phonemes=True, align=True),
    "+mlm": Variant(phonemes=True, mlm=True),
    "+xmlm": Variant(phonemes=True, xmlm=True),
    "full": Variant(phonemes=True, align=True, mlm=True, xmlm=True),
}

# (alpha, beta, gamma, mu, r) per (task, pair), from the authors' scripts.
PAPER_OBJECTIVES: dict[tuple[str, str], tuple[float, float, float, float, float]] = {
    ("ner", "zh-vi"): (0.01, 0.01, 0.01, 0.20, 0.40),
    ("ner", "ja-ko"): (0.1, 0.001, 0.001, 0.25, 0.30),
    ("pos", "zh-vi"): (0.01, 0.001, 0.01, 0.10, 0.40),
    ("pos", "ja-ko"): (0.1, 0.01, 0.01, 0.05, 0.30),
}


@dataclass(frozen=True)
class RunConfig:
    """Everything one fine-tuning run depends on; each field is a CLI option."""

    model: str = "bert-base-multilingual-cased"  # HF name or local path (AutoModelForMaskedLM)
    lr: float = 2e-5
    max_length: int = 128  # subwords per sentence, special tokens included
    epochs: float = 10.0
    batch_size: int = 32  # effective batch (sentences per optimiser step)
    grad_accum: int = 1  # micro-batches per step; batch_size must divide evenly
    max_steps: int = 0  # 0 = no cap beyond epochs
    max_train_sentences: int = 0  # 0 = all source training sentences
    max_test_sentences: int = 0  # 0 = the whole target test split
    dev_holdout: float = 0.1  # share of the source dev split held out when it is used for training
    evals: int = 10  # source-dev evaluations spread over training (model selection)
    warmup: float = 0.1
    weight_decay: float = 0.01
    max_grad_norm: float = 1.0
    alpha: float = 0.0  # weight of L_align
    beta: float = 0.0  # weight of L_MLM
    gamma: float = 0.0  # weight of L_XMLM
    mu: float = 0.15  # share of orthographic subwords masked for (X)MLM
    r: float = 0.3  # share of source words code-switched for XMLM
    aux_fraction: float = 1.0  # share of each batch's sentences given each auxiliary MLM view
    max_phones: int = 48  # phones kept per token
    # Update only the subword-embedding rows that occur in the step's input. An MLM head tied to
    # the input embeddings otherwise moves every row through its softmax, and Adam turns even a
    # tiny β-weighted gradient into a full-size step: target-language rows, which the source
    # never shows, drift away (tiny POS ja→ko +mlm fell from 36 to 8 accuracy without this).
    sparse_embeddings: bool = True
    mark_target: bool = True  # test sentences carry the target language id (False: the source's)
    orthographic: bool = True  # False zeroes the subword embeddings: phones only (+phon diagnostic)
    orth_dropout: float = 0.0  # training: share of sentences given phones without subwords
    phone_init_std: float = 0.02  # init of the phone embeddings (BERT's 0.02; small = near-silent)
    tones: bool = True  # False drops tone segments from the IPA
    broad: bool = True  # phones keyed by their broad form (g2p.ipa.to_broad); False: as written
    eval_batch_size: int = 128
    device: str = "auto"  # auto | cpu | cuda
    threads: int = 0  # CPU threads for torch; 0 = torch's default
    bf16: bool = True  # bf16 autocast on CUDA (ignored on CPU)
    dictionary_dir: str = ""  # "" = ../shared/data/dictionaries beside the repository
    seeds: tuple[int, ...] = field(default=(111, 222, 333))

    def with_setting(self, task: str, pair: str) -> RunConfig:
        """This config with the paper's objective weights for (task, pair)."""
        alpha, beta, gamma, mu, r = PAPER_OBJECTIVES[(task, pair)]
        return replace(self, alpha=alpha, beta=beta, gamma=gamma, mu=mu, r=r)


# Tiny: fine-tuning a small encoder pre-trained here, on CPU, about a minute per run, so that
# the grid of 72 runs fits 90 minutes on two cores (two one-thread worker processes).
TINY = RunConfig(
    model="tiny",  # resolved to the cached pre-trained tiny encoder
    lr=1e-3,  # a small encoder trained for 150 steps needs a larger step than BERT-base
    epochs=50.0,  # i.e. the step cap decides: 150 steps of 32 sentences for every setting
    max_steps=150,
    max_train_sentences=4800,  # one pass over a fixed sample of the source training data
    max_test_sentences=2000,  # a fixed sample of the target test set (PAN-X has 10,000)
    evals=4,
    aux_fraction=0.125,  # MLM and XMLM each on 4 of the 32 sentences: full <= 1.6x orth/step
    phone_init_std=0.002,  # near-silent start: phones never seen in training add ~nothing
    threads=1,  # one thread per process: run two processes on two cores (--workers 2)
)
PRESETS: dict[str, RunConfig] = {"paper": RunConfig(), "tiny": TINY}


def resolve(preset: str, task: str, pair: str, overrides: dict[str, object]) -> RunConfig:
    """Preset, then the paper's objective weights for the setting, then explicit overrides."""
    if task not in TASKS or pair not in PAIRS:
        raise ValueError(f"unknown setting {task} {pair}; tasks {TASKS}, pairs {PAIRS}")
    config = PRESETS[preset].with_setting(task, pair)
    return replace(config, **overrides)


def add_config_arguments(parser: argparse.ArgumentParser) -> None:
    """One `--option` per RunConfig field (default None = keep the preset's value)."""
    group = parser.add_argument_group("run configuration (overrides the preset)")
    for item in fields(RunConfig):
        flag = "--" + item.name.replace("_", "-")
        if item.type == "bool":
            group.add_argument(flag, action=argparse.BooleanOptionalAction, default=None)
        elif item.name == "seeds":
            continue  # chosen by the caller (a single --seed or --seeds N)
        else:
            kind = {"int": int, "float": float, "str": str}[item.type]
            group.add_argument(flag, type=kind, default=None, metavar=item.type.upper())


def overrides_from_args(args: argparse.Namespace) -> dict[str, object]:
    """The RunConfig fields set on the command line."""
    names = {item.name for item in fields(RunConfig)} - {"seeds"}
    return {k: v for k, v in vars(args).items() if k in names and v is not None}


def as_dict(config: RunConfig) -> dict[str, object]:
    return dataclasses.asdict(config)
