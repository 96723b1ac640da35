"""A linear-chain CRF over token emissions: negative log-likelihood and Viterbi decoding.

Masks are per token and must be a contiguous prefix (padding at the end), with the first
position of every sequence valid; the batch collator guarantees both.
"""

from __future__ import annotations

import torch
from torch import nn


class CRF(nn.Module):
    """Transition scores between tags plus start/end scores, learnt with the encoder."""

    def __init__(self, num_tags: int) -> None:
        super().__init__()
        self.num_tags = num_tags
        self.start = nn.Parameter(torch.empty(num_tags).uniform_(-0.1, 0.1))
        self.end = nn.Parameter(torch.empty(num_tags).uniform_(-0.1, 0.1))
        self.transitions = nn.Parameter(torch.empty(num_tags, num_tags).uniform_(-0.1, 0.1))

    def score(
        self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor
    ) -> torch.Tensor:
        """Unnormalised score of the given tag paths, shape [batch]."""
        mask_f = mask.to(emissions.dtype)
        emitted = emissions.gather(2, tags.unsqueeze(2)).squeeze(2)  # [B, T]
        total = self.start[tags[:, 0]] + (emitted * mask_f).sum(1)
        moved = self.transitions[tags[:, :-1], tags[:, 1:]]  # [B, T-1]
        total = total + (moved * mask_f[:, 1:]).sum(1)
        last = mask.long().sum(1) - 1
        return total + self.end[tags.gather(1, last.unsqueeze(1)).squeeze(1)]

    def log_partition(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """log Z by the forward algorithm, shape [batch]."""
        alpha = self.start + emissions[:, 0]  # [B, C]
        for t in range(1, emissions.size(1)):
            step = alpha.unsqueeze(2) + self.transitions + emissions[:, t].unsqueeze(1)
            alpha = torch.where(mask[:, t : t + 1], torch.logsumexp(step, dim=1), alpha)
        return torch.logsumexp(alpha + self.end, dim=1)

    def nll(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean negative log-likelihood over the batch (computed in float32)."""
        emissions = emissions.float()
        return (self.log_partition(emissions, mask) - self.score(emissions, tags, mask)).mean()

    @torch.no_grad()
    def decode(self, emissions: torch.Tensor, mask: torch.Tensor) -> list[list[int]]:
        """Best tag path per sequence (Viterbi), each as long as its mask."""
        emissions = emissions.float()
        score = self.start + emissions[:, 0]
        backpointers = []
        for t in range(1, emissions.size(1)):
            step = score.unsqueeze(2) + self.transitions + emissions[:, t].unsqueeze(1)
            best, index = step.max(dim=1)
            score = torch.where(mask[:, t : t + 1], best, score)
            backpointers.append(index)
        best_last = (score + self.end).argmax(dim=1).tolist()
        lengths = mask.long().sum(1).tolist()
        # backtracking on Python lists: indexing a tensor per token costs microseconds each
        pointers = torch.stack(backpointers, dim=1).tolist() if backpointers else []  # [B][T-1][C]
        paths = []
        for b, length in enumerate(lengths):
            tag = best_last[b]
            path = [tag]
            for t in range(length - 2, -1, -1):
                tag = pointers[b][t][tag]
                path.append(tag)
            paths.append(path[::-1])
        return paths
