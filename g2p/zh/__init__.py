"""Mandarin Chinese: context-aware pinyin readings and pinyin -> IPA tables.

Modules: :mod:`~g2p.zh.readings` (sentence readings: pypinyin phrases + g2pM),
:mod:`~g2p.zh.polyphone` (g2pM scores), :mod:`~g2p.zh.pinyin_ipa` (tables in
``g2p/data/zh/``), :mod:`~g2p.zh.numbers`, :mod:`~g2p.zh.sandhi`, :mod:`~g2p.zh.adapter`.
"""
