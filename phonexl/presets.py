"""Run configuration: the `paper` and `tiny` presets, the ablation variants, CLI overrides.

`paper` holds the values of the PhoneXL authors' scripts (lr 2e-5, max length 128, 10 epochs,
effective batch 32, and α/β/γ/µ/r per setting). The authors ran seeds 111/222/333; both
presets run five (444 and 555 added) so that the leaderboard's paired tests have seeds to pair.
`tiny` keeps the same objective weights but fine-tunes a small encoder on CPU within about a
minute per run: 150 steps over a capped sample of the training data, a larger learning rate, a
capped target test sample, the two auxiliary MLM views on an eighth of each batch, and
near-zero initial phone embeddings (see `TINY`).
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
OBJECTIVE_FIELDS = ("alpha", "beta", "gamma", "mu", "r")
PAPER_OBJECTIVES: dict[tuple[str, str], tuple[float, float, float, float, float]] = {
    ("ner", "zh-vi"): (0.01, 0.01, 0.01, 0.20, 0.40),
    ("ner", "ja-ko"): (0.1, 0.001, 0.001, 0.25, 0.30),
    ("pos", "zh-vi"): (0.01, 0.001, 0.01, 0.10, 0.40),
    ("pos", "ja-ko"): (0.1, 0.01, 0.01, 0.05, 0.30),
}


def _option(default: object, help: str) -> object:
    """A RunConfig field with its help text: the one place a flag's meaning is written."""
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class RunConfig:
    """Everything one fine-tuning run depends on; each field is a CLI option whose help is
    the field's `help` text (see :func:`add_config_arguments`)."""

    model: str = _option("bert-base-multilingual-cased",
                         "backbone: a Hub name or local folder (AutoModelForMaskedLM); "
                         "'tiny' = the small encoder pre-trained and cached here")
    pretraining: str = _option("orth", "tiny encoder's pre-training: 'orth' (MLM on the text) "
                               "or 'phonemic' (PhoneXL input with each token's IPA: MLM on "
                               "subwords and phones, L_align)")
    lr: float = _option(2e-5, "peak learning rate (AdamW, linear warm-up and decay)")
    max_length: int = _option(128, "subwords per sentence, special tokens included; the tokens "
                              "that do not fit are predicted as label 0 and still scored")
    epochs: float = _option(10.0, "passes over the source training sentences")
    batch_size: int = _option(32, "effective batch: sentences per optimiser step")
    grad_accum: int = _option(1, "micro-batches per step; batch-size must divide evenly")
    max_steps: int = _option(0, "cap on optimiser steps (0 = epochs decide)")
    max_train_sentences: int = _option(0, "fixed sample of source training sentences "
                                       "(0 = all)")
    max_test_sentences: int = _option(0, "fixed sample of target test sentences, the same for "
                                      "every variant and seed (0 = the whole split)")
    dev_holdout: float = _option(0.1, "share of the source validation split held out for model "
                                 "selection when it is also the training data")
    evals: int = _option(10, "source-dev evaluations spread over training; the best one's "
                         "weights are tested (model selection)")
    eval_every: int = _option(0, "evaluate on source dev every N steps instead (0 = `evals` "
                              "spread evenly)")
    patience: int = _option(0, "stop after N source-dev checks without improvement, the "
                            "authors' early stopping (0 = train the whole budget)")
    warmup: float = _option(0.1, "share of the steps spent warming the learning rate up")
    weight_decay: float = _option(0.01, "AdamW weight decay")
    max_grad_norm: float = _option(1.0, "gradient clipping norm")
    alpha: float = _option(0.0, "weight of L_align (per setting from the paper unless set)")
    beta: float = _option(0.0, "weight of L_MLM (per setting from the paper unless set)")
    gamma: float = _option(0.0, "weight of L_XMLM (per setting from the paper unless set)")
    mu: float = _option(0.15, "share of orthographic subwords masked for (X)MLM (per setting "
                        "from the paper unless set)")
    r: float = _option(0.3, "share of source words code-switched for XMLM (per setting from "
                       "the paper unless set)")
    aux_fraction: float = _option(1.0, "share of each batch's sentences given each auxiliary "
                                  "MLM view (MLM, XMLM)")
    max_phones: int = _option(48, "phones kept per token")
    # An MLM head tied to the input embeddings moves every row through its softmax, and Adam
    # turns even a tiny β-weighted gradient into a full-size step: target-language rows, which
    # the source never shows, drift away (tiny POS ja→ko +mlm fell from 36 to 8 without this).
    sparse_embeddings: bool = _option(True, "update only the subword-embedding rows that occur "
                                      "in the step's input")
    target_text: bool = _option(False, "target-side objectives (transductive): the variant's "
                                "L_align and L_MLM also on unlabeled target-language "
                                "train/validation text, never its labels or its test text")
    mark_target: bool = _option(True, "test sentences carry the target language id "
                                "(no: the source's)")
    orthographic: bool = _option(True, "no: zero the subword embeddings, phones and positions "
                                 "only (a +phon diagnostic)")
    orth_dropout: float = _option(0.0, "training: share of sentences given phones without "
                                  "their subwords")
    phone_init_std: float = _option(0.02, "init std of the phone embeddings (BERT's 0.02; "
                                    "small = near-silent at the start)")
    granularity: str = _option("as-built", "source tokens of ja/zh: as-built (PAN-X "
                               "characters, UD words) | word (characters regrouped into "
                               "analyser words) | char (words cut into characters); the "
                               "target side is never changed")
    tones: bool = _option(True, "no: drop tone segments from the IPA")
    broad: bool = _option(True, "phones keyed by their broad form (g2p.ipa.broad_phones); "
                          "no: as written")
    eval_batch_size: int = _option(128, "sentences per evaluation batch")
    device: str = _option("auto", "auto | cpu | cuda")
    threads: int = _option(0, "CPU threads for torch (0 = torch's default)")
    bf16: bool = _option(True, "bf16 autocast on CUDA (ignored on CPU)")
    dictionary_coverage: float = _option(1.0, "share of the bilingual dictionary's source words "
                                         "L_XMLM may switch (a fixed seeded sample; the "
                                         "paper's coverage question)")
    shuffle_dictionary: bool = _option(False, "negative control for L_XMLM: translations "
                                       "permuted across source words, pairing broken")
    dictionary_dir: str = _option("", "folder of the bilingual dictionaries <src>-<tgt>.txt "
                                  "('' = ../shared/data/dictionaries beside the repository)")
    seeds: tuple[int, ...] = field(default=(111, 222, 333, 444, 555))

    def with_setting(self, task: str, pair: str) -> RunConfig:
        """This config with the paper's objective weights for (task, pair)."""
        return replace(self, **dict(zip(OBJECTIVE_FIELDS, PAPER_OBJECTIVES[(task, pair)],
                                        strict=True)))


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
# Paper: the authors' released scripts (../shared/docs/phonexl-reference.md): AdamW without
# weight decay or warm-up, source-dev checks every 1000 (NER) / 500 (POS) steps, early stop
# after 5 checks without a gain.
PAPER = RunConfig(warmup=0.0, weight_decay=0.0, patience=5)
PAPER_EVAL_EVERY = {"ner": 1000, "pos": 500}
PRESETS: dict[str, RunConfig] = {"paper": PAPER, "tiny": TINY}


def resolve(preset: str, task: str, pair: str, overrides: dict[str, object]) -> RunConfig:
    """Preset, then the paper's objective weights for the setting, then explicit overrides."""
    if task not in TASKS or pair not in PAIRS:
        raise ValueError(f"unknown setting {task} {pair}; tasks {TASKS}, pairs {PAIRS}")
    config = PRESETS[preset].with_setting(task, pair)
    if preset == "paper":
        config = replace(config, eval_every=PAPER_EVAL_EVERY[task])
    return replace(config, **overrides)


def add_config_arguments(parser: argparse.ArgumentParser) -> None:
    """One `--option` per RunConfig field (default None = keep the preset's value); its help
    is the field's help text followed by each preset's value."""
    group = parser.add_argument_group(
        "run configuration (each overrides the preset; α/β/γ/µ/r default to the paper's "
        "values for the setting)")
    for item in fields(RunConfig):
        if item.name == "seeds":
            continue  # chosen by the caller (a single --seed or --seeds N)
        flag = "--" + item.name.replace("_", "-")
        text = item.metadata["help"]
        if item.name not in OBJECTIVE_FIELDS:  # those come from the setting, not the preset
            text += " (default: " + ", ".join(f"{name} {_shown(getattr(preset, item.name))}"
                                              for name, preset in sorted(PRESETS.items())) + ")"
        text = text.replace("%", "%%")
        if item.type == "bool":
            group.add_argument(flag, action=argparse.BooleanOptionalAction, default=None,
                               help=text)
        else:
            kind = {"int": int, "float": float, "str": str}[item.type]
            group.add_argument(flag, type=kind, default=None, metavar=item.type.upper(),
                               help=text)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return repr(value) if value == "" else str(value)


def overrides_from_args(args: argparse.Namespace) -> dict[str, object]:
    """The RunConfig fields set on the command line."""
    names = {item.name for item in fields(RunConfig)} - {"seeds"}
    return {k: v for k, v in vars(args).items() if k in names and v is not None}


def as_dict(config: RunConfig) -> dict[str, object]:
    return dataclasses.asdict(config)
