"""The PhoneXL benchmark: phonemic input and objectives for zero-shot cross-script transfer.

Modules: `presets` (paper/tiny values, variants), `data` (reading the dataset), `batching`
(tensors), `codeswitch` (dictionary code-switching), `crf`, `model`, `objectives`, `tiny`
(the CPU backbone) and `train` (one run); `benchmarks.leaderboard` runs the grid.
"""
