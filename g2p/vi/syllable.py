"""IPA of one written Vietnamese syllable (Hanoi), assembled from the tables in g2p/data/vi.

onset + glide + (nucleus, coda) + tone, where a nucleus/coda pair listed in rimes.tsv
replaces the sum of its parts and a stop coda selects the tone's checked form. Results are
cached per written syllable (bounded, since non-syllables are looked up too): running text
repeats a few thousand syllables, so nearly every call is one dictionary look-up.
"""

from __future__ import annotations

from functools import lru_cache

from g2p.ipa import join_segments
from g2p.tables import load_mapping, load_rows
from g2p.vi.spelling import NO_ONSET, parse

_ONSETS = load_mapping("vi", "onsets.tsv", "spelling", "ipa")
_GLIDES = load_mapping("vi", "glides.tsv", "spelling", "ipa")
_NUCLEI = {
    (row["spelling"], row["syllable"]): row["ipa"] for row in load_rows("vi", "nuclei.tsv")[1]
}
_CODAS = load_mapping("vi", "codas.tsv", "spelling", "ipa")
_RIMES = {(row["nucleus"], row["coda"]): row["ipa"] for row in load_rows("vi", "rimes.tsv")[1]}
_TONES = load_mapping("vi", "tones.tsv", "tone", "ipa")
_CHECKED_TONES = load_mapping("vi", "tones.tsv", "tone", "checked")
_CHECKED_CODAS = frozenset(
    row["spelling"] for row in load_rows("vi", "codas.tsv")[1] if row["checked"] == "yes"
)


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
    nucleus = _NUCLEI.get((parts.nucleus, kind)) or _NUCLEI[(parts.nucleus, "any")]
    rime = _RIMES.get((parts.nucleus, parts.coda)) or join_segments(
        nucleus, _CODAS.get(parts.coda, "")
    )
    return join_segments(
        _ONSETS[parts.onset or NO_ONSET],
        _GLIDES[parts.glide] if parts.glide else "",
        rime,
        (_CHECKED_TONES if parts.coda in _CHECKED_CODAS else _TONES)[parts.tone],
    )
