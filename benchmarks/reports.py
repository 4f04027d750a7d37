"""Benchmark of the PDF reports: each timed from a cold process and warm (issue 20).

Run from the project root::

    .venv/bin/python benchmarks/reports.py                 # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python \\
        benchmarks/reports.py                              # its own PostgreSQL database
    .venv/bin/python benchmarks/reports.py --smoke         # seconds, as CI runs it

What it builds (fixed seed): the fictional demo (``samskap demo``: Matvenner has a results
chain, indicators, a survey with paired results, a value map with its Monte Carlo, health-check
rounds and agreements), and one more municipality, "Programvik", whose coordinator's portfolio
holds ``--initiatives`` (700) initiatives — the size of a programme report — each with sectors,
a partner, a lifecycle move, a story, and two indicators with baseline, target and actual in two
periods. SQLite unless ``DATABASE_URL`` is set (then a database ``samskap_bench_reports`` is
made on that server and dropped at the end).

What it measures, each in a fresh Python process (``--child``), after ``django.setup()``:

- **cold as served**: the first request of the report in a process that first did what
  ``samskap serve`` does before its workers start (``core.startup.warm_up``: the views,
  WeasyPrint, matplotlib); also, for comparison, the first request with nothing preloaded and
  that process's whole time from start to the response;
- **warm**: the median of the next ``--runs`` requests in the same process.

Reports: the initiative PDF of Matvenner (as the demo coordinator), the demo coordinator's
portfolio PDF, and Programvik's portfolio PDF (700 initiatives). Targets: the initiative PDF
under 3 s cold and 2 s warm; the 700-initiative report under 10 s (cold and warm). Exit status
1 if a target fails; ``--smoke`` (20 initiatives, one warm run) prints the figures without
checking them. The machine's load average is printed with the figures, since a busy machine
slows them all.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

import fixtures

SEED = 20_261_207
BENCH_DB = "samskap_bench_reports"
TARGETS = {  # report: (cold s, warm s)
    "initiative": (3.0, 2.0),
    "portfolio (demo)": (None, None),
    "programme": (10.0, 10.0),
}


def build(size: int) -> None:
    """The demo, then Programvik with ``size`` initiatives (bulk inserts, one transaction),
    each also with a lifecycle move and a story."""
    import datetime

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from samskap.accounts.models import Membership, Municipality, Organisation, Role, User
    from samskap.core.demo import load_demo
    from samskap.registry.models import StageChange, Story

    call_command("migrate", interactive=False, verbosity=0)
    load_demo()
    rng = random.Random(SEED)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        place = Municipality.objects.create(
            name="Programvik kommune (fiktiv)", slug="programvik", number="9909"
        )
        user = User.objects.create_user("programkoordinator", password="bench")
        Membership.objects.create(user=user, role=Role.COORDINATOR, municipality=place)
        kinds = [value for value, _ in Organisation.kind.field.choices]
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Partner {n}",
                slug=f"partner-{n}",
                kind=kinds[n % len(kinds)],
                home_municipality=place,
            )
            for n in range(40)
        )
        initiatives, _values = fixtures.bulk_initiatives(
            rng, place, range(size), organisations, years=(today.year - 1, today.year)
        )
        StageChange.objects.bulk_create(
            StageChange(
                municipality=place,
                initiative=i,
                from_stage="idea",
                to_stage=i.stage,
                changed_at=now - datetime.timedelta(days=rng.randrange(1, 300)),
                changed_by=user,
                decision_body="Styringsgruppen",
            )
            for i in initiatives
        )
        Story.objects.bulk_create(
            Story(
                municipality=place,
                initiative=i,
                title=f"Erfaring fra tiltak {n}",
                text="Vi lærte at faste avtaler gir trygghet.",
                kind="lesson",
                date=today - datetime.timedelta(days=rng.randrange(1, 300)),
            )
            for n, i in enumerate(initiatives)
        )


REPORTS = {
    # name: (user, how to find the URL)
    "initiative": ("koordinator", "initiative"),
    "portfolio (demo)": ("koordinator", "/rapporter/portefolje.pdf"),
    "programme": ("programkoordinator", "/rapporter/portefolje.pdf"),
}


def child(name: str, runs: int, preload: bool) -> None:
    """One report in a fresh process: the first request (cold), then ``runs`` more (warm).
    With ``preload``, first what ``samskap serve`` does before its workers start."""
    started = time.perf_counter()
    fixtures.setup_django()
    if preload:
        try:
            from samskap.core.startup import warm_up
        except ImportError:  # a version before the preload (for before/after figures)
            pass
        else:
            warm_up()
    from django.test import Client

    from samskap.accounts.models import User
    from samskap.registry.models import Initiative

    username, url = REPORTS[name]
    if url == "initiative":
        url = f"/initiativ/{Initiative.objects.get(title__startswith='Matvenner').slug}/rapport.pdf"
    client = Client()
    client.force_login(User.objects.get(username=username))
    ready = time.perf_counter()
    response = client.get(url)
    cold = time.perf_counter() - ready
    total = time.perf_counter() - started
    if response.status_code != 200 or not response.content.startswith(b"%PDF"):
        raise SystemExit(f"{name}: {url} answered {response.status_code}, not a PDF")
    warm = []
    for _ in range(runs):
        began = time.perf_counter()
        client.get(url)
        warm.append(time.perf_counter() - began)
    print(
        json.dumps(
            {
                "cold": cold,
                "process": total,
                "warm": statistics.median(warm) if warm else None,
                "bytes": len(response.content),
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--initiatives", type=int, default=700)
    parser.add_argument("--runs", type=int, default=3, help="warm requests per report")
    parser.add_argument("--smoke", action="store_true", help="20 initiatives, one warm run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--preload", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.runs, args.preload)
        return 0
    if args.smoke:
        args.initiatives, args.runs = 20, 1
    admin, directory = fixtures.fresh_database(BENCH_DB)
    fixtures.setup_django()
    started = time.perf_counter()
    build(args.initiatives)
    from django.db import connection, connections

    print(
        f"database: {connection.vendor}; demo and {args.initiatives} programme initiatives "
        f"built in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    connections.close_all()
    failures = 0
    try:
        for name, (cold_target, warm_target) in TARGETS.items():
            figures = {}
            for preload in (False, True):
                command = [sys.executable, __file__, "--child", name, "--runs", str(args.runs)]
                output = subprocess.run(
                    command + ["--preload"] * preload,
                    capture_output=True,
                    text=True,
                    env=os.environ.copy(),
                )
                if output.returncode:
                    print(output.stdout + output.stderr)
                    return 1
                figures[preload] = json.loads(output.stdout.strip().splitlines()[-1])
            served = figures[True]
            checks = []
            for label, value, target in (
                ("cold as served", served["cold"], cold_target),
                ("warm", served["warm"], warm_target),
            ):
                if target is None:
                    checks.append(f"{label} {value:6.2f} s")
                    continue
                ok = value <= target
                failures += not ok and not args.smoke
                verdict = ("PASS" if ok else "FAIL") + (" (smoke: not checked)" * args.smoke)
                checks.append(f"{label} {value:6.2f} s (target < {target:g} s: {verdict})")
            print(
                f"{name:<17} " + "  ".join(checks) + f"; without preloading: first "
                f"{figures[False]['cold']:.2f} s, process start to first PDF "
                f"{figures[False]['process']:.2f} s; {served['bytes'] / 1000:.0f} kB",
                flush=True,
            )
    finally:
        fixtures.drop_database(admin, directory, BENCH_DB)
    print(f"machine load average (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("ALL PASS" if not failures else f"{failures} target(s) FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
