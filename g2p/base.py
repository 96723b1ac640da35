"""The adapter contract: one :class:`Transcription` per input token, always."""

from __future__ import annotations

import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from g2p.contract import silent_status
from g2p.ipa import strip_tones
from g2p.script import SURROGATE
from g2p.types import Status, Transcription


class AlignmentError(RuntimeError):
    """An adapter returned a different number of transcriptions than tokens (a bug)."""


class Adapter(ABC):
    """Base class of the per-language adapters.

    Subclasses implement :meth:`_transcribe`, which sees the whole sentence (all tokens) so
    that context can decide readings, and must return one entry per token. This class checks
    that promise, normalises input to NFC, applies ``tones=False`` and keeps text that is not
    Unicode (lone surrogates, e.g. undecodable bytes read with ``surrogateescape``) away from
    the back-ends, which cannot encode it: such a token is ``unknown``, spelled as written.
    Statuses are decided by :func:`g2p.contract.assemble`, which every adapter builds its
    transcriptions with.
    """

    lang: ClassVar[str]

    def __init__(self, *, tones: bool = True) -> None:
        self.tones = tones

    def transcribe(self, tokens: Sequence[str]) -> list[Transcription]:
        if isinstance(tokens, str):
            raise TypeError(
                "transcribe() takes a list of tokens, not a string; "
                "split the sentence first (e.g. text.split() or list(text))"
            )
        normalized = [unicodedata.normalize("NFC", token) for token in tokens]
        broken = {i for i, token in enumerate(normalized) if SURROGATE.search(token)}
        clean = ["" if i in broken else token for i, token in enumerate(normalized)]
        result = self._transcribe(clean) if clean else []
        if len(result) != len(normalized):
            raise AlignmentError(
                f"{type(self).__name__} returned {len(result)} transcriptions "
                f"for {len(normalized)} tokens: {normalized!r}"
            )
        result = [Transcription(normalized[i], "", normalized[i], Status.UNKNOWN) if i in broken
                  else item for i, item in enumerate(result)]
        if not self.tones:
            result = [replace(item, ipa=strip_tones(item.ipa)) for item in result]
        return result

    @abstractmethod
    def _transcribe(self, tokens: list[str]) -> list[Transcription]:
        """Transcribe a non-empty list of NFC tokens, one result per token."""


def silent_token(token: str) -> Transcription | None:
    """The transcription of a token that has no pronunciation, or None if it may have one
    (for back-ends that read token by token, such as the baselines: the same rule as
    :func:`g2p.contract.silent_status`)."""
    status = silent_status(token, ())
    return None if status is None else Transcription(token, "", "", status)
