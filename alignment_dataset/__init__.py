"""Build the token-aligned CJKV phonemic dataset (``phonexl/cjkv-ipa``)."""

from g2p import __version__

__all__ = ["__version__"]
