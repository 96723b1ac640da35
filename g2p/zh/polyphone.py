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
        embedded = model.get_embedding(np.array(ids, dtype=np.int32))[:, None, :]
        forward = backward = None
        forward_states, backward_states = [], []
        for step in range(len(ids)):
            forward = model.fw_lstm_cell(embedded[step], forward)
            backward = model.bw_lstm_cell(embedded[len(ids) - 1 - step], backward)
            forward_states.append(forward[0][0])
            backward_states.append(backward[0][0])
        states = np.concatenate([np.stack(forward_states), np.stack(backward_states[::-1])], 1)
        return states[1:-1]

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
