"""Evaluate an adapter against pronunciation gold data.

Three kinds of gold, one command::

    python -m g2p.evaluate --lang vi --gold ../shared/data/gold/wikipron_vie_latn_hanoi_narrow.tsv
    python -m g2p.evaluate --lang zh --cpp ../shared/data/gold/cpp_polyphone_dev.tsv
    python -m g2p.evaluate --lang zh --polyphones tests/data/zh_polyphones_ood.tsv
    python -m g2p.evaluate --lang ja --reading-gold tests/data/ja_sentence_readings.tsv
    python -m g2p.evaluate --lang ko --rulebook tests/data/ko_rulebook.tsv
    python -m g2p.evaluate --lang vi --gold ... --baseline epitran   # another system, same gold

WikiPron lexicons (``word<TAB>phones``) give PER/WER after broad normalisation
(:func:`g2p.ipa.to_broad`); the CPP set (``sentence with ▁X▁<TAB>pinyin``) gives polyphone
accuracy; sentence/reading pairs give the character error rate of ``reading``; Korean
rulebook cases (:mod:`g2p.ko.rulebook`) give the exact-match rate per article.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from g2p import LANGS, add_option_argument, add_version_argument, get_adapter
from g2p.__main__ import quiet_broken_pipe
from g2p.base import Adapter
from g2p.baselines import BASELINES, BaselineUnavailable, get_baseline
from g2p.ipa import broad_phones
from g2p.metrics import Edit, align
from g2p.paths import save_json
from g2p.report import Report

_CPP_MARK = "▁"
_LENGTH_MARK = "ː"


def read_pairs(path: Path) -> Iterator[tuple[int, str, str]]:
    """(line number, first column, second column) of a two-column TSV; bad lines raise."""
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != 2:
                raise ValueError(f"{path}:{lineno}: expected 2 tab-separated columns")
            yield lineno, parts[0], parts[1]


def _word_tokens(word: str) -> list[str]:
    # Multi-word WikiPron entries (Vietnamese "Hà Nội") are one token per written word.
    return word.split() or [word]


# Turns one gold line (line number, source, gold) into (gold units, predicted units, display).
Units = Callable[[int, str, str], tuple[list[str], list[str], str]]


def read_indexed(path: Path) -> Iterator[tuple[int, str, str]]:
    """Rows of a ``sentence<TAB>index<TAB>char<TAB>pinyin[<TAB>...]`` TSV with that header,
    as CPP lines: (line number, sentence with the ▁X▁ mark, pinyin); bad rows raise."""
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        if header[:4] != ["sentence", "index", "char", "pinyin"]:
            raise ValueError(f"{path}:1: expected the header sentence, index, char, pinyin")
        for lineno, line in enumerate(handle, start=2):
            if not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != len(header) or not parts[1].isdigit():
                raise ValueError(f"{path}:{lineno}: expected {len(header)} columns, index a number")
            sentence, index, char, pinyin = parts[0], int(parts[1]), parts[2], parts[3]
            if sentence[index : index + 1] != char:
                raise ValueError(f"{path}:{lineno}: character {index} is not {char!r}")
            marked = f"{sentence[:index]}{_CPP_MARK}{char}{_CPP_MARK}{sentence[index + 1 :]}"
            yield lineno, marked, pinyin


def _evaluate(kind: str, adapter: Adapter, path: Path, units: Units, limit: int | None,
              keep: Callable[[str], bool] | None = None,
              rows: Callable[[Path], Iterator[tuple[int, str, str]]] = read_pairs) -> Report:
    """Align predicted against gold units line by line; the one loop behind every metric."""
    report = Report(kind, adapter.lang, str(path))
    confusions: Counter[Edit] = Counter()
    start = time.perf_counter()
    for lineno, source, gold_text in rows(path):
        if limit is not None and report.entries >= limit:
            break
        if keep is not None and not keep(source):
            continue
        gold, pred, shown = units(lineno, source, gold_text)
        distance, edits = align(gold, pred)
        report.entries += 1
        report.reference_length += len(gold)
        report.errors += distance
        if distance:
            report.wrong_entries += 1
            confusions.update(edits)
            if len(report.examples) < 20:
                report.examples.append((source, gold_text, shown))
    report.seconds = time.perf_counter() - start
    report.confusions = [(g, p, n) for (g, p), n in confusions.most_common(20)]
    return report


def evaluate_lexicon(
    adapter: Adapter, path: Path, *, ignore_length: bool = False, limit: int | None = None,
    keep: Callable[[str], bool] | None = None,
) -> Report:
    """PER (edit distance over broad phones / gold phones) and WER (wrong entries); ``keep``
    selects the words scored (a baseline that covers only part of the lexicon)."""

    def units(_: int, word: str, gold_ipa: str) -> tuple[list[str], list[str], str]:
        predicted = " ".join(t.ipa for t in adapter.transcribe(_word_tokens(word)))
        gold, pred = broad_phones(gold_ipa), broad_phones(predicted)
        if ignore_length:
            gold = [p.replace(_LENGTH_MARK, "") for p in gold]
            pred = [p.replace(_LENGTH_MARK, "") for p in pred]
        return gold, pred, predicted

    return _evaluate("lexicon", adapter, path, units, limit, keep)


def evaluate_polyphones(adapter: Adapter, path: Path, *, limit: int | None = None,
                        indexed: bool = False) -> Report:
    """Accuracy of the reading of the ▁marked▁ character in each CPP sentence (``indexed``:
    of the indexed character, :func:`read_indexed`)."""

    def units(lineno: int, sentence: str, gold: str) -> tuple[list[str], list[str], str]:
        before, marked, after = split_marked(sentence, path, lineno)
        predicted = adapter.transcribe([*before, marked, *after])[len(before)].reading
        return [f"{marked}:{gold}"], [f"{marked}:{predicted}"], predicted

    return _evaluate("polyphone", adapter, path, units, limit,
                     rows=read_indexed if indexed else read_pairs)


def split_marked(sentence: str, path: Path, lineno: int) -> tuple[list[str], str, list[str]]:
    parts = sentence.split(_CPP_MARK)
    if len(parts) != 3 or len(parts[1]) != 1:
        raise ValueError(f"{path}:{lineno}: expected exactly one ▁X▁ marked character")
    return list(parts[0]), parts[1], list(parts[2])


_SPACES = re.compile(r"\s+")


def evaluate_readings(adapter: Adapter, path: Path, *, limit: int | None = None) -> Report:
    """Error rate of the sentence reading (character tokens, spaces in the sentence
    ignored): per kana for ja (CER, spaces in the gold ignored), per syllable for zh, whose
    gold is space-separated numbered pinyin (a syllable is several letters)."""
    syllables = adapter.lang == "zh"

    def units(_: int, sentence: str, gold: str) -> tuple[list[str], list[str], str]:
        tokens = list(_SPACES.sub("", sentence))
        readings = [t.reading for t in adapter.transcribe(tokens)]
        if syllables:
            predicted = " ".join(r for r in readings if r)
            return gold.split(), predicted.split(), predicted
        predicted = "".join(readings)
        return list(_SPACES.sub("", gold)), list(predicted), predicted

    return _evaluate("reading", adapter, path, units, limit)


def format_report(report: Report) -> str:
    names = {
        "lexicon": ("PER", "WER", "words/s"),
        "polyphone": ("error", "error", "sentences/s"),
        "reading": ("CER", "sentence error", "sentences/s"),
        "rulebook": ("error", "error", "cases/s"),
    }
    rate, entry_rate, speed = names[report.kind]
    if report.kind == "reading" and report.lang == "zh":
        rate = "syllable error rate"  # see evaluate_readings
    lines = [f"{report.kind} evaluation, lang={report.lang}, gold={report.gold}"]
    if report.kind in ("polyphone", "rulebook"):
        lines.append(f"accuracy: {100 * (1 - report.error_rate):.2f} %")
    else:
        lines.append(f"{rate}: {100 * report.error_rate:.2f} %")
        lines.append(f"{entry_rate}: {100 * report.entry_error_rate:.2f} %")
    lines.append(f"entries: {report.entries}")
    lines.append(f"{speed}: {report.per_second:.1f}")
    lines.extend(
        f"  {name}: {100 * (1 - wrong / total):.1f} % of {total}"
        for name, (total, wrong) in report.groups.items()
    )
    lines.append("most frequent confusions (gold -> predicted, count):")
    lines.extend(f"  {g or '∅'} -> {p or '∅'}  {n}" for g, p, n in report.confusions)
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m g2p.evaluate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--lang", required=True, choices=LANGS)
    gold = parser.add_mutually_exclusive_group(required=True)
    gold.add_argument("--gold", type=Path, help="WikiPron TSV: word<TAB>phones (PER/WER)")
    gold.add_argument("--cpp", type=Path, help="CPP polyphone TSV (zh): accuracy")
    gold.add_argument("--polyphones", type=Path,
                      help="zh: sentence<TAB>index<TAB>char<TAB>pinyin TSV: accuracy")
    gold.add_argument("--reading-gold", type=Path,
                      help="sentence<TAB>reading TSV: CER (ja), syllable error rate (zh)")
    gold.add_argument("--rulebook", type=Path,
                      help="ko: input<TAB>expected<TAB>article TSV: exact-match accuracy")
    parser.add_argument("--ignore-length", action="store_true",
                        help="drop ː on both sides before comparing (lexicon gold only)")
    parser.add_argument("--limit", type=int, help="evaluate only the first N entries")
    parser.add_argument("--baseline", choices=BASELINES,
                        help="score another system instead of ours (g2p.baselines; epitran "
                             "and g2pk need the compare extra)")
    parser.add_argument("--release", type=Path, nargs="+", default=[], metavar="TSV",
                        help="PhoneXL release files for --baseline release")
    add_option_argument(parser)
    parser.add_argument("--save", type=Path, help="write the figures as JSON to this file")
    add_version_argument(parser)
    return parser


@quiet_broken_pipe
def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.baseline == "release" and not args.release:
        parser.error("--baseline release needs --release FILE ...")
    try:
        adapter = (get_baseline(args.baseline, args.lang, args.release) if args.baseline
                   else get_adapter(args.lang, **dict(args.option)))
    except ValueError as error:
        parser.error(str(error))
    except BaselineUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.gold:
        report = evaluate_lexicon(
            adapter, args.gold, ignore_length=args.ignore_length, limit=args.limit,
            keep=getattr(adapter, "covers", None),
        )
    elif args.cpp or args.polyphones:
        report = evaluate_polyphones(adapter, args.cpp or args.polyphones, limit=args.limit,
                                     indexed=bool(args.polyphones))
    elif args.rulebook:
        from g2p.ko.rulebook import evaluate_cases

        report = evaluate_cases(adapter, args.rulebook)
    else:
        report = evaluate_readings(adapter, args.reading_gold, limit=args.limit)
    print(format_report(report))
    if args.save:
        save_json(args.save, {**report.summary(), "options": dict(args.option),
                              "baseline": args.baseline})
        print(f"saved to {args.save}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
