"""What ``samskap serve`` does before it serves, each only when needed, so that a restart with
nothing changed takes a second or two rather than 15 s (issue 14), and the warm-up that the
preloaded application does once before gunicorn forks its workers (issue 20: no user pays for
the first request).
"""

import contextlib
import hashlib
import importlib
import json
import logging
from pathlib import Path

logger = logging.getLogger(__name__)

STAMP_NAME = ".samskap-static-stamp.json"


def unapplied_migrations() -> list[str]:
    """The migrations ``migrate`` would apply (the migration executor's plan, as
    ``migrate --check`` computes it)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def migrate_if_needed(verbosity: int = 0) -> list[str]:
    pending = unapplied_migrations()
    if pending:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=verbosity)
    return pending


def static_fingerprint() -> str:
    """A hash over every static file the finders see (path, size, modification time) and the
    settings that shape the collected copy. Cheap: stat calls, no reading of file contents."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    digest = hashlib.sha256()
    digest.update(repr((settings.STATIC_URL, settings.STORAGES["staticfiles"])).encode())
    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = Path(storage.path(path)).stat()
            prefix = getattr(storage, "prefix", None) or ""
            entries.append(f"{prefix}/{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
    return digest.hexdigest()


def collectstatic_if_needed(verbosity: int = 0) -> bool:
    """Run collectstatic only when the static files changed since the last run (or the
    collected folder is gone). Returns whether it ran."""
    from django.conf import settings
    from django.core.management import call_command

    stamp = Path(settings.STATIC_ROOT) / STAMP_NAME
    fingerprint = static_fingerprint()
    try:
        if json.loads(stamp.read_text())["fingerprint"] == fingerprint:
            return False
    except (OSError, ValueError, KeyError):
        pass
    call_command("collectstatic", interactive=False, verbosity=verbosity)
    stamp.write_text(json.dumps({"fingerprint": fingerprint}))
    return True


# Modules that are slow to import and used by some pages: imported once in the gunicorn master
# (``--preload``), shared by every forked worker.
WARM_MODULES = [
    "numpy",
    "matplotlib",
    "samskap.core.charts",
    "samskap.core.pdf",
    "weasyprint",
    "openpyxl",
    "pyarrow",
]


# The print templates (compiled once per process; the report PDFs are the slowest pages).
REPORT_TEMPLATES = ("reports/initiative_report.html", "reports/portfolio_report.html")


def warm_up() -> list[str]:
    """Import what the first request would otherwise import: every view (through the URL
    configuration), the chart and PDF modules, the translation catalogues and the base
    templates. Touches no database. Returns the modules that could not be loaded (e.g.
    WeasyPrint without Pango) – they load on first use as before."""
    from django.conf import settings
    from django.db import connections
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    missing = []
    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except Exception as error:  # a missing system library must not stop the server
            logger.warning("Not preloaded: %s (%s)", name, error)
            missing.append(name)
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Samskap")
    for name in REPORT_TEMPLATES + ("base.html", "registry/showcase.html"):
        with contextlib.suppress(Exception):  # only a warm-up
            get_template(name)
    # The first PDF and the first chart of a process load the fonts (Pango, fontconfig,
    # matplotlib's font manager): done here once, before the fork, not by a user's request.
    with contextlib.suppress(Exception):
        from samskap.core.charts import new_figure, svg

        figure = new_figure(2, 1)
        figure.subplots().bar(["a", "b"], [1, 2])
        svg(figure, "Samskap", "Samskap")
    with contextlib.suppress(Exception):
        from weasyprint import HTML

        HTML(string="<p>Samskap æøå 1 234,5</p>").write_pdf()
    # Nothing may be shared across the fork.
    connections.close_all()
    return missing
