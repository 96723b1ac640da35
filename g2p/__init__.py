"""phonexl G2P: token-aligned IPA for Chinese, Japanese, Korean and Vietnamese.

>>> from g2p import get_adapter
>>> [t.ipa for t in get_adapter("vi").transcribe(["Hà", "Nội"])]
['h aː ˨˩', 'n o j ˧˨ ʔ']
"""

from __future__ import annotations

import argparse
import inspect
from functools import cache
from importlib import import_module, metadata

from g2p.base import Adapter
from g2p.types import Status, Transcription

# Adapters are imported lazily: each pulls in heavy back-ends (MeCab, pypinyin, ...).
_ADAPTERS = {
    "ja": "g2p.ja.adapter:JapaneseAdapter",
    "ko": "g2p.ko.adapter:KoreanAdapter",
    "vi": "g2p.vi.adapter:VietnameseAdapter",
    "zh": "g2p.zh.adapter:MandarinAdapter",
}
LANGS = tuple(sorted(_ADAPTERS))
DISTRIBUTION = "phonexl"


def _version() -> str:
    """The installed distribution's version: setup.cfg is its one source."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


__version__ = _version()

__all__ = [
    "LANGS", "__version__", "Adapter", "Status", "Transcription", "add_option_argument",
    "add_version_argument", "check_options",
    "get_adapter", "parse_option",
]


def parse_option(text: str) -> tuple[str, object]:
    """``KEY=VALUE`` from a command line into an adapter option (true/false become bools).

    >>> parse_option("backend=pypinyin"), parse_option("sandhi=true")
    (('backend', 'pypinyin'), ('sandhi', True))
    """
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise ValueError(f"adapter option {text!r} is not KEY=VALUE")
    booleans = {"true": True, "false": False}
    return key, booleans.get(value.lower(), value)


def _option_argument(text: str) -> tuple[str, object]:
    try:
        return parse_option(text)
    except ValueError as error:  # argparse prints only this type's message
        raise argparse.ArgumentTypeError(str(error)) from error


def add_version_argument(parser: argparse.ArgumentParser) -> None:
    """``--version``: the program's name (as the user typed it) and phonexl's version."""
    parser.add_argument("--version", action="version",
                        version=f"%(prog)s ({DISTRIBUTION} {__version__})")


def add_option_argument(parser: argparse.ArgumentParser) -> None:
    """The repeatable ``--option KEY=VALUE`` flag that every command line passes to adapters."""
    parser.add_argument("--option", action="append", default=[], type=_option_argument,
                        metavar="KEY=VALUE",
                        help="adapter option, repeatable (e.g. backend=pypinyin, sandhi=true)")


def _adapter_class(lang: str) -> type[Adapter]:
    if lang not in _ADAPTERS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    module_name, class_name = _ADAPTERS[lang].split(":")
    return getattr(import_module(module_name), class_name)


def check_options(lang: str, options: dict[str, object]) -> None:
    """Fail with the list of valid names when ``options`` holds one the adapter lacks, and
    when a switch (an option whose default is a bool) gets anything but a bool: a command
    line's ``sandhi=no`` is the string "no", which is true, and would turn sandhi on."""
    parameters = inspect.signature(_adapter_class(lang)).parameters
    unknown = sorted(set(options) - set(parameters))
    if unknown:
        raise ValueError(f"the {lang} adapter has no option {', '.join(unknown)}; "
                         f"its options: {', '.join(parameters)}")
    for name, value in options.items():
        if isinstance(parameters[name].default, bool) and not isinstance(value, bool):
            raise ValueError(f"the {lang} adapter's option {name} is true or false, "
                             f"not {value!r}")


@cache
def get_adapter(lang: str, **options: object) -> Adapter:
    """The adapter for ``lang`` (one of :data:`LANGS`), cached per (lang, options).

    Options are passed to the adapter, e.g. ``tones=False`` to drop tone segments.
    """
    check_options(lang, options)
    return _adapter_class(lang)(**options)
