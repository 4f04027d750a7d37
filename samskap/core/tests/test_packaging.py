"""Every file the package needs at run time is in the wheel (``pip install .``), not only in a
checkout: a data file left out of ``package-data`` breaks a fresh installation."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "samskap"


def test_package_data_covers_every_non_python_file() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["samskap"]
    covered = {path for pattern in patterns for path in PACKAGE.glob(pattern) if path.is_file()}
    needed = {
        path
        for path in PACKAGE.rglob("*")
        if path.is_file()
        and path.suffix not in (".py", ".pyc")
        and "__pycache__" not in path.parts
        and "tests" not in path.relative_to(PACKAGE).parts
    }
    assert sorted(map(str, needed - covered)) == []
