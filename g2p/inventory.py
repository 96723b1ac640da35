"""Validate emitted IPA segments against panphon (the ``g2p doctor`` idea).

A valid segment is a tone segment, or exactly one panphon segment once the few diacritics
panphon does not model are removed. An untied affricate ("ts") is two panphon segments and
therefore invalid: the cross-language inventory always writes t͡s.
"""

from __future__ import annotations

from functools import cache

from g2p.ipa import is_tone_segment

# Unreleased stop ̚, ExtIPA tense/fortis ͈ (Korean k͈), labial compression ᵝ (Japanese ɯᵝ).
_UNMODELLED = str.maketrans("", "", "\u031a\u0348ᵝ")


@cache
def _feature_table():
    import panphon

    return panphon.FeatureTable()


# Valid phones missing from panphon's table: the labial-velar nasal of Vietnamese -ong/-ông/-ung
# (WikiPron writes ŋ͡m; panphon knows its oral partner k͡p only).
_PANPHON_GAPS = frozenset({"ŋ͡m"})
# Look-alikes panphon accepts but the shared inventory forbids: ASCII g (IPA has ɡ U+0261) and
# the affricate ligatures (ʦ ʨ ʥ …), which would give t͡s a second spelling.
_LOOKALIKES = frozenset("gʦʧʨʣʤʥ")


def is_valid_segment(segment: str) -> bool:
    if is_tone_segment(segment) or segment in _PANPHON_GAPS:
        return True
    if _LOOKALIKES & set(segment):
        return False
    core = segment.translate(_UNMODELLED)
    table = _feature_table()
    return bool(core) and table.seg_known(core) and len(table.ipa_segs(core)) == 1


def invalid_segments(ipa: str) -> list[str]:
    """The segments of a space-separated IPA string that are not valid IPA phones."""
    return [segment for segment in ipa.split() if not is_valid_segment(segment)]
