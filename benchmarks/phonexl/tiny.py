"""The `tiny` backbone: a WordPiece tokenizer and a small BERT pre-trained here with MLM.

No multilingual checkpoint can be downloaded on the benchmark machines, so the tiny preset
trains its own encoder on the unlabeled orthographic text of all four languages (train and
validation splits; test text is never seen). Nothing links the scripts but shared digits,
Latin names and punctuation, which is what makes the zero-shot question real: what carries
over between scripts. The result is cached under ``$PHONEXL_CACHE/tiny-encoder-<hash>``,
keyed by the settings and the text, and reused by every run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import random
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
from tqdm.auto import tqdm
from transformers import (
    BertConfig,
    BertForMaskedLM,
    PreTrainedTokenizerFast,
    get_linear_schedule_with_warmup,
)

from benchmarks.phonexl.batching import (
    Encoder,
    PhoneVocab,
    collate,
    length_grouped_batches,
    mask_subwords,
)
from benchmarks.phonexl.model import mlm_head
from benchmarks.phonexl.objectives import mlm_loss
from g2p.ko.offline_cmudict import cache_dir

log = logging.getLogger(__name__)
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
STAGING_PREFIX, OWNER_FILE = ".tiny-", "owner.pid"


@dataclass(frozen=True)
class TinyEncoderConfig:
    vocab_size: int = 12000
    layers: int = 4
    hidden: int = 256
    heads: int = 4
    intermediate: int = 1024
    max_length: int = 128
    steps: int = 1000
    batch_size: int = 64
    lr: float = 5e-4
    mu: float = 0.15
    seed: int = 0


def train_tokenizer(text: Sequence[Sequence[str]], vocab_size: int) -> PreTrainedTokenizerFast:
    """WordPiece over the corpus tokens (NFC; split on whitespace and punctuation)."""
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=SPECIALS)
    tokenizer.train_from_iterator((" ".join(tokens) for tokens in text), trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]",
    )


def _fingerprint(text: Sequence[Sequence[str]], config: TinyEncoderConfig) -> str:
    digest = hashlib.sha256(json.dumps(dataclasses.asdict(config), sort_keys=True).encode())
    for tokens in text:
        digest.update("\u241f".join(tokens).encode())
        digest.update(b"\n")
    return digest.hexdigest()[:12]


def pretrain(
    text: Sequence[Sequence[str]], config: TinyEncoderConfig, out: Path, progress: bool = True
) -> dict[str, object]:
    """Train tokenizer and encoder, save both to `out`; returns the pre-training log."""
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    start = time.perf_counter()
    tokenizer = train_tokenizer(text, config.vocab_size)
    model = BertForMaskedLM(BertConfig(
        vocab_size=len(tokenizer), hidden_size=config.hidden, num_hidden_layers=config.layers,
        num_attention_heads=config.heads, intermediate_size=config.intermediate,
        max_position_embeddings=config.max_length, pad_token_id=tokenizer.pad_token_id,
    ))
    encoder = Encoder(tokenizer, PhoneVocab([]), config.max_length, max_phones=0)
    encoded = [encoder.encode(t, [""] * len(t), [0] * len(t), [False] * len(t)) for t in text]
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, config.steps // 16, config.steps)
    head = mlm_head(model)
    model.train()
    losses = []
    batches = length_grouped_batches([len(e.input_ids) for e in encoded], config.batch_size, rng)
    for _ in tqdm(range(config.steps), desc="pre-training tiny encoder", disable=not progress):
        batch = collate([encoded[i] for i in next(batches)], tokenizer.pad_token_id)
        batch = mask_subwords(batch, config.mu, generator, tokenizer.mask_token_id, len(tokenizer))
        hidden = model.base_model(input_ids=batch["input_ids"],
                                  attention_mask=batch["attention_mask"].long()).last_hidden_state
        loss = mlm_loss(head, hidden, batch["mlm_labels"])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    record = {
        "config": dataclasses.asdict(config),
        "sentences": len(text),
        "vocab_size": len(tokenizer),
        "seconds": round(time.perf_counter() - start, 1),
        "loss_first_50": sum(losses[:50]) / len(losses[:50]),
        "loss_last_50": sum(losses[-50:]) / len(losses[-50:]),
    }
    tokenizer.save_pretrained(out)
    model.save_pretrained(out)
    (out / "pretraining.json").write_text(json.dumps(record, indent=2) + "\n")
    return record


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_stale_staging(root: Path) -> list[Path]:
    """Delete staging folders left by killed pre-training runs (their owner process is gone,
    or they name none); a pre-training still running elsewhere keeps its folder."""
    removed = []
    for staging in root.glob(STAGING_PREFIX + "*"):
        owner = staging / OWNER_FILE
        try:
            pid = int(owner.read_text())
        except (OSError, ValueError):
            pid = None
        if pid is None or not _alive(pid):
            shutil.rmtree(staging, ignore_errors=True)
            removed.append(staging)
    if removed:
        log.info("removed %d staging folder(s) of interrupted pre-training", len(removed))
    return removed


def tiny_encoder(
    text: Sequence[Sequence[str]],
    config: TinyEncoderConfig = TinyEncoderConfig(),
    root: Path | None = None,
    progress: bool = True,
) -> Path:
    """The cached tiny encoder folder for this text and config, pre-training it if needed."""
    root = Path(root) if root else cache_dir()
    path = root / f"tiny-encoder-{_fingerprint(text, config)}"
    if (path / "pretraining.json").exists():
        return path
    if not text:
        raise ValueError("no unlabeled text to pre-train the tiny encoder on")
    root.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(root)
    log.info("pre-training the tiny encoder into %s", path)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    (staging / OWNER_FILE).write_text(str(os.getpid()))
    try:
        record = pretrain(text, config, staging, progress)
        (staging / OWNER_FILE).unlink()
        staging.rename(path)  # atomic: a half-trained encoder is never found in the cache
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("tiny encoder ready in %.0f s (MLM loss %.2f -> %.2f)", record["seconds"],
             record["loss_first_50"], record["loss_last_50"])
    return path
