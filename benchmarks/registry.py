"""Scale benchmark for the registry's busiest read pages.

Run from the project root::

    .venv/bin/python benchmarks/registry.py                  # sizes 500 and 50,000
    .venv/bin/python benchmarks/registry.py --sizes 500 5000 50000 --runs 25

For every size the script starts itself again as a subprocess (``--size N --json``), so each
size gets a fresh Django and a fresh database: a new temporary ``SAMSKAP_DATA_DIR`` with its
own SQLite file, migrated from scratch. The child builds a synthetic registry of N initiatives
with ``bulk_create`` in one transaction, then measures three pages with ``django.test.Client``:

- ``showcase search``: ``/?q=<rare word>``, anonymous. The rare word is in exactly
  ``RARE_COUNT`` public initiatives at every size, so the page shows the same answer and the
  figure measures the index, not the size of the answer.
- ``showcase sector``: ``/?sector=health``, anonymous; the first page of a filter whose
  answer (and total count) grows with N.
- ``portfolio``: ``/portefolje/``, as a coordinator of the first municipality. Every
  municipality owns about N/10 initiatives; the number of pilots past their transition date
  is fixed (``STUCK_PER_MUNICIPALITY``), because the page lists them all.

For each page it records the number of SQL queries (``CaptureQueriesContext``; works whatever
``DEBUG`` is) and the median wall time of ``client.get`` over ``--runs`` requests after
``--warmup`` requests. The parent prints a table and checks the targets: the number of queries
does not grow with the data, and the time at the largest size is at most ``--max-ratio``
(3) times the time at the smallest. It exits with status 1 if a target fails.

PostgreSQL (or another server database): set ``DATABASE_URL``. Every size then runs against
that database, which must be an EMPTY database (created for the benchmark: nothing but what
``migrate`` puts there). The child refuses to start if it finds municipalities, users or
initiatives, runs ``ANALYZE`` after the build (as autovacuum would), and deletes everything it
created when done so the next size starts empty again.

The client host is ``testserver``, which the development settings allow; with
``SAMSKAP_ENV=production`` add it to ``SAMSKAP_ALLOWED_HOSTS``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SIZES = (500, 50_000)
SEED = 20_261_123
RARE_WORD = "tangloppe"  # no vocabulary word starts with it (search matches prefixes)
RARE_COUNT = 25
STUCK_PER_MUNICIPALITY = 3
BATCH_SIZE = 1000

PAGES = (
    # (name, url, signed in as the coordinator)
    ("showcase search", f"/?q={RARE_WORD}", False),
    ("showcase sector", "/?sector=health", False),
    ("portfolio", "/portefolje/", True),
)

MUNICIPALITIES = (
    ("Fjordvik", "9901", "Vestland"),
    ("Bjørkelia", "9902", "Innlandet"),
    ("Havnes", "9903", "Nordland"),
    ("Lyngdal Øst", "9904", "Agder"),
    ("Myrvoll", "9905", "Trøndelag"),
    ("Steinsund", "9906", "Troms"),
    ("Granheim", "9907", "Viken"),
    ("Solåsen", "9908", "Rogaland"),
    ("Elvebakk", "9909", "Finnmark"),
    ("Furuberg", "9910", "Telemark"),
)

WORDS = ["eldre", "omsorg", "ensomhet", "frivillig", "frivillighet", "ungdom", "barn", "familie", "familier", "helse", "arbeid", "inkludering", "bolig", "boliger", "nabolag", "kultur", "idrett", "skole", "skolen", "læring", "digital", "digitale", "trygghet", "mestring", "fellesskap", "møteplass", "møteplasser", "aktivitet", "aktiviteter", "kosthold", "måltid", "måltider", "transport", "tilgjengelighet", "integrering", "språk", "språkkafé", "innvandrere", "flyktninger", "psykisk", "rus", "forebygging", "hjemmetjenesten", "sykehjem", "pårørende", "demens", "velferdsteknologi", "bibliotek", "natur", "friluftsliv", "klima", "gjenbruk", "matsvinn", "sosial", "sosiale", "entreprenør", "entreprenører", "samskaping", "innbyggere", "kommunen", "tjenester", "utenforskap", "lavterskel", "mentor", "mentorer", "lærling", "praksisplass", "jobb", "bydel", "grendehus", "dugnad", "turgruppe", "turlag", "middag", "middager", "venner", "vennskap", "besøk", "besøksvenn", "hverdag", "hverdagen", "rehabilitering", "hjemme", "hjem", "nærmiljø", "nærmiljøet", "tilbud", "tiltak", "samarbeid", "partnerskap", "lag", "foreninger", "frivilligsentral", "kirke", "menighet", "bedrift", "bedrifter", "næringsliv", "arbeidsgiver", "arbeidsplass", "kompetanse", "opplæring", "kurs", "veiledning", "oppfølging", "samtale", "samtaler", "lytte", "dialog", "medvirkning", "brukere", "bruker", "tjenestedesign", "innsikt", "behov", "løsning", "løsninger", "pilot", "drift", "spredning", "evaluering", "effekt", "gevinst", "verdi", "samfunnsverdi", "kvalitet", "livskvalitet", "glede", "trivsel", "bevegelse", "trening", "svømming", "dans", "musikk", "sang", "kor", "teater", "kunst", "verksted", "snekring", "hage", "hager", "parsell", "grønnsaker", "matglede", "kafé", "kantine", "sjåfør", "skyss", "buss", "tog", "sykkel", "gåtur", "vinter", "sommer", "høst", "vår", "kveld", "helg", "ferie", "fritid", "fritidskort", "utstyr", "utlån", "utstyrssentral"]

TARGET_GROUPS = (
    "Eldre som bor alene",
    "Ungdom utenfor skole og arbeid",
    "Barnefamilier med lav inntekt",
    "Nyankomne flyktninger",
    "Personer med demens og deres pårørende",
    "Unge voksne med psykiske helseplager",
    "Innbyggere i nærmiljøet",
    "Langtidsledige",
)


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


# --- child: one size, one database --------------------------------------------------------


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samskap.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def ensure_empty() -> None:
    from samskap.accounts.models import Municipality, User
    from samskap.registry.models import Initiative

    for model in (Municipality, User, Initiative):
        if model.objects.exists():
            raise SystemExit(
                f"The database already holds {model._meta.verbose_name_plural}; the benchmark "
                "needs an empty database (see the module docstring)."
            )


def build(size: int) -> dict:
    """Create the synthetic registry in one transaction; return what was made."""
    import datetime

    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from samskap.accounts.models import (
        Membership,
        Municipality,
        Organisation,
        OrganisationKind,
        Role,
        User,
    )
    from samskap.registry.models import (
        GovernanceLogic,
        IdeaProposal,
        Initiative,
        Participation,
        ParticipationRole,
        Sector,
        Stage,
        Visibility,
    )

    rng = random.Random(SEED)
    today = timezone.localdate()
    owner_link = Initiative.owners.through
    sector_link = Initiative.sectors.through
    stages = [value for value, _ in Stage.choices]
    logics = [value for value, _ in GovernanceLogic.choices]
    roles = [value for value, _ in ParticipationRole.choices]
    kinds = [value for value, _ in OrganisationKind.choices]

    with transaction.atomic():
        municipalities = Municipality.objects.bulk_create(
            Municipality(name=name, slug=slugify(name), number=number, county=county)
            for name, number, county in MUNICIPALITIES
        )
        sectors = list(Sector.objects.order_by("code"))
        if len(sectors) != 10:
            raise SystemExit("Expected the ten sectors created by registry migration 0002.")

        coordinator = User.objects.create(username="bench-coordinator", first_name="Kari")
        Membership.objects.create(
            user=coordinator, role=Role.COORDINATOR, municipality=municipalities[0]
        )
        leaders = User.objects.bulk_create(
            User(username=f"bench-leader-{n}", first_name=f"Leder {n}") for n in range(50)
        )

        n_orgs = max(40, size // 20)
        organisations = Organisation.objects.bulk_create(
            (
                Organisation(
                    name=f"{sentence(rng, 1, 3)[:-1]} {n}",
                    slug=f"org-{n}",
                    kind=kinds[n % len(kinds)],
                    home_municipality=municipalities[n % len(municipalities)],
                )
                for n in range(n_orgs)
            ),
            batch_size=BATCH_SIZE,
        )

        # Which initiatives get the rare search word: RARE_COUNT public ones at every size.
        visibility = [
            Visibility.PUBLIC if rng.random() < 0.5 else Visibility.INTERNAL for _ in range(size)
        ]
        public = [i for i, v in enumerate(visibility) if v == Visibility.PUBLIC]
        rare = set(rng.sample(public, RARE_COUNT))

        stuck_left = [STUCK_PER_MUNICIPALITY] * len(municipalities)
        initiatives = []
        for i in range(size):
            m = i % len(municipalities)
            stage = rng.choice(stages)
            if stuck_left[m] and (stage == Stage.PILOT or i >= size - 10 * len(municipalities)):
                stage = Stage.PILOT  # (the fallback guarantees the fixed count at tiny sizes)
                transition = today - datetime.timedelta(days=rng.randint(1, 400))
                stuck_left[m] -= 1
            elif stage == Stage.PILOT:
                transition = today + datetime.timedelta(days=rng.randint(1, 400))
            else:
                transition = None
            title = " ".join(rng.choices(WORDS, k=rng.randint(3, 6))).capitalize()
            need = sentence(rng, 12, 30)
            if i in rare:
                need = f"{need} {RARE_WORD.capitalize()} i fjæra."
            initiatives.append(
                Initiative(
                    municipality=municipalities[m],
                    title=title,
                    slug=f"{slugify(title)[:200]}-{i}",
                    need=need,
                    description=" ".join(sentence(rng, 8, 20) for _ in range(rng.randint(1, 4))),
                    target_group=rng.choice(TARGET_GROUPS),
                    governance_logic=rng.choice(logics),
                    stage=stage,
                    visibility=visibility[i],
                    start_date=today - datetime.timedelta(days=rng.randint(0, 2000)),
                    project_leader=rng.choice(leaders) if rng.random() < 0.7 else None,
                    operating_owner=rng.choice(organisations) if rng.random() < 0.3 else None,
                    planned_transition_date=transition,
                )
            )
        if any(stuck_left):
            raise SystemExit("Could not place the stuck pilots; use a larger size.")
        initiatives = Initiative.objects.bulk_create(initiatives, batch_size=BATCH_SIZE)
        if initiatives[0].pk is None:
            raise SystemExit("bulk_create did not return primary keys on this database.")

        owners, sector_links, participations = [], [], []
        for i, initiative in enumerate(initiatives):
            m = i % len(municipalities)
            owners.append(owner_link(initiative_id=initiative.pk, municipality_id=municipalities[m].pk))
            if rng.random() < 0.1:  # co-owned with a neighbour
                neighbour = municipalities[(m + 1 + rng.randrange(9)) % len(municipalities)]
                owners.append(owner_link(initiative_id=initiative.pk, municipality_id=neighbour.pk))
            for sector in rng.sample(sectors, rng.randint(1, 3)):
                sector_links.append(sector_link(initiative_id=initiative.pk, sector_id=sector.pk))
            for organisation in rng.sample(organisations, rng.randint(0, 3)):
                participations.append(
                    Participation(
                        municipality_id=municipalities[m].pk,
                        initiative_id=initiative.pk,
                        organisation=organisation,
                        role=rng.choice(roles),
                        start_date=initiative.start_date,
                    )
                )
        owner_link.objects.bulk_create(owners, batch_size=BATCH_SIZE)
        sector_link.objects.bulk_create(sector_links, batch_size=BATCH_SIZE)
        Participation.objects.bulk_create(participations, batch_size=BATCH_SIZE)
        IdeaProposal.objects.bulk_create(
            (
                IdeaProposal(
                    municipality=municipalities[n % len(municipalities)],
                    title=sentence(rng, 3, 6)[:-1],
                    need=sentence(rng, 10, 25),
                )
                for n in range(max(20, size // 100))
            ),
            batch_size=BATCH_SIZE,
        )
    return {
        "initiatives": len(initiatives),
        "owner_links": len(owners),
        "sector_links": len(sector_links),
        "participations": len(participations),
        "organisations": len(organisations),
        "coordinator_id": coordinator.pk,
    }


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def check_answers() -> None:
    """The fixed-size answers really are fixed (outside the timing)."""
    from django.utils import timezone

    from samskap.accounts.models import Municipality
    from samskap.registry import selectors

    found = selectors.showcase_initiatives(q=RARE_WORD).count()
    if found != RARE_COUNT:
        raise SystemExit(f"The search for {RARE_WORD!r} found {found}, not {RARE_COUNT}.")
    first = Municipality.objects.get(number=MUNICIPALITIES[0][1])
    stuck = selectors.portfolio(first, timezone.localdate())["stuck"].count()
    if stuck < STUCK_PER_MUNICIPALITY:
        raise SystemExit(f"The portfolio lists {stuck} stuck pilots, expected at least 3.")


def measure(runs: int, warmup: int, coordinator_id: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from samskap.accounts.models import User

    anonymous = Client()
    coordinator = Client()
    coordinator.force_login(User.objects.get(pk=coordinator_id))
    results = []
    for name, url, signed_in in PAGES:
        client = coordinator if signed_in else anonymous
        for _ in range(warmup):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}, expected 200.")
        times, counts, slowest = [], set(), []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - start
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}, expected 200.")
            times.append(elapsed)
            counts.add(len(captured.captured_queries))
            slowest = captured.captured_queries
        top = sorted(slowest, key=lambda q: float(q["time"]), reverse=True)[:3]
        results.append(
            {
                "page": name,
                "url": url,
                "queries": max(counts),
                "queries_stable": len(counts) == 1,
                "median_ms": statistics.median(times) * 1000,
                "min_ms": min(times) * 1000,
                "slowest_queries": [
                    {"ms": float(q["time"]) * 1000, "sql": q["sql"]} for q in top
                ],
            }
        )
    return results


def cleanup() -> None:
    """Delete everything the benchmark created (only used with DATABASE_URL)."""
    from django.contrib.sessions.models import Session
    from django.db import connection, transaction

    from samskap.accounts.models import Membership, Municipality, Organisation, User
    from samskap.registry.models import IdeaProposal, Initiative, Participation

    models = [
        Session,
        Participation,
        Initiative.owners.through,
        Initiative.sectors.through,
        IdeaProposal,
        Initiative,
        Membership,
        Organisation,
        User,
        Municipality,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def run_child(args: argparse.Namespace) -> int:
    setup_django()
    from django.db import connection

    ensure_empty()
    start = time.perf_counter()
    built = build(args.size)
    build_s = time.perf_counter() - start
    server_db = bool(os.environ.get("DATABASE_URL"))
    if server_db or args.analyze:
        analyze()
    try:
        check_answers()
        pages = measure(args.runs, args.warmup, built.pop("coordinator_id"))
    finally:
        if server_db:
            cleanup()
    result = {
        "size": args.size,
        "vendor": connection.vendor,
        "build_s": build_s,
        "built": built,
        "pages": pages,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print_table([result])
    return 0


# --- parent: one subprocess per size, then compare ----------------------------------------


def run_size(size: int, args: argparse.Namespace) -> dict:
    env = dict(os.environ)
    data_dir = None
    if not env.get("DATABASE_URL"):
        data_dir = tempfile.mkdtemp(prefix=f"samskap-bench-{size}-")
        env["SAMSKAP_DATA_DIR"] = data_dir
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--size",
        str(size),
        "--json",
        "--runs",
        str(args.runs),
        "--warmup",
        str(args.warmup),
    ]
    if args.analyze:
        command.append("--analyze")
    print(f"size {size:>7,}: building and measuring …", file=sys.stderr, flush=True)
    try:
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)
    finally:
        if data_dir and not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    if done.returncode != 0:
        raise SystemExit(f"The run for size {size} failed (exit status {done.returncode}).")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if data_dir and args.keep:
        result["data_dir"] = data_dir
    print(
        f"size {size:>7,}: built in {result['build_s']:.1f} s ({result['vendor']}"
        + (f", kept in {data_dir}" if data_dir and args.keep else "")
        + ")",
        file=sys.stderr,
        flush=True,
    )
    return result


def print_table(results: list[dict]) -> None:
    print(f"{'page':<18} {'size':>8} {'queries':>8} {'median ms':>10} {'min ms':>8}")
    for name, _url, _signed_in in PAGES:
        for result in results:
            page = next(p for p in result["pages"] if p["page"] == name)
            unstable = "" if page["queries_stable"] else " (varies)"
            print(
                f"{name:<18} {result['size']:>8,} {page['queries']:>8} "
                f"{page['median_ms']:>10.1f} {page['min_ms']:>8.1f}{unstable}"
            )


def compare(results: list[dict], max_ratio: float, show_queries: bool) -> bool:
    small = min(results, key=lambda r: r["size"])
    large = max(results, key=lambda r: r["size"])
    print()
    print(
        f"targets: queries equal at every size; median time at {large['size']:,} "
        f"<= {max_ratio:g} x median time at {small['size']:,}"
    )
    ok = True
    for name, _url, _signed_in in PAGES:
        pages = [next(p for p in r["pages"] if p["page"] == name) for r in results]
        small_page = next(p for p in small["pages"] if p["page"] == name)
        large_page = next(p for p in large["pages"] if p["page"] == name)
        queries_equal = len({p["queries"] for p in pages}) == 1
        ratio = large_page["median_ms"] / small_page["median_ms"]
        passed = queries_equal and ratio <= max_ratio
        ok = ok and passed
        print(
            f"{name:<18} time ratio {ratio:5.2f}  queries "
            f"{'equal' if queries_equal else 'DIFFER'} "
            f"({' / '.join(str(p['queries']) for p in pages)})  "
            f"{'PASS' if passed else 'FAIL'}"
        )
        if show_queries or not passed:
            print(f"  slowest queries at {large['size']:,}:")
            for query in large_page["slowest_queries"]:
                print(f"    {query['ms']:7.2f} ms  {query['sql'][:300]}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--runs", type=int, default=15, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    parser.add_argument("--max-ratio", type=float, default=3.0)
    parser.add_argument(
        "--analyze", action="store_true", help="run ANALYZE on SQLite too (always on a server)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the SQLite data directories")
    parser.add_argument("--show-queries", action="store_true", help="print the slowest queries")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.size is not None:
        return run_child(args)
    if len(set(args.sizes)) < 2:
        parser.error("give at least two different sizes to compare")
    results = [run_size(size, args) for size in sorted(set(args.sizes))]
    print()
    print_table(results)
    ok = compare(results, args.max_ratio, args.show_queries)
    print()
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
