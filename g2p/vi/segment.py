"""Split an unspaced loanword (canxi, amoni, kilôgam) into Vietnamese syllables.

Vietnamese writes native words one syllable per space, but assimilated loanwords are often
written solid. Such a word is read syllable by syllable when it can be cut into valid
syllables; among the possible cuts the one with the fewest vowel-initial syllables wins
(maximal onsets: a-mo-ni, not am-o-ni), then the one with the fewest syllables.
"""

from __future__ import annotations

from functools import lru_cache

from g2p.vi.spelling import parse

_LONGEST_SYLLABLE = 7  # letters (NFC), e.g. "nghiêng", "khuyếch"


def _is_plain_word(word: str) -> bool:
    """Lowercase or capitalised letters only: no acronyms (NASA) or camel case (iPhone)."""
    return word.isalpha() and (word.islower() or (word[0].isupper() and word[1:].islower()))


@lru_cache(maxsize=1 << 14)
def split_loanword(word: str) -> tuple[str, ...] | None:
    """The syllables of a solid loanword (lowercase), or None when no cut works.

    >>> split_loanword("amoni")
    ('a', 'mo', 'ni')
    """
    if len(word) < 2 or not _is_plain_word(word):
        return None
    text = word.lower()
    # cost[i]: (vowel-initial, count) of the best cut of text[:i]; start[i]: where its last
    # syllable starts. Back-pointers, not syllable tuples, keep this linear in the length.
    cost: list[tuple[int, int] | None] = [None] * (len(text) + 1)
    start_of: list[int] = [0] * (len(text) + 1)
    cost[0] = (0, 0)
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - _LONGEST_SYLLABLE), end):
            previous = cost[start]
            parts = parse(text[start:end]) if previous else None
            if parts is None:
                continue
            vowel_initial, count = previous
            candidate = (vowel_initial + (start > 0 and not parts.onset), count + 1)
            if cost[end] is None or candidate < cost[end]:
                cost[end], start_of[end] = candidate, start
    if cost[len(text)] is None or cost[len(text)][1] < 2:
        return None
    syllables, end = [], len(text)
    while end:
        syllables.append(text[start_of[end]:end])
        end = start_of[end]
    return tuple(reversed(syllables))
