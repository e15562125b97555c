"""Production settings refuse to start on an unsafe environment, and pass Django's deploy checks on a good one.

Each case starts a fresh Python process with only the variables it names (plus PATH), so neither this test
run's settings nor the developer's shell can leak in.
"""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
SETUP = ["-c", "import django; django.setup()"]


@pytest.fixture
def good_env(tmp_path) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "send_mis.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "ALLOWED_HOSTS": "example.org",
        "SITE_URL": "https://example.org",
        "EMAIL_URL": "smtp+tls://user:password@smtp.example.org:587",
        "DEFAULT_FROM_EMAIL": "send-mis <send-mis@example.org>",
        "REDIS_URL": "redis://redis.invalid:6379/0",  # never connected to by these checks
    }


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=120)


def without(env: dict[str, str], name: str) -> dict[str, str]:
    return {k: v for k, v in env.items() if k != name}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        pytest.param(lambda env: {**env, "DEBUG": "true"}, "DEBUG must be off", id="debug_on"),
        pytest.param(lambda env: without(env, "SECRET_KEY"), "SECRET_KEY must be set", id="no_secret_key"),
        pytest.param(lambda env: {**env, "SECRET_KEY": "too-short"}, "SECRET_KEY must be set", id="short_secret_key"),
        pytest.param(lambda env: without(env, "DATABASE_URL"), "DATABASE_URL must be set", id="no_database_url"),
        pytest.param(lambda env: without(env, "ALLOWED_HOSTS"), "ALLOWED_HOSTS must be set", id="no_allowed_hosts"),
    ],
)
def test_production_refuses_to_start_on_an_unsafe_environment(good_env, change, problem):
    result = run(SETUP, change(good_env))

    assert result.returncode != 0
    assert "Refusing to start" in result.stderr
    assert problem in result.stderr


def test_production_starts_with_a_good_environment(good_env):
    result = run(SETUP, good_env)

    assert result.returncode == 0, result.stderr


def test_production_passes_the_deploy_checks_with_a_good_environment(good_env):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], good_env)

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_embedded_default_starts_without_any_variables():
    env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "send_mis.settings"}

    result = run(SETUP, env)

    assert result.returncode == 0, result.stderr


PRINT_CACHE = [
    "-c",
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.CACHES['default']['BACKEND'], s.CACHES['default'].get('LOCATION', ''), s.SEND_MIS_PAGE_CACHE)",
]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            lambda env: env,
            "django.core.cache.backends.redis.RedisCache redis://redis.invalid:6379/0 True",
            id="the_broker_redis",
        ),
        pytest.param(
            lambda env: {**env, "CACHE_REDIS_URL": "redis://cache.invalid:6379/0"},
            "django.core.cache.backends.redis.RedisCache redis://cache.invalid:6379/0 True",
            id="a_redis_of_its_own",
        ),
        pytest.param(
            lambda env: {**without(env, "REDIS_URL"), "DJANGO_ENV": "embedded", "DEBUG": "true"},
            "django.core.cache.backends.locmem.LocMemCache  False",
            id="embedded_in_process",
        ),
        pytest.param(
            lambda env: {**env, "SEND_MIS_PAGE_CACHE": "false"},
            "django.core.cache.backends.redis.RedisCache redis://redis.invalid:6379/0 False",
            id="turned_off",
        ),
    ],
)
def test_pages_are_cached_only_in_a_cache_every_process_shares(good_env, change, expected):
    result = run(PRINT_CACHE, change(good_env))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


PRINT_DATABASE = [
    "-c",
    "from django.conf import settings; import django; django.setup(); d = settings.DATABASES['default']; "
    "o = d.get('OPTIONS', {}); "
    "print(d['ENGINE'].rsplit('.', 1)[1], o.get('server_side_binding'), o.get('prepare_threshold', '-'), "
    "d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
]
POSTGRES_URL = "postgres://send:secret@db.invalid:5432/send_mis"  # read, never connected to


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(lambda env: {**env, "DATABASE_URL": POSTGRES_URL}, "postgresql True 1 600 True", id="postgres"),
        pytest.param(
            lambda env: {**env, "DATABASE_URL": POSTGRES_URL, "DATABASE_PREPARE_THRESHOLD": "off"},
            "postgresql True None 600 True",
            id="behind_a_pooler_that_cannot_keep_them",
        ),
        pytest.param(
            lambda env: {**env, "DATABASE_URL": POSTGRES_URL, "DATABASE_PREPARE_THRESHOLD": "5", "CONN_MAX_AGE": "60"},
            "postgresql True 5 60 True",
            id="chosen",
        ),
        pytest.param(lambda env: env, "sqlite3 None - 600 True", id="sqlite_has_no_such_options"),
    ],
)
def test_postgresql_binds_on_the_server_and_prepares_what_a_connection_repeats(good_env, change, expected):
    result = run(PRINT_DATABASE, change(good_env))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_prepare_threshold_that_is_not_a_number_is_refused_with_the_reason(good_env):
    result = run(PRINT_DATABASE, {**good_env, "DATABASE_URL": POSTGRES_URL, "DATABASE_PREPARE_THRESHOLD": "often"})

    assert result.returncode != 0
    assert "DATABASE_PREPARE_THRESHOLD must be a number of uses or off, not 'often'" in result.stderr
