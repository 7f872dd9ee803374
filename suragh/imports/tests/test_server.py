"""`suragh serve` runs the job worker as its child, and the worker ends with the server even if the server is killed
without a chance to stop it."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from suragh.server import stop_worker


def wait_until_ended(process: subprocess.Popen, seconds: float) -> int | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return process.returncode
        time.sleep(0.2)
    return None


def test_the_worker_ends_with_the_process_it_serves_beside(tmp_path):
    env = {**os.environ, "SURAGH_HOME": str(tmp_path)}
    server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    worker = subprocess.Popen(
        [sys.executable, "-m", "suragh", "worker", "--stop-with", str(server.pid)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)
        assert worker.poll() is None, "the worker should run while the server runs"
        server.kill()
        server.wait()
        assert wait_until_ended(worker, 20) == 0
    finally:
        server.kill()
        stop_worker(worker)


def test_stopping_the_server_stops_its_worker(tmp_path):
    worker = subprocess.Popen(
        [sys.executable, "-m", "suragh", "worker"],
        env={**os.environ, "SURAGH_HOME": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(3)
    stop_worker(worker)
    assert worker.poll() is not None
