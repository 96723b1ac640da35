"""The PhoneXL model: phonemic input and objectives for zero-shot cross-script transfer.

Modules: `presets` (paper/tiny values, variants), `data` (reading the dataset), `batching`
(tensors, the typed `Batch`), `codeswitch` (dictionary code-switching), `crf`, `model`,
`objectives`, `scoring` (per-sentence counts), `tiny` (the CPU backbone) and `train` (one run:
``python -m phonexl.train``). The leaderboard that runs the grid is `benchmarks.leaderboard`.
"""
