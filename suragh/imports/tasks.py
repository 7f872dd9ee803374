"""The job queue: huey on SQLite beside the database by default, on Redis when SURAGH_REDIS_URL is set. The queue only
says "run job N"; everything about the job lives in the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import close_old_connections, connection
from huey import Huey, RedisHuey, SqliteHuey


def make_huey() -> Huey:
    config = settings.HUEY
    if config.get("redis_url"):
        return RedisHuey(config["name"], url=config["redis_url"])
    return SqliteHuey(config["name"], filename=config["filename"])


huey = make_huey()


@contextmanager
def job_connection() -> Iterator[None]:
    """A worker thread opens a connection for its job and closes it after (jobs are long; idle connections between
    them only hold the database open). A job run inline (huey's immediate mode) shares its caller's connection and
    transaction, which must be left alone."""
    own = not connection.in_atomic_block
    if own:
        close_old_connections()
    try:
        yield
    finally:
        if own:
            connection.close()


# A job the worker could not even claim (the database busy or away for a moment) is tried again, for ten seconds; one
# it claimed records its own failure and waits to be resumed.
@huey.task(retries=10, retry_delay=1)
def run_import_task(job_id: int) -> None:
    from .runner import run_import

    with job_connection():
        run_import(job_id)


def enqueue_import(job_id: int) -> None:
    run_import_task(job_id)
