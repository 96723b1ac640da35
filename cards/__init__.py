"""The dataset card template (package data read with importlib.resources)."""
