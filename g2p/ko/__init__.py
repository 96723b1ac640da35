"""Korean G2P: standard pronunciation rules over syllable junctions, then IPA per token.

Modules, in pipeline order: :mod:`numbers` and :mod:`hanja` (spell numbers and hanja in
hangul), :mod:`morph` (MeCab morpheme boundaries), :mod:`rules` (the coda × onset rule
cascade of ``data/ko/junction.tsv``), :mod:`phones` (pronounced hangul → IPA),
:mod:`pronounce` (the sentence pipeline) and :mod:`adapter` (the token contract).
:mod:`offline_cmudict` lets g2pk (used only for comparisons) import without a network.
"""
