"""Fail if the Norwegian catalogue lacks a translation for any string the code marks.

Runs makemessages into a temporary copy of the catalogue, so the committed files stay as they
are, and compares message ids with the committed catalogue.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "samskap"
CATALOGUE = PACKAGE / "locale" / "nb" / "LC_MESSAGES" / "django.po"


def main() -> int:
    committed = polib.pofile(str(CATALOGUE))
    problems = [f"untranslated: {e.msgid!r}" for e in committed.untranslated_entries()]
    problems += [f"fuzzy: {e.msgid!r}" for e in committed.fuzzy_entries()]
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "samskap"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "tests"))
        subprocess.run(
            ["xgettext", "--version"], check=True, capture_output=True
        )  # makemessages needs GNU gettext
        subprocess.run(
            [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "-l",
                "nb",
                "--no-location",
                "--settings",
                "samskap.settings",
                "-i",
                "conftest.py",
            ],
            cwd=copy,
            check=True,
            capture_output=True,
            env={"PYTHONPATH": tmp, "PATH": "/usr/bin:/bin", "SAMSKAP_DATA_DIR": tmp + "/data"},
        )
        fresh = polib.pofile(str(copy / "locale" / "nb" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in committed if not e.obsolete}
    for entry in fresh:
        if not entry.obsolete and (entry.msgctxt, entry.msgid) not in known:
            problems.append(f"missing from the catalogue: {entry.msgid!r}")
    for problem in problems:
        print(problem)
    print(f"{len(problems)} translation problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
