"""Generate ``g2p/data/ja/kanji_readings.tsv`` from the UniDic lexicon shipped by unidic-lite.

    python -m g2p.ja.build_readings

No kanji dictionary is needed: the analyser's own lexicon (orthography + kana of ~600,000
word forms) holds every reading we split against. Readings are mined in two steps:

1. words with one kanji (行く, お茶, 東): the kanji's reading is what remains of the word's
   kana once the written kana around it are taken off;
2. words with several kanji (東京, 学校): when all kanji but one are explained by readings
   already known, the remaining stretch is a reading of the last one. A reading mined this
   way must be seen in at least ``MIN_SUPPORT`` different neighbourhoods, and not always
   beside the same kanji, so that the compounds of one jukujikun word (大人, 大人顔,
   大人しい: 人 トナ) do not make it a reading of its own.

Readings are listed most frequent first. The feature strings are read straight from the
compiled ``sys.dic`` (header, double-array, token table, then the NUL-separated features).
"""

from __future__ import annotations

import argparse
import csv
import struct
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from g2p.ja.kana import is_ideograph, is_japanese, to_katakana
from g2p.ja.split import align, align_with_cost, table_candidates
from g2p.ja.tables import TABLES

MIN_SUPPORT = 2
MINING_ROUNDS = 2
MAX_WORD_LENGTH = 8
MAX_READING_LENGTH = 6
_CLEAR_MARGIN = 0.015  # in rank steps of g2p.ja.split (0.01 each): more than one rank apart
_HEADER = struct.Struct("<10I32s")
# UniDic feature columns: pos2, orth and kana (the written-kana reading, long vowels spelled
# out).
_POS2, _ORTH, _KANA = 1, 8, 17
PROPER_NOUN = "固有名詞"


def read_lexicon(sys_dic: Path, *, proper_nouns: bool = False) -> set[tuple[str, str]]:
    """(orthography, katakana reading) of every word form with kanji in a compiled MeCab
    dictionary (only the proper nouns, 固有名詞, if asked)."""
    with open(sys_dic, "rb") as handle:
        header = _HEADER.unpack(handle.read(_HEADER.size))
        darts_size, token_size, feature_size = header[6], header[7], header[8]
        handle.seek(_HEADER.size + darts_size + token_size)
        features = handle.read(feature_size).decode("utf-8")
    words: set[tuple[str, str]] = set()
    for row in csv.reader(line for line in features.split("\0") if line):
        if len(row) <= _KANA:
            continue
        # NFC, as the adapter sees text: compatibility kanji (U+F900..) become unified ones.
        orth, kana = unicodedata.normalize("NFC", row[_ORTH]), row[_KANA]
        if proper_nouns and row[_POS2] != PROPER_NOUN:
            continue
        if is_japanese(orth) and any(map(is_ideograph, orth)) and kana \
                and len(orth) <= MAX_WORD_LENGTH:
            words.add((to_katakana(orth), kana))
    return words


def _single_kanji_readings(words: Iterable[tuple[str, str]]) -> Counter[tuple[str, str]]:
    found: Counter[tuple[str, str]] = Counter()
    for orth, kana in words:
        kanji = [i for i, ch in enumerate(orth) if is_ideograph(ch)]
        if len(kanji) != 1 or orth[kanji[0]] == "々":
            continue
        pieces = align(orth, kana, lambda _: (), free=kanji[0], blocks=False, strict=True)
        if pieces and pieces[kanji[0]]:
            found[orth[kanji[0]], pieces[kanji[0]]] += 1
    return found


def _mined_readings(
    words: Iterable[tuple[str, str]], table: dict[str, list[str]]
) -> Counter[tuple[str, str]]:
    before: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    after: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    pairs: defaultdict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for orth, kana in words:
        kanji = [i for i, ch in enumerate(orth) if is_ideograph(ch) and ch != "々"]
        if len(kanji) < 2:
            continue
        readings_of = table_candidates(orth, table)
        if align(orth, kana, readings_of, blocks=False, strict=True):
            continue
        solved = sorted(
            (found[1], i, found[0][i])
            for i in kanji
            if (found := align_with_cost(orth, kana, readings_of, free=i, blocks=False,
                                         strict=True))
        )
        # Several kanji may be the unexplained one: trust the split whose other kanji use
        # their more frequent readings, and only when it is clearly the cheapest.
        if not solved or (len(solved) > 1 and solved[1][0] - solved[0][0] < _CLEAR_MARGIN):
            continue
        _, index, reading = solved[0]
        if reading and len(reading) <= MAX_READING_LENGTH:
            key = orth[index], reading
            left = orth[index - 1] if index else ""
            right = orth[index + 1] if index + 1 < len(orth) else ""
            before[key].add(left)
            after[key].add(right)
            pairs[key].add((left, right))
    return Counter({
        key: len(pairs[key])
        for key in pairs
        if not (_one_kanji(before[key]) or _one_kanji(after[key]))
    })


def _one_kanji(neighbours: set[str]) -> bool:
    """Always beside the same kanji: the reading belongs to a fixed compound (大人)."""
    return len(neighbours) == 1 and is_ideograph(next(iter(neighbours)) or "a")


def build_table(words: set[tuple[str, str]]) -> dict[str, list[str]]:
    counts = _single_kanji_readings(words)
    for _ in range(MINING_ROUNDS):
        table = _ranked(counts)
        mined = _mined_readings(words, table)
        counts.update({key: n for key, n in mined.items() if n >= MIN_SUPPORT})
    return _ranked(counts)


def _ranked(counts: Counter[tuple[str, str]]) -> dict[str, list[str]]:
    table: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (kanji, reading), n in counts.items():
        table[kanji].append((n, reading))
    return {k: [r for _, r in sorted(v, key=lambda x: (-x[0], x[1]))] for k, v in table.items()}


def format_table(table: dict[str, list[str]]) -> Iterator[str]:
    yield "# generated by `python -m g2p.ja.build_readings` from the unidic-lite lexicon;"
    yield "# do not edit by hand. Readings (katakana, as written) most frequent first."
    yield "kanji\treadings"
    for kanji in sorted(table):
        yield f"{kanji}\t{' '.join(table[kanji])}"


def main(argv: list[str] | None = None) -> int:
    import unidic_lite

    parser = argparse.ArgumentParser(prog="python -m g2p.ja.build_readings",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--dic", type=Path, default=Path(unidic_lite.DICDIR) / "sys.dic")
    parser.add_argument("--out", type=Path, default=TABLES.path("kanji_readings.tsv"))
    args = parser.parse_args(argv)
    table = build_table(read_lexicon(args.dic))
    args.out.write_text("\n".join(format_table(table)) + "\n", encoding="utf-8")
    print(f"{len(table)} kanji, {sum(map(len, table.values()))} readings -> {args.out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
