"""The training objectives: L_task (CRF), L_align (CLIP-style), L_MLM and L_XMLM.

L_align compares, per sentence, each token's orthographic embedding (the mean of its
subwords' input embeddings) with its phonemic embedding (the mean of its phone embeddings):
cosine similarities times a learnt logit scale, cross-entropy towards the diagonal in both
directions. Tokens without phones (punctuation, Latin words) and sentences with fewer than
two such tokens are left out. L_MLM and L_XMLM share one extra encoder pass: its rows are the
masked copies (objective 0) and the code-switched, masked copies (objective 1) of sentences
of the batch; phonemic input stays unmasked in both.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

from phonexl.batching import Batch
from phonexl.model import PhoneXL
from phonexl.presets import RunConfig, Variant

MLM, XMLM = 0, 1


def align_loss(
    model: PhoneXL, words: torch.Tensor, per_token: torch.Tensor, batch: Batch
) -> torch.Tensor:
    word_index = batch.word_index
    tokens = per_token.size(1)
    members = word_index.unsqueeze(1).eq(torch.arange(tokens, device=word_index.device)[:, None])
    members = members.to(words.dtype)  # [B, T, L]
    orth = members @ words / members.sum(-1, keepdim=True).clamp(min=1)
    valid = batch.token_mask & batch.phones[:, :, 0].ne(0)
    valid &= valid.sum(1, keepdim=True).ge(2)
    if not valid.any():
        return per_token.sum() * 0.0
    orth = F.normalize(orth.float(), dim=-1)
    phon = F.normalize(per_token.float(), dim=-1)
    scale = model.logit_scale.exp().clamp(max=100.0)
    logits = scale * orth @ phon.transpose(1, 2)  # [B, T(orth), T(phon)]
    pairs = valid.unsqueeze(2) & valid.unsqueeze(1)
    logits = logits.masked_fill(~pairs, -1e4)
    diagonal = torch.eye(tokens, dtype=torch.bool, device=logits.device).unsqueeze(0)
    orth_to_phon = -(logits.log_softmax(2).masked_select(diagonal & pairs))
    phon_to_orth = -(logits.log_softmax(1).masked_select(diagonal & pairs))
    return (orth_to_phon.mean() + phon_to_orth.mean()) / 2


def mlm_loss(
    head: Callable[[torch.Tensor], torch.Tensor], hidden: torch.Tensor, labels: torch.Tensor
) -> torch.Tensor:
    """Cross-entropy at the masked positions only (the head never sees the others)."""
    chosen = labels.ne(-100)
    if not chosen.any():
        return hidden.sum() * 0.0
    logits = head(hidden[chosen])
    return F.cross_entropy(logits.float(), labels[chosen])


def training_losses(
    model: PhoneXL,
    batch: Batch,
    aux: Batch | None,
    variant: Variant,
    config: RunConfig,
    target: Batch | None = None,
) -> dict[str, torch.Tensor]:
    """Each enabled loss and their weighted sum under "total". `target` (unlabeled target
    sentences, target-side objectives) adds L_align on them; their MLM rows are in `aux`."""
    embeds, words, per_token = model.embed(batch)
    hidden = model.encode(batch, embeds)
    losses = {"task": model.crf.nll(model.emissions(hidden, batch), batch.labels,
                                    batch.token_mask)}
    total = losses["task"]
    if variant.align:
        losses["align"] = align_loss(model, words, per_token, batch)
        total = total + config.alpha * losses["align"]
        if target is not None:
            _, target_words, target_phones = model.embed(target)  # embeddings only: no labels
            losses["align_target"] = align_loss(model, target_words, target_phones, target)
            total = total + config.alpha * losses["align_target"]
    if aux is not None:
        aux_embeds, _, _ = model.embed(aux)
        aux_hidden = model.encode(aux, aux_embeds)
        for name, code, weight, enabled in (
            ("mlm", MLM, config.beta, variant.mlm),
            ("xmlm", XMLM, config.gamma, variant.xmlm),
        ):
            if enabled:
                rows = aux.objective.eq(code)
                losses[name] = mlm_loss(model.mlm_logits, aux_hidden[rows], aux.mlm_labels[rows])
                total = total + weight * losses[name]
    losses["total"] = total
    return losses
