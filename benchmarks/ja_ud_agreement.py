"""Japanese readings against UD ja GSD's own UniDic analysis, token by token.

    python -m benchmarks.ja_ud_agreement [--corpus FILE] [--top N] [--save FILE]

UD_Japanese-GSD gives every word a ``UnidicInfo`` field in MISC whose fifth item is the
word's pronunciation in context as full UniDic has it (は ワ, 東京 トーキョー). That analysis
is automatic, not gold: it reads digits one by one (2011 ニゼロイチイチ), keeps いう as イウ and
日本 as ニッポン, which this project reads otherwise on purpose. So the figure is agreement, a
way to find where unidic-lite and our tables go astray (日本人 ニホンニン), not an accuracy.
Only katakana is compared (Latin letters are never read). Prints the agreement and the most
frequent differences; saves JSON (``$PHONEXL_CACHE/results/ja_ud_agreement.json`` unless
``--save`` names a path).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from g2p import get_adapter
from g2p.paths import save_json, save_json_path, shared_data

_DEFAULT = shared_data() / "ud" / "ja_gsd-ud-dev.conllu"
_UNIDIC = re.compile(r"UnidicInfo=([^|]*)")
_KATAKANA = re.compile("[\u30a1-\u30fc]+")
_PRON = 4  # UnidicInfo: lForm, lemma, orth, orthBase, pron, ...


def read_prons(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """(tokens, UniDic pron of each) per sentence; multi-word and empty-node lines skipped."""
    tokens: list[str] = []
    prons: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line:
                if tokens:
                    yield tokens, prons
                tokens, prons = [], []
                continue
            columns = line.split("\t")
            if line.startswith("#") or len(columns) != 10 or not columns[0].isdigit():
                continue
            found = _UNIDIC.search(columns[9])
            fields = found.group(1).split(",") if found else []
            tokens.append(columns[1])
            prons.append(fields[_PRON] if len(fields) > _PRON else "")
    if tokens:
        yield tokens, prons


def _kana(text: str) -> str:
    return "".join(_KATAKANA.findall(text))


def measure(path: Path, top: int) -> dict[str, object]:
    """Agreement over ``path`` and its ``top`` most frequent differences."""
    if not path.is_file():
        raise ValueError(f"corpus {path} not found; pass --corpus")
    adapter = get_adapter("ja")
    differences: Counter[tuple[str, str, str]] = Counter()
    sentences = differing_sentences = compared = differing = 0
    for tokens, prons in read_prons(path):
        sentences += 1
        before = differing
        for token, pron, result in zip(tokens, prons, adapter.transcribe(tokens), strict=True):
            ours, theirs = _kana(result.reading), _kana(pron)
            if not ours and not theirs:
                continue
            compared += 1
            if ours != theirs:
                differing += 1
                differences[(token, theirs, ours)] += 1
        differing_sentences += differing > before
    if not compared:
        raise ValueError(f"{path}: no tokens with a UnidicInfo pronunciation")
    return {
        "corpus": str(path),
        "sentences": sentences,
        "tokens_compared": compared,
        "tokens_differing": differing,
        "token_agreement": round(1 - differing / compared, 4),
        "sentences_differing": round(differing_sentences / sentences, 4),
        "top_differences": [
            {"token": token, "unidic": theirs, "ours": ours, "count": count}
            for (token, theirs, ours), count in differences.most_common(top)
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ja_ud_agreement",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=_DEFAULT,
                        help="UD ja GSD CoNLL-U file (default: dev, in ../shared)")
    parser.add_argument("--top", type=int, default=30, help="differences to list")
    parser.add_argument("--save", type=Path, help="JSON output (default: "
                        "ja_ud_agreement.json in $PHONEXL_CACHE/results)")
    args = parser.parse_args(argv)
    try:
        result = measure(args.corpus, max(args.top, 0))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{result['tokens_compared']:,} tokens: {result['token_agreement']:.2%} agree with "
          f"UD's UniDic pron; {result['sentences_differing']:.1%} of "
          f"{result['sentences']:,} sentences differ somewhere")
    for row in result["top_differences"]:
        print(f"{row['count']:5}  {row['token']}  UD {row['unidic'] or '-'}  "
              f"ours {row['ours'] or '-'}")
    print(f"saved to {save_json(save_json_path(args.save, 'ja_ud_agreement.json'), result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
