"""Compare our IPA with the PhoneXL release's (the baseline to beat), per language.

    python -m alignment_dataset.compare ../shared/data/phonexl_original/panx/dev-vi.tsv
    python -m alignment_dataset.compare ../shared/data/phonexl_original/*/dev-*.tsv \\
        --limit 2000 --out ./phonexl-data

Both sides are normalised before comparing: NFC, spaces and tie bars removed, ASCII g read as
ɡ (the release writes untied affricates and no segment spaces). A token is *compared* when
both sides have IPA; *differs* counts compared tokens whose normalised strings differ, also
after removing tone letters from both. *Tone coverage* is the share of tokens we read
(status ok) that carry a tone letter, ours vs the release's. The most common differences are
segment edits (release → ours) from an edit-distance alignment, each with an example.

``--out DIR`` merges the summary into ``DIR/comparison.json`` and refreshes that dataset's
card, which shows it; ``--save`` writes the JSON elsewhere, ``--markdown`` a table.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from alignment_dataset.readers import CorpusFormatError, read_phonexl_ipa
from alignment_dataset.sources import lang_from_name
from alignment_dataset.writer import COMPARISON_FILE
from g2p import LANGS, get_adapter
from g2p.ipa import TIE_BAR, TONE_LETTERS, is_tone_segment
from g2p.metrics import align
from g2p.paths import save_json, write_text_atomic
from g2p.types import Status

_TOP = 15
_TONE_CHARS = str.maketrans("", "", "".join(TONE_LETTERS) + "ˀ")


def normalize(ipa: str) -> str:
    """The comparable form of an IPA string (see the module docstring)."""
    text = unicodedata.normalize("NFC", ipa)
    return re.sub(r"\s+", "", text).replace(TIE_BAR, "").replace("g", "ɡ")


def segments(text: str) -> list[str]:
    """Base characters with their combining marks and modifier letters; tone letter runs."""
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if char in TONE_LETTERS:
            attach = bool(out) and is_tone_segment(out[-1])
        else:
            attach = bool(out) and (unicodedata.combining(char) > 0
                                    or unicodedata.category(char) == "Lm")
        if attach:
            out[-1] += char
        else:
            out.append(char)
    return [unicodedata.normalize("NFC", segment) for segment in out]


def _substitution_cost(a: str, b: str) -> float:
    """Cheaper between related segments (same base letter, or two tones), so that ties in
    the alignment pair ``a`` with ``aː`` rather than with a tone."""
    if a == b:
        return 0.0
    related = a[0] == b[0] or (is_tone_segment(a) and is_tone_segment(b))
    return 0.5 if related else 1.0


def segment_edits(theirs: list[str], ours: list[str]) -> list[tuple[str, str]]:
    """(release, ours) segment pairs that differ, "" for a missing side; weighted alignment."""
    return align(theirs, ours, _substitution_cost)[1]


@dataclass
class LangComparison:
    """The comparison of one language over all its files."""

    lang: str
    files: list[str] = field(default_factory=list)
    sentences: int = 0
    tokens: int = 0
    compared: int = 0
    differ: int = 0
    differ_without_tones: int = 0
    release_only: Counter = field(default_factory=Counter)  # our status where only they have IPA
    read: int = 0  # tokens with our status ok: the base of tone coverage
    ours_toned: int = 0
    theirs_toned: int = 0
    edits: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)

    def add(self, token: str, theirs: str, ours: str, status: Status) -> None:
        self.tokens += 1
        theirs_norm, ours_norm = normalize(theirs), normalize(ours)
        has_theirs = bool(theirs_norm) and theirs_norm != normalize(token)
        if status == Status.OK:
            self.read += 1
            self.ours_toned += any(is_tone_segment(seg) for seg in ours.split())
            self.theirs_toned += any(char in TONE_LETTERS for char in theirs)
        if has_theirs and not ours_norm:
            self.release_only[status.value] += 1
        if not (has_theirs and ours_norm):
            return
        self.compared += 1
        if theirs_norm == ours_norm:
            return
        self.differ += 1
        self.differ_without_tones += (theirs_norm.translate(_TONE_CHARS)
                                      != ours_norm.translate(_TONE_CHARS))
        for edit in segment_edits(segments(theirs_norm), segments(ours_norm)):
            key = f"{edit[0] or '∅'} → {edit[1] or '∅'}"
            self.edits[key] += 1
            self.examples.setdefault(key, f"{token}: {theirs} → {ours}")

    def summary(self) -> dict[str, object]:
        def share(part: int, whole: int) -> float:
            return round(part / whole, 4) if whole else 0.0

        return {
            "lang": self.lang, "files": self.files, "sentences": self.sentences,
            "tokens": self.tokens, "compared": self.compared,
            "differ": self.differ, "differ_rate": share(self.differ, self.compared),
            "differ_without_tones": self.differ_without_tones,
            "differ_without_tones_rate": share(self.differ_without_tones, self.compared),
            "release_only": dict(self.release_only.most_common()),
            "tone_base_tokens": self.read,
            "tone_coverage_ours": share(self.ours_toned, self.read),
            "tone_coverage_release": share(self.theirs_toned, self.read),
            "top_differences": [
                {"edit": key, "count": count, "example": self.examples[key]}
                for key, count in self.edits.most_common(_TOP)
            ],
        }


def compare_files(paths: Iterable[Path], lang: str | None = None, limit: int | None = None,
                  tones: bool = True) -> dict[str, dict[str, object]]:
    """Per-language summaries over release files (``limit`` sentences per file)."""
    results: dict[str, LangComparison] = {}
    for path in map(Path, paths):
        file_lang = lang or lang_from_name(path)
        if file_lang is None:
            raise ValueError(f"{path}: no language code in the file name; pass --lang")
        result = results.setdefault(file_lang, LangComparison(file_lang))
        result.files.append(f"{path.parent.name}/{path.name}")
        adapter = get_adapter(file_lang, tones=tones)
        for sentence, theirs in islice(read_phonexl_ipa(path), limit):
            result.sentences += 1
            for token, their_ipa, ours in zip(sentence.tokens, theirs,
                                              adapter.transcribe(list(sentence.tokens)),
                                              strict=True):
                result.add(token, their_ipa, ours.ipa, ours.status)
    return {name: result.summary() for name, result in sorted(results.items())}


def to_markdown(summaries: dict[str, dict[str, object]]) -> str:
    """A table per language, as in the dataset card."""
    lines = ["| lang | tokens | compared | differ | differ w/o tones | tone coverage "
             "ours / release |", "|---|---:|---:|---:|---:|---|"]
    for lang, s in summaries.items():
        lines.append(
            f"| {lang} | {s['tokens']:,} | {s['compared']:,} | {s['differ_rate']:.1%} | "
            f"{s['differ_without_tones_rate']:.1%} | {s['tone_coverage_ours']:.1%} / "
            f"{s['tone_coverage_release']:.1%} |")
    for lang, s in summaries.items():
        lines += ["", f"Most common differences, {lang} (release → ours):", ""]
        lines += [f"- `{d['edit']}` × {d['count']:,}, e.g. {d['example']}"
                  for d in s["top_differences"][:8]]
    return "\n".join(lines) + "\n"


def merge_into(out_dir: Path, summaries: dict[str, dict[str, object]]) -> Path:
    """Merge ``summaries`` into ``out_dir/comparison.json`` (other languages are kept)."""
    path = Path(out_dir) / COMPARISON_FILE
    merged = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    merged.update(summaries)
    write_text_atomic(path, json.dumps(dict(sorted(merged.items())), indent=1,
                                       ensure_ascii=False) + "\n")
    return path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m alignment_dataset.compare",
        description="Compare our IPA with the PhoneXL release's IPA column, per language.")
    parser.add_argument("files", nargs="+", type=Path, help="PhoneXL release TSV files")
    parser.add_argument("--lang", choices=LANGS,
                        help="language of all files (default: from each file name)")
    parser.add_argument("--limit", type=int, help="compare only the first N sentences per file")
    parser.add_argument("--no-tones", action="store_true", help="our IPA without tone letters")
    parser.add_argument("--save", type=Path, help="write the summary as JSON")
    parser.add_argument("--markdown", type=Path, help="write the summary as a markdown table")
    parser.add_argument("--out", type=Path, metavar="DATASET_DIR",
                        help=f"merge into DATASET_DIR/{COMPARISON_FILE} and refresh its card")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        summaries = compare_files(args.files, args.lang, args.limit, tones=not args.no_tones)
    except (OSError, ValueError, CorpusFormatError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    text = to_markdown(summaries)
    print(text, end="")
    if args.save:
        save_json(args.save, summaries)
        print(f"saved to {args.save}")
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
        print(f"saved to {args.markdown}")
    if args.out:
        from alignment_dataset.publish import publish_folder

        print(f"merged into {merge_into(args.out, summaries)}")
        if any(args.out.glob("*/.manifest.json")):
            print(f"card refreshed: {publish_folder(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
