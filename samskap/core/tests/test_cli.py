"""The ``samskap`` command: demo data and a real server."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from samskap.accounts.models import Membership, Municipality, Organisation, User
from samskap.core.demo import load_demo
from samskap.registry.models import Initiative, Participation, Stage, StageChange, Story


@pytest.mark.django_db
def test_the_demo_twice_gives_the_same_counts() -> None:
    first = load_demo()
    models = (
        Municipality,
        Organisation,
        User,
        Membership,
        Initiative,
        Participation,
        StageChange,
        Story,
    )
    counts = [model.objects.count() for model in models]
    second = load_demo()
    assert second == first
    assert [model.objects.count() for model in models] == counts


@pytest.mark.django_db
def test_the_demo_covers_every_stage_sector_and_organisation_type() -> None:
    summary = load_demo()
    assert summary["municipalities"] == 2 and summary["initiatives"] >= 12
    assert set(Initiative.objects.values_list("stage", flat=True)) == set(Stage.values)
    required = {
        "elderly_care",
        "children_youth",
        "health",
        "work_inclusion",
        "culture",
        "environment",
    }
    assert required <= set(Initiative.objects.values_list("sectors__code", flat=True))
    assert Organisation.objects.count() >= 8
    assert len(set(Organisation.objects.values_list("kind", flat=True))) == 7
    assert Story.objects.filter(kind="lesson").exists()
    assert all("fiktiv" in m.name for m in Municipality.objects.all())


@pytest.mark.django_db
def test_the_demo_refuses_to_run_in_production(settings) -> None:
    from django.core.exceptions import ImproperlyConfigured

    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        load_demo()
    assert not User.objects.exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, deadline: float) -> tuple[int, str, dict]:
    """The first answer from ``url`` before ``deadline`` (monotonic), retrying while the
    server starts."""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)
        except OSError:
            time.sleep(0.2)
    return 0, "", {}


def _stop(server: subprocess.Popen) -> str:
    server.terminate()
    output, _ = server.communicate(timeout=60)
    return output


@pytest.mark.skipif("DATABASE_URL" in os.environ, reason="runs on its own SQLite file")
def test_serve_runs_gunicorn_with_the_demo_showcase_and_a_worker(tmp_path: Path) -> None:
    env = {**os.environ, "SAMSKAP_DATA_DIR": str(tmp_path)}
    samskap = [sys.executable, "-m", "samskap.cli"]
    subprocess.run([*samskap, "demo"], env=env, check=True, capture_output=True, timeout=300)
    port = free_port()
    command = [*samskap, "serve", "--port", str(port), "--workers", "1", "--with-worker"]

    def start() -> subprocess.Popen:
        return subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )

    server = start()
    try:
        deadline = time.monotonic() + 240
        status, body, headers = _get(f"http://127.0.0.1:{port}/", deadline)
        assert status == 200
        assert "Matvenner" in body  # a public demo initiative
        assert "Trygg hjemme" not in body  # an internal one
        assert headers["Server"].startswith("gunicorn")
        status, _body, _headers = _get(
            f"http://127.0.0.1:{port}/static/samskap/samskap.css", deadline
        )
        assert status == 200
        # Its own error page in bokmål, not Django's debug page with every URL pattern.
        status, body, _headers = _get(f"http://127.0.0.1:{port}/finnes-ikke/", deadline)
        assert status == 404
        assert "Vi fant ikke denne siden" in body, body[:300]
        assert "URLconf" not in body
        # The worker beside it writes its heartbeat: the readiness probe turns 200.
        while time.monotonic() < deadline:
            status, body, _headers = _get(f"http://127.0.0.1:{port}/readyz", deadline)
            if status == 200:
                break
            time.sleep(0.5)
        assert status == 200 and json.loads(body)["worker"]["ok"]
    finally:
        first = _stop(server)
    assert "Collected the static files." in first
    assert "Samskap worker" in first and "stopped" in first  # the worker ended with the server
    # Nothing changed: the second start neither migrates nor collects static files.
    server = start()
    try:
        status, _body, _headers = _get(f"http://127.0.0.1:{port}/", time.monotonic() + 240)
        assert status == 200
    finally:
        second = _stop(server)
    assert "Collected" not in second and "Applied" not in second
