"""The coda × onset rule cascade of ``junction.tsv``, compiled once into a memoised lookup.

Each rule is read from the table into a small matcher; :meth:`JunctionRules.apply` runs the
cascade for one (coda, onset, vowel, context) combination the first time it is seen and
answers from a dictionary afterwards, so a sentence costs one lookup per syllable boundary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from g2p.ko.hangul import is_coda, is_onset, is_vowel
from g2p.ko.tables import TABLES
from g2p.tables import Rows, TableError

EMPTY = "∅"  # the empty coda in tables
PAUSE = "#"  # "onset" of the position after the last syllable of a stretch

# Context flags a rule's `when` column may test; a junction's context is a bit mask of them.
FLAGS = (
    "in", "gram", "lex", "word", "end",  # what kind of boundary
    "stem", "ending", "ecoda", "nprev", "nnext",  # morpheme classes on either side
    "noins", "tensed", "ctensed", "ins", "lsino", "exc",  # lexical lists
    "vnext", "jcoda", "adn", "rep", "short",  # more classes; a repeated syllable; 1 syllable
    "lsfx", "redup",  # a suffix whose ㄹ is said ㄴ after ㄴ; a reduplicated word's halves
)
FLAG_BITS = {name: 1 << i for i, name in enumerate(FLAGS)}

_MAP_CALL = re.compile(r"^([A-Z_]+)\((coda|onset)\)$")

# An output cell: (coda, onset, current value of the slot) -> new value of the slot.
Output = Callable[[str, str, str], str]


def flag_mask(*names: str) -> int:
    """The bit mask of context flags ``names``."""
    mask = 0
    for name in names:
        mask |= FLAG_BITS[name]
    return mask


@TABLES.view("classes.tsv")
def jamo_classes(rows: Rows) -> dict[str, frozenset[str]]:
    """``classes.tsv``: class name → set of jamo (``#`` included where listed)."""
    return {row["class"]: frozenset(row["members"].split()) for row in rows}


@TABLES.view("maps.tsv")
def jamo_maps(rows: Rows) -> dict[str, dict[str, str]]:
    """``maps.tsv``: map name → {jamo: jamo}, with ∅ read as the empty coda."""
    maps: dict[str, dict[str, str]] = {}
    for row in rows:
        target = maps.setdefault(row["map"], {})
        if row["from"] in target:
            raise TableError(f"maps.tsv: {row['map']} maps {row['from']!r} twice")
        target[row["from"]] = "" if row["to"] == EMPTY else row["to"]
    return maps


def _cell(value: str, column: str, article: str) -> frozenset[str] | None:
    """A matcher cell: None for *, else the set of allowed values."""
    if value == "*":
        return None
    if value in jamo_classes():
        return jamo_classes()[value]
    if value == EMPTY:
        return frozenset({""})
    valid = {"coda": is_coda, "onset": lambda j: is_onset(j) or j == PAUSE, "vowel": is_vowel}
    if not valid[column](value):
        raise TableError(f"junction.tsv rule {article}: bad {column} cell {value!r}")
    return frozenset({value})


def _condition(text: str, article: str) -> tuple[tuple[int, bool], ...]:
    """``when`` → ((alternatives mask, negated), ...); all terms must hold."""
    if text == "*":
        return ()
    terms = []
    for term in text.split():
        negated = term.startswith("!")
        names = term.lstrip("!").split("|")
        unknown = [name for name in names if name not in FLAG_BITS]
        if unknown:
            raise TableError(f"junction.tsv rule {article}: unknown flag(s) {unknown}")
        terms.append((flag_mask(*names), negated))
    return tuple(terms)


def _output(spec: str, article: str) -> Output:
    """An output cell → function (coda, onset, slot value) -> new value."""
    if spec == "=":
        return lambda coda, onset, current: current
    if spec == EMPTY:
        return lambda coda, onset, current: ""
    if spec == "coda":
        return lambda coda, onset, current: coda
    if spec == "onset":
        return lambda coda, onset, current: onset
    match = _MAP_CALL.match(spec)
    if match:
        name, slot = match.groups()
        if name not in jamo_maps():
            raise TableError(f"junction.tsv rule {article}: unknown map {name!r}")
        table = jamo_maps()[name]
        if slot == "coda":
            return lambda coda, onset, current: table.get(coda, coda)
        return lambda coda, onset, current: table.get(onset, onset)
    if is_coda(spec) or is_onset(spec):
        return lambda coda, onset, current: spec
    raise TableError(f"junction.tsv rule {article}: bad output {spec!r}")


@dataclass(frozen=True)
class Rule:
    article: str
    coda: frozenset[str] | None
    onset: frozenset[str] | None
    vowel: frozenset[str] | None
    when: tuple[tuple[int, bool], ...]
    new_coda: Output
    new_onset: Output
    moves: bool  # the new onset is made from the coda (liaison, palatalisation)

    @cached_property
    def flags(self) -> int:
        """The context bits the ``when`` column tests (computed once: the cascade asks it of
        every rule that fits)."""
        mask = 0
        for term, _ in self.when:
            mask |= term
        return mask

    def holds(self, context: int) -> bool:
        return all(bool(context & mask) != negated for mask, negated in self.when)


class Junction(NamedTuple):
    """A rewritten pair; ``moved``: a consonant of the coda became the onset (옷이 → 오시)."""

    coda: str
    onset: str
    moved: bool


def _moves(spec: str) -> bool:
    return spec == "coda" or spec.endswith("(coda)")


class JunctionRules:
    """The compiled cascade: ``apply(coda, onset, vowel, context) -> Junction``."""

    def __init__(self, name: str = "junction.tsv") -> None:
        rows = TABLES.rows(name)
        self.rules = tuple(
            Rule(
                row["article"],
                _cell(row["coda"], "coda", row["article"]),
                _cell(row["onset"], "onset", row["article"]),
                _cell(row["vowel"], "vowel", row["article"]),
                _condition(row["when"], row["article"]),
                _output(row["new_coda"], row["article"]),
                _output(row["new_onset"], row["article"]),
                _moves(row["new_onset"]),
            )
            for row in rows
        )
        # (coda, onset, vowel) -> (bits the cascade has tested for it, {tested bits: result}).
        # Keying on the tested bits only keeps the memo small although contexts vary a lot.
        self._memo: dict[tuple[str, str, str], tuple[int, dict[int, Junction]]] = {}

    def apply(self, coda: str, onset: str, vowel: str, context: int) -> Junction:
        """Pronounced (coda, onset) for a spelled pair; ``onset`` is ``#`` before a pause."""
        triple = (coda, onset, vowel)
        memo = self._memo.get(triple)
        tested, results = memo if memo is not None else (0, {})
        result = results.get(context & tested)
        if result is None:
            result, used = self._run(coda, onset, vowel, context)
            if used & ~tested:  # new bits matter: earlier keys are too coarse, start over
                tested, results = tested | used, {}
                self._memo[triple] = tested, results
            results[context & tested] = result
            self._memo.setdefault(triple, (tested, results))
        return result

    def _run(self, coda: str, onset: str, vowel: str, context: int) -> tuple[Junction, int]:
        """The cascade's result and the context bits it tested."""
        moved = False
        used = 0
        for rule in self.rules:
            if (
                (rule.coda is not None and coda not in rule.coda)
                or (rule.onset is not None and onset not in rule.onset)
                or (rule.vowel is not None and vowel not in rule.vowel)
            ):
                continue  # the jamo cells do not match (inlined: tested for every rule)
            used |= rule.flags
            if rule.holds(context):
                coda, onset = rule.new_coda(coda, onset, coda), rule.new_onset(coda, onset, onset)
                moved = moved or rule.moves
        return Junction(coda, onset, moved), used
