"""The `tiny` backbone: a BPE tokenizer and a small BERT pre-trained here with MLM.

No multilingual checkpoint can be downloaded on the benchmark machines, so the tiny preset
trains its own encoder on the unlabeled orthographic text of all four languages (train and
validation splits; test text is never seen). Nothing links the scripts but shared digits,
Latin names and punctuation, which is what makes the zero-shot question real: what carries
over between scripts. The result is cached under ``$PHONEXL_CACHE/tiny-encoder-<hash>``,
keyed by the settings and the text, and reused by every run.

Phonemic pre-training (``ipa=`` given) gives the encoder the same chance with phones that
mBERT had with subwords: the input is PhoneXL's (subwords + each token's pooled phone
embedding), and three losses tie every script to one shared phone space: MLM on subwords
(phones stay visible, so a masked subword can be read from its phones), MLM on phones (a
token's phones hidden and predicted as a bag from context and spelling) and L_align on every
sentence. The phone embeddings are saved beside the encoder (:data:`PHONES_FILE`) and seed the
fine-tuning model's (:func:`phonexl.model.load_phone_embeddings`).
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
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

import torch
from safetensors.torch import save_file
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
from tqdm.auto import tqdm
from transformers import (
    BertConfig,
    BertForMaskedLM,
    PreTrainedTokenizerFast,
    get_linear_schedule_with_warmup,
)

from g2p.paths import cache_dir
from phonexl.batching import (
    SPECIAL_PHONES,
    Batch,
    Encoder,
    PhoneVocab,
    collate,
    length_grouped_batches,
    mask_subwords,
)
from phonexl.model import PHONES_FILE, PhoneXL, mlm_head
from phonexl.objectives import align_loss, mlm_loss

log = logging.getLogger(__name__)
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
STAGING_PREFIX, OWNER_FILE = ".tiny-", "owner.pid"
# Part of the cache key; raised when pre-training changes in a way the settings do not show
# (2: the BPE tokenizer, which trains the same on the same text).
ENCODER_FORMAT = 2


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
    """BPE over the corpus tokens (NFC; split on whitespace and punctuation). Not WordPiece:
    its trainer numbers the ``##`` pieces in hash-map order, so every training on the same
    text gives another vocabulary (huggingface/tokenizers#1794), and the cache key could not
    stand for the encoder. BPE without a continuing-subword prefix trains the same each time."""
    tokenizer = Tokenizer(models.BPE(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIALS)
    tokenizer.train_from_iterator((" ".join(tokens) for tokens in text), trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]",
    )


def _fingerprint(text: Sequence[Sequence[str]], config: TinyEncoderConfig,
                 ipa: Sequence[Sequence[str]] | None = None) -> str:
    settings = {**dataclasses.asdict(config), "format": ENCODER_FORMAT}
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for rows in (text, ipa or ()):
        for row in rows:
            digest.update("\u241f".join(row).encode())
            digest.update(b"\n")
    return digest.hexdigest()[:12]


class _PhonemicObjective:
    """The phonemic pre-training losses on one batch (see the module docstring)."""

    def __init__(self, model: PhoneXL, phones: int, mu: float, generator: torch.Generator):
        self.model, self.mu, self.generator = model, mu, generator
        self.phone_head = torch.nn.Linear(model.backbone.config.hidden_size, phones)

    def parameters(self) -> list[torch.nn.Parameter]:
        return [*self.model.parameters(), *self.phone_head.parameters()]

    def __call__(self, clean: Batch, masked: Batch) -> torch.Tensor:
        model = self.model
        _, words, per_token = model.embed(clean)  # embeddings only: cheap, and unmasked
        loss = align_loss(model, words, per_token, clean)
        has_phones = clean.token_mask & clean.phones[:, :, 0].ne(0)
        draws = torch.rand(has_phones.shape, generator=self.generator)  # CPU: reproducible
        hidden_phones = has_phones & (draws.to(has_phones.device) < self.mu)
        phones = masked.phones.masked_fill(hidden_phones.unsqueeze(-1), 0)
        phones[..., 0] = phones[..., 0].masked_fill(hidden_phones, 1)  # 1: the unknown phone
        masked = replace(masked, phones=phones)
        embeds, _, _ = model.embed(masked)
        hidden = model.encode(masked, embeds)
        loss = loss + mlm_loss(model.mlm_logits, hidden, masked.mlm_labels)
        if hidden_phones.any():
            index = masked.first.unsqueeze(-1).expand(-1, -1, hidden.size(-1))
            logits = self.phone_head(hidden.gather(1, index)[hidden_phones])
            bag = torch.zeros_like(logits).scatter_(1, clean.phones[hidden_phones], 1.0)
            bag[:, 0] = 0.0  # padding is not a phone
            loss = loss + torch.nn.functional.binary_cross_entropy_with_logits(logits, bag)
        return loss


def pretrain(
    text: Sequence[Sequence[str]], config: TinyEncoderConfig, out: Path, progress: bool = True,
    ipa: Sequence[Sequence[str]] | None = None, device: str = "cpu",
) -> dict[str, object]:
    """Train tokenizer and encoder (phonemically when `ipa` is given), save both to `out`;
    returns the pre-training log. On a CUDA `device` the steps run under bf16 autocast; the
    random draws stay on the CPU, so the batches and masks are the same on every device."""
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    start = time.perf_counter()
    tokenizer = train_tokenizer(text, config.vocab_size)
    backbone = BertForMaskedLM(BertConfig(
        vocab_size=len(tokenizer), hidden_size=config.hidden, num_hidden_layers=config.layers,
        num_attention_heads=config.heads, intermediate_size=config.intermediate,
        max_position_embeddings=config.max_length, pad_token_id=tokenizer.pad_token_id,
    ))
    phones = PhoneVocab.build([p for token_ipa in ipa for p in token_ipa]) if ipa else None
    encoder = Encoder(tokenizer, phones or PhoneVocab([]), config.max_length,
                      max_phones=48 if ipa else 0)
    encoded = [encoder.encode(t, ipa[i] if ipa else [""] * len(t), [0] * len(t),
                              [False] * len(t)) for i, t in enumerate(text)]
    if phones:
        model = PhoneXL(backbone, 2, len(phones), phonemes=True)
        objective = _PhonemicObjective(model, len(phones), config.mu, generator)
        model.to(device)
        objective.phone_head.to(device)
        parameters = objective.parameters()
        model.train()
    else:
        head = mlm_head(backbone)
        backbone.to(device)
        parameters = list(backbone.parameters())
    backbone.train()
    autocast = (torch.autocast("cuda", dtype=torch.bfloat16) if torch.device(device).type == "cuda"
                else nullcontext())
    optimizer = torch.optim.AdamW(parameters, lr=config.lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, config.steps // 16, config.steps)
    losses = []
    batches = length_grouped_batches([len(e.input_ids) for e in encoded], config.batch_size, rng)
    desc = f"pre-training tiny encoder{' (phonemic)' if phones else ''}"
    for _ in tqdm(range(config.steps), desc=desc, disable=not progress):
        clean = collate([encoded[i] for i in next(batches)], tokenizer.pad_token_id)
        batch = mask_subwords(clean, config.mu, generator, tokenizer.mask_token_id, len(tokenizer))
        clean, batch = clean.to(device), batch.to(device)
        with autocast:
            if phones:
                loss = objective(clean, batch)
            else:
                hidden = backbone.base_model(input_ids=batch.input_ids,
                                             attention_mask=batch.attention_mask.long())
                loss = mlm_loss(head, hidden.last_hidden_state, batch.mlm_labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    record = {
        "config": dataclasses.asdict(config),
        "phonemic": bool(phones),
        "sentences": len(text),
        "vocab_size": len(tokenizer),
        "seconds": round(time.perf_counter() - start, 1),
        "device": str(device),
        "loss_first_50": sum(losses[:50]) / len(losses[:50]),
        "loss_last_50": sum(losses[-50:]) / len(losses[-50:]),
    }
    tokenizer.save_pretrained(out)
    backbone.to("cpu").save_pretrained(out)
    if phones:
        save_file({"weight": model.phone_embedding.weight.detach().cpu().contiguous()},
                  out / PHONES_FILE, metadata={"phones": json.dumps(phones.itos)})
        record["phones"] = len(phones) - len(SPECIAL_PHONES)
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
    ipa: Sequence[Sequence[str]] | None = None,
    device: str = "cpu",
) -> Path:
    """The cached tiny encoder folder for this text and config, pre-training it if needed
    (on `device`); with `ipa` (each sentence's per-token IPA) the phonemic one."""
    if ipa is not None and len(ipa) != len(text):
        raise ValueError(f"phonemic pre-training: {len(ipa)} IPA rows for {len(text)} sentences")
    root = Path(root) if root else cache_dir()
    kind = "tiny-phonemic-encoder" if ipa else "tiny-encoder"
    path = root / f"{kind}-{_fingerprint(text, config, ipa)}"
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
        record = pretrain(text, config, staging, progress, ipa, device)
        (staging / OWNER_FILE).unlink()
        staging.rename(path)  # atomic: a half-trained encoder is never found in the cache
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("tiny encoder ready in %.0f s (MLM loss %.2f -> %.2f)", record["seconds"],
             record["loss_first_50"], record["loss_last_50"])
    return path
