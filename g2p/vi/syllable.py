"""IPA of one written Vietnamese syllable (Hanoi), assembled from the tables in g2p/data/vi.

onset + glide + (nucleus, coda) + tone, where a nucleus/coda pair listed in rimes.tsv
replaces the sum of its parts and a stop coda selects the tone's checked form. Results are
cached per written syllable (bounded, since non-syllables are looked up too): running text
repeats a few thousand syllables, so nearly every call is one dictionary look-up.
"""

from __future__ import annotations

from functools import lru_cache

from g2p.ipa import join_segments
from g2p.tables import Rows
from g2p.vi.spelling import NO_ONSET, parse
from g2p.vi.tables import TABLES

_onsets = TABLES.mapping("onsets.tsv", "spelling", "ipa")
_glides = TABLES.mapping("glides.tsv", "spelling", "ipa")
_nuclei = TABLES.mapping("nuclei.tsv", ("spelling", "syllable"), "ipa")
_codas = TABLES.mapping("codas.tsv", "spelling", "ipa")
_rimes = TABLES.mapping("rimes.tsv", ("nucleus", "coda"), "ipa")  # not the sum of the parts
_tones = TABLES.mapping("tones.tsv", "tone", "ipa")
_checked_tones = TABLES.mapping("tones.tsv", "tone", "checked")


@TABLES.view("codas.tsv")
def _checked_codas(rows: Rows) -> frozenset[str]:
    """The stop codas, after which a tone takes its checked form."""
    return frozenset(row["spelling"] for row in rows if row["checked"] == "yes")


@lru_cache(maxsize=1 << 16)
def syllable_ipa(syllable: str) -> str | None:
    """Space-separated IPA with the tone segment(s) last; None if not a Vietnamese syllable.

    >>> syllable_ipa("người")
    'ŋ ɨ ə j ˨˩'
    """
    parts = parse(syllable)
    if parts is None:
        return None
    kind = "closed" if parts.coda else "open"
    nuclei = _nuclei()
    nucleus = nuclei.get((parts.nucleus, kind)) or nuclei[(parts.nucleus, "any")]
    rime = _rimes().get((parts.nucleus, parts.coda)) or join_segments(
        nucleus, _codas().get(parts.coda, "")
    )
    tones = _checked_tones if parts.coda in _checked_codas() else _tones
    return join_segments(
        _onsets()[parts.onset or NO_ONSET],
        _glides()[parts.glide] if parts.glide else "",
        rime,
        tones()[parts.tone],
    )
