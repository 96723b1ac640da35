"""G2P throughput per language on a real corpus, one process (one core).

    python -m benchmarks.g2p_speed --lang ko
    python -m benchmarks.g2p_speed --lang ja --corpus ../shared/data/ud/ja_gsd-ud-test.conllu

Construction and a warm-up on the corpus's first ``--warmup`` sentences (the cold start) are
timed apart from the warm pass over the rest, so a back-end that recompiles its rules on every
call shows up, and tables that load on first use (ours) are loaded before the clock starts, as
the reference tools' are at import. For zh and ja the tool the adapter
is built on is timed on the same sentences in the same run (:data:`REFERENCES`: pypinyin's
phrase mode, fugashi's tagging), so the cost above it is a ratio that does not depend on how
busy the machine is. Prints and saves JSON.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from alignment_dataset.readers import read_corpus
from g2p import LANGS, add_option_argument, check_options, get_adapter
from g2p.paths import save_json, save_json_path, shared_data

_DEFAULT_CORPORA = {
    "ja": "ud/ja_gsd-ud-dev.conllu",
    "ko": "ud/ko_gsd-ud-dev.conllu",
    "vi": "ud/vi_vtb-ud-dev.conllu",
    "zh": "ud/zh_gsdsimp-ud-dev.conllu",
}


def _pypinyin_phrases() -> Callable[[str], object]:
    from pypinyin import Style, lazy_pinyin

    return lambda text: lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)


def _fugashi_tagging() -> Callable[[str], object]:
    import fugashi

    tagger = fugashi.Tagger()
    return lambda text: tagger(text)


# lang -> (name, factory of a function that does the tool's own work on one sentence)
REFERENCES: dict[str, tuple[str, Callable[[], Callable[[str], object]]]] = {
    "zh": ("pypinyin lazy_pinyin, phrase mode", _pypinyin_phrases),
    "ja": ("fugashi tagging (unidic-lite)", _fugashi_tagging),
}


def _reference(
    lang: str, warmup: list[str], texts: list[str], warm: float
) -> dict[str, object] | None:
    """The reference tool's time on the same sentences after the same warm-up, and our time
    as a multiple of it."""
    if lang not in REFERENCES:
        return None
    name, factory = REFERENCES[lang]
    run = factory()
    for text in warmup:
        run(text)
    start = time.perf_counter()
    for text in texts:
        run(text)
    seconds = time.perf_counter() - start
    return {"tool": name, "seconds": round(seconds, 3),
            "time_ratio": round(warm / seconds, 2), "speed_ratio": round(seconds / warm, 3)}


def measure(
    lang: str, corpus: Path, limit: int | None = None, options: dict[str, object] | None = None,
    warmup: int = 20,
) -> dict[str, object]:
    """Figures of the warm pass over the corpus after its first ``warmup`` sentences (at least
    one sentence is warm-up and at least one is timed)."""
    sentences = [s.tokens for s in read_corpus(corpus)][:limit]
    if len(sentences) < 2:
        raise ValueError(f"{corpus}: a speed run needs at least 2 sentences")
    split = min(max(warmup, 1), len(sentences) - 1)
    warmup_sentences, sentences = sentences[:split], sentences[split:]
    start = time.perf_counter()
    adapter = get_adapter(lang, **(options or {}))
    for tokens in warmup_sentences:
        adapter.transcribe(list(tokens))
    cold = time.perf_counter() - start
    start = time.perf_counter()
    for tokens in sentences:
        adapter.transcribe(list(tokens))
    warm = time.perf_counter() - start
    tokens = sum(len(s) for s in sentences)
    characters = sum(len(t) for s in sentences for t in s)
    # Syllables: whitespace/underscore-separated parts for vi, characters otherwise.
    syllables = (
        sum(len(t.replace("_", " ").split()) for s in sentences for t in s)
        if lang == "vi" else characters
    )
    return {
        "lang": lang,
        "corpus": str(corpus),
        "options": options or {},
        "warmup_sentences": len(warmup_sentences),
        "sentences": len(sentences),
        "tokens": tokens,
        "characters": characters,
        "cold_start_s": round(cold, 3),
        "warm_s": round(warm, 3),
        "sentences_per_s": round(len(sentences) / warm, 1),
        "tokens_per_s": round(tokens / warm, 1),
        "characters_per_s": round(characters / warm, 1),
        "syllables_per_s": round(syllables / warm, 1),
        "reference": _reference(lang, ["".join(s) for s in warmup_sentences],
                                ["".join(s) for s in sentences], warm),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.g2p_speed",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", required=True, choices=LANGS)
    parser.add_argument("--corpus", type=Path,
                        help="corpus file (default: the UD dev treebank in ../shared/data/ud)")
    parser.add_argument("--limit", type=int, help="use only the first N sentences")
    parser.add_argument("--warmup", type=int, default=20,
                        help="sentences transcribed before the clock starts and not timed, by "
                        "the adapter and by the reference tool (default: 20)")
    add_option_argument(parser)
    parser.add_argument("--save", type=Path,
                        help="JSON output (default: g2p_<lang>_speed.json in "
                        "$PHONEXL_CACHE/results; name benchmarks/results/... to update the "
                        "committed figures)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        check_options(args.lang, dict(args.option))
    except ValueError as error:
        parser.error(str(error))
    corpus = args.corpus or shared_data() / _DEFAULT_CORPORA[args.lang]
    if not corpus.exists():
        print(f"error: corpus {corpus} not found; pass --corpus", file=sys.stderr)
        return 2
    try:
        result = measure(args.lang, corpus, args.limit, dict(args.option), args.warmup)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for key, value in result.items():
        print(f"{key}: {value}")
    save = save_json(save_json_path(args.save, f"g2p_{args.lang}_speed.json"), result)
    print(f"saved to {save}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
