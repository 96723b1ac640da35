"""Where the Japanese adapter's time goes above fugashi's tagging: cumulative stages.

    python -m benchmarks.ja_speed_stages [--corpus FILE] [--rounds N] [--save FILE]

Each stage does the work of the one before it and more, as the adapter does it on a sentence:
tag, read each node's fields, turn nodes into morphemes with readings, into units with their
reading split over characters, give every character its reading, and finally the whole
adapter (token pieces, kana to IPA over the sentence, statuses). Every stage runs on the same
sentences after one pass that fills the caches (steady state: every word seen before), and
its best CPU time over ``--rounds`` interleaved rounds is reported as a multiple of the
tagging time, so the figures are ratios measured in one run. Prints and saves JSON.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from alignment_dataset.readers import read_corpus
from g2p import get_adapter
from g2p.ja.adapter import _read_characters
from g2p.ja.analysis import _tagger, analyse
from g2p.ja.kana import widen_katakana
from g2p.ja.sentence import sentence_units
from g2p.paths import save_json, save_json_path, shared_data

_DEFAULT = shared_data() / "ud" / "ja_gsd-ud-dev.conllu"


def stages(sentences: list[list[str]]) -> list[tuple[str, Callable[[], object]]]:
    """(name, work over all sentences) for each cumulative stage, tagging first."""
    tagger, adapter = _tagger(), get_adapter("ja")
    wide = [[widen_katakana(token) for token in tokens] for tokens in sentences]
    texts = ["".join(tokens) for tokens in wide]
    return [
        ("fugashi tagging", lambda: [tagger(text) for text in texts]),
        ("+ each node's surface and feature string",
         lambda: [[(n.surface, n.feature_raw) for n in tagger(text)] for text in texts]),
        ("+ morphemes with readings", lambda: [list(analyse(text)) for text in texts]),
        ("+ units: numbers, readings split over characters",
         lambda: [sentence_units(text) for text in texts]),
        ("+ every character its reading",
         lambda: [_read_characters(tokens, w) for tokens, w in zip(sentences, wide,
                                                                    strict=True)]),
        ("whole adapter: + token pieces, kana to IPA, statuses",
         lambda: [adapter.transcribe(tokens) for tokens in sentences]),
    ]


def measure(corpus: Path, rounds: int) -> dict[str, object]:
    rounds = max(rounds, 1)  # the figure saved is the number of rounds run
    sentences = [list(s.tokens) for s in read_corpus(corpus)]
    if not sentences:
        raise ValueError(f"{corpus}: no sentences")
    work = stages(sentences)
    for _, run in work:  # fills every cache: the figures are the steady state
        run()
    best = {name: float("inf") for name, _ in work}
    for _ in range(rounds):
        for name, run in work:
            start = time.process_time()
            run()
            best[name] = min(best[name], time.process_time() - start)
    tagging = max(best[work[0][0]], 1e-9)  # a tiny corpus may tag below the clock's tick
    return {
        "corpus": str(corpus),
        "sentences": len(sentences),
        "rounds": rounds,
        "stages": [{"stage": name, "cpu_s": round(seconds, 4),
                    "times_tagging": round(seconds / tagging, 2)}
                   for name, seconds in best.items()],
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ja_speed_stages",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=_DEFAULT,
                        help="corpus file (default: UD ja GSD dev in ../shared)")
    parser.add_argument("--rounds", type=int, default=9,
                        help="interleaved timing rounds; the best of each stage counts")
    parser.add_argument("--save", type=Path, help="JSON output (default: "
                        "ja_speed_stages.json in $PHONEXL_CACHE/results)")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"error: corpus {args.corpus} not found; pass --corpus", file=sys.stderr)
        return 2
    try:
        result = measure(args.corpus, args.rounds)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for row in result["stages"]:
        print(f"{row['times_tagging']:6.2f}x  {row['cpu_s'] * 1000:8.1f} ms  {row['stage']}")
    save = save_json(save_json_path(args.save, "ja_speed_stages.json"), result)
    print(f"saved to {save}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
