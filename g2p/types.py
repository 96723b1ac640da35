"""Cheap value types shared by every adapter (no heavy imports here)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Status(str, Enum):
    """Why a token's IPA looks the way it does; decided for every language by
    :func:`g2p.contract.assemble`, in this order (examples: ja, ko, vi, zh):

    - ``empty``: the empty string.
    - ``punct``: only punctuation, symbols or emoji, none read (。 … ★ 🙂); silent.
    - ``latin``: some letters are Latin (or ASCII digits in a Latin word) the language does
      not read: iPhone, ＶＲ＾, 3D印刷, XML등이, nộiABC, Generation (not Vietnamese
      spelling), 3D打印. ``unknown``: some other letters are not read: Москва, 東京한,
      서울の, 漢字 in vi, 东の京, a lone combining mark. Both keep the IPA of the part that was
      read, and the reading copies the unread letters as written (3D打印 → ``3D da3 yin4``).
    - ``shared``: nothing unread but no phones of its own: a neighbour carries the sound (今|日:
      日, ラ|ー: ー, zh 1|0|0|0: yi1 qian1 on the 1); empty IPA, a spelled ー kept as reading.
      No phones and nothing carried (a kana UniDic gives no pron, a lone combining mark) is
      ``unknown``, spelled as written.
    - ``digit``: all read, digits among them read as a number (or a symbol read inside one:
      the . of 3|.|5): 3本 2024年, 3개 1999년, 3_cái 95%, 15个 1990年.
    - ``ok``: every letter read, no number read from digits: 東京, 한국어, người, 银行.

    ``ok`` and ``digit`` therefore promise that every letter was read and the IPA is not empty.
    """

    OK = "ok"
    DIGIT = "digit"
    LATIN = "latin"
    UNKNOWN = "unknown"
    PUNCT = "punct"
    SHARED = "shared"
    EMPTY = "empty"


@dataclass(frozen=True)
class Transcription:
    """One source token and its pronunciation.

    ``ipa`` is a space-separated string of phone segments (WikiPron style) with Chao tone
    letters as their own segments; ``reading`` is the native phonemic spelling it came from
    (katakana for ja, numbered pinyin for zh, pronounced hangul for ko, the syllable for vi).
    """

    token: str
    ipa: str
    reading: str
    status: Status = Status.OK

    @property
    def phones(self) -> list[str]:
        return self.ipa.split()
