"""Build the token-aligned CJKV IPA dataset as a Hugging Face dataset folder.

    python -m alignment_dataset.build --lang ja
    python -m alignment_dataset.build --lang all --source hub --workers 2
    python -m alignment_dataset.build --lang vi --source ../shared/data/ud/vi_vtb-ud-*.conllu
    python -m alignment_dataset.build --lang all --source ../shared/data/ud/*.conllu
    python -m alignment_dataset.build --lang vi --task text --source corpus.txt --workers 2
    python -m alignment_dataset.build --lang ja --task text --source c.jsonl --engine ray

Output: ``<out>/<config>/<split>-<tag>-00000-of-00001.parquet`` for configs ``panx.<lang>``
and ``udpos.<lang>``, and ``<out>/README.md`` (the card). Configs are staged out of sight and
only put in place, with the card, once all are built (see :mod:`alignment_dataset.writer`).
Configs already built from the same inputs, options and code are kept (resume); ``--force``
rebuilds. ``--task text`` builds ``text.<lang>`` configs from raw text in shards
(:mod:`alignment_dataset.shards`), on this machine or on Ray (``--engine ray``), resuming
finished shards. One build at a time per folder; Ctrl-C (or SIGTERM) stops with one line and exit
status 130 (143), leaving the folder as it was or, past publication's commit, as built.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from alignment_dataset import provenance, ray_engine, shards, sources
from alignment_dataset.card import CardError
from alignment_dataset.compare import compare_files, merge_into
from alignment_dataset.hub import XTREME_REPO, HubUnavailable, UnknownRevision
from alignment_dataset.pipeline import BuildOptions, EmptyConfigError, build_config, is_current
from alignment_dataset.publish import publish_folder, push_to_hub, recover
from alignment_dataset.readers import FORMATS, CorpusFormatError
from alignment_dataset.schema import DEFAULT_REPO_ID, TASKS, TEXT
from alignment_dataset.text import MAX_CHARS, MissingDependency
from alignment_dataset.transcribe import (
    AdapterFactory,
    Transcriber,
    TranscriptionError,
    default_factory,
)
from alignment_dataset.writer import (
    BuildLocked,
    MisalignedRowError,
    build_lock,
    remove_stale,
)
from g2p import LANGS, add_version_argument
from g2p.__main__ import program_name, quiet_broken_pipe
from g2p.paths import DEFAULT_DATASET


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program_name("alignment_dataset.build", "phonexl-build"),
        description="Turn CJKV NER/POS corpora into a token-aligned IPA dataset "
                    "(parquet + dataset card) that datasets.load_dataset can read.")
    parser.add_argument("--lang", required=True, choices=[*LANGS, "all"],
                        help="language to build; with PATH sources, all reads each file's "
                             "language from its name (dev-vi.tsv, ja_gsd-ud-dev.conllu)")
    parser.add_argument("--task", default="all", choices=[*TASKS, TEXT.name, "all"],
                        help="ner = PAN-X configs, pos = UDPOS configs (all: both, the "
                             "default); text = text.<lang> configs from raw text files "
                             "(.txt one sentence per line, .jsonl, .parquet), no labels")
    parser.add_argument("--source", nargs="+", default=["auto"], metavar="auto|hub|sample|PATH",
                        help="auto (default): the Hub if reachable, else the embedded sample; "
                             "hub: XTREME on the Hugging Face Hub; sample: the embedded sample; "
                             "or local files, split from their names (train/dev/test)")
    parser.add_argument("--revision", metavar="REV",
                        help=f"read {XTREME_REPO} at this commit sha, branch or tag "
                             "(default: its current commit, recorded in the card)")
    parser.add_argument("--format", choices=FORMATS,
                        help="format of PATH sources (default: detected per file)")
    parser.add_argument("--out", type=Path, default=DEFAULT_DATASET, metavar="DIR",
                        help=f"output folder (default: ./{DEFAULT_DATASET})")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="transcription processes (default: 1)")
    parser.add_argument("--no-tones", action="store_true",
                        help="store IPA without tone letters")
    parser.add_argument("--limit", type=int, metavar="N",
                        help="read only the first N sentences of each split")
    parser.add_argument("--skip-bad", action="store_true",
                        help="skip malformed sentences (counted and reported) instead of failing")
    parser.add_argument("--force", action="store_true",
                        help="rebuild configs even when already built from the same inputs")
    parser.add_argument("--compare", nargs="+", type=Path, metavar="RELEASE_TSV",
                        help="compare with PhoneXL release files and show it in the card")
    parser.add_argument("--push-to-hub", metavar="REPO_ID",
                        help="upload the folder to this Hub dataset repository (one commit)")
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")
    text = parser.add_argument_group("raw text (--task text)")
    text.add_argument("--engine", choices=("local", "ray"), default="local",
                      help="local: --workers processes on this machine (default); ray: "
                           "--workers Ray actors, on the cluster RAY_ADDRESS names, else on "
                           "a local Ray (pip install -e '.[ray]')")
    text.add_argument("--words", action="store_true",
                      help="analyser words instead of characters (ja: fugashi, zh: "
                           "pypinyin's phrase dictionary) or syllables (vi: underthesea, "
                           "not installed by default); ko is always split on whitespace")
    text.add_argument("--text-field", default="text", metavar="NAME",
                      help="the text field of .jsonl lines / column of .parquet files "
                           "(default: text)")
    text.add_argument("--shard-lines", type=int, default=shards.SHARD_LINES, metavar="N",
                      help=f"records per output shard (default: {shards.SHARD_LINES:,})")
    text.add_argument("--max-chars", type=int, default=MAX_CHARS, metavar="N",
                      help=f"longest sentence; a longer line is bad input (default: "
                           f"{MAX_CHARS:,})")
    add_version_argument(parser)
    return parser


def _print_summary(manifests: Sequence[dict], resumed: Sequence[str], out_dir: Path,
                   seconds: float, card: Path) -> None:
    print(f"\n{'config/split':<24}{'sentences':>10}{'tokens':>11}{'empty':>7}{'skipped':>8}"
          f"{'tok/s':>9}  fallbacks (tokens by status)")
    rows = tokens = 0
    for manifest in manifests:
        for split, stats in manifest["splits"].items():
            fallbacks = ", ".join(f"{name} {count:,}" for name, count in
                                  sorted(stats["status"].items(), key=lambda x: -x[1])
                                  if name != "ok") or "-"
            rate = stats["tokens"] / stats["seconds"] if stats["seconds"] else 0.0
            print(f"{manifest['config'] + '/' + split:<24}{stats['rows']:>10,}"
                  f"{stats['tokens']:>11,}{stats['empty']:>7,}{stats['skipped']:>8,}"
                  f"{rate:>9,.0f}  {fallbacks}")
            rows += stats["rows"]
            tokens += stats["tokens"]
    for config in resumed:
        print(f"{config:<24}{'kept (already built from the same inputs)':>45}")
    print(f"built {rows:,} sentences, {tokens:,} tokens in {seconds:.1f} s")
    print(f"\nDataset written to: {out_dir}")
    print(f"  card: {card}")
    example = manifests[0]["config"] if manifests else resumed[0]
    print(f'  load: datasets.load_dataset("{out_dir}", "{example}")')


def _print_notes(manifests: Sequence[dict]) -> None:
    """Skipped sentences and repaired tags, with where the first one is."""
    for manifest in manifests:
        for split, stats in manifest["splits"].items():
            where = f"{manifest['config']}/{split}"
            if stats["skipped"]:
                print(f"skipped: {where}: {stats['skipped']:,} bad sentence(s), the first: "
                      f"{stats['skipped_examples'][0]}", file=sys.stderr)
            if stats["repaired"]:
                print(f"repaired: {where}: {stats['repaired']:,} IOB2 tag(s) I-X that did not "
                      f"continue an X entity, read as B-X; the first at "
                      f"{stats['repaired_examples'][0]}", file=sys.stderr)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise _Terminated


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """While building, SIGTERM unwinds like Ctrl-C, so staging and workers are cleaned up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@quiet_broken_pipe
def main(argv: list[str] | None = None, factory: AdapterFactory = default_factory) -> int:
    """Run the build; returns the exit status (0 ok, 1 bad input or folder busy, 2 usage,
    3 push failed, 130/143 interrupted by Ctrl-C/SIGTERM)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if min(args.workers, args.shard_lines, args.max_chars, args.limit or 1) < 1:
        parser.error("--workers, --limit, --shard-lines and --max-chars must be positive")
    if args.engine != "local" and args.task != TEXT.name:
        parser.error("--engine ray builds raw-text configs: pass --task text")
    started = time.perf_counter()
    out_dir = args.out.resolve()
    if not sources.is_utf8_name(str(out_dir)):
        parser.error(f"--out {str(out_dir)!a}: the folder name is not UTF-8; choose another")
    try:
        with _sigterm_as_interrupt():
            return _locked_build(args, out_dir, factory, started)
    except KeyboardInterrupt as stop:
        what = "terminated" if isinstance(stop, _Terminated) else "interrupted"
        print(f"{what}: {out_dir} is left as it was before this build (configs finished so far "
              "wait hidden in it; re-run the command to resume)", file=sys.stderr)
        return 143 if isinstance(stop, _Terminated) else 130


def _locked_build(args: argparse.Namespace, out_dir: Path, factory: AdapterFactory,
                  started: float) -> int:
    """Resolve the sources, then build holding the folder's lock; an interruption tidies up."""
    langs = list(LANGS) if args.lang == "all" else [args.lang]
    tasks = list(TASKS) if args.task == "all" else [args.task]
    try:
        if args.task == TEXT.name:
            configs, notes = shards.plan_text(args.source, langs, _text_options(args))
            plan = sources.Plan("path", "; ".join(notes), configs)
            print(shards.describe(configs, notes, _text_options(args)), file=sys.stderr)
        else:
            plan = sources.resolve(args.source, langs, tasks, args.format,
                                   revision=args.revision)
            print(sources.describe(plan), file=sys.stderr)
    except sources.SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        with build_lock(out_dir):
            try:
                return _build(args, plan, out_dir, factory, started)
            except KeyboardInterrupt:
                previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # tidy up in peace
                try:
                    recover(out_dir)
                finally:
                    signal.signal(signal.SIGINT, previous)
                raise
    except BuildLocked as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        raise  # a closed stdout (`| head`): main() ends quietly, it is not the folder
    except OSError as error:  # the folder cannot be written: permissions, a full disk
        print(f"error: cannot write the dataset into {out_dir}: {error}", file=sys.stderr)
        return 1


def _text_options(args: argparse.Namespace) -> shards.TextOptions:
    return shards.TextOptions(tones=not args.no_tones, limit=args.limit,
                              skip_bad=args.skip_bad, words=args.words,
                              shard_lines=args.shard_lines, max_chars=args.max_chars,
                              field=args.text_field)


def _build(args: argparse.Namespace, plan: sources.Plan, out_dir: Path,
           factory: AdapterFactory, started: float) -> int:
    """The build proper, run while holding the folder's lock."""
    done = recover(out_dir)
    if done:
        print(f"{out_dir}: {done}", file=sys.stderr)
    for stale in remove_stale(out_dir):
        print(f"removed the leftover of an interrupted build: {stale}", file=sys.stderr)
    options = BuildOptions(tones=not args.no_tones, limit=args.limit, skip_bad=args.skip_bad)
    built, resumed = [], []
    text = args.task == TEXT.name  # raw text is built in shards, labelled corpora per language
    langs = [] if text else list(dict.fromkeys(c.lang for c in plan.configs))
    try:
        if text:
            engine = ray_engine.run_ray if args.engine == "ray" else shards.run_local
            built, resumed = shards.build_text(
                plan.configs, out_dir, _text_options(args), engine, args.workers, factory,
                force=args.force, progress=not args.no_progress, engine_name=args.engine)
        for lang in langs:
            configs = [c for c in plan.configs if c.lang == lang]
            todo = [c for c in configs if args.force or not is_current(out_dir, c, options)]
            resumed += [c.config for c in configs if c not in todo]
            if not todo:
                continue
            with Transcriber(lang, tones=options.tones, workers=args.workers,
                             factory=factory) as transcriber:
                backends = (provenance.backend_versions(lang)
                            if factory is default_factory else {})
                for config in todo:
                    built.append(build_config(config, out_dir, options, transcriber, backends,
                                              progress=not args.no_progress))
        if args.compare:
            merge_into(out_dir, compare_files(args.compare, limit=args.limit,
                                              tones=options.tones))
        card = publish_folder(out_dir, args.push_to_hub or DEFAULT_REPO_ID)
    except CorpusFormatError as error:
        print(f"error: {error}\n(nothing of this config was written; --skip-bad skips "
              "malformed sentences and reports them)", file=sys.stderr)
        return 1
    except (TranscriptionError, MisalignedRowError, EmptyConfigError, CardError,
            HubUnavailable, UnknownRevision, MissingDependency) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ImportError as error:
        print(f"error: a G2P back-end cannot be imported ({error}); install phonexl with its "
              "dependencies: pip install -e .", file=sys.stderr)
        return 1
    for config in resumed:
        print(f"resumed: {config} was already built from the same inputs; kept",
              file=sys.stderr)
    _print_notes(built)
    _print_summary(built, resumed, out_dir, time.perf_counter() - started, card)
    if args.push_to_hub:
        try:
            print(f"pushed: {push_to_hub(out_dir, args.push_to_hub)}")
        except HubUnavailable as error:
            print(f"error: {error}", file=sys.stderr)
            return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
