"""Scale benchmark for the registry's busiest read pages.

Run from the project root::

    .venv/bin/python benchmarks/registry.py                  # sizes 500 and 50,000
    .venv/bin/python benchmarks/registry.py --sizes 500 5000 50000 --runs 30
    .venv/bin/python benchmarks/registry.py --size 5000      # one size, no comparison

Every size runs in a subprocess of this script (``--size N``), so each size gets a fresh
Django and a fresh database: the child sets ``SAMSKAP_DATA_DIR`` to a new temporary directory
before ``django.setup()`` and runs ``migrate`` there (SQLite). It builds a synthetic registry
of N initiatives with ``bulk_create`` in one transaction (fixed random seed), then measures
three pages with ``django.test.Client``:

- ``showcase search``: ``/?q=<rare word>``, anonymous. The rare word is in exactly
  ``RARE_COUNT`` public initiatives at every size, so the answer is the same and the figure
  measures the search index, not the size of the answer.
- ``showcase sector``: ``/?sector=health``, anonymous: the first page of a filter whose answer
  (and total count) grows with N.
- ``portfolio``: ``/portefolje/``, as a coordinator of the first of ten municipalities. Each
  municipality owns about N/10 initiatives; the number of pilots past their planned transition
  date is fixed (``STUCK_PER_MUNICIPALITY``), because the page lists them all.

For each page and size it records the number of SQL queries (``CaptureQueriesContext``, which
works whatever ``DEBUG`` is) and the wall time of ``client.get`` (``time.perf_counter``); the
figure is the median of ``--runs`` timed requests, each round preceded by ``--warmup`` untimed
ones. On SQLite the sizes' processes live side by side and take turns, ``--rounds`` times, so a
slow spell of a shared machine hits every size alike. The parent prints a table and checks the
targets: the number of queries does not grow with the data, and the median time at the largest
size is at most ``--max-ratio`` (3) times that at the smallest. It exits with status 1 if a
target fails. SQLite gets no ``ANALYZE`` (the application never runs it) unless ``--analyze``.

PostgreSQL (or another server database): set ``DATABASE_URL``. Every size then uses that
database, which must be an EMPTY database made for the benchmark (nothing in it but what
``migrate`` creates): the child refuses to start if it finds municipalities, users or
initiatives, runs ``VACUUM ANALYZE`` after the build (as autovacuum would), and deletes all it
created when it is done, so the next size starts empty again. The sizes then run one after the
other. (``--size N --keep`` leaves the data there, for EXPLAIN.)

The client's host is ``testserver``, which the development settings allow; with
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
SMOKE_SIZES = [200, 400]
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

WORDS = (
    "eldre",
    "omsorg",
    "ensomhet",
    "frivillig",
    "frivillighet",
    "ungdom",
    "barn",
    "familie",
    "familier",
    "helse",
    "arbeid",
    "inkludering",
    "bolig",
    "boliger",
    "nabolag",
    "kultur",
    "idrett",
    "skole",
    "skolen",
    "læring",
    "digital",
    "digitale",
    "trygghet",
    "mestring",
    "fellesskap",
    "møteplass",
    "møteplasser",
    "aktivitet",
    "aktiviteter",
    "kosthold",
    "måltid",
    "måltider",
    "transport",
    "tilgjengelighet",
    "integrering",
    "språk",
    "språkkafé",
    "innvandrere",
    "flyktninger",
    "psykisk",
    "rus",
    "forebygging",
    "hjemmetjenesten",
    "sykehjem",
    "pårørende",
    "demens",
    "velferdsteknologi",
    "bibliotek",
    "natur",
    "friluftsliv",
    "klima",
    "gjenbruk",
    "matsvinn",
    "sosial",
    "sosiale",
    "entreprenør",
    "entreprenører",
    "samskaping",
    "innbyggere",
    "kommunen",
    "tjenester",
    "utenforskap",
    "lavterskel",
    "mentor",
    "mentorer",
    "lærling",
    "praksisplass",
    "jobb",
    "bydel",
    "grendehus",
    "dugnad",
    "turgruppe",
    "turlag",
    "middag",
    "middager",
    "venner",
    "vennskap",
    "besøk",
    "besøksvenn",
    "hverdag",
    "hverdagen",
    "rehabilitering",
    "hjemme",
    "hjem",
    "nærmiljø",
    "nærmiljøet",
    "tilbud",
    "tiltak",
    "samarbeid",
    "partnerskap",
    "lag",
    "foreninger",
    "frivilligsentral",
    "kirke",
    "menighet",
    "bedrift",
    "bedrifter",
    "næringsliv",
    "arbeidsgiver",
    "arbeidsplass",
    "kompetanse",
    "opplæring",
    "kurs",
    "veiledning",
    "oppfølging",
    "samtale",
    "samtaler",
    "lytte",
    "dialog",
    "medvirkning",
    "brukere",
    "bruker",
    "tjenestedesign",
    "innsikt",
    "behov",
    "løsning",
    "løsninger",
    "pilot",
    "drift",
    "spredning",
    "evaluering",
    "effekt",
    "gevinst",
    "verdi",
    "samfunnsverdi",
    "kvalitet",
    "livskvalitet",
    "glede",
    "trivsel",
    "bevegelse",
    "trening",
    "svømming",
    "dans",
    "musikk",
    "sang",
    "kor",
    "teater",
    "kunst",
    "verksted",
    "snekring",
    "hage",
    "hager",
    "parsell",
    "grønnsaker",
    "matglede",
    "kafé",
    "kantine",
    "sjåfør",
    "skyss",
    "buss",
    "tog",
    "sykkel",
    "gåtur",
    "vinter",
    "sommer",
    "høst",
    "vår",
    "kveld",
    "helg",
    "ferie",
    "fritid",
    "fritidskort",
    "utstyr",
    "utlån",
    "utstyrssentral",
)

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
    os.environ["DJANGO_SETTINGS_MODULE"] = "samskap.settings"
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
                f"The database already holds {model.__name__} rows; the benchmark needs an "
                "empty database (see the module docstring)."
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
            lead = municipalities[m]
            owners.append(owner_link(initiative_id=initiative.pk, municipality_id=lead.pk))
            if rng.random() < 0.1:  # co-owned with a neighbour
                neighbour = municipalities[(m + 1 + rng.randrange(9)) % len(municipalities)]
                owners.append(owner_link(initiative_id=initiative.pk, municipality_id=neighbour.pk))
            for sector in rng.sample(sectors, rng.randint(1, 3)):
                sector_links.append(sector_link(initiative_id=initiative.pk, sector_id=sector.pk))
            for organisation in rng.sample(organisations, rng.randint(0, 3)):
                participations.append(
                    Participation(
                        municipality_id=lead.pk,
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
    """Planner statistics; on PostgreSQL also the visibility map for index-only scans (what
    autovacuum does soon after a bulk load)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def check_answers() -> None:
    """The fixed-size answers really are fixed (outside the timing)."""
    from django.utils import timezone

    from samskap.accounts.models import Municipality
    from samskap.registry import selectors

    found = selectors.showcase_initiatives(q=RARE_WORD).count()
    if found != RARE_COUNT:
        raise SystemExit(f"The search for {RARE_WORD!r} found {found}, not {RARE_COUNT}.")
    first = Municipality.objects.get(number=MUNICIPALITIES[0][1])
    stuck = selectors.portfolio(first, timezone.localdate())["stuck_count"]
    if stuck < STUCK_PER_MUNICIPALITY:
        raise SystemExit(
            f"The portfolio lists {stuck} stuck pilots, not {STUCK_PER_MUNICIPALITY} or more."
        )


class Pages:
    """The three pages and two clients, ready for repeated measurement in one child."""

    def __init__(self, coordinator_id: int) -> None:
        from django.test import Client

        from samskap.accounts.models import User

        self.anonymous = Client()
        self.coordinator = Client()
        self.coordinator.force_login(User.objects.get(pk=coordinator_id))

    def get(self, url: str, signed_in: bool):
        response = (self.coordinator if signed_in else self.anonymous).get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}, expected 200.")
        return response

    def measure(self, runs: int, warmup: int) -> list[dict]:
        """``warmup`` untimed then ``runs`` timed requests per page; raw times and counts."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        results = []
        for name, url, signed_in in PAGES:
            for _ in range(warmup):
                self.get(url, signed_in)
            times, counts, last = [], [], []
            for _ in range(runs):
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    self.get(url, signed_in)
                    elapsed = time.perf_counter() - start
                times.append(elapsed * 1000)
                counts.append(len(captured.captured_queries))
                last = captured.captured_queries
            slowest = sorted(last, key=lambda q: float(q["time"]), reverse=True)[:3]
            results.append(
                {
                    "page": name,
                    "times_ms": times,
                    "queries": counts,
                    "slowest": [{"ms": float(q["time"]) * 1000, "sql": q["sql"]} for q in slowest],
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
    """Build one size, then measure: once (``--json``) or on request (``--serve``)."""
    own_dir = None
    if not os.environ.get("DATABASE_URL"):
        if not args.data_dir:
            own_dir = args.data_dir = tempfile.mkdtemp(prefix=f"samskap-bench-{args.size}-")
        os.environ["SAMSKAP_DATA_DIR"] = args.data_dir
    try:
        return build_and_measure(args)
    finally:
        if own_dir:
            if args.keep:
                print(f"size {args.size:>7,}: database kept in {own_dir}", file=sys.stderr)
            else:
                shutil.rmtree(own_dir, ignore_errors=True)


def build_and_measure(args: argparse.Namespace) -> int:
    setup_django()
    from django.db import connection

    ensure_empty()
    start = time.perf_counter()
    built = build(args.size)
    build_s = time.perf_counter() - start
    server_db = bool(os.environ.get("DATABASE_URL"))
    try:
        if server_db or args.analyze:
            analyze()
        check_answers()
        pages = Pages(built.pop("coordinator_id"))
        ready = {"size": args.size, "vendor": connection.vendor, "build_s": build_s, **built}
        if not args.serve:
            result = summarise([{**ready, "rounds": [pages.measure(args.runs, args.warmup)]}])
            if args.json:
                print(json.dumps(result[0]))
            else:
                print_table(result)
            return 0
        # Serve mode: the parent asks for rounds of measurements, one line per request.
        print(json.dumps(ready), flush=True)
        for line in sys.stdin:
            command = line.split()
            if command[:1] != ["measure"]:
                break
            runs, warmup = int(command[1]), int(command[2])
            print(json.dumps(pages.measure(runs, warmup)), flush=True)
        return 0
    finally:
        if server_db and not args.keep:
            cleanup()


# --- parent: one subprocess per size, interleaved rounds, then compare --------------------


class Child:
    """One size in its own process (and, on SQLite, its own data directory)."""

    def __init__(self, size: int, args: argparse.Namespace) -> None:
        self.size = size
        self.rounds: list[list[dict]] = []
        command = [sys.executable, str(Path(__file__).resolve()), "--size", str(size), "--serve"]
        self.data_dir = None
        if not os.environ.get("DATABASE_URL"):
            self.data_dir = tempfile.mkdtemp(prefix=f"samskap-bench-{size}-")
            command += ["--data-dir", self.data_dir]
        if args.analyze:
            command.append("--analyze")
        print(f"size {size:>7,}: building …", flush=True)
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.info: dict = {}

    def _reply(self) -> object:
        line = self.process.stdout.readline()
        if not line:
            code = self.process.wait()
            raise SystemExit(f"The run for size {self.size} failed (exit status {code}).")
        return json.loads(line)

    def wait_ready(self) -> None:
        self.info = self._reply()
        print(
            f"size {self.size:>7,}: built in {self.info['build_s']:.1f} s on "
            f"{self.info['vendor']} ({self.info['initiatives']:,} initiatives, "
            f"{self.info['owner_links']:,} owner links, {self.info['sector_links']:,} sector "
            f"links, {self.info['participations']:,} participations)",
            flush=True,
        )

    def measure(self, runs: int, warmup: int) -> None:
        self.process.stdin.write(f"measure {runs} {warmup}\n")
        self.process.stdin.flush()
        self.rounds.append(self._reply())

    def finish(self, keep: bool) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait()
        if self.data_dir:
            if keep:
                print(f"size {self.size:>7,}: database kept in {self.data_dir}")
            else:
                shutil.rmtree(self.data_dir, ignore_errors=True)

    def result(self) -> dict:
        return {**self.info, "rounds": self.rounds}


def run_all(sizes: list[int], args: argparse.Namespace) -> list[dict]:
    """On SQLite all sizes live at once, each in its own process, and take turns: round by
    round, so a slow spell of the machine hits every size alike. A server database holds one
    size at a time, so the sizes run one after the other."""
    rounds = max(1, min(args.rounds, args.runs))
    per_round = [args.runs // rounds + (r < args.runs % rounds) for r in range(rounds)]
    children: list[Child] = []
    try:
        if os.environ.get("DATABASE_URL"):
            for size in sizes:
                child = Child(size, args)
                children.append(child)
                child.wait_ready()
                for runs in per_round:
                    child.measure(runs, args.warmup)
                child.finish(args.keep)
        else:
            children = [Child(size, args) for size in sizes]
            for child in children:
                child.wait_ready()
            for r, runs in enumerate(per_round):
                for child in children if r % 2 == 0 else reversed(children):
                    child.measure(runs, args.warmup)
    finally:
        for child in children:
            child.finish(args.keep)
    return summarise([child.result() for child in children])


def summarise(results: list[dict]) -> list[dict]:
    """Pool the rounds: median and minimum time, and the query counts seen."""
    summary = []
    for result in results:
        pages = []
        for name, url, _signed_in in PAGES:
            measured = [p for round_ in result["rounds"] for p in round_ if p["page"] == name]
            times = [t for p in measured for t in p["times_ms"]]
            counts = sorted({c for p in measured for c in p["queries"]})
            pages.append(
                {
                    "page": name,
                    "url": url,
                    "queries": counts[-1],
                    "queries_stable": len(counts) == 1,
                    "median_ms": statistics.median(times),
                    "min_ms": min(times),
                    "runs": len(times),
                    "slowest_queries": measured[-1]["slowest"],
                }
            )
        info = {k: v for k, v in result.items() if k != "rounds"}
        summary.append({**info, "pages": pages})
    return summary


def print_table(results: list[dict]) -> None:
    print(f"{'page':<16} {'size':>7} {'queries':>8} {'median ms':>10} {'min ms':>8} {'runs':>5}")
    for name, _url, _signed_in in PAGES:
        for result in results:
            page = next(p for p in result["pages"] if p["page"] == name)
            unstable = "" if page["queries_stable"] else " (count varies)"
            print(
                f"{name:<16} {result['size']:>7,} {page['queries']:>8} "
                f"{page['median_ms']:>10.1f} {page['min_ms']:>8.1f} {page['runs']:>5}{unstable}"
            )


def compare(results: list[dict], max_ratio: float, show_queries: bool) -> bool:
    small = min(results, key=lambda r: r["size"])
    large = max(results, key=lambda r: r["size"])
    print()
    print(
        f"Targets: the same number of queries at every size; median time at {large['size']:,} "
        f"at most {max_ratio:g} x the median time at {small['size']:,}."
    )
    ok = True
    for name, _url, _signed_in in PAGES:
        counts = [next(p for p in r["pages"] if p["page"] == name)["queries"] for r in results]
        small_page = next(p for p in small["pages"] if p["page"] == name)
        large_page = next(p for p in large["pages"] if p["page"] == name)
        queries_equal = len(set(counts)) == 1
        ratio = large_page["median_ms"] / small_page["median_ms"]
        passed = queries_equal and ratio <= max_ratio
        ok = ok and passed
        print(
            f"{name:<16} time x{ratio:<5.2f} queries "
            f"{'equal ' if queries_equal else 'DIFFER'} ({' / '.join(map(str, counts))})  "
            f"{'PASS' if passed else 'FAIL'}"
        )
        if show_queries or not passed:
            print(f"  slowest queries at {large['size']:,} (one request):")
            for query in large_page["slowest_queries"]:
                print(f"    {query['ms']:6.1f} ms  {query['sql'][:240]}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="See the module docstring for what is built and measured.",
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--runs", type=int, default=15, help="timed requests per page and size")
    parser.add_argument(
        "--warmup", type=int, default=3, help="untimed requests per page before each round"
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="turns the sizes take (the runs are split)"
    )
    parser.add_argument("--max-ratio", type=float, default=3.0)
    parser.add_argument(
        "--analyze", action="store_true", help="run ANALYZE on SQLite too (always on a server)"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the SQLite data directories (with --size and DATABASE_URL: the data)",
    )
    parser.add_argument("--show-queries", action="store_true", help="print the slowest queries")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny sizes and few runs (seconds, for CI): checks that every page works and that "
        "the query counts do not grow; the time ratio is printed but not checked",
    )
    parser.add_argument("--size", type=int, help="measure one size only, in this process")
    parser.add_argument("--json", action="store_true", help="with --size: print JSON")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.size is not None:
        return run_child(args)
    if args.smoke:
        args.sizes, args.runs, args.warmup, args.rounds = SMOKE_SIZES, 2, 1, 1
        args.max_ratio = float("inf")
    sizes = sorted(set(args.sizes))
    if len(sizes) < 2:
        parser.error("give at least two different sizes to compare")
    results = run_all(sizes, args)
    print()
    print_table(results)
    ok = compare(results, args.max_ratio, args.show_queries)
    print()
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
