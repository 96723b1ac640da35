"""Whether a syllable is spelled as Vietnamese orthography allows (data/vi/orthography.tsv).

:func:`g2p.vi.spelling.parse` accepts any onset + rime it can split, which is enough to read
real Vietnamese but lets English words through as chains of syllables (Generation as
ge ne ra ti on). The rules here are the ones the orthography imposes on top: g, ng and c are
gh, ngh and k before e ê i (y), q only before u, -ch and -nh only after a ê i y, -c and -ng
never after i y ê. A stop coda without a tone mark is allowed: native words have sắc or nặng
there, but assimilated loanwords write it bare (cacbon, electron, vectơ).

They reject many English words (Generation, Cinema) and a few loanwords spelled the foreign
way (decimet, koala), but English words made of well-formed syllables still pass: London
(lon don), Obama, Canada, Toyota, Samsung, Putin, Singapore, Honda. There is no list of
attested syllables in the repository to check against. The adapter applies the rules to
solid words it cuts into syllables only; a single syllable is read as the parser allows,
since names and loans write it so (Hồng Kông, bit).
"""

from __future__ import annotations

from g2p.tables import Rows
from g2p.vi.spelling import Spelling, parse
from g2p.vi.tables import TABLES

_Rule = tuple[str, bool, frozenset[str]]  # (of, only, context)


@TABLES.view("orthography.tsv")
def _rules(rows: Rows) -> dict[tuple[str, str], tuple[_Rule, ...]]:
    """(part, spelling) → its rules."""
    rules: dict[tuple[str, str], list[_Rule]] = {}
    for row in rows:
        rule = (row["of"], row["rule"] == "only", frozenset(row["context"].split()))
        rules.setdefault((row["part"], row["spelling"]), []).append(rule)
    return {key: tuple(value) for key, value in rules.items()}


def _context(parts: Spelling, of: str) -> str:
    """The letters a rule looks at: the first vowel letter after the onset, or the nucleus."""
    return (parts.glide + parts.nucleus)[:1] if of == "next" else parts.nucleus


def _breaks_rule(parts: Spelling) -> bool:
    """Whether a parsed syllable breaks a rule of the orthography."""
    rules = _rules()
    for part, spelling in (("onset", parts.onset), ("coda", parts.coda)):
        for of, only, context in rules.get((part, spelling), ()):
            if (_context(parts, of) in context) != only:
                return True
    return False


def is_well_formed(syllable: str) -> bool:
    """Whether ``syllable`` (any case, NFC or NFD) is a possible Vietnamese spelling.

    >>> is_well_formed("nghiêng"), is_well_formed("ge"), is_well_formed("ci")
    (True, False, False)
    """
    parts = parse(syllable)
    return parts is not None and not _breaks_rule(parts)
