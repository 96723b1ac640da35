"""The table declarations (g2p/<lang>/tables.py) against g2p/data, and the loader's errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import g2p
from g2p.tables import TableError, Tables, load_rows, read_table, spec

ROOT = Path(__file__).parents[1]
DATA = ROOT / "g2p" / "data"
NOT_TABLES = {"README.md"}
DECLARED = [(lang, name) for lang in g2p.LANGS for name in spec(lang).columns]


def test_every_table_file_is_declared():
    assert sorted(folder.name for folder in DATA.iterdir()) == sorted(g2p.LANGS)
    for lang in g2p.LANGS:
        files = {path.name for path in (DATA / lang).iterdir()} - NOT_TABLES
        assert files == set(spec(lang).columns), lang


@pytest.mark.parametrize(("lang", "name"), DECLARED, ids=["/".join(pair) for pair in DECLARED])
def test_declared_table_loads_and_is_read_by_its_language(lang, name):
    header, rows = load_rows(lang, name)  # the header is checked against the declaration
    assert header == spec(lang).columns[name] and rows
    sources = (ROOT / "g2p" / lang).glob("*.py")
    assert any(name in path.read_text(encoding="utf-8") for path in sources
               if path.name != "tables.py"), f"no module of g2p.{lang} reads {name}"


def test_an_undeclared_table_cannot_be_read_or_viewed():
    tables = spec("vi")
    with pytest.raises(TableError, match="not declared"):
        tables.rows("missing.tsv")
    with pytest.raises(TableError, match="not declared"):
        tables.view("missing.tsv")
    with pytest.raises(TableError, match="no column"):
        tables.mapping("onsets.tsv", "spelling", "sound")


def test_a_header_other_than_the_declared_columns_is_an_error(monkeypatch):
    monkeypatch.setattr("g2p.tables.spec", lambda lang: Tables(lang, {"onsets.tsv": "a b"}))
    with pytest.raises(TableError, match="not the declared columns"):
        load_rows.__wrapped__("vi", "onsets.tsv")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_table_errors_name_file_and_line(tmp_path):
    bad = _write(tmp_path / "bad.tsv", "# comment\nin\tout\na\tb\nc\n")
    with pytest.raises(TableError, match=r"bad.tsv:4: expected 2 fields"):
        read_table(bad)
    with pytest.raises(TableError, match="no header"):
        read_table(_write(tmp_path / "empty.tsv", "# only a comment\n"))


# Imports every module of every adapter package, then builds each adapter with its default
# options, printing the files under g2p/ (other than Python source and bytecode) that each
# step opened. An audit hook sees every open(), whatever the caller.
_PROBE = """
import importlib, json, pkgutil, sys
from pathlib import Path

import g2p

package_dir = Path(g2p.__file__).resolve().parent
opened = []


def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, Path)):
        path = Path(args[0] if not isinstance(args[0], bytes) else args[0].decode()).resolve()
        if path.is_relative_to(package_dir) and path.suffix not in (".py", ".pyc"):
            opened.append(path.relative_to(package_dir).as_posix())


sys.addaudithook(hook)
report = {}
for lang in g2p.LANGS:
    package = importlib.import_module(f"g2p.{lang}")
    for module in pkgutil.walk_packages(package.__path__, f"g2p.{lang}."):
        importlib.import_module(module.name)
report["import"], opened[:] = sorted(opened), []
for lang in g2p.LANGS:
    g2p.get_adapter(lang)
    report[lang], opened[:] = sorted(opened), []
print(json.dumps(report))
"""


def test_importing_an_adapter_opens_no_file():
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["import"] == []
    # Building an adapter reads only what its options need up front: Korean's length model.
    assert report == {"import": [], "ja": [], "ko": ["data/ko/length_weights.tsv"], "vi": [],
                      "zh": []}
