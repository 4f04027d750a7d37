"""The ``samskap`` command: demo data and a real server."""

import os
import socket
import subprocess
import sys
import time
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


@pytest.mark.skipif("DATABASE_URL" in os.environ, reason="runs on its own SQLite file")
def test_serve_runs_gunicorn_with_the_demo_showcase(tmp_path: Path) -> None:
    env = {**os.environ, "SAMSKAP_DATA_DIR": str(tmp_path)}
    samskap = [sys.executable, "-m", "samskap.cli"]
    subprocess.run([*samskap, "demo"], env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    server = subprocess.Popen(
        [*samskap, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body, server_header = "", ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:  # noqa: S310
                    body = response.read().decode()
                    server_header = response.headers["Server"]
                    break
            except OSError:
                time.sleep(0.3)
        assert "Matvenner" in body  # a public demo initiative
        assert "Trygg hjemme" not in body  # an internal one
        assert server_header.startswith("gunicorn")
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/samskap/samskap.css", timeout=5
        ) as css:  # noqa: S310
            assert css.status == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
