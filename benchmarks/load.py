"""Load benchmark: `samskap serve --with-worker` under simulated users (issue 14).

Run from the project root::

    .venv/bin/python benchmarks/load.py                 # 50 users, 60 s, PostgreSQL
    .venv/bin/python benchmarks/load.py --smoke         # 4 users, 5 s, SQLite: seconds, for CI

The full run creates its own PostgreSQL database ``samskap_load`` on the server of
``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/postgres``), dropped first and
again at the end unless ``--keep``; ``--smoke`` uses a temporary SQLite file. It loads the demo,
prepares what the writes need (an API token, a health-check round with personal links, a survey
with participants' links), starts ``samskap serve --with-worker`` on a free loopback port, and
runs N simulated users (an asyncio client with httpx) for the given time. Each user repeats a
mix: the showcase, a search, initiative pages, the portfolio (signed in as the coordinator),
the API; and writes: a story and an indicator value through the API, health-check answers and
survey answers through their personal links (form posts with CSRF, as a browser sends them).
Every user waits 0.1–0.5 s between requests ("think time"), so 50 users are about 50 people
working fast, not 50 benchmarking loops.

It prints requests, throughput, p50/p95/p99 for reads and writes, and errors (any status other
than the expected, or a timeout). Targets: 0 errors and read p95 < 300 ms (``--max-p95``).
Exit status 1 if a target fails (``--smoke`` checks only that every request works: a few seconds
on a shared CI machine say nothing about latency). Every loop is bounded by the duration and a
request cap.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD_DB = "samskap_load"
PASSWORD = "samskap-demo"  # the demo users' password (fictional data)
MAX_REQUESTS_PER_USER = 20_000


# --- preparation (runs inside Django, in a subprocess) ---------------------------------------


def prepare(out: str) -> None:
    """Demo data plus what the writes need; writes a JSON file for the client."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samskap.settings")
    import django

    django.setup()
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=0)
    from samskap.accounts.access import access_for
    from samskap.accounts.models import ApiToken, User
    from samskap.core.demo import load_demo
    from samskap.health import services as health
    from samskap.health.models import Party
    from samskap.measurement import surveys
    from samskap.measurement.models import Indicator, Survey
    from samskap.registry.models import Initiative, Visibility

    load_demo()
    coordinator = User.objects.get(username="koordinator")
    access = access_for(coordinator)
    _token_row, api_token = ApiToken.issue(coordinator, "load benchmark")
    indicator = (
        Indicator.objects.filter(initiative__municipality__memberships__user=coordinator)
        .exclude(periods=None)
        .select_related("initiative")
        .first()
    )
    period = indicator.periods.order_by("start").first()
    # A health-check round with many respondents, on an initiative with a partner.
    initiative = (
        Initiative.objects.filter(municipality=indicator.initiative.municipality)
        .exclude(participations=None)
        .first()
    )
    partner = initiative.participations.first().organisation
    people = [
        health.RespondentSpec(f"Kommune {i}", f"load-m{i}@example.org", Party.MUNICIPALITY)
        for i in range(150)
    ] + [
        health.RespondentSpec(f"Partner {i}", f"load-p{i}@example.org", Party.PARTNER, partner)
        for i in range(150)
    ]
    _round, links = health.round_start(
        access=access,
        initiative=initiative,
        title="Lasttest",
        closes_on=timezone.localdate() + datetime.timedelta(days=30),
        set_codes=["core"],
        respondents=people,
    )
    # Survey links: a survey of the demo with participants, each with a personal link.
    survey = Survey.objects.filter(initiative__municipality=initiative.municipality).first()
    survey_tokens: list[str] = []
    if survey is not None:
        surveys.participants_create(access=access, initiative=survey.initiative, count=300)
        time_point = survey.time_points.order_by("-opens_on").first()
        survey_tokens = [
            token for _code, token in surveys.links_issue(access=access, time_point=time_point)
        ]
    public = list(
        Initiative.objects.filter(visibility=Visibility.PUBLIC).values_list("slug", flat=True)
    )
    internal = list(
        Initiative.objects.filter(
            municipality=coordinator.memberships.first().municipality
        ).values_list("slug", flat=True)
    )
    Path(out).write_text(
        json.dumps(
            {
                "api_token": api_token,
                "indicator": {
                    "slug": indicator.initiative.slug,
                    "code": indicator.code,
                    "period": period.label,
                },
                "story_slug": indicator.initiative.slug,
                "health_tokens": [token for _respondent, token in links],
                "survey_tokens": survey_tokens,
                "public": public,
                "internal": internal,
            }
        )
    )


# --- the simulated users ---------------------------------------------------------------------


@dataclass
class Stats:
    reads: list[float] = field(default_factory=list)
    writes: list[float] = field(default_factory=list)
    by_name: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RADIO = re.compile(r'<input[^>]*type="radio"[^>]*>')
ATTR = re.compile(r'(name|value)="([^"]*)"')


def radio_answers(html: str, rng: random.Random) -> dict[str, str]:
    """One chosen value for every radio group of a form (as a person clicking would)."""
    groups: dict[str, list[str]] = {}
    for tag in RADIO.findall(html):
        attrs = dict(ATTR.findall(tag))
        if "name" in attrs and "value" in attrs:
            groups.setdefault(attrs["name"], []).append(attrs["value"])
    return {name: rng.choice(values) for name, values in groups.items()}


class User:
    def __init__(
        self,
        number: int,
        base: str,
        data: dict,
        stats: Stats,
        deadline: float,
        every_kind: bool = False,
    ):
        import httpx

        self.rng = random.Random(number)
        self.data = data
        self.stats = stats
        self.deadline = deadline
        self.client = httpx.AsyncClient(base_url=base, timeout=30.0, follow_redirects=False)
        self.signed_in = False
        self.number = number
        self.every_kind = every_kind

    async def request(self, name: str, method: str, url: str, expect=(200,), write=False, **kw):
        started = time.perf_counter()
        try:
            response = await self.client.request(method, url, **kw)
        except Exception as error:  # a timeout or a refused connection is an error
            self.stats.errors.append(f"{name}: {type(error).__name__}")
            return None
        elapsed = time.perf_counter() - started
        (self.stats.writes if write else self.stats.reads).append(elapsed)
        self.stats.by_name.setdefault(name, []).append(elapsed)
        if response.status_code not in expect:
            self.stats.errors.append(f"{name}: HTTP {response.status_code} {url}")
            return None
        return response

    async def sign_in(self) -> None:
        page = await self.request("login page", "GET", "/logg-inn/")
        if page is None:
            return
        token = CSRF.search(page.text).group(1)
        done = await self.request(
            "sign in",
            "POST",
            "/logg-inn/",
            data={"username": "koordinator", "password": PASSWORD, "csrfmiddlewaretoken": token},
            expect=(302,),
            write=True,
        )
        self.signed_in = done is not None

    # Reads
    async def showcase(self):
        await self.request("showcase", "GET", "/")

    async def search(self):
        word = self.rng.choice(["mat", "eldre", "ungdom", "natur", "arbeid"])
        await self.request("search", "GET", "/", params={"q": word})

    async def initiative(self):
        slug = self.rng.choice(self.data["public"])
        await self.request("initiative", "GET", f"/initiativ/{slug}/")

    async def internal_initiative(self):
        slug = self.rng.choice(self.data["internal"])
        await self.request("initiative (signed in)", "GET", f"/initiativ/{slug}/")

    async def portfolio(self):
        await self.request("portfolio", "GET", "/portefolje/")

    async def api(self):
        await self.request("api", "GET", "/api/v1/registry/initiatives")

    # Writes
    async def story(self):
        await self.request(
            "api: story",
            "POST",
            f"/api/v1/registry/initiatives/{self.data['story_slug']}/stories",
            json={
                "title": f"Last {self.number}",
                "text": "Skrevet av lasttesten.",
                "kind": "lesson",
                "date": "2026-01-15",
            },
            headers=self.auth,
            expect=(201,),
            write=True,
        )

    async def indicator_value(self):
        indicator = self.data["indicator"]
        await self.request(
            "api: indicator value",
            "POST",
            f"/api/v1/measurement/initiatives/{indicator['slug']}/indicators/{indicator['code']}/values",
            json={
                "period": indicator["period"],
                "kind": "actual",
                "value": str(self.rng.randint(1, 500)),
            },
            headers=self.auth,
            expect=(201, 400),  # 400: someone else's newer version (a correct refusal)
            write=True,
        )

    async def _answer(self, name: str, url: str, extra: dict) -> None:
        page = await self.request(f"{name} page", "GET", url)
        if page is None:
            return
        match = CSRF.search(page.text)
        if match is None:
            self.stats.errors.append(f"{name}: no form on {url}")
            return
        form = {**radio_answers(page.text, self.rng), **extra}
        form["csrfmiddlewaretoken"] = match.group(1)
        await self.request(name, "POST", url, data=form, expect=(200, 302), write=True)

    async def health_answers(self):
        token = self.rng.choice(self.data["health_tokens"])
        # Saved, not handed in: the same link can be answered again by the next user.
        await self._answer("health-check answers", f"/helsesjekk/svar/{token}/", {"save": "1"})

    async def survey_answers(self):
        if not self.data["survey_tokens"]:
            return
        token = self.rng.choice(self.data["survey_tokens"])
        url = f"/svar/{token}/"
        page = await self.request("survey page", "GET", url)
        if page is None:
            return
        if 'name="consent"' in page.text:
            token_field = CSRF.search(page.text).group(1)
            await self.request(
                "survey consent",
                "POST",
                url,
                data={"consent": "yes", "csrfmiddlewaretoken": token_field},
                expect=(200, 302),
                write=True,
            )
        await self._answer("survey answers", url, {"save": "1"})

    async def run(self) -> None:
        self.auth = {"Authorization": f"Bearer {self.data['api_token']}"}
        anonymous = [self.showcase, self.search, self.initiative, self.api]
        staff = [self.portfolio, self.internal_initiative, self.story, self.indicator_value]
        respondent = [self.health_answers, self.survey_answers]
        # A third of the users are coordinators, the rest public visitors and respondents.
        coordinator = self.number % 3 == 0
        if coordinator:
            await self.sign_in()
        # Each kind of request once first, then a random mix. The smoke run always finishes the
        # first round (ten requests at most), so that it tries every kind even on a slow machine.
        for action in [*anonymous, *respondent, *(staff if self.signed_in else [])]:
            if time.monotonic() >= self.deadline and not self.every_kind:
                break
            await action()
            await asyncio.sleep(self.rng.uniform(0.1, 0.5))
        for _ in range(MAX_REQUESTS_PER_USER):
            if time.monotonic() >= self.deadline:
                break
            roll = self.rng.random()
            if coordinator and self.signed_in and roll < 0.5:
                action = self.rng.choice(staff)
            elif roll < 0.8:
                action = self.rng.choice(anonymous)
            else:
                action = self.rng.choice(respondent)
            await action()
            await asyncio.sleep(self.rng.uniform(0.1, 0.5))
        await self.client.aclose()


async def drive(
    base: str, data: dict, users: int, seconds: float, every_kind: bool = False
) -> tuple[Stats, float]:
    stats = Stats()
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(
        *(User(n, base, data, stats, deadline, every_kind).run() for n in range(users))
    )
    return stats, time.monotonic() - started


# --- orchestration ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database(smoke: bool, keep: bool) -> tuple[dict, callable]:
    """Environment for the server and a function that cleans up."""
    data_dir = tempfile.mkdtemp(prefix="samskap-load-")
    env = {**os.environ, "SAMSKAP_DATA_DIR": data_dir, "PYTHONPATH": str(ROOT)}
    env.pop("SAMSKAP_EMAIL_URL", None)  # messages go to files in the data directory
    if smoke:
        env.pop("DATABASE_URL", None)
        return env, lambda: None
    import dj_database_url
    import psycopg

    admin = dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    conninfo = (
        f"host={admin['HOST'] or '127.0.0.1'} port={admin['PORT'] or 5432} "
        f"user={admin['USER']} dbname=postgres"
        + (f" password={admin['PASSWORD']}" if admin.get("PASSWORD") else "")
    )

    def drop() -> None:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {LOAD_DB} WITH (FORCE)")

    drop()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {LOAD_DB}")
    password = f":{admin['PASSWORD']}" if admin.get("PASSWORD") else ""
    env["DATABASE_URL"] = (
        f"postgres://{admin['USER']}{password}@{admin['HOST'] or '127.0.0.1'}:"
        f"{admin['PORT'] or 5432}/{LOAD_DB}"
    )
    return env, (lambda: None) if keep else drop


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def ms(value: float) -> str:
    return f"{value * 1000:7.1f} ms"


def report(stats: Stats, elapsed: float, users: int, max_p95: float | None) -> bool:
    total = len(stats.reads) + len(stats.writes)
    print(
        f"users: {users}, duration: {elapsed:.1f} s, requests: {total}, "
        f"throughput: {total / elapsed:.1f} requests/s"
    )
    for label, values in (("reads", stats.reads), ("writes", stats.writes)):
        print(
            f"{label:7s} n={len(values):6d}  p50 {ms(percentile(values, 50))}  "
            f"p95 {ms(percentile(values, 95))}  p99 {ms(percentile(values, 99))}"
        )
    print("by request (n, p50, p95):")
    for name, values in sorted(stats.by_name.items()):
        print(
            f"  {name:26s} {len(values):6d}  {ms(statistics.median(values))}  "
            f"{ms(percentile(values, 95))}"
        )
    print(f"errors: {len(stats.errors)}")
    for error in sorted(set(stats.errors))[:20]:
        print(f"  {error} (×{stats.errors.count(error)})")
    read_p95 = percentile(stats.reads, 95)
    if max_p95 is None:  # the smoke run: every request must work; its timings are noise
        ok = not stats.errors and total > 0
        print(f"{'PASS' if ok else 'FAIL'}: 0 errors ({len(stats.errors)} errors)")
        return ok
    ok = not stats.errors and read_p95 < max_p95 and total > 0
    print(
        f"{'PASS' if ok else 'FAIL'}: 0 errors and read p95 < {max_p95 * 1000:.0f} ms "
        f"(read p95 {read_p95 * 1000:.1f} ms, {len(stats.errors)} errors)"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="4 users, 5 s, SQLite (for CI)")
    parser.add_argument("--users", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--max-p95", type=float, default=0.300, help="read p95 target, seconds")
    parser.add_argument("--keep", action="store_true", help="keep the samskap_load database")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        prepare(args.prepare)
        return 0
    users = args.users or (4 if args.smoke else 50)
    seconds = args.seconds or (5.0 if args.smoke else 60.0)
    workers = 2 if args.smoke else args.workers
    env, cleanup = database(args.smoke, args.keep)
    python = sys.executable
    server = None
    try:
        setup_started = time.monotonic()
        data_file = Path(env["SAMSKAP_DATA_DIR"]) / "load.json"
        subprocess.run(
            [python, str(Path(__file__).resolve()), "--prepare", str(data_file)],
            env=env,
            check=True,
            cwd=ROOT,
            timeout=900,
        )
        data = json.loads(data_file.read_text())
        port = free_port()
        server = subprocess.Popen(
            [
                python,
                "-m",
                "samskap.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--with-worker",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import httpx

        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None:
                print("FAIL: the server stopped while starting", file=sys.stderr)
                return 1
            time.sleep(0.3)
        else:
            print("FAIL: the server was not ready within 300 s", file=sys.stderr)
            return 1
        engine = "SQLite" if args.smoke else "PostgreSQL"
        print(
            f"samskap serve --with-worker --workers {workers} on {engine}, set up in "
            f"{time.monotonic() - setup_started:.0f} s; load average before: "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        stats, elapsed = asyncio.run(drive(base, data, users, seconds, args.smoke))
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        ok = report(stats, elapsed, users, None if args.smoke else args.max_p95)
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
