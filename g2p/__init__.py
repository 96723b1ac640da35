"""phonexl G2P: token-aligned IPA for Chinese, Japanese, Korean and Vietnamese.

>>> from g2p import get_adapter
>>> [t.ipa for t in get_adapter("vi").transcribe(["Hà", "Nội"])]
['h aː ˨˩', 'n o j ˧˨ ʔ']
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

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

__all__ = ["LANGS", "Adapter", "Status", "Transcription", "get_adapter", "parse_option"]


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


@cache
def get_adapter(lang: str, **options: object) -> Adapter:
    """The adapter for ``lang`` (one of :data:`LANGS`), cached per (lang, options).

    Options are passed to the adapter, e.g. ``tones=False`` to drop tone segments.
    """
    if lang not in _ADAPTERS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    module_name, class_name = _ADAPTERS[lang].split(":")
    adapter_class = getattr(import_module(module_name), class_name)
    return adapter_class(**options)
