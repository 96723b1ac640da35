"""Command line: print each token with its IPA.

    python -m g2p --lang vi "Tôi yêu Hà Nội"
    echo "東京へ行く" | python -m g2p --lang ja --format json

Text is split on whitespace; Japanese and Chinese text without spaces is split into
characters (the PAN-X convention), so every character gets its own line. Bytes that are not
UTF-8 reach the adapter as lone surrogates (status ``unknown``) and are printed escaped. A
sentence the adapter fails on gets a one-line error (exit status 1); the others are printed.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ParamSpec

from g2p import LANGS, add_option_argument, add_version_argument, get_adapter
from g2p.script import BOM
from g2p.types import Transcription

_CHARACTER_TOKENS = frozenset({"ja", "zh"})
_SIGPIPE_STATUS = 141  # 128 + SIGPIPE, what a shell reports for a tool cut off by `| head`
P = ParamSpec("P")


def program_name(module: str, script: str) -> str:
    """The name for usage lines: the console script ``script`` when the user ran it, else
    ``python -m module``."""
    return script if Path(sys.argv[0]).name == script else f"python -m {module}"


def quiet_broken_pipe(main: Callable[P, int]) -> Callable[P, int]:
    """A command whose reader went away (``| head``) ends quietly, as Unix tools do."""

    @functools.wraps(main)
    def run(*args: P.args, **kwargs: P.kwargs) -> int:
        try:
            status = main(*args, **kwargs)
            sys.stdout.flush()
            return status
        except BrokenPipeError:
            # Python flushes stdout once more at exit; let that write go nowhere.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return _SIGPIPE_STATUS

    return run


def tokenize(text: str, lang: str) -> list[str]:
    tokens = text.split()
    if lang in _CHARACTER_TOKENS and len(tokens) == 1:
        return list(tokens[0])
    return tokens


def format_line(item: Transcription, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(
            {"token": item.token, "ipa": item.ipa, "reading": item.reading,
             "status": item.status.value},
            ensure_ascii=False,
        )
    value = item.reading if fmt == "reading" else item.ipa
    suffix = "" if item.status.value == "ok" else f"\t[{item.status.value}]"
    return f"{item.token}\t{value}{suffix}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program_name("g2p", "phonexl-g2p"),
        description="Transcribe CJKV text into token-aligned IPA.",
        epilog="Reads one sentence per line from stdin when no TEXT is given. Tokens are "
        "separated by spaces; ja/zh text without spaces is cut into characters (as in PAN-X); "
        "blank lines are skipped.",
    )
    parser.add_argument("text", nargs="*", metavar="TEXT", help="the sentence to transcribe")
    parser.add_argument("--lang", required=True, choices=LANGS)
    parser.add_argument("--format", choices=("ipa", "reading", "json"), default="ipa",
                        help="what to print per token (default: ipa)")
    parser.add_argument("--no-tones", action="store_true", help="drop tone segments")
    add_option_argument(parser)
    add_version_argument(parser)
    return parser


def _stdin_lines() -> Iterator[str]:
    """stdin's lines, without the byte-order mark an editor may have put before the first
    (it would be read as part of the first token)."""
    for number, line in enumerate(sys.stdin):
        yield line.removeprefix(BOM) if number == 0 else line


@quiet_broken_pipe
def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.text and not " ".join(args.text).split():  # a blank stdin line is just skipped
        parser.error("TEXT is empty: nothing to transcribe")
    try:
        options = dict(args.option)
        if args.no_tones and options.get("tones") is True:
            raise ValueError("--no-tones and --option tones=true contradict each other")
        adapter = get_adapter(args.lang, **{"tones": not args.no_tones, **options})
    except ValueError as error:
        parser.error(str(error))
    for stream in (sys.stdin, sys.stdout):
        if hasattr(stream, "reconfigure"):  # not when a test swapped in a StringIO
            stream.reconfigure(errors="surrogateescape" if stream is sys.stdin
                               else "backslashreplace")
    sentences = [" ".join(args.text)] if args.text else _stdin_lines()
    status = 0
    for index, sentence in enumerate(sentences):
        tokens = tokenize(sentence, args.lang)
        if not tokens:
            continue
        if index:
            print()
        try:
            result = adapter.transcribe(tokens)
        except Exception as error:  # an adapter bug: say which input, go on with the next
            print(f"error: input line {index + 1}: {type(adapter).__name__} failed: {error!r}",
                  file=sys.stderr)
            status = 1
            continue
        for item in result:
            print(format_line(item, args.format))
    return status


if __name__ == "__main__":
    sys.exit(main())
