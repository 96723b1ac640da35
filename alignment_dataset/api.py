"""IPA for any Hugging Face dataset: :func:`add_ipa` on ``datasets.Dataset.map(batched=True)``.

    >>> from datasets import Dataset
    >>> from alignment_dataset.api import add_ipa
    >>> ds = add_ipa(Dataset.from_dict({"tokens": [["Hà", "Nội"]]}), "vi")
    >>> ds[0]["ipa"], ds[0]["status"]
    (['h aː ˨˩', 'n o j ˧˨ ʔ'], ['ok', 'ok'])

Each process builds its adapter once, on its first batch (a cache per process, so the mapped
function stays small to pickle and to fingerprint): the main process, each of ``num_proc``
workers, or each worker of a PyTorch ``DataLoader`` reading a streaming
(``IterableDataset``) result. Rows go through the same
:class:`~alignment_dataset.transcribe.Transcriber` as the dataset builder, so the columns are
those of a built config. Bad rows (tokens that are not a list of strings, an adapter failure)
raise with the row's index; nothing is dropped or shifted.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import datasets
from datasets import List, Value

from alignment_dataset.readers import Sentence
from alignment_dataset.text import Tokenizer, tokenizer
from alignment_dataset.transcribe import Transcriber, TranscriptionError

COLUMNS = ("ipa", "reading", "status")
AnyDataset = datasets.Dataset | datasets.IterableDataset


@cache
def _transcriber(lang: str, tones: bool) -> Transcriber:
    """This process's transcriber for ``lang``: its adapter is built once."""
    return Transcriber(lang, tones=tones).__enter__()


@cache
def _tokenizer(lang: str, words: bool) -> Tokenizer:
    return tokenizer(lang, words)


@dataclass(frozen=True)
class BatchTranscriber:
    """The function ``Dataset.map`` runs: a batch of rows to their IPA columns."""

    lang: str
    tokens_column: str
    text_column: str | None
    words: bool
    tones: bool

    def __call__(self, batch: dict[str, list], indices: list[int]) -> dict[str, list]:
        if self.text_column is not None:
            tokenize = _tokenizer(self.lang, self.words)
            token_lists = [tokenize(text or "") for text in batch[self.text_column]]
        else:
            token_lists = batch[self.tokens_column]
        sentences = []
        for index, tokens in zip(indices, token_lists, strict=True):
            if not isinstance(tokens, list | tuple) or not all(isinstance(t, str)
                                                               for t in tokens):
                raise TypeError(f"row {index}: {self.tokens_column!r} must be a list of "
                                f"strings, not {tokens!r:.80}")
            sentences.append(Sentence(str(index), tuple(tokens), (), f"row {index}"))
        columns: dict[str, list] = {name: [] for name in COLUMNS}
        for _, outcome in _transcriber(self.lang, self.tones).map(sentences):
            if isinstance(outcome, TranscriptionError):
                raise outcome
            for name, values in zip(COLUMNS, outcome, strict=True):
                columns[name].append(values)
        if self.text_column is not None:
            columns[self.tokens_column] = token_lists
        return columns


def add_ipa(ds: AnyDataset, lang: str, tokens_column: str = "tokens", *,
            text_column: str | None = None, words: bool = False, tones: bool = True,
            num_proc: int | None = None, batch_size: int = 256) -> AnyDataset:
    """``ds`` with ``ipa``, ``reading`` and ``status`` columns, one entry per token.

    ``text_column`` tokenises raw text first, as ``--task text`` does
    (:func:`alignment_dataset.text.tokenizer`; ``words`` as its ``--words``), into
    ``tokens_column``. ``num_proc`` is ``Dataset.map``'s; a streaming ``IterableDataset`` is
    mapped lazily in whichever process reads it (``num_proc`` must then be None).
    """
    if not isinstance(ds, AnyDataset):
        raise TypeError(f"add_ipa takes a datasets.Dataset or IterableDataset, not "
                        f"{type(ds).__name__}")
    source = text_column or tokens_column
    if ds.column_names is not None and source not in ds.column_names:
        raise ValueError(f"no column {source!r} in the dataset (columns: "
                         f"{', '.join(ds.column_names)})")
    transcribe = BatchTranscriber(lang, tokens_column, text_column, words, tones)
    features = None
    if ds.features is not None:
        features = ds.features.copy()
        for name in (*COLUMNS, *([tokens_column] if text_column else [])):
            features[name] = List(Value("string"))
    options = {"batched": True, "batch_size": batch_size, "with_indices": True,
               "features": features}
    if isinstance(ds, datasets.IterableDataset):
        if num_proc not in (None, 1):
            raise ValueError("an IterableDataset is mapped lazily by whoever reads it: leave "
                             "num_proc out and read it with several processes instead (a "
                             "torch DataLoader's num_workers, split_dataset_by_node)")
        return ds.map(transcribe, **options)
    return ds.map(transcribe, num_proc=num_proc, desc=f"IPA ({lang})", **options)
