"""Benchmark scripts and their committed results: G2P speed and baselines, dataset build, and
the PhoneXL zero-shot leaderboard (its reference taggers, report and significance tests); the
model they train is the `phonexl` package."""
