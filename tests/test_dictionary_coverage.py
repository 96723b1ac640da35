"""The dictionary-coverage flags of L_XMLM (the paper's open question) and their control."""

from __future__ import annotations

import pytest

from phonexl.codeswitch import reduce_dictionary
from phonexl.presets import resolve

DICTIONARY = {f"字{i}": [(f"từ{i}", f"t ɨ ˨˩ {i}")] for i in range(40)}


def test_full_coverage_without_shuffle_is_the_dictionary_itself():
    same = reduce_dictionary(DICTIONARY, 1.0, shuffle=False)
    assert list(same.items()) == list(DICTIONARY.items())  # order too: switching draws by it
    config = resolve("tiny", "ner", "zh-vi", {})
    assert (config.dictionary_coverage, config.shuffle_dictionary) == (1.0, False)


def test_coverage_keeps_a_fixed_share_of_the_entries_unchanged():
    half = reduce_dictionary(DICTIONARY, 0.5, shuffle=False)
    quarter = reduce_dictionary(DICTIONARY, 0.25, shuffle=False)
    assert (len(half), len(quarter)) == (20, 10)
    assert all(DICTIONARY[word] == entries for word, entries in half.items())
    assert reduce_dictionary(DICTIONARY, 0.5, shuffle=False) == half  # the same for every run


def test_shuffled_dictionary_keeps_the_words_but_breaks_the_pairs():
    shuffled = reduce_dictionary(DICTIONARY, 1.0, shuffle=True)
    assert sorted(shuffled) == sorted(DICTIONARY)
    assert sorted(map(tuple, shuffled.values())) == sorted(map(tuple, DICTIONARY.values()))
    assert sum(shuffled[word] == DICTIONARY[word] for word in DICTIONARY) < 5


@pytest.mark.parametrize("coverage", [0.0, -0.5, 1.5])
def test_coverage_outside_the_unit_interval_is_refused(coverage):
    with pytest.raises(ValueError, match="coverage"):
        reduce_dictionary(DICTIONARY, coverage, shuffle=False)
