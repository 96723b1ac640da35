"""Benchmarks: G2P speed, dataset build, and the PhoneXL zero-shot leaderboard."""
