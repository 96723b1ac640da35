"""The tables of ``g2p/data/vi/``, declared once: file -> columns (see :mod:`g2p.tables`)."""

from g2p.tables import Tables

TABLES = Tables("vi", {
    # spelling.py splits a syllable with these; syllable.py reads their IPA
    "onsets.tsv": "spelling ipa",
    "glides.tsv": "spelling after before ipa",
    "nuclei.tsv": "spelling syllable ipa",
    "codas.tsv": "spelling ipa checked after",
    "tones.tsv": "tone mark ipa checked",
    "rimes.tsv": "nucleus coda ipa",  # syllable.py
    "numbers.tsv": "key word",  # numbers.py
    "orthography.tsv": "part spelling rule of context",  # orthography.py
})
