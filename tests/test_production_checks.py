"""Production refuses to start broken: each missing or wrong setting is a system check error with its id, which
`check --deploy` (and migrate, and gunicorn's start) report. Each case runs in a fresh process."""

from __future__ import annotations

import pytest

from tests.test_settings import good_env, run, without  # noqa: F401  (good_env is a fixture)

EXAMPLE_SECRET = "change-me-to-a-long-random-string-of-at-least-fifty-characters"
CHECK = ["manage.py", "check", "--deploy", "--fail-level", "ERROR"]


@pytest.mark.parametrize(
    ("change", "check_id"),
    [
        pytest.param(lambda env: without(env, "EMAIL_URL"), "send_mis.E001", id="no_email_url"),
        pytest.param(lambda env: {**env, "EMAIL_URL": "consolemail://"}, "send_mis.E001", id="console_email"),
        pytest.param(lambda env: without(env, "SITE_URL"), "send_mis.E002", id="no_site_url"),
        pytest.param(lambda env: {**env, "SITE_URL": "http://example.org"}, "send_mis.E002", id="http_site_url"),
        pytest.param(lambda env: without(env, "DEFAULT_FROM_EMAIL"), "send_mis.E003", id="no_from_address"),
        pytest.param(lambda env: without(env, "REDIS_URL"), "send_mis.E004", id="no_redis_url"),
        pytest.param(lambda env: {**env, "SECRET_KEY": EXAMPLE_SECRET}, "send_mis.E005", id="example_secret"),
    ],
)
def test_production_refuses_a_setting_that_would_fail_quietly(good_env, change, check_id):  # noqa: F811
    result = run(CHECK, change(good_env))

    assert result.returncode != 0
    assert check_id in result.stderr
    assert result.stderr.count("send_mis.E0") == 1  # only the setting that is wrong


def test_the_example_secret_is_the_one_in_env_example():
    from pathlib import Path

    example = (Path(__file__).resolve().parents[1] / ".env.example").read_text()
    assert f"SECRET_KEY={EXAMPLE_SECRET}" in example


def test_the_embedded_mode_needs_none_of_them():
    import os

    env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "send_mis.settings"}

    result = run(["manage.py", "check", "--fail-level", "ERROR"], env)

    assert result.returncode == 0, result.stderr
