"""Vietnamese G2P: written syllables to Hanoi IPA through the tables in g2p/data/vi."""

from g2p.vi.adapter import VietnameseAdapter

__all__ = ["VietnameseAdapter"]
