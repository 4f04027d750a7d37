"""The ``samskap`` command: ``demo``, ``serve``, ``manage``, ``stats`` and ``value``.

``stats`` and ``value`` need no database: they run the pure statistics and value engines on a
file. Their modules provide ``add_arguments(parser)`` and ``run(args) -> int``.
"""

import argparse
import importlib
import os
import sys

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


def serve(args: argparse.Namespace) -> int:
    """Migrate, collect static files and run gunicorn (a real WSGI server)."""
    _setup_django()
    from django.core.management import call_command

    _prepare_database(verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    bind = f"{args.host}:{args.port}"
    print(f"Samskap is serving on http://{bind}/", flush=True)
    gunicorn_args = [
        "gunicorn",
        "samskap.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
    ]
    from gunicorn.app.wsgiapp import run

    sys.argv = gunicorn_args
    run()
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
    handler = {"demo": demo, "serve": serve, "manage": manage, **engines}[args.command]
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
