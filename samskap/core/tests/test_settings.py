"""The settings module refuses unsafe production configurations."""

import os
import subprocess
import sys

import pytest


def load_settings(**env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("SAMSKAP_") and k != "DATABASE_URL"
    }
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import samskap.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


STRONG_KEY = "v8Jk2-pQz7_Lr4XwN9sTe1Hy6BcMa3UdFo0GiKn5RtWb8YxZl2Pq"


def test_production_refuses_the_development_key(tmp_path) -> None:
    result = load_settings(
        SAMSKAP_ENV="production", SAMSKAP_DEBUG="false", SAMSKAP_DATA_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "SAMSKAP_SECRET_KEY" in result.stderr


def test_production_refuses_debug(tmp_path) -> None:
    result = load_settings(
        SAMSKAP_ENV="production",
        SAMSKAP_DEBUG="true",
        SAMSKAP_SECRET_KEY="x" * 50,
        SAMSKAP_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SAMSKAP_DEBUG must be off" in result.stderr


def test_production_starts_with_a_real_key(tmp_path) -> None:
    result = load_settings(
        SAMSKAP_ENV="production", SAMSKAP_SECRET_KEY=STRONG_KEY, SAMSKAP_DATA_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def test_development_defaults_to_sqlite_in_the_data_dir(tmp_path) -> None:
    result = load_settings(SAMSKAP_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]
    assert tmp_path.exists()


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_it_rejects_a_bad_boolean(tmp_path, value: str) -> None:
    result = load_settings(SAMSKAP_DEBUG=value, SAMSKAP_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SAMSKAP_DEBUG must be true or false" in result.stderr


def test_production_refuses_a_key_of_one_repeated_letter(tmp_path) -> None:
    for weak in ("k" * 50, "abcd" * 13, "x" * 36):
        result = load_settings(
            SAMSKAP_ENV="production", SAMSKAP_SECRET_KEY=weak, SAMSKAP_DATA_DIR=str(tmp_path)
        )
        assert result.returncode != 0, weak
        assert "at least 10 different characters" in result.stderr


def test_the_deployment_check_is_clean_in_production(tmp_path) -> None:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process (Playwright runs an event
    # loop); a production server never has it, and the deployment check rightly refuses it.
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SAMSKAP_") and k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        SAMSKAP_ENV="production",
        SAMSKAP_SECRET_KEY=STRONG_KEY,
        SAMSKAP_ALLOWED_HOSTS="samskap.example.no",
        SAMSKAP_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="samskap.settings",
    )
    command = [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    settings = subprocess.run(
        [
            sys.executable,
            "-c",
            "import samskap.settings as s; "
            "print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert settings.stdout.split() == ["True", "31536000", "True"]
