"""The hourly allowance is one count for every server process: the default cache is files under SURAGH_HOME
(or Redis when SURAGH_REDIS_URL is set), which every gunicorn worker on the machine opens for itself, and an
hour's secret does not outlive its hour there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory

from suragh.tips import ratelimit
from suragh.tips.conftest import cache_contents

ROOT = Path(__file__).resolve().parents[3]
ADDRESS = "203.0.113.77"


def request_from(address: str = ADDRESS):
    return RequestFactory().post("/tips/", REMOTE_ADDR=address)


def configured_caches(home: Path, **environ: str) -> dict:
    """settings.CACHES as a freshly started server process reads it from its environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("SURAGH_REDIS_URL", "DATABASE_URL")}
    env.update(SURAGH_HOME=str(home), **environ)
    shown = subprocess.run(
        [sys.executable, "-c", "import json, suragh.settings as s; print(json.dumps(s.CACHES))"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(shown.stdout)["default"]


def test_the_default_cache_is_files_under_suragh_home(tmp_path):
    default = configured_caches(tmp_path)
    assert default["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert default["LOCATION"] == str(tmp_path / "cache")


def test_the_cache_is_the_jobs_redis_when_suragh_redis_url_is_set(tmp_path):
    default = configured_caches(tmp_path, SURAGH_REDIS_URL="redis://cache.internal:6379/2")
    assert default["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert default["LOCATION"] == "redis://cache.internal:6379/2"


def test_two_connections_to_one_cache_folder_count_together(settings, monkeypatch, tmp_path):
    """Two gunicorn workers are two processes, each with its own cache object on the same folder."""
    settings.SURAGH_TIPS_PER_HOUR = 3
    workers = [FileBasedCache(str(tmp_path / "shared"), {}), FileBasedCache(str(tmp_path / "shared"), {})]
    answers = []
    for turn in range(4):
        monkeypatch.setattr(ratelimit, "cache", workers[turn % 2])
        answers.append(ratelimit.allow(request_from(), "tip"))
    assert answers == [True, True, True, False]
    monkeypatch.setattr(ratelimit, "cache", workers[1])
    assert ratelimit.allow(request_from("198.51.100.4"), "tip")


def test_memory_caches_would_count_each_process_apart(settings, monkeypatch):
    """What the file cache replaced: each process's memory holds its own count, so two workers allowed twice."""
    settings.SURAGH_TIPS_PER_HOUR = 3
    workers = [LocMemCache("worker-1", {}), LocMemCache("worker-2", {})]
    answers = []
    for turn in range(6):
        monkeypatch.setattr(ratelimit, "cache", workers[turn % 2])
        answers.append(ratelimit.allow(request_from(), "tip"))
    assert answers == [True] * 6


COUNT_IN_A_PROCESS = """
import django, json, sys
django.setup()
from django.test import RequestFactory
from suragh.tips import ratelimit
from suragh.tips.conftest import cache_contents
answers = [ratelimit.allow(RequestFactory().post("/tips/", REMOTE_ADDR="203.0.113.77"), "tip") for _ in range(2)]
print(json.dumps(answers))
"""


def test_two_server_processes_count_one_allowance(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SURAGH_REDIS_URL", "DATABASE_URL")}
    env.update(SURAGH_HOME=str(tmp_path), SURAGH_TIPS_PER_HOUR="3", DJANGO_SETTINGS_MODULE="suragh.settings")
    answers = []
    for _ in range(2):
        ran = subprocess.run(
            [sys.executable, "-c", COUNT_IN_A_PROCESS], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        answers += json.loads(ran.stdout)
    assert answers == [True, True, True, False]
    assert (tmp_path / "cache").is_dir()


def test_an_hours_secret_is_deleted_from_the_folder_when_the_next_hour_begins(monkeypatch, cache_dir):
    now = time.time()
    window = int(now // ratelimit.WINDOW_SECONDS)
    assert ratelimit.allow(request_from(), "tip")
    secret = ratelimit.cache.get(ratelimit.secret_key(window))
    assert len(secret) == 32

    assert secret in cache_contents(cache_dir)
    monkeypatch.setattr(ratelimit.time, "time", lambda: now + 3 * ratelimit.WINDOW_SECONDS)
    assert ratelimit.allow(request_from(), "tip")
    assert secret not in cache_contents(cache_dir)
    assert ratelimit.cache.get(ratelimit.secret_key(window)) is None
    assert ratelimit.cache.get(ratelimit.secret_key(window + 3)) not in (None, secret)


@pytest.mark.parametrize("hours_idle", [1, 5])
def test_the_previous_hours_secret_is_gone_however_long_the_line_was_quiet(monkeypatch, cache_dir, hours_idle):
    now = time.time()
    window = int(now // ratelimit.WINDOW_SECONDS)
    ratelimit.allow(request_from(), "tip")
    monkeypatch.setattr(ratelimit.time, "time", lambda: now + hours_idle * ratelimit.WINDOW_SECONDS)
    ratelimit.allow(request_from(), "tip")
    assert [ratelimit.cache.get(ratelimit.secret_key(w)) is None for w in (window, window + hours_idle)] == [
        True,
        False,
    ]
