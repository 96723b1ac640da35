"""Context model for polyphonic characters: g2pM's bidirectional LSTM, scored per reading.

g2pM (Park & Lee 2020, trained on the CPP corpus) ships its weights as numpy arrays in the
wheel, so it runs offline. Its own ``__call__`` only returns the best reading; the adapter
needs the log-probability of every candidate to weigh it against a dictionary phrase, so the
forward pass is run here with g2pM's layers and the scores restricted to the character's
own readings (CC-CEDICT, as digested by g2pM).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

# g2pM marks sentence start and end with two Hangul syllables (its training convention).
_BOS, _EOS, _UNK = "시", "끝", "<UNK>"


def _lstm(
    inputs: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray, b_ih: np.ndarray, b_hh: np.ndarray
) -> np.ndarray:
    """One direction of a PyTorch-layout LSTM (gates i, f, g, o) over [steps, dim] inputs.

    Same arithmetic as g2pM's per-step cells, but the input projection of all steps is one
    matrix product, which makes the sentence pass about three times faster.
    """
    projected = inputs @ w_ih.T + (b_ih + b_hh)
    size = w_hh.shape[1]
    recurrent = w_hh.T
    hidden = np.zeros(size)
    cell = np.zeros(size)
    states = np.empty((len(inputs), size))
    for step, gates in enumerate(projected):
        gates = gates + hidden @ recurrent
        sig = 1.0 / (1.0 + np.exp(-gates))
        cell = sig[size : 2 * size] * cell + sig[:size] * np.tanh(gates[2 * size : 3 * size])
        hidden = sig[3 * size :] * np.tanh(cell)
        states[step] = hidden
    return states


class PolyphoneModel:
    """Scores the readings of the polyphonic characters of a sentence."""

    @cached_property
    def _model(self):
        from g2pM import G2pM

        return G2pM()

    @cached_property
    def _class_index(self) -> dict[str, int]:
        return {reading: index for index, reading in self._model.idx2class.items()}

    def candidates(self, char: str) -> tuple[str, ...]:
        """The readings of ``char`` the model chooses between; empty unless polyphonic."""
        readings = self._model.cedict.get(char, ())
        return tuple(readings) if len(readings) > 1 else ()

    def _hidden_states(self, text: str) -> np.ndarray:
        """BiLSTM states of each character of ``text`` ([len(text), 2 * hidden])."""
        model = self._model
        unknown = model.char2idx[_UNK]
        ids = [model.char2idx[_BOS]]
        ids += [model.char2idx.get(ch, unknown) for ch in text]
        ids.append(model.char2idx[_EOS])
        embedded = model.get_embedding(np.array(ids, dtype=np.int32))
        forward = _lstm(embedded, model.weight_ih, model.weight_hh, model.bias_ih, model.bias_hh)
        backward = _lstm(
            embedded[::-1],
            model.weight_ih_reverse,
            model.weight_hh_reverse,
            model.bias_ih_reverse,
            model.bias_hh_reverse,
        )[::-1]
        return np.concatenate([forward, backward], axis=1)[1:-1]

    def score(self, text: str, positions: list[int]) -> dict[int, dict[str, float]]:
        """Log-probabilities of the candidate readings at each position of ``text``.

        Each position must hold a polyphonic character (non-empty :meth:`candidates`).
        """
        if not positions:
            return {}
        logits = self._model.fc_layer(self._hidden_states(text)[positions])
        logits = logits - logits.max(axis=1, keepdims=True)
        log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        scores: dict[int, dict[str, float]] = {}
        for row, position in zip(log_probs, positions, strict=True):
            readings = self.candidates(text[position])
            scores[position] = {
                r: float(row[self._class_index[r]]) for r in readings if r in self._class_index
            }
        return scores
