"""Sentences → per-token IPA, in this process or a worker pool, in order, with bounded memory.

Each worker builds its adapter once (pool initializer). At most ``4 × workers`` chunks are in
flight, so reading never runs ahead of transcription by more than a few thousand sentences.
A sentence the adapter fails on comes back as a :class:`TranscriptionError` value, so the
caller decides whether to stop or skip it (``--skip-bad``). Workers leave Ctrl-C to the main
process (which terminates the pool) and end when it dies, so neither prints a traceback.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import islice
from multiprocessing.pool import AsyncResult, Pool
from types import TracebackType
from typing import Any

from alignment_dataset.readers import Sentence
from g2p import get_adapter
from g2p.base import Adapter

AdapterFactory = Callable[[str, bool], Adapter]
# Per token: (ipa, reading, status) lists of one sentence.
Transcribed = tuple[list[str], list[str], list[str]]
_PR_SET_PDEATHSIG = 1  # linux/prctl.h

_CHUNK_SENTENCES = 64
_IN_FLIGHT_PER_WORKER = 4


def default_factory(lang: str, tones: bool) -> Adapter:
    """The registered adapter of ``lang``."""
    return get_adapter(lang, tones=tones)


class TranscriptionError(RuntimeError):
    """An adapter failed on a sentence; the message names the sentence's source line."""


# What one sentence gives: its transcription, or the error the adapter raised on it.
Outcome = Transcribed | TranscriptionError


def _transcribe(adapter: Adapter, source: str,
                tokens: tuple[str, ...]) -> Outcome:
    try:
        result = adapter.transcribe(list(tokens))
    except Exception as error:  # an adapter bug must name the input it failed on
        message = " ".join(f"{error!r}".split())  # one line, whatever the error holds
        return TranscriptionError(f"{source}: {type(adapter).__name__} failed: {message}")
    return [t.ipa for t in result], [t.reading for t in result], [t.status.value for t in result]


# What each pool process built once, set by the pool initializer. A failing initializer would
# make the pool respawn workers forever, so its error is kept and raised by the first task.
_worker: Callable[[Any], Any] | None = None
_worker_error: BaseException | None = None


def _end_with_parent() -> None:
    """Ctrl-C is the main process's to handle, SIGTERM (from ``Pool.terminate``) just ends a
    worker, whatever handlers it inherited; a killed main process takes the worker along."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(0)


def freeze_worker_heap() -> None:
    """Leave every object a worker process has built (modules, the adapter's tables) out of
    the garbage collector's full passes: they live as long as the worker, and each full pass,
    which growing memo caches start every so often, would walk them again (2-6 % of a Korean
    or Japanese worker's CPU time, ``benchmarks/results/worker_gc_freeze.json``). For worker
    processes only (pool processes, Ray actors); a caller's own process gets
    :func:`gc.unfreeze` back when its in-process build ends."""
    gc.freeze()


def _init_worker(build: Callable[[], Callable[[Any], Any]]) -> None:
    global _worker, _worker_error
    _end_with_parent()
    try:
        _worker = build()
    except Exception as error:
        _worker_error = error
    freeze_worker_heap()


def call_worker(task: Any) -> Any:
    """Run ``task`` through this pool process's worker (the pool's task function)."""
    if _worker is None:
        raise _worker_error or RuntimeError("the pool initializer did not run")
    return _worker(task)


def worker_pool(workers: int, build: Callable[[], Callable[[Any], Any]]) -> Pool:
    """A pool whose processes each call ``build()`` once and then serve :func:`call_worker`
    tasks with it (fork where available, so ``build`` and what it holds need no pickling)."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return context.Pool(workers, _init_worker, (build,))


class _ChunkTranscriber:
    """A pool process's adapter and what it does with a chunk of (source, tokens)."""

    def __init__(self, factory: AdapterFactory, lang: str, tones: bool) -> None:
        self.adapter = factory(lang, tones)

    def __call__(self, chunk: list[tuple[str, tuple[str, ...]]]) -> list[Outcome]:
        return [_transcribe(self.adapter, source, tokens) for source, tokens in chunk]


def _chunks(sentences: Iterable[Sentence], size: int) -> Iterator[list[Sentence]]:
    iterator = iter(sentences)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Transcriber:
    """Transcribes the sentences of one language; use as a context manager.

    ``workers <= 1`` runs in this process; more starts a pool (fork where available, so an
    injected ``factory`` needs no pickling).
    """

    def __init__(self, lang: str, *, tones: bool = True, workers: int = 1,
                 factory: AdapterFactory = default_factory) -> None:
        self.lang, self.tones, self.workers, self.factory = lang, tones, workers, factory
        self._adapter: Adapter | None = None
        self._pool: Pool | None = None

    def __enter__(self) -> Transcriber:
        if self.workers > 1:
            self._pool = worker_pool(self.workers, partial(
                _ChunkTranscriber, self.factory, self.lang, self.tones))
        else:
            self._adapter = self.factory(self.lang, self.tones)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._pool is not None:
            if kind is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._pool = None

    def map(self, sentences: Iterable[Sentence],
            ) -> Iterator[tuple[Sentence, Outcome]]:
        """(sentence, transcription or the adapter's error) pairs in input order."""
        if self._pool is None:
            if self._adapter is None:
                raise RuntimeError("use Transcriber as a context manager")
            for sentence in sentences:
                yield sentence, _transcribe(self._adapter, sentence.source, sentence.tokens)
            return
        window: deque[tuple[list[Sentence], AsyncResult[list[Outcome]]]] = deque()
        for chunk in _chunks(sentences, _CHUNK_SENTENCES):
            payload = [(s.source, s.tokens) for s in chunk]
            window.append((chunk, self._pool.apply_async(call_worker, (payload,))))
            if len(window) >= self.workers * _IN_FLIGHT_PER_WORKER:
                yield from self._collect(window.popleft())
        while window:
            yield from self._collect(window.popleft())

    @staticmethod
    def _collect(
        item: tuple[list[Sentence], AsyncResult[list[Outcome]]],
    ) -> Iterator[tuple[Sentence, Outcome]]:
        chunk, pending = item
        yield from zip(chunk, pending.get(), strict=True)
