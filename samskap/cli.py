"""The ``samskap`` command: ``demo``, ``serve``, ``worker``, ``backup``, ``restore``, ``manage``,
``stats`` and ``value``.

``stats`` and ``value`` need no database: they run the pure statistics and value engines on a
file. Their modules provide ``add_arguments(parser)`` and ``run(args) -> int``.
"""

import argparse
import importlib
import os
import signal
import subprocess
import sys
import time

# Subcommands that live in the domain apps: name -> (module, help).
ENGINE_COMMANDS = {
    "stats": ("samskap.measurement.cli", "statistics for before/after survey data in a CSV file"),
    "value": ("samskap.valuation.cli", "compute a value map (SROI / cost-benefit) from a file"),
}


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samskap.settings")
    import django

    django.setup()


def _prepare_database(verbosity: int = 1) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def demo(args: argparse.Namespace) -> int:
    _setup_django()
    _prepare_database(verbosity=0)
    from samskap.core.demo import load_demo

    summary = load_demo()
    print("Samskap demo data (fictional):")
    for name, count in summary.items():
        print(f"  {name}: {count}")
    print(
        "Log in with any demo user (password 'samskap-demo'): "
        + ", ".join(["koordinator", "prosjektleder", "partner", "leser", "admin", "koordinator2"])
    )
    return 0


def _start_worker_beside() -> subprocess.Popen:
    """``samskap worker`` as a child process that ends with the server (also when the server
    is killed: the kernel sends it SIGTERM when its parent dies, on Linux)."""

    def die_with_parent() -> None:
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "samskap.cli", "worker"],
        preexec_fn=die_with_parent if sys.platform.startswith("linux") else None,  # noqa: PLW1509
    )


def serve(args: argparse.Namespace) -> int:
    """Migrate and collect static files when needed, then run gunicorn (a real WSGI server)
    with the application preloaded; with ``--with-worker`` also a background worker."""
    started = time.monotonic()
    # A served Samskap shows its own error pages in the reader's language, never Django's debug
    # pages (they list every URL and setting); SAMSKAP_DEBUG=true still turns them on.
    os.environ.setdefault("SAMSKAP_DEBUG", "false")
    _setup_django()
    from samskap.core.startup import collectstatic_if_needed, migrate_if_needed

    pending = migrate_if_needed()
    if pending:
        print(f"Applied {len(pending)} database migrations.", flush=True)
    if collectstatic_if_needed():
        print("Collected the static files.", flush=True)
    from django.db import connections

    connections.close_all()  # the gunicorn master forks: share no connection
    bind = f"{args.host}:{args.port}"
    gunicorn_args = [
        "gunicorn",
        "samskap.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(args.workers),
        "--preload",
        "--access-logfile",
        "-",
        "--logger-class",  # the access log masks personal-link tokens (docs/security.md)
        "samskap.core.access_log.TokenMaskingLogger",
        "--graceful-timeout",
        "20",
    ]
    from gunicorn.config import KNOWN_SETTINGS

    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        # Gunicorn ≥ 24's control socket lives in one place per user: two servers on one
        # machine would fight over it, and nothing here uses it.
        gunicorn_args.append("--no-control-socket")
    os.environ["SAMSKAP_WARM_UP"] = "1"
    worker = _start_worker_beside() if args.with_worker else None
    print(
        f"Samskap is serving on http://{bind}/"
        + (" with a background worker" if worker else "")
        + f" (ready to start after {time.monotonic() - started:.1f} s)",
        flush=True,
    )
    from gunicorn.app.wsgiapp import run

    sys.argv = gunicorn_args
    try:
        run()
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
    return 0


def worker(args: argparse.Namespace) -> int:
    """Run background tasks, deliver the outbox and run the daily jobs until stopped."""
    import logging

    _setup_django()
    from samskap.core.outbox.worker import run
    from samskap.core.startup import unapplied_migrations

    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    logging.getLogger("samskap").setLevel(logging.INFO)
    # With `serve --with-worker` the server may still be migrating: wait for it.
    deadline = time.monotonic() + args.wait_for_migrations
    while unapplied_migrations():
        if time.monotonic() > deadline:
            print(
                "The database is not migrated: run `samskap serve` or `samskap manage "
                "migrate` first.",
                file=sys.stderr,
            )
            return 1
        time.sleep(1)
    run(interval=args.interval, sweep_every=args.sweep, max_seconds=args.max_seconds)
    return 0


def backup(args: argparse.Namespace) -> int:
    """Write a consistent copy of the database to FILE while Samskap keeps running."""
    _setup_django()
    from samskap.core.backup import BackupError
    from samskap.core.backup import backup as make_backup

    try:
        path = make_backup(args.file)
    except BackupError as error:
        print(f"Backup failed: {error}", file=sys.stderr)
        return 1
    print(f"Backup written to {path} ({path.stat().st_size:,} bytes).")
    return 0


def restore(args: argparse.Namespace) -> int:
    """Replace the database with the backup in FILE (asks first unless --yes)."""
    _setup_django()
    from django.db import connection

    from samskap.core.backup import BackupError
    from samskap.core.backup import restore as restore_backup

    if not args.yes:
        if not sys.stdin.isatty():
            print("Restoring replaces every row in the database: add --yes.", file=sys.stderr)
            return 2
        answer = input(
            f"Replace the whole database {connection.settings_dict['NAME']} with {args.file}? "
            "Type 'yes': "
        )
        if answer.strip().lower() != "yes":
            print("Nothing was changed.")
            return 1
    try:
        restore_backup(args.file)
    except BackupError as error:
        print(f"Restore failed: {error}", file=sys.stderr)
        return 1
    from samskap.core.startup import migrate_if_needed

    pending = migrate_if_needed()
    print(
        f"Restored from {args.file}"
        + (f"; applied {len(pending)} newer migrations." if pending else ".")
    )
    return 0


def manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samskap.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["samskap manage", *args.rest])
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="samskap", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="create or migrate the database and load fictional demo data")
    serve_parser = commands.add_parser("serve", help="serve Samskap with gunicorn")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument("--workers", type=int, default=2)
    serve_parser.add_argument(
        "--with-worker",
        action="store_true",
        help="also run a background worker (e-mail, reminders, reports) beside the server",
    )
    worker_parser = commands.add_parser(
        "worker", help="run the background worker: e-mail delivery, reminders and tasks"
    )
    worker_parser.add_argument(
        "--interval", type=float, default=1.0, help="seconds between looks for new tasks"
    )
    worker_parser.add_argument(
        "--sweep", type=float, default=30.0, help="seconds between sweeps of the outbox"
    )
    worker_parser.add_argument(
        "--max-seconds", type=float, default=None, help="stop after this many seconds"
    )
    worker_parser.add_argument(
        "--wait-for-migrations", type=float, default=120.0, help=argparse.SUPPRESS
    )
    backup_parser = commands.add_parser(
        "backup", help="write a consistent copy of the database to FILE (while running)"
    )
    backup_parser.add_argument("file")
    restore_parser = commands.add_parser("restore", help="replace the database with a backup")
    restore_parser.add_argument("file")
    restore_parser.add_argument("--yes", action="store_true", help="do not ask first")
    manage_parser = commands.add_parser("manage", help="run a Django management command")
    manage_parser.add_argument("rest", nargs=argparse.REMAINDER)
    engines = {}
    for name, (module_name, help_text) in ENGINE_COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if hasattr(module, "add_arguments"):
            module.add_arguments(commands.add_parser(name, help=help_text))
            engines[name] = module.run
    args = parser.parse_args(argv)
    handlers = {
        "demo": demo,
        "serve": serve,
        "worker": worker,
        "backup": backup,
        "restore": restore,
        "manage": manage,
    }
    handler = {**handlers, **engines}[args.command]
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
