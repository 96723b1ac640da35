"""Exhaustive Korean sweep: no hangul input may raise, and every result keeps its token.

Every coda (none included) × every onset × several vowels, written as one word and as two
tokens, and all 11,172 syllables on their own, with and without sandhi. An unknown coda ×
onset pair must fail here, never in a user's corpus build.
"""

from __future__ import annotations

import pytest

from g2p import get_adapter
from g2p.ko.hangul import CODAS, ONSETS, Syllable, compose, decompose, is_syllable
from g2p.types import Status

SWEEP_VOWELS = "ㅏㅣㅕㅜㅢ"
PRONOUNCED_CODAS = frozenset(("", *"ㄱㄴㄷㄹㅁㅂㅇ"))  # the seven representatives (제8항)
ALL_SYLLABLES = [chr(code) for code in range(0xAC00, 0xD7A4)]
BATCH = 500


def _pairs() -> list[tuple[str, str]]:
    return [
        (compose(Syllable("ㄱ", "ㅏ", coda)), compose(Syllable(onset, vowel, "")))
        for coda in CODAS
        for onset in ONSETS
        for vowel in SWEEP_VOWELS
    ]


def _check(tokens: list[str], results) -> None:
    assert len(results) == len(tokens)
    for token, result in zip(tokens, results, strict=True):
        assert result.token == token and result.status is Status.OK, result
        assert result.ipa and len(result.reading) == len(token), result
        assert {decompose(ch).coda for ch in result.reading} <= PRONOUNCED_CODAS, result


@pytest.mark.parametrize("sandhi", [True, False])
def test_every_coda_onset_pair_as_one_word_and_as_two_tokens(sandhi):
    adapter = get_adapter("ko", sandhi=sandhi)
    pairs = _pairs()
    assert len(pairs) == 28 * 19 * len(SWEEP_VOWELS)
    words = [left + right for left, right in pairs]
    for start in range(0, len(words), BATCH):
        # Commas keep the words of one batch apart (a pause between them).
        batch = [token for word in words[start:start + BATCH] for token in (word, ",")]
        results = adapter.transcribe(batch)
        assert len(results) == len(batch)
        _check(batch[::2], results[::2])
    for left, right in pairs:
        _check([left, right], adapter.transcribe([left, right]))


@pytest.mark.parametrize("sandhi", [True, False])
def test_every_syllable_alone(sandhi):
    adapter = get_adapter("ko", sandhi=sandhi)
    assert all(map(is_syllable, ALL_SYLLABLES)) and len(ALL_SYLLABLES) == 11172
    for start in range(0, len(ALL_SYLLABLES), BATCH):
        batch = [token for ch in ALL_SYLLABLES[start:start + BATCH] for token in (ch, ",")]
        results = adapter.transcribe(batch)
        assert len(results) == len(batch)
        _check(batch[::2], results[::2])


def test_command_line_reads_h_final_syllables(capsys):
    from g2p.__main__ import main

    words = {"많": "만", "싫": "실", "뚫리다": "뚤리다", "할많하않": "할만하안", "끓는": "끌른"}
    for word, expected in words.items():
        assert main(["--lang", "ko", "--format", "reading", word]) == 0
        assert capsys.readouterr().out.split() == [word, expected]
