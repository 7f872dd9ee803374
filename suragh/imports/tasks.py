"""The job queue: huey on SQLite beside the database by default, on Redis when SURAGH_REDIS_URL is set. The queue only
says "run job N"; everything about the job lives in the database."""

from __future__ import annotations

from django.conf import settings
from django.db import close_old_connections, connection
from huey import Huey, RedisHuey, SqliteHuey


def make_huey() -> Huey:
    config = settings.HUEY
    if config.get("redis_url"):
        return RedisHuey(config["name"], url=config["redis_url"])
    return SqliteHuey(config["name"], filename=config["filename"])


huey = make_huey()


# A job the worker could not even claim (the database busy or away for a moment) is tried again; one it claimed
# records its own failure and waits to be resumed.
@huey.task(retries=3, retry_delay=2)
def run_import_task(job_id: int) -> None:
    from .runner import run_import

    # A worker thread opens a connection for the job and closes it after (jobs are long; idle connections between
    # them only hold the database open). A job run inline (huey's immediate mode) shares its caller's connection and
    # transaction, which must be left alone.
    own_connection = not connection.in_atomic_block
    if own_connection:
        close_old_connections()
    try:
        run_import(job_id)
    finally:
        if own_connection:
            connection.close()


def enqueue_import(job_id: int) -> None:
    run_import_task(job_id)
