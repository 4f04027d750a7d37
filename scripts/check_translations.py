"""Fail if a catalogue of a Nordic language lacks a translation for any string the code marks.

Every language of ``settings.LANGUAGES`` except English (the source language, which may fall
back to the message itself) must be complete: bokmål, nynorsk, Swedish and Danish.

Each app may keep its own catalogue (``samskap/<app>/locale``); the rest of the package uses
``samskap/locale``. For every catalogue, makemessages runs on a temporary copy of the package,
so the committed files stay as they are, and the fresh message ids are compared with the
committed ones.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "samskap"
NB = Path("locale") / "nb" / "LC_MESSAGES" / "django.po"
SOURCE_LANGUAGE = "en"


def checked_languages() -> list[str]:
    """The languages of the settings that must be complete: all but the source language."""
    sys.path.insert(0, str(ROOT))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samskap.settings")
    from django.conf import settings

    return [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def po_path(language: str) -> Path:
    return Path("locale") / language / "LC_MESSAGES" / "django.po"


def catalogue_dirs() -> list[Path]:
    """The package directory and every app directory with its own catalogue."""
    apps = sorted(path.parent.parent.parent.parent for path in PACKAGE.glob("*/" + str(NB)))
    return [PACKAGE, *apps]


def fresh_catalogue(tmp: str, directory: Path, ignore: list[str]) -> polib.POFile:
    copy = Path(tmp) / "samskap" / directory.relative_to(PACKAGE)
    # -P: do not put the app directory on sys.path (an app's selectors.py would shadow the
    # standard library module of that name).
    command = [sys.executable, "-P", "-m", "django", "makemessages", "-l", "nb", "--no-location"]
    command += ["--settings", "samskap.settings", "-i", "conftest.py"]
    for pattern in ignore:
        command += ["-i", pattern]
    subprocess.run(
        command,
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PYTHONPATH": tmp, "PATH": "/usr/bin:/bin", "SAMSKAP_DATA_DIR": tmp + "/data"},
    )
    return polib.pofile(str(copy / NB))


def problems_of(directory: Path, fresh: polib.POFile, language: str = "nb") -> list[str]:
    path = directory / po_path(language)
    where = path.relative_to(ROOT)
    if not path.exists():
        return [f"{where}: the catalogue is missing"]
    committed = polib.pofile(str(path))
    problems = [f"{where}: untranslated: {e.msgid!r}" for e in committed.untranslated_entries()]
    problems += [f"{where}: fuzzy: {e.msgid!r}" for e in committed.fuzzy_entries()]
    known = {(e.msgctxt, e.msgid) for e in committed if not e.obsolete}
    for entry in fresh:
        if not entry.obsolete and (entry.msgctxt, entry.msgid) not in known:
            problems.append(f"{where}: missing from the catalogue: {entry.msgid!r}")
    return problems


def main() -> int:
    subprocess.run(["xgettext", "--version"], check=True, capture_output=True)  # GNU gettext
    directories = catalogue_dirs()
    languages = checked_languages()
    app_names = [d.name for d in directories if d != PACKAGE]
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(
            PACKAGE, Path(tmp) / "samskap", ignore=shutil.ignore_patterns("__pycache__", "tests")
        )
        for directory in directories:
            ignore = app_names if directory == PACKAGE else []
            fresh = fresh_catalogue(tmp, directory, ignore)
            for language in languages:
                problems += problems_of(directory, fresh, language)
    for problem in problems:
        print(problem)
    print(
        f"{len(problems)} translation problems in {len(directories)} catalogues, "
        f"languages {', '.join(languages)}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
