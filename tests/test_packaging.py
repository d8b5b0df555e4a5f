"""A wheel carries the ontology, shapes, JSON-LD context and demo records: it works without the source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import PROJECT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(PROJECT)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return next(folder.glob("trialgraph-*.whl"))


def test_the_wheel_holds_the_public_contract(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("exporter/ontology/trialgraph.ttl", "exporter/ontology/context.jsonld",
                 "exporter/shapes/trialgraph.shacl.ttl", "exporter/demo/records/ictrp-export.xml"):
        assert name in names


def _venv_beside_this_one(venv: Path) -> Path:
    """A fresh venv that sees the packages this interpreter sees (the dependencies), whether it runs in a
    venv or not, but not the project itself: their folders go on its path by a ``.pth`` line each, and
    the ``.pth`` files inside them, such as an editable install's, are not read."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    own = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                         capture_output=True, text=True, check=True).stdout.strip()
    outer = [entry for entry in sys.path if Path(entry).name in ("site-packages", "dist-packages") and Path(entry).is_dir()]
    (Path(own) / "_dependencies.pth").write_text("".join(f"{entry}\n" for entry in outer))
    return python


def test_the_installed_wheel_exports_the_demo_away_from_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    python = _venv_beside_this_one(venv)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
                   check=True, capture_output=True)
    result = subprocess.run([str(venv / "bin" / "trialgraph"), "demo", "--out", str(tmp_path / "out")],
                            cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "0 rejected" in result.stdout
    where = subprocess.run([str(python), "-c", "import exporter.resources as r; print(r.shapes_file())"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert str(venv) in where and str(PROJECT) not in where


def test_every_subpackage_is_in_the_wheel(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {str(p.relative_to(PROJECT)) for p in (PROJECT / "exporter").rglob("__init__.py")}
    assert packages <= names, sorted(packages - names)
