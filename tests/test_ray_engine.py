"""--engine ray on a local Ray (2 CPUs): the same shards, byte for byte, as the local engine.

One Ray for the module (it takes seconds to start), with its files in a temporary folder;
``ray.shutdown()`` at the end stops every process it started. Skipped without the ``ray`` extra.
"""

from __future__ import annotations

import shutil
import tempfile

import pytest

from alignment_dataset import provenance
from alignment_dataset.build import main

ray = pytest.importorskip("ray", reason="Ray is the [ray] extra: pip install -e '.[ray]'")
pytest.importorskip("ray.data", reason="Ray Data is the [ray] extra: pip install -e '.[ray]'")

LINES = ["Tôi yêu Hà Nội .", "", "!!!", "😀👍🏽", "Anh ấy mua 3 cái áo .", "iPhone và Hà Nội"] * 8

@pytest.fixture(autouse=True)
def same_code(monkeypatch):
    """Keys without the code's checksum: another edit of the tree mid-test changes no name."""
    monkeypatch.setattr(provenance, "code_fingerprint", lambda: "code")



@pytest.fixture(scope="module")
def local_ray():
    """A 2-CPU Ray writing only into a temporary folder (no ~/.ray/auth_token either)."""
    folder = tempfile.mkdtemp(prefix="ray-", dir="/tmp")  # short: Ray's sockets live there
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAY_AUTH_MODE", "disabled")
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, _temp_dir=folder)
        yield
        ray.shutdown()
    shutil.rmtree(folder, ignore_errors=True)


def build(out, source, *args: str) -> int:
    return main(["--lang", "vi", "--task", "text", "--source", str(source), "--out", str(out),
                 "--shard-lines", "10", "--workers", "2", "--no-progress", *args])


def files(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.parquet"))}


def test_ray_and_local_write_the_same_bytes(local_ray, tmp_path):
    source = tmp_path / "corpus-vi.txt"
    source.write_text("".join(f"{line}\n" for line in LINES), encoding="utf-8")
    assert build(tmp_path / "ray", source, "--engine", "ray") == 0
    assert build(tmp_path / "local", source) == 0
    built = files(tmp_path / "ray" / "text.vi")
    assert len(built) == 5 and built == files(tmp_path / "local" / "text.vi")


def test_a_bad_line_on_ray_is_one_error_line(local_ray, tmp_path, capsys):
    source = tmp_path / "corpus-vi.txt"
    source.write_bytes(b"Xin ch\xc3\xa0o\n" * 12 + b"bad \xff\n")
    assert build(tmp_path / "out", source, "--engine", "ray") == 1
    assert f"\nerror: {source}:13: not UTF-8" in capsys.readouterr().err
