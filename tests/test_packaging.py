"""Packaging: one version, console scripts that name themselves, dependencies with a job,
Hugging Face caches outside the user's home."""

from __future__ import annotations

import configparser
import re
from importlib import metadata
from pathlib import Path

import pytest
from conftest import HF_HOME

import alignment_dataset
import g2p
from alignment_dataset import build
from g2p import __main__ as g2p_cli
from g2p import evaluate

ROOT = Path(__file__).resolve().parents[1]
# Where each part of setup.cfg is imported: the core by the two packages, the extras by
# their users. The test extra holds tools (pytest, ruff), not libraries.
_USERS = {"install_requires": ("g2p", "alignment_dataset"), "bench": ("benchmarks", "phonexl"),
          "compare": ("g2p",)}
_MODULE_OF = {"python-mecab-ko": "mecab"}  # distributions whose module has another name


def _requirements() -> dict[str, list[str]]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    parts = {"install_requires": config["options"]["install_requires"],
             **{extra: config["options.extras_require"][extra]
                for extra in ("bench", "compare")}}
    return {part: [re.split(r"[<>=!~;\[ ]", line.strip())[0] for line in text.splitlines()
                   if line.strip() and not line.strip().startswith("#")]
            for part, text in parts.items()}


def test_one_version_from_the_package_metadata(capsys):
    version = metadata.version("phonexl")
    assert g2p.__version__ == alignment_dataset.__version__ == version
    with pytest.raises(SystemExit) as stop:
        evaluate.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"python -m g2p.evaluate (phonexl {version})"


@pytest.mark.parametrize(("script", "module", "parser"), [
    ("phonexl-g2p", "g2p", g2p_cli.build_parser),
    ("phonexl-build", "alignment_dataset.build", build.build_parser),
])
def test_console_scripts_name_themselves(monkeypatch, script, module, parser):
    [entry] = [e for e in metadata.entry_points(group="console_scripts") if e.name == script]
    assert entry.value.split(":")[0] in (module, f"{module}.__main__")
    monkeypatch.setattr("sys.argv", [f"/venv/bin/{script}"])
    assert parser().format_usage().startswith(f"usage: {script} ")
    monkeypatch.setattr("sys.argv", [f"/src/{module.replace('.', '/')}.py"])
    assert parser().format_usage().startswith(f"usage: python -m {module} ")


def _imports(folders: tuple[str, ...]) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for folder in folders
                     for path in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("part", sorted(_USERS))
def test_every_declared_dependency_is_imported_where_it_is_declared(part):
    code = _imports(_USERS[part])
    unused = []
    for name in _requirements()[part]:
        module = _MODULE_OF.get(name, name.replace("-", "_"))
        # `import x`, `from x import`, or a lazy import by name (g2p.baselines._need("x"))
        if not re.search(rf'^\s*(?:import|from) {module}\b|"{module}"', code, re.M):
            unused.append(name)
    assert not unused, f"declared in {part} but imported by no module of {_USERS[part]}"


def test_hugging_face_caches_are_temporary():
    import datasets.config
    import huggingface_hub.constants

    for cache in (datasets.config.HF_DATASETS_CACHE, huggingface_hub.constants.HF_HUB_CACHE):
        assert Path(cache).is_relative_to(HF_HOME), cache
    assert not HF_HOME.is_relative_to(Path.home() / ".cache")


def test_ci_runs_exactly_the_readme_set_up_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Set-up: two commands", 1)[1].split("```bash\n", 1)[1]
    commands = [line for line in block.split("```", 1)[0].splitlines()
                if line and not line.startswith("#")]
    ci = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          if line.startswith("pip ")]
    assert len(commands) == 2 and ci == commands
