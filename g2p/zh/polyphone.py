"""Context model for polyphonic characters: g2pM's bidirectional LSTM, scored per reading.

g2pM (Park & Lee 2020, trained on the CPP corpus) ships its weights as numpy arrays in the
wheel, so it runs offline. Its own ``__call__`` only returns the best reading; the adapter
needs the log-probability of every candidate to weigh it against a dictionary phrase, so the
forward pass is run here with g2pM's layers and the scores restricted to the character's
own readings (CC-CEDICT, as digested by g2pM).

Cost: only the characters that need a decision are scored, each from a window of
:data:`CONTEXT` characters either side (the LSTM's state forgets farther context: on CPP dev
the window changes g2pM's best reading in 3 of 9,893 sentences against the whole-sentence
pass). The windows of one sentence run as one batch, both directions in the same steps,
and scored windows are cached, so a sentence costs about ``CONTEXT`` small matrix steps
however long it is.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

# g2pM marks sentence start and end with two Hangul syllables (its training convention).
_BOS, _EOS, _UNK = "시", "끝", "<UNK>"
CONTEXT = 12
_CACHE_SIZE = 65536

Scores = dict[str, float]


class PolyphoneModel:
    """Scores the readings of the polyphonic characters of a sentence."""

    @cached_property
    def _model(self):
        from g2pM import G2pM

        return G2pM()

    @cached_property
    def _class_index(self) -> dict[str, int]:
        return {reading: index for index, reading in self._model.idx2class.items()}

    @cached_property
    def _weights(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Input projections, recurrent matrices and biases, forward and backward stacked."""
        m = self._model
        # One dtype (g2pM's float32) and contiguous arrays: mixed or strided operands send
        # numpy's small matrix products down a path ten times slower.
        def stacked(*arrays: np.ndarray) -> np.ndarray:
            return np.ascontiguousarray(np.stack(arrays), dtype=np.float32)

        w_ih = stacked(m.weight_ih.T, m.weight_ih_reverse.T)[:, None]  # [2, 1, dim, 4h]
        w_hh = stacked(m.weight_hh.T, m.weight_hh_reverse.T)  # [2, h, 4h]
        bias = stacked(m.bias_ih + m.bias_hh, m.bias_ih_reverse + m.bias_hh_reverse)
        return w_ih, w_hh, bias[:, None, None, :]

    @cached_property
    def _polyphones(self) -> dict[str, tuple[str, ...]]:
        known = self._class_index
        readings = {ch: tuple(r for r in rs if r in known) for ch, rs in self._model.cedict.items()}
        return {ch: rs for ch, rs in readings.items() if len(rs) > 1}

    def candidates(self, char: str) -> tuple[str, ...]:
        """The readings of ``char`` the model chooses between; empty unless polyphonic."""
        return self._polyphones.get(char, ())

    def _ids(self, text: str) -> list[int]:
        char2idx = self._model.char2idx
        unknown = char2idx[_UNK]
        return [char2idx.get(ch, unknown) for ch in text]

    def _windows(self, text: str, position: int) -> tuple[list[int], list[int]]:
        """Character ids read up to ``position``: from the left (forward) and from the
        right (backward, reversed), with g2pM's sentence marks where the window reaches
        the sentence's ends."""
        char2idx = self._model.char2idx
        start, end = max(0, position - CONTEXT), min(len(text), position + CONTEXT + 1)
        left = self._ids(text[start : position + 1])
        right = self._ids(text[position:end])[::-1]
        if start == 0:
            left.insert(0, char2idx[_BOS])
        if end == len(text):
            right.insert(0, char2idx[_EOS])
        return left, right

    def _run(self, windows: list[tuple[list[int], list[int]]]) -> np.ndarray:
        """Final BiLSTM state of each window ([len(windows), 2 * hidden])."""
        w_ih, w_hh, bias = self._weights
        size = w_hh.shape[1]
        steps = max(len(seq) for pair in windows for seq in pair)
        # Left-aligned; each sequence's state is read at its own last step, so the steps
        # after a short sequence's end need no mask.
        ids = np.zeros((2, len(windows), steps), dtype=np.int64)
        last = np.zeros((2, len(windows)), dtype=np.int64)
        for row, pair in enumerate(windows):
            for direction, seq in enumerate(pair):
                ids[direction, row, : len(seq)] = seq
                last[direction, row] = len(seq) - 1
        embedded = self._model.get_embedding(ids).astype(np.float32)  # [2, batch, steps, dim]
        projected = embedded @ w_ih + bias
        hidden = np.zeros((2, len(windows), size), dtype=np.float32)
        cell = np.zeros_like(hidden)
        states = np.empty((steps, *hidden.shape), dtype=np.float32)
        for step in range(steps):
            gates = projected[:, :, step] + hidden @ w_hh
            sig = 1.0 / (1.0 + np.exp(-gates))
            cell = sig[..., size : 2 * size] * cell + sig[..., :size] * np.tanh(
                gates[..., 2 * size : 3 * size]
            )
            hidden = sig[..., 3 * size :] * np.tanh(cell)
            states[step] = hidden
        final = states[last, np.arange(2)[:, None], np.arange(len(windows))[None, :]]
        return np.concatenate([final[0], final[1]], axis=1)

    def score(self, text: str, positions: list[int]) -> dict[int, Scores]:
        """Log-probabilities of the candidate readings at each position of ``text``.

        Each position must hold a polyphonic character (non-empty :meth:`candidates`).
        """
        keys = {p: _window_key(text, p) for p in positions}
        found = {p: self._cache.get(keys[p]) for p in positions}
        todo = [p for p in positions if found[p] is None]
        if not todo:
            return found  # type: ignore[return-value]
        if len(self._cache) + len(todo) > _CACHE_SIZE:
            self._cache.clear()
        states = self._run([self._windows(text, p) for p in todo])
        logits = self._model.fc_layer(states)
        logits = logits - logits.max(axis=1, keepdims=True)
        log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        for row, position in zip(log_probs, todo, strict=True):
            index = self._class_index
            scores = {r: float(row[index[r]]) for r in self.candidates(text[position])}
            found[position] = self._cache[keys[position]] = scores
        return found  # type: ignore[return-value]

    @cached_property
    def _cache(self) -> dict[str, Scores]:
        return {}


def _window_key(text: str, position: int) -> str:
    """What the scores at ``position`` depend on: the window, its place and the ends."""
    start, end = max(0, position - CONTEXT), min(len(text), position + CONTEXT + 1)
    return f"{start == 0:d}{end == len(text):d}{position - start:02d}{text[start:end]}"
