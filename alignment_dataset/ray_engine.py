"""The cluster engine: the shards of a raw-text config on Ray Data (``--engine ray``).

The shards to build become a Ray dataset of shard numbers, one block each, mapped by
``map_batches`` with :class:`ShardActor`, a stateful class: each actor of the pool builds its
adapter and tokenizer once and then transcribes and writes whole shards
(:meth:`alignment_dataset.shards.TextJob.run`), so the files are byte for byte those of the
local engine. Ray schedules the actors, retries a shard whose actor died and streams results
back as shards end. Ray's own text readers and parquet writer are not used for the shards:
they know no line numbers (the rows' ids and error messages) and cut blocks where they like,
which would make the output depend on the run.

``ray.init()`` joins the cluster that ``RAY_ADDRESS`` names, else starts a local Ray with
``workers`` CPUs (and stops it at the end). On a cluster the inputs and the output folder must
be on a file system every node sees (NFS, a shared mount) and phonexl installed on each node.
Ray is the ``[ray]`` extra: ``pip install -e ".[ray]"``.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Sequence

from alignment_dataset.readers import CorpusFormatError
from alignment_dataset.shards import Result, ShardWorker, TextJob
from alignment_dataset.text import MissingDependency
from alignment_dataset.transcribe import TranscriptionError, freeze_worker_heap
from alignment_dataset.writer import MisalignedRowError

# Errors a shard reports as a value, so the driver raises them with their one-line message.
_REPORTED = {error.__name__: error for error in (CorpusFormatError, TranscriptionError,
                                                 MisalignedRowError, MissingDependency)}


class ShardActor:
    """A Ray Data actor: builds its worker (adapter, tokenizer) once, then maps batches of
    shard positions to their results (as JSON text: one column of strings)."""

    def __init__(self, job: TextJob) -> None:
        self.worker = ShardWorker(job)
        freeze_worker_heap()

    def __call__(self, batch: dict[str, object]) -> dict[str, list[str]]:
        results = []
        for position in batch["position"]:
            try:
                result: Result | dict[str, str] = self.worker(int(position))
            except tuple(_REPORTED.values()) as error:
                result = {"error": type(error).__name__, "message": str(error)}
            results.append(json.dumps(result, ensure_ascii=False))
        return {"result": results}


def _ray():
    try:
        import ray
        import ray.data
    except ImportError:
        raise MissingDependency('--engine ray needs Ray Data: pip install -e ".[ray]" '
                                '(or pip install "ray[data]")') from None
    return ray


def run_ray(job: TextJob, todo: Sequence[int], workers: int) -> Iterator[Result]:
    """Results of the shards ``todo`` built by ``workers`` Ray actors, as they end."""
    if not todo:
        return
    ray = _ray()
    started_here = not ray.is_initialized()
    if started_here:
        on_cluster = bool(os.environ.get("RAY_ADDRESS"))
        ray.init(num_cpus=None if on_cluster else workers, include_dashboard=False,
                 log_to_driver=False)
    try:
        logging.getLogger("ray.data").setLevel(logging.ERROR)  # the build has its own bar
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        shards = ray.data.from_items([{"position": position} for position in todo],
                                     override_num_blocks=len(todo))
        # One shard per actor at a time: its input is a number, so nothing is gained by
        # queueing, and a queued shard would keep one actor busy while the other is idle at
        # the end (up to a shard's time, ~10 % of a 20-shard build on 2 actors).
        pool = ray.data.ActorPoolStrategy(size=min(workers, len(todo)),
                                          max_tasks_in_flight_per_actor=1)
        mapped = shards.map_batches(ShardActor, fn_constructor_args=(job,), batch_size=1,
                                    compute=pool, num_cpus=1, batch_format="numpy")
        for row in mapped.iter_rows():
            result = json.loads(row["result"])
            if "error" in result:
                raise _REPORTED[result["error"]](result["message"])
            yield result
    finally:
        if started_here:
            ray.shutdown()
