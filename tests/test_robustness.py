"""Hostile input for every real adapter: the contract holds, whatever the sentence holds.

Each adapter must give one transcription per token, keep the promises of its status (no letter
dropped silently), emit only valid IPA, and never raise on text it cannot read. The statuses
come from one place (:mod:`g2p.contract`), so a token that no language reads gets the same one
in all four.
"""

from __future__ import annotations

import random
import unicodedata

import pytest

from g2p import LANGS, get_adapter
from g2p.inventory import invalid_segments
from g2p.types import Status

HOSTILE_TOKENS = [
    "", " ", "\t", "\u200b", "\u200d", "\ufeff", "\u0301", "🙂", "👩‍👩‍👧", "🇻🇳", "★", "©",
    "$", "%", "12", "１２", "3.14", "-7", "1,000", "2024年", "½", "Ⅻ", "②",
    "iPhone", "COVID-19", "e-mail", "ＡＢＣ", "Ωμέγα", "Москва", "مرحبا", "สวัสดี", "हिन्दी",
    "東京", "ひらがな", "カタカナ", "ｶﾀｶﾅ", "한국어", "ㄱㄴ", "ᄀ", "Hà Nội", "người_Việt",
    "銀行", "𠀀", "〆", "々", "ー", "ゝ", "〃", "・", "…", "——", "「", "」", "（", "）",
    "a\u0300", "\U0010ffff", "\x00", "\x7f",
]

# Blocks a corpus line can mix: ASCII, Vietnamese letters, kana, CJK, hangul, symbols, emoji.
_ALPHABET = (
    "abcxyzABC019 .,!?-_'"
    "àáảãạăằắẳẵặâầấẩẫậđêềếểễệôồốổỗộơờớởỡợưừứửữựýỳ"
    "あいうえおかがきゃっんー。、アイウカガキャッンヴ"
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年行长重银"
    "가나다라마바사아자차카타파하각난닭값읊밟넓낳솜이불"
    "①½€©★🙂🎉\u200b\u0301"
)


def _random_sentences(seed: int, count: int) -> list[list[str]]:
    rng = random.Random(seed)
    return [
        ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 6)))
         for _ in range(rng.randint(1, 12))]
        for _ in range(count)
    ]


# Unicode name prefixes of the letters each language reads (digits are read by all four).
_READABLE = {
    "ja": ("HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA", "CJK", "IDEOGRAPHIC", "GREEK"),
    "ko": ("HANGUL", "CJK"),
    "vi": ("LATIN",),
    "zh": ("CJK",),
}


def _unreadable_letters(lang: str, text: str) -> list[str]:
    letters = [ch for ch in text if unicodedata.category(ch)[0] in "LN"]
    return [ch for ch in letters if not (
        "DIGIT" in unicodedata.name(ch, "") or unicodedata.name(ch, "").startswith(_READABLE[lang])
    )]


def _latin_letters(text: str) -> set[str]:
    return {ch for ch in text.lower() if "LATIN" in unicodedata.name(ch, "")}


def _check(lang: str, tokens: list[str]) -> None:
    """The contract of :class:`g2p.types.Status`, token by token."""
    result = get_adapter(lang).transcribe(tokens)
    assert len(result) == len(tokens), tokens
    for token, item in zip(tokens, result, strict=True):
        where = (lang, token, item)
        assert item.token == unicodedata.normalize("NFC", token), where
        assert invalid_segments(item.ipa) == [], where
        if item.status in (Status.OK, Status.DIGIT):
            assert item.ipa, where
            assert _unreadable_letters(lang, item.token) == [], where
        elif item.status in (Status.LATIN, Status.UNKNOWN):
            assert item.reading, where  # unread letters are kept as written
            assert _latin_letters(item.token) <= _latin_letters(item.reading), where
        elif item.status is Status.SHARED:  # its sound went to a neighbour; its spelling stays
            assert item.ipa == "", where
        else:
            assert item.ipa == "" and item.reading == "", where


@pytest.mark.parametrize("lang", LANGS)
def test_hostile_tokens_one_sentence(lang):
    _check(lang, HOSTILE_TOKENS)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("token", HOSTILE_TOKENS, ids=ascii)
def test_hostile_token_alone(lang, token):
    _check(lang, [token])


@pytest.mark.parametrize("lang", LANGS)
def test_random_mixed_script_sentences(lang):
    for tokens in _random_sentences(seed=LANGS.index(lang), count=150):
        _check(lang, tokens)


def _read_by_nobody(token: str) -> bool:
    letters = [ch for ch in token if unicodedata.category(ch)[0] in "LN"]
    return all(_unreadable_letters(lang, token) == letters for lang in LANGS)


@pytest.mark.parametrize("token", [t for t in HOSTILE_TOKENS if _read_by_nobody(t)], ids=ascii)
def test_a_token_no_language_reads_gets_one_status_everywhere(token):
    statuses = {lang: get_adapter(lang).transcribe([token])[0].status for lang in LANGS}
    assert len(set(statuses.values())) == 1, statuses
