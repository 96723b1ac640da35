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
    def _weights(self) -> tuple[np.ndarray, np.ndarray]:
        """Input projections of every character id plus the biases ([2, vocab, 4h]), and
        the recurrent matrices ([2, h, 4h]), forward and backward stacked: with the
        projections in a table a step starts from a lookup, not an embedding and a product.
        The columns are reordered to the sigmoid gates (input, forget, output), negated,
        then the cell candidate: a step's sigmoids are one exp over one slice."""
        m = self._model
        # One dtype (g2pM's float32) and contiguous arrays: mixed or strided operands send
        # numpy's small matrix products down a path ten times slower.
        def stacked(*arrays: np.ndarray) -> np.ndarray:
            return np.ascontiguousarray(np.stack(arrays), dtype=np.float32)

        size = m.weight_hh.shape[1]
        i, f, g, o = (slice(k * size, (k + 1) * size) for k in range(4))

        def gates_last(array: np.ndarray) -> np.ndarray:  # PyTorch order i, f, g, o
            return np.concatenate([-array[..., i], -array[..., f], -array[..., o],
                                   array[..., g]], axis=-1)

        w_ih = stacked(m.weight_ih.T, m.weight_ih_reverse.T)  # [2, dim, 4h]
        bias = stacked(m.bias_ih + m.bias_hh, m.bias_ih_reverse + m.bias_hh_reverse)
        projections = np.asarray(m.embeddings, dtype=np.float32) @ w_ih + bias[:, None, :]
        w_hh = stacked(m.weight_hh.T, m.weight_hh_reverse.T)
        return (np.ascontiguousarray(gates_last(projections)),
                np.ascontiguousarray(gates_last(w_hh)))

    @cached_property
    def _output_layers(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """g2pM's two output layers, weights transposed for :meth:`_logits`."""
        m = self._model
        return (np.ascontiguousarray(m.hidden_weight_l0.T), m.hidden_bias_l0,
                np.ascontiguousarray(m.hidden_weight_l1.T), m.hidden_bias_l1)

    def _logits(self, states: np.ndarray) -> np.ndarray:
        """g2pM's ``fc_layer``, with einsum: BLAS hands a product this size (batch x 32 x
        876) to a second thread, and on a busy machine waiting for it costs more than the
        whole sentence's LSTM."""
        w0, b0, w1, b1 = self._output_layers
        hidden = np.maximum(np.einsum("ij,jk->ik", states, w0) + b0, 0.0)
        return np.einsum("ij,jk->ik", hidden, w1) + b1

    @cached_property
    def _polyphones(self) -> dict[str, tuple[str, ...]]:
        known = self._class_index
        readings = {ch: tuple(r for r in rs if r in known) for ch, rs in self._model.cedict.items()}
        return {ch: rs for ch, rs in readings.items() if len(rs) > 1}

    def candidates(self, char: str) -> tuple[str, ...]:
        """The readings of ``char`` the model chooses between; empty unless polyphonic."""
        return self._polyphones.get(char, ())

    def _padded_ids(self, text: str) -> np.ndarray:
        """Character ids of ``text`` between g2pM's sentence marks."""
        char2idx = self._model.char2idx
        unknown = char2idx[_UNK]
        ids = [char2idx[_BOS], *(char2idx.get(ch, unknown) for ch in text), char2idx[_EOS]]
        return np.array(ids, dtype=np.int64)

    def _run(self, text: str, positions: list[int]) -> np.ndarray:
        """Final BiLSTM state at each position ([len(positions), 2 * hidden]), each read from
        a window of :data:`CONTEXT` characters either side: from the left (forward) and
        from the right (backward), with the sentence marks where the window reaches the
        sentence's ends."""
        projections, w_hh = self._weights
        size = w_hh.shape[1]
        ids = self._padded_ids(text)  # text[k] is ids[k + 1]
        at = np.array(positions, dtype=np.int64) + 1
        first = np.where(at <= CONTEXT + 1, 0, at - CONTEXT)  # forward: ids[first .. at]
        top = np.where(at + CONTEXT >= len(text), len(text) + 1, at + CONTEXT)  # backward
        last = np.stack([at - first, top - at])  # [2, batch]: the step each state is read at
        steps = np.arange(int(last.max()) + 1)[:, None]
        # Left-aligned: each window's state is read at its own last step, so the steps after
        # a short window's end (repeating its last character) need no mask.
        projected = np.stack([
            projections[0][ids[np.minimum(first + steps, at)]],
            projections[1][ids[np.maximum(top - steps, at)]],
        ], axis=1)  # [steps, 2, batch, 4h]
        hidden = np.zeros((2, len(positions), size), dtype=np.float32)
        cell = np.zeros_like(hidden)
        states = np.empty((len(steps), *hidden.shape), dtype=np.float32)
        for step, projection in enumerate(projected):
            gates = projection + hidden @ w_hh
            sig = 1.0 / (1.0 + np.exp(gates[..., : 3 * size]))  # those columns hold -x
            cell = sig[..., size : 2 * size] * cell + sig[..., :size] * np.tanh(
                gates[..., 3 * size :]
            )
            hidden = states[step] = sig[..., 2 * size :] * np.tanh(cell)
        final = states[last, np.arange(2)[:, None], np.arange(len(positions))[None, :]]
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
        states = self._run(text, todo)
        logits = self._logits(states)
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
