"""Numbers written in digits, read as Japanese numerals, with the counter after them.

The analyser cannot read digit strings (UniDic leaves them unknown) and gets counter sound
changes wrong (一本 イチポン), so 3本 is read here: サン|ボン. Every character gets its own
part of the reading: a digit the numeral of its place (2024: ニセン|-|ニジュー|ヨン, the zero
unsaid and marked shared), the counter its own kana. Data: ``numerals.tsv``, ``counters.tsv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from g2p.ja.split import split_reading
from g2p.ja.tables import TABLES
from g2p.script import to_halfwidth
from g2p.tables import Rows

NUMBER = re.compile(r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?")
_GROUP = 10_000
_DIGIT_BY_DIGIT_LENGTH = 16  # longer digit strings (codes, phone numbers) are read one by one

Forms = dict[int, tuple[str, str]]


@dataclass(frozen=True)
class Counter:
    reading: str
    last: Forms  # sound changes keyed by the last numeral said
    whole: Forms  # readings keyed by the whole number
    kind: str  # unit (万: another counter may follow), native (つ), plain


@dataclass(frozen=True)
class _Word:
    """A numeral word said by the digit at ``index``; a counter may replace its ``tail``."""

    index: int
    head: str
    tail: str
    key: int | None  # value the counter's sound changes are keyed on


def _split_pair(text: str) -> tuple[str, str]:
    number, _, counter = text.partition("|")
    return number, counter


@TABLES.view("numerals.tsv")
def _numerals(rows: Rows) -> dict[tuple[str, str], tuple[str, str]]:
    """(digit, power) -> (digit part, power part) of the reading."""
    return {(row["digit"], row["power"]): _split_pair(row["reading"]) for row in rows}


def _forms(field: str) -> Forms:
    forms: Forms = {}
    for item in field.split() if field != "-" else ():
        value, _, reading = item.partition("=")
        forms[int(value)] = _split_pair(reading)
    return forms


@TABLES.view("counters.tsv")
def counters(rows: Rows) -> dict[str, Counter]:
    return {
        row["counter"]: Counter(row["reading"], _forms(row["last"]), _forms(row["whole"]),
                                row["kind"])
        for row in rows
    }


@cache
def _longest_counter() -> int:
    return max(map(len, counters()))


def _digit(d: str) -> str:
    return _numerals()[(d, "1")][0]


def _power(power: int | str) -> str:
    return _numerals()[("-", str(power))][0]


def _integer_words(digits: str) -> list[_Word]:
    words: list[_Word] = []
    length = len(digits)
    for pos, d in enumerate(digits):
        place = length - 1 - pos
        power, group_power = 10 ** (place % 4), _GROUP ** (place // 4)
        if d != "0" and power == 1:
            words.append(_Word(pos, "", _digit(d), int(d)))
        elif d != "0":
            head, tail = _numerals().get((d, str(power)), (_digit(d), _power(power)))
            words.append(_Word(pos, head, tail, power if tail == _power(power) else None))
        group = digits[max(0, pos - 3):pos + 1]
        if place % 4 == 0 and group_power > 1 and int(group):
            owner = max(i for i in range(max(0, pos - 3), pos + 1) if digits[i] != "0")
            words.append(_Word(owner, "", _power(group_power), group_power))
    return words or [_Word(0, "", _digit("0"), 0)]


def _with_counter(
    words: list[_Word], value: int, counter: Counter, *, whole: bool = True
) -> tuple[list[_Word], str]:
    """The number's words changed by the counter, and the counter's own reading."""
    if whole and value in counter.whole:
        number_part, counter_part = counter.whole[value]
        return [_Word(words[0].index, "", number_part, None)], counter_part
    last = words[-1]
    if last.key in counter.last:
        number_part, counter_part = counter.last[last.key]
        return [*words[:-1], _Word(last.index, last.head, number_part, None)], counter_part
    return words, counter.reading


def _match_counter(text: str, end: int) -> str:
    for size in range(min(_longest_counter(), len(text) - end), 0, -1):
        if text[end:end + size] in counters():
            return text[end:end + size]
    return ""


def read_number(text: str, start: int) -> tuple[int, list[str | None]]:
    """Read the number at ``text[start:]`` and a counter right after it.

    Returns where the reading stops and one entry per character read: its kana, or None for
    a character whose sound is carried by a neighbour (an unsaid zero, a separator).
    """
    match = NUMBER.match(text, start)
    if match is None:
        raise ValueError(f"no number at {text[start:]!r}")
    raw = match.group()
    plain = to_halfwidth(raw).replace("，", ",").replace("．", ".")
    integer, _, fraction = plain.partition(".")
    digits = integer.replace(",", "")
    positions = [i for i, ch in enumerate(integer) if ch.isdigit()]
    if len(digits) > _DIGIT_BY_DIGIT_LENGTH or (len(digits) > 1 and digits[0] == "0"):
        words = [_Word(i, "", _digit(d), int(d)) for i, d in enumerate(digits)]
    else:
        words = _integer_words(digits)
    counter = _match_counter(text, match.end())
    counter_reading = ""
    if counter:
        counter_reading = counters()[counter].reading
        if not fraction:
            words, counter_reading = _with_counter(words, int(digits), counters()[counter])
    if counter and counters()[counter].kind == "unit":
        after = _match_counter(text, match.end() + len(counter))
        if after:  # 10万人: the unit joins the number, the next counter is read plainly
            counter, counter_reading = counter + after, counter_reading + counters()[after].reading
    pieces: list[str | None] = [None] * len(raw)
    for word in words:
        index = positions[word.index]
        pieces[index] = (pieces[index] or "") + word.head + word.tail
    if fraction:
        pieces[len(integer)] = _power(".")
        for k, d in enumerate(fraction, start=len(integer) + 1):
            pieces[k] = _digit(d)
    if counter:
        pieces.extend(split_reading(counter, counter_reading) if counter_reading
                      else [None] * len(counter))
    return match.end() + len(counter), pieces


_KANJI_DIGITS = {ch: d for d, ch in enumerate("〇一二三四五六七八九")} | {"零": 0}
_KANJI_POWERS = {"十": 10, "百": 100, "千": 1000}
_KANJI_GROUPS = {"万": 10**4, "億": 10**8, "兆": 10**12}
KANJI_NUMERALS = frozenset(_KANJI_DIGITS) | frozenset(_KANJI_POWERS) | frozenset(_KANJI_GROUPS)


def kanji_value(text: str) -> int | None:
    """Value of a kanji numeral (二千二十三 2023, 一〇〇 100), None if malformed."""
    total = section = 0
    current: int | None = None
    for ch in text:
        if ch in _KANJI_DIGITS:
            current = (current or 0) * 10 + _KANJI_DIGITS[ch]
        elif ch in _KANJI_POWERS:
            section += (1 if current is None else current) * _KANJI_POWERS[ch]
            current = None
        elif ch in _KANJI_GROUPS:
            section += current or 0
            total += (section or 1) * _KANJI_GROUPS[ch]
            section, current = 0, None
        else:
            return None
    return total + section + (current or 0)


def match_counter(text: str, end: int) -> str:
    """The longest counter of ``counters.tsv`` at ``text[end:]``, or ""."""
    return _match_counter(text, end)


def read_kanji_number(value: int, counter: str) -> tuple[str, str]:
    """Reading of a kanji numeral before a counter (一本 イッ|ポン): number part, counter part.
    With no counter (""), the plain reading of the number.

    Only sound changes apply; whole-number readings (1日 ツイタチ) are left to the analyser,
    which knows 一日 イチニチ from 五日 イツカ in context, except for native counters (八つ).
    """
    words = _integer_words(str(value))
    counter_reading = ""
    if counter:
        native = counters()[counter].kind == "native"
        words, counter_reading = _with_counter(words, value, counters()[counter], whole=native)
    return "".join(w.head + w.tail for w in words), counter_reading


def is_native(counter: str) -> bool:
    """Counters read with native Japanese numerals (つ): the table always decides."""
    return counters()[counter].kind == "native"
