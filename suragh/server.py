"""The production web server (gunicorn), used by `suragh serve` on the embedded default too, with the background
job worker beside it: a child process that stops with the server."""

from __future__ import annotations

import os
import subprocess
import sys

from gunicorn.app.base import BaseApplication


class SuraghServer(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from suragh.wsgi import application

        return application


def start_worker() -> subprocess.Popen | None:
    """`suragh worker` as a child; SURAGH_SERVE_WORKER=0 leaves jobs to a worker run on its own (production)."""
    if os.environ.get("SURAGH_SERVE_WORKER", "1") == "0":
        return None
    return subprocess.Popen([sys.executable, "-m", "suragh", "worker", "--stop-with", str(os.getpid())])


def stop_worker(worker: subprocess.Popen | None) -> None:
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()


def run_server(host: str, port: int) -> None:
    worker = start_worker()
    try:
        _serve(host, port, worker)
    finally:
        stop_worker(worker)


def _serve(host: str, port: int, worker: subprocess.Popen | None) -> None:
    SuraghServer(
        {
            "bind": f"{host}:{port}",
            "workers": int(os.environ.get("SURAGH_WORKERS", "2")),
            "worker_class": "gthread",
            "threads": int(os.environ.get("SURAGH_THREADS", "4")),
            "accesslog": "-",
            # Requests to the tip line are logged without the sender's address, browser or query string.
            "logger_class": "suragh.tips.accesslog.TipPrivateAccessLog",
            "timeout": 120,
            "on_exit": lambda server: stop_worker(worker),
        }
    ).run()
