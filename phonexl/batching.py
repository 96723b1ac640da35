"""From sentences to tensors: subwords, per-token phones, language ids, masks.

Each source token is tokenised on its own (cached), so the subwords of token *i* are known
exactly: the phonemic vector of token *i* is added to each of them, and its emission is read
at its first subword. Sentences longer than `max_length` subwords keep a prefix of tokens; the
dropped tokens are predicted as label 0 at evaluation (counted, never silently lost).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields, replace

import numpy as np
import torch

from g2p.ipa import broad_phones

PAD, UNK = "<pad>", "<unk>"
SPECIAL_PHONES = (PAD, UNK)  # ids 0 and 1 of every PhoneVocab


class PhoneVocab:
    """Phone -> id, shared by all languages; 0 is padding, 1 unknown.

    By default phones are keyed by their broad form (:func:`g2p.ipa.broad_phones`): the datasets
    keep each language's WikiPron narrow diacritics (Japanese ɯ̟ᵝ, Korean a̠), which would
    otherwise give the same sound two embeddings and defeat sharing across scripts.
    `broad=False` keeps the segments as written (a diagnostic).
    """

    def __init__(self, phones: Sequence[str], broad: bool = True) -> None:
        self.itos = [*SPECIAL_PHONES, *phones]
        self.stoi = {phone: i for i, phone in enumerate(self.itos)}
        self.split = _phone_splitter(broad)

    @classmethod
    def build(cls, ipa_strings: Sequence[str], broad: bool = True) -> PhoneVocab:
        split = _phone_splitter(broad)
        return cls(sorted({phone for ipa in ipa_strings for phone in split(ipa)}), broad)

    def __len__(self) -> int:
        return len(self.itos)

    def ids(self, ipa: str, limit: int) -> list[int]:
        return [self.stoi.get(phone, 1) for phone in self.split(ipa)[:limit]]


def _phone_splitter(broad: bool) -> Callable[[str], list[str]]:
    """IPA string -> the phones a vocabulary keys on: broad forms, or segments as written."""
    return broad_phones if broad else str.split


@dataclass(frozen=True)
class Encoded:
    """One sentence ready for collation (only the tokens that fit are kept)."""

    input_ids: list[int]
    word_index: list[int]  # per subword: its token, -1 for special tokens
    first: list[int]  # per kept token: position of its first subword
    phones: list[list[int]]  # per kept token: phone ids
    target: list[bool]  # per kept token: written in the target language (language embedding)
    labels: list[int]  # per kept token
    n_tokens: int  # tokens in the sentence, kept or not


@dataclass(frozen=True)
class Batch:
    """Padded tensors of B sentences: L subwords, T tokens, P phones per token (the longest)."""

    input_ids: torch.Tensor  # [B, L] subword ids, [CLS] … [SEP], then padding
    attention_mask: torch.Tensor  # [B, L] bool: a subword of the sentence, not padding
    word_index: torch.Tensor  # [B, L] the token a subword belongs to; -1: special or padding
    lang_ids: torch.Tensor  # [B, L] 1 where the subword's token is in the target language
    first: torch.Tensor  # [B, T] position of each token's first subword (its emission)
    labels: torch.Tensor  # [B, T] tag ids
    token_mask: torch.Tensor  # [B, T] bool: a kept token, not padding
    phones: torch.Tensor  # [B, T, P] phone ids per token; 0: padding (or no phones)
    mlm_labels: torch.Tensor | None = None  # [B, L] masked subwords' ids, -100 elsewhere
    objective: torch.Tensor | None = None  # [B] MLM or XMLM per row of an auxiliary batch

    def to(self, device: torch.device) -> Batch:
        """The same batch on `device` (absent tensors stay absent)."""
        tensors = {item.name: getattr(self, item.name) for item in fields(self)}
        return Batch(**{name: tensor if tensor is None else tensor.to(device, non_blocking=True)
                        for name, tensor in tensors.items()})


class Encoder:
    """Turns (tokens, ipa, labels) into :class:`Encoded` with a backbone tokenizer."""

    def __init__(self, tokenizer, phones: PhoneVocab, max_length: int, max_phones: int) -> None:
        self.tokenizer = tokenizer
        self.phones = phones
        self.max_length = max_length
        self.max_phones = max_phones
        self.cls_id = tokenizer.cls_token_id
        self.sep_id = tokenizer.sep_token_id
        self.pad_id = tokenizer.pad_token_id
        self.mask_id = tokenizer.mask_token_id
        self.unk_id = tokenizer.unk_token_id
        self._pieces: dict[str, list[int]] = {}

    def pieces(self, word: str) -> list[int]:
        """Subword ids of one token; [UNK] for a token the tokenizer turns into nothing."""
        if word not in self._pieces:
            ids = self.tokenizer(word, add_special_tokens=False)["input_ids"]
            self._pieces[word] = ids or [self.unk_id]
        return self._pieces[word]

    def encode(
        self,
        tokens: Sequence[str],
        ipa: Sequence[str],
        labels: Sequence[int],
        target: Sequence[bool],
    ) -> Encoded:
        input_ids, word_index = [self.cls_id], [-1]
        first: list[int] = []
        for i, token in enumerate(tokens):
            pieces = self.pieces(token)
            if len(input_ids) + len(pieces) + 1 > self.max_length:
                break
            first.append(len(input_ids))
            input_ids.extend(pieces)
            word_index.extend([i] * len(pieces))
        input_ids.append(self.sep_id)
        word_index.append(-1)
        kept = len(first)
        return Encoded(
            input_ids=input_ids,
            word_index=word_index,
            first=first,
            phones=[self.phones.ids(ipa[i], self.max_phones) for i in range(kept)],
            target=list(target[:kept]),
            labels=list(labels[:kept]),
            n_tokens=len(tokens),
        )


def _padded(rows: Sequence[Sequence[int]], width: int, fill: int) -> torch.Tensor:
    """Rows right-padded with `fill` to `width`, as one int64 tensor (built by numpy, which
    reads Python lists about ten times faster than `torch.tensor`)."""
    array = np.array([[*row, *[fill] * (width - len(row))] for row in rows], dtype=np.int64)
    return torch.from_numpy(array.reshape(-1, width))


def _prefix_mask(lengths: Sequence[int], width: int) -> torch.Tensor:
    """[len(lengths), width] bool: True on the first `length` positions of each row."""
    return torch.arange(width) < torch.tensor(lengths).unsqueeze(1)


def _language_ids(item: Encoded) -> list[int]:
    """Per subword: 1 where its token is in the target language; [CLS] and [SEP] are 1 when
    every kept token is (0 when none was kept)."""
    if not item.first:
        return [0] * len(item.input_ids)
    edge = int(all(item.target))
    return [int(item.target[w]) if w >= 0 else edge for w in item.word_index]


def collate(items: Sequence[Encoded], pad_id: int) -> Batch:
    """Pad a list of sentences into a batch of tensors (right padding)."""
    length = max(len(item.input_ids) for item in items)
    n_tok = max(max(len(item.first) for item in items), 1)
    n_ph = max([len(p) for item in items for p in item.phones] + [1])
    token_mask = _prefix_mask([len(item.first) for item in items], n_tok)
    phones = torch.zeros((len(items), n_tok, n_ph), dtype=torch.long)
    phones[token_mask] = _padded([ids for item in items for ids in item.phones], n_ph, 0)
    return Batch(
        input_ids=_padded([item.input_ids for item in items], length, pad_id),
        attention_mask=_prefix_mask([len(item.input_ids) for item in items], length),
        word_index=_padded([item.word_index for item in items], length, -1),
        lang_ids=_padded([_language_ids(item) for item in items], length, 0),
        first=_padded([item.first for item in items], n_tok, 0),
        labels=_padded([item.labels for item in items], n_tok, 0),
        token_mask=token_mask,
        phones=phones,
    )


def mask_subwords(
    batch: Batch, mu: float, generator: torch.Generator, mask_id: int, vocab_size: int
) -> Batch:
    """BERT-style masking of a share `mu` of the orthographic subwords (80% [MASK], 10% random,
    10% kept), at least one per sentence; phones are left untouched. Sets `mlm_labels`
    (-100 where nothing is predicted) and replaces `input_ids`.
    """
    candidates = batch.word_index.ge(0)
    noise = torch.rand(candidates.shape, generator=generator)
    chosen = candidates & (noise < mu)
    # guarantee one prediction per sentence: the candidate with the smallest noise
    fallback = torch.where(candidates, noise, torch.full_like(noise, 2.0)).argmin(dim=1)
    chosen[torch.arange(chosen.size(0)), fallback] |= candidates.any(dim=1)
    labels = torch.where(chosen, batch.input_ids, torch.full_like(batch.input_ids, -100))
    action = torch.rand(candidates.shape, generator=generator)
    ids = batch.input_ids.clone()
    ids[chosen & (action < 0.8)] = mask_id
    randomised = chosen & (action >= 0.8) & (action < 0.9)
    ids[randomised] = torch.randint(vocab_size, (int(randomised.sum()),), generator=generator)
    return replace(batch, input_ids=ids, mlm_labels=labels)


def length_grouped_batches(
    lengths: Sequence[int], size: int, rng: random.Random, group: int = 16
) -> Iterator[list[int]]:
    """Endless shuffled epochs of index batches of similar length (little padding).

    Each epoch is shuffled, cut into pools of `group` batches, each pool sorted by length and
    cut into batches, and the batches of the epoch shuffled again. No sentences is an error,
    not an endless loop over empty epochs.
    """
    if not lengths:
        raise ValueError("no sentences to make batches of")
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    while True:
        order = list(range(len(lengths)))
        rng.shuffle(order)
        batches = []
        for start in range(0, len(order), size * group):
            pool = sorted(order[start : start + size * group], key=lengths.__getitem__)
            batches += [pool[i : i + size] for i in range(0, len(pool), size)]
        rng.shuffle(batches)
        yield from batches
