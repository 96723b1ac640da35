"""The PhoneXL model around any `transformers` masked-LM encoder.

Input embeddings = the backbone's subword embeddings + (with phonemes) the mean of the token's
phone embeddings, added to every subword of that token, + a source/target language embedding;
they enter the encoder through `inputs_embeds`. Emissions are read at each token's first
subword and scored by a CRF. The backbone's own MLM head serves L_MLM and L_XMLM.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch
from safetensors import safe_open
from torch import nn
from transformers import AutoModelForMaskedLM, AutoTokenizer, PreTrainedModel

from phonexl.batching import SPECIAL_PHONES, Batch
from phonexl.crf import CRF

PHONES_FILE = "phone_embedding.safetensors"  # beside a phonemically pre-trained encoder


def load_backbone(name_or_path: str) -> tuple[PreTrainedModel, object]:
    """A masked-LM model and its tokenizer, from a Hub name or a local folder."""
    tokenizer = AutoTokenizer.from_pretrained(name_or_path)
    model = AutoModelForMaskedLM.from_pretrained(name_or_path)
    return model, tokenizer


def mlm_head(model: PreTrainedModel) -> nn.Module:
    """The module that maps encoder states to vocabulary logits (BERT `cls`, XLM-R `lm_head`)."""
    heads = [module for module in model.children() if module is not model.base_model]
    if len(heads) != 1:
        raise ValueError(
            f"{type(model).__name__}: expected the encoder and one MLM head module, found "
            f"{len(heads)} other modules; this backbone is not supported"
        )
    return heads[0]


class PhoneXL(nn.Module):
    """Encoder + phonemic/language embeddings + CRF tagger; objectives live in `objectives`."""

    def __init__(
        self,
        backbone: PreTrainedModel,
        num_labels: int,
        num_phones: int,
        phonemes: bool,
        phone_init_std: float = 0.02,
        orthographic: bool = True,
        orth_dropout: float = 0.0,
    ) -> None:
        super().__init__()
        if not (orthographic or phonemes):
            raise ValueError("a model without orthographic input needs the phonemic embedding")
        self.backbone = backbone
        self.orthographic = orthographic
        # Training only: the share of sentences that see phones without their subwords, so the
        # tagger cannot lean on the script alone (which does not carry over to the target).
        self.orth_dropout = orth_dropout if phonemes else 0.0
        hidden = backbone.config.hidden_size
        self.phonemes = phonemes
        if phonemes:
            self.phone_embedding = nn.EmbeddingBag(num_phones, hidden, mode="mean", padding_idx=0)
            nn.init.normal_(self.phone_embedding.weight, std=phone_init_std)
            with torch.no_grad():
                self.phone_embedding.weight[0].zero_()
            # zero start: an unseen (target) language id adds nothing until it is trained
            self.language_embedding = nn.Embedding(2, hidden)
            nn.init.zeros_(self.language_embedding.weight)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        self.dropout = nn.Dropout(getattr(backbone.config, "hidden_dropout_prob", 0.1))
        self.classifier = nn.Linear(hidden, num_labels)
        self.crf = CRF(num_labels)

    def embed(self, batch: Batch) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """(encoder input embeddings, plain subword embeddings, per-token phonemic vectors)."""
        words = self.backbone.get_input_embeddings()(batch.input_ids)
        if not self.orthographic:  # positions, phones and language ids are all the input gets
            words = torch.zeros_like(words)
        if not self.phonemes:
            return words, words, None
        orth = words
        if self.training and self.orth_dropout:
            keep = torch.rand(words.size(0), 1, 1, device=words.device) >= self.orth_dropout
            orth = words * keep
        size, tokens, phones = batch.phones.shape
        hidden = words.size(-1)
        per_token = self.phone_embedding(batch.phones.view(size * tokens, phones))
        per_token = per_token.view(size, tokens, hidden)
        index = batch.word_index.clamp(min=0).unsqueeze(-1).expand(-1, -1, hidden)
        per_subword = per_token.gather(1, index) * batch.word_index.ge(0).unsqueeze(-1)
        embeds = orth + per_subword + self.language_embedding(batch.lang_ids)
        return embeds, words, per_token

    def encode(self, batch: Batch, embeds: torch.Tensor) -> torch.Tensor:
        out = self.backbone.base_model(
            inputs_embeds=embeds, attention_mask=batch.attention_mask.long()
        )
        return out.last_hidden_state

    def emissions(self, hidden: torch.Tensor, batch: Batch) -> torch.Tensor:
        index = batch.first.unsqueeze(-1).expand(-1, -1, hidden.size(-1))
        return self.classifier(self.dropout(hidden.gather(1, index)))

    def mlm_logits(self, hidden: torch.Tensor) -> torch.Tensor:
        return mlm_head(self.backbone)(hidden)

    @torch.no_grad()
    def predict(self, batch: Batch) -> list[list[int]]:
        embeds, _, _ = self.embed(batch)
        emissions = self.emissions(self.encode(batch, embeds), batch)
        return self.crf.decode(emissions, batch.token_mask)


def load_phone_embeddings(model: PhoneXL, folder: str | Path, phones: list[str]) -> int:
    """Seed `model`'s phone embeddings with those phonemic pre-training saved in `folder`,
    matched by phone (`phones` = the run's vocabulary, id order); returns how many rows were
    copied (0 when the encoder was pre-trained on text only)."""
    path = Path(folder) / PHONES_FILE
    if not model.phonemes or not path.exists():
        return 0
    with safe_open(str(path), framework="pt") as saved:
        index = {phone: i for i, phone in enumerate(json.loads(saved.metadata()["phones"]))}
        weight = saved.get_tensor("weight")
    if weight.size(1) != model.phone_embedding.weight.size(1):
        raise ValueError(f"{path}: phone vectors of size {weight.size(1)}, the model's are "
                         f"{model.phone_embedding.weight.size(1)}")
    rows = [(i, index[phone]) for i, phone in enumerate(phones)
            if phone in index and phone not in SPECIAL_PHONES]
    with torch.no_grad():
        for mine, theirs in rows:
            model.phone_embedding.weight[mine] = weight[theirs]
    return len(rows)
