"""What a build depends on: code fingerprint (for resuming) and back-end versions (for the card).

The back-ends of a language are found by loading its adapter in a fresh interpreter and listing
the distributions whose modules it imported, so the card names exactly what was used::

    python -m alignment_dataset.provenance ja
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import alignment_dataset
import g2p

_PROBE_TOKENS = ["東京", "行", "서울", "Hà", "1", "A"]
# Distributions that are infrastructure, not G2P back-ends.
_NOT_BACKENDS = frozenset({"phonexl", "pip", "setuptools", "regex", "numpy", "six", "tqdm",
                           "pyyaml", "typing_extensions", "packaging", "click", "joblib"})


def code_fingerprint() -> str:
    """sha256 over the g2p and alignment_dataset sources and tables (not the sample corpus)."""
    digest = hashlib.sha256()
    for package in (g2p, alignment_dataset):
        root = Path(package.__file__).parent
        for path in sorted(root.rglob("*")):
            if path.suffix in {".py", ".tsv", ".txt", ".json"} and "sample" not in path.parts \
                    and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root.parent)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _imported_distributions() -> dict[str, str]:
    by_module = metadata.packages_distributions()
    loaded = {name.split(".")[0] for name in sys.modules}
    found = {}
    for module in loaded:
        for dist in by_module.get(module, ()):
            if dist.lower() not in _NOT_BACKENDS:
                found[dist] = metadata.version(dist)
    return dict(sorted(found.items(), key=lambda item: item[0].lower()))


def backend_versions(lang: str) -> dict[str, str]:
    """{distribution: version} of what the ``lang`` adapter imports, from a fresh interpreter."""
    probe = subprocess.run([sys.executable, "-m", __name__, lang], capture_output=True,
                           text=True, check=True)
    return json.loads(probe.stdout)


def environment() -> dict[str, str]:
    return {
        "phonexl": metadata.version("phonexl"),
        "python": platform.python_version(),
        "datasets": metadata.version("datasets"),
        "pyarrow": metadata.version("pyarrow"),
    }


def main(argv: list[str] | None = None) -> int:
    (lang,) = sys.argv[1:] if argv is None else argv
    baseline = _imported_distributions()
    g2p.get_adapter(lang).transcribe(_PROBE_TOKENS)
    used = {dist: version for dist, version in _imported_distributions().items()
            if dist not in baseline}
    print(json.dumps(used))
    return 0


if __name__ == "__main__":
    sys.exit(main())
