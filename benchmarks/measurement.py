"""Benchmark for effect measurement: importing 1,000,000 survey answers and computing the paired
results of an initiative with 100,000 participants.

Run from the project root::

    .venv/bin/python benchmarks/measurement.py                     # SQLite in a temp directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samskap_bench .venv/bin/python \\
        benchmarks/measurement.py                                  # PostgreSQL (empty database)
    .venv/bin/python benchmarks/measurement.py --participants 10000  # smaller
    .venv/bin/python benchmarks/measurement.py --smoke             # seconds, as CI runs it

What it does (fixed random seed):

1. Builds one municipality, one initiative, a survey with five single-question library items
   (life satisfaction, worthwhile, anxiety, belonging, trust) and a before and an after time
   point, and ``--participants`` pseudonymous participants (default 100,000), so the CSV holds
   participants × 2 × 5 = 1,000,000 answers (``code,time_point,item,question,value``).
2. **Bare insert** — the yardstick: the same CSV read with the ``csv`` module and its rows
   written through the database driver alone (SQLite: ``sqlite3`` ``executemany``; PostgreSQL:
   psycopg ``COPY``) into a scratch table with the same five columns and a unique index on
   (code, time point, item, question), like the answer table's, in one transaction.
3. **Import** — ``samskap.measurement.imports.import_answers``: read (Arrow's CSV reader),
   validate every row against the known codes, time points, items and scales, refuse
   duplicates and people who already answered, lock the participants against withdrawal,
   create the 200,000 responses, write the answers (COPY / executemany in batches) — all in
   one transaction, nothing stored if any row is wrong.
4. **Paired results** — ``results.survey_results`` for all five items (100,000 pairs each):
   the grouped query, the pairing and ``stats.paired`` (t, Wilcoxon, effect size, shares).

On PostgreSQL each timed phase starts after a ``CHECKPOINT`` (which needs a superuser), so
that a checkpoint caused by the writes of an earlier phase does not land in a later one.

It prints the times, the ratio import / bare insert and PASS or FAIL against the target
(import at most ``--max-ratio`` = 2 × the bare insert); exit status 1 on FAIL.

With ``DATABASE_URL`` the database must be empty apart from what ``migrate`` creates; the
benchmark deletes what it created when it is done.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

ITEMS = ["life-satisfaction", "ons-worthwhile", "ons-anxiety", "belonging", "trust-municipality"]
SEED = 20_261_123


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["SAMSKAP_DATA_DIR"] = tempfile.mkdtemp(prefix="samskap-bench-measurement-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samskap.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def build(participants: int):
    import numpy as np
    from django.db import transaction

    from samskap.accounts.models import Membership, Municipality, Role, User
    from samskap.measurement.models import (
        CODE_ALPHABET,
        LibraryIndicator,
        Participant,
        Survey,
        SurveyItem,
        TimePoint,
    )
    from samskap.registry.models import Initiative

    if Initiative.objects.exists() or User.objects.exists():
        sys.exit("The database is not empty; use an empty database made for the benchmark.")
    with transaction.atomic():
        municipality = Municipality.objects.create(name="Benchvik", slug="benchvik", number="9990")
        user = User.objects.create_user(username="bench-coordinator", password=None)
        Membership.objects.create(user=user, role=Role.COORDINATOR, municipality=municipality)
        initiative = Initiative.objects.create(
            municipality=municipality,
            title="Benchmark initiative",
            slug="benchmark-initiative",
            need="Benchmark",
            target_group="Everyone",
        )
        initiative.owners.add(municipality)
        survey = Survey.objects.create(
            initiative=initiative, title="Benchmark", purpose="-", consent_text="-"
        )
        library = {x.code: x for x in LibraryIndicator.objects.filter(code__in=ITEMS)}
        SurveyItem.objects.bulk_create(
            SurveyItem(survey=survey, library=library[code], position=n)
            for n, code in enumerate(ITEMS)
        )
        for kind in ("before", "after"):
            TimePoint.objects.create(survey=survey, kind=kind, opens_on="2025-01-01")
        rng = np.random.default_rng(SEED)
        letters = np.array(list(CODE_ALPHABET))
        codes: set[str] = set()
        while len(codes) < participants:
            for row in letters[rng.integers(0, len(letters), (participants, 8))]:
                codes.add("".join(row))
                if len(codes) == participants:
                    break
        Participant.objects.bulk_create(
            (Participant(initiative=initiative, code=code) for code in sorted(codes)),
            batch_size=10_000,
        )
    return user, survey, sorted(codes)


def write_csv(path: Path, codes: list[str]) -> int:
    import numpy as np

    rng = np.random.default_rng(SEED + 1)
    n = len(codes)
    before = rng.integers(2, 9, (len(ITEMS), n))
    after = np.clip(before + rng.integers(-2, 4, (len(ITEMS), n)), 0, 10)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "time_point", "item", "question", "value"])
        for point, values in (("before", before), ("after", after)):
            for i, item in enumerate(ITEMS):
                writer.writerows(
                    (code, point, item, 1, int(v)) for code, v in zip(codes, values[i], strict=True)
                )
                rows += n
    return rows


def bare_insert(path: Path) -> float:
    """The yardstick: csv module + the driver's bulk insert, one transaction."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_answer")
        cursor.execute(
            "CREATE TABLE bench_bare_answer (code varchar(8) NOT NULL, time_point varchar(10) "
            "NOT NULL, item varchar(60) NOT NULL, question smallint NOT NULL, value smallint "
            "NOT NULL)"
        )
        cursor.execute(
            "CREATE UNIQUE INDEX bench_bare_unique ON bench_bare_answer "
            "(code, time_point, item, question)"
        )
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, path.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        raw = cursor.cursor
        if connection.vendor == "postgresql":
            with raw.copy(
                "COPY bench_bare_answer (code, time_point, item, question, value) FROM STDIN"
            ) as copy:
                for code, point, item, question, value in reader:
                    copy.write_row((code, point, item, int(question), int(value)))
        else:
            raw.executemany(
                "INSERT INTO bench_bare_answer VALUES (?, ?, ?, ?, ?)",
                ((c, p, i, int(q), int(v)) for c, p, i, q, v in reader),
            )
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_bare_answer")
    return elapsed


def settle() -> None:
    """Start a timed phase from the same state: on PostgreSQL, write out what earlier phases
    left in the write-ahead log, so that no checkpoint of theirs lands inside this one."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")


def cleanup() -> None:
    from samskap.accounts.models import Municipality, User
    from samskap.measurement.models import Answer, Response
    from samskap.registry.models import Initiative

    Answer.objects.all().delete()
    Response.objects.all().delete()
    Initiative.objects.filter(slug="benchmark-initiative").delete()
    Municipality.objects.filter(slug="benchvik").delete()
    User.objects.filter(username="bench-coordinator").delete()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--max-ratio", type=float, default=2.0)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="1,000 participants (seconds, for CI): every phase runs and the import must "
        "succeed; the ratio is printed but not checked",
    )
    args = parser.parse_args()
    if args.smoke:
        args.participants, args.max_ratio = 1_000, float("inf")
    setup_django()
    from django.db import connection

    from samskap.accounts.access import access_for
    from samskap.measurement import imports, results
    from samskap.measurement.models import Answer

    print(f"database: {connection.vendor}")
    user, survey, codes = build(args.participants)
    try:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "answers.csv"
            rows = write_csv(path, codes)
            size = path.stat().st_size / 1e6
            print(f"CSV: {rows:,} answers, {size:.1f} MB, {len(codes):,} participants")
            settle()
            bare = bare_insert(path)
            print(f"bare insert (csv module + driver bulk insert): {bare:8.2f} s")
            settle()
            start = time.perf_counter()
            report = imports.import_answers(access=access_for(user), survey=survey, source=path)
            imported = time.perf_counter() - start
            if not report.ok:
                print("import failed:", report.errors[:5])
                return 1
            assert Answer.objects.count() == rows
            print(f"import (read, validate, responses, answers):   {imported:8.2f} s")
        ratio = imported / bare
        start = time.perf_counter()
        found = results.survey_results(survey)
        paired = time.perf_counter() - start
        pairs = found[0].result.n
        print(
            f"paired results, {len(found)} items x {pairs:,} pairs:       {paired:8.2f} s"
            f"  (e.g. {found[0].item.library.code}: mean change "
            f"{found[0].result.mean_change:+.3f}, 95 % CI {found[0].result.ci95[0]:+.3f} to "
            f"{found[0].result.ci95[1]:+.3f}, Wilcoxon {found[0].result.wilcoxon_method})"
        )
        verdict = "PASS" if ratio <= args.max_ratio else "FAIL"
        target = "not checked in a smoke run" if args.smoke else f"target <= {args.max_ratio}"
        print(f"ratio import / bare insert: {ratio:.2f} ({target}) {verdict}")
        return 0 if verdict == "PASS" else 1
    finally:
        if connection.vendor != "sqlite":
            cleanup()


if __name__ == "__main__":
    sys.exit(main())
