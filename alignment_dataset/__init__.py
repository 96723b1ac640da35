"""Build the token-aligned CJKV phonemic dataset (``phonexl/cjkv-ipa``)."""
