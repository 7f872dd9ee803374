"""Benchmark: field reports sent at once by many phones, beside the server's own health endpoint in the same run.

    python bench/bench_field_reports.py --requests 2000 --clients 16 --rounds 3

The small demo is loaded into an empty SURAGH_HOME and served by `suragh serve` (gunicorn, as deployed). Client
processes, each holding keep-alive connections, then send in turn:

1. `GET /healthz` (one query, no session): the baseline, what the server does with no work;
2. `POST /api/v1/field-reports` as JSON with a new `client_id` each (bearer token, validation, one insert, one
   audit event);
3. the same reports again (every one a retry, answered from the stored report: 200, nothing written);
4. reports with one 150 KB photo as multipart (Pillow decodes it, the SHA-256 is taken, the file is written).

Each phase runs `--rounds` times, alternating with the baseline; the medians are reported as requests per second and
as a ratio to the baseline.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOUNDARY = "suragh-bench-boundary"


def report(client_id: str) -> dict:
    return {
        "client_id": client_id,
        "kind": "seizure",
        "occurred_at": "2026-11-20T14:30:00+05:00",
        "district_pcode": "PK630",
        "latitude": 33.5651,
        "longitude": 73.0169,
        "place": "Faizabad interchange picket",
        "substance_code": "heroin",
        "quantity": "1.2",
        "unit": "kg",
        "conveyance": "vehicle",
        "concealment": "vehicle_cavity",
        "narrative": "Car stopped at the picket; packets found under the rear seat.",
        "persons": [{"name_latin": "Muhammad Aslam", "cnic": "35202-1234567-1", "age_years": 34, "sex": "M"}],
    }


def photo_bytes() -> bytes:
    """A phone-sized JPEG of about 150 KB (noise compresses poorly, like a real scene)."""
    from PIL import Image

    image = Image.frombytes("RGB", (640, 480), os.urandom(640 * 480 * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=60)
    return out.getvalue()


def multipart(data: dict, photo: bytes) -> bytes:
    return b"".join(
        [
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="report"\r\n\r\n'.encode(),
            json.dumps(data).encode(),
            f'\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="photos"; filename="scene.jpg"\r\n'.encode(),
            b"Content-Type: image/jpeg\r\n\r\n",
            photo,
            f"\r\n--{BOUNDARY}--\r\n".encode(),
        ]
    )


def client_worker(port: int, token: str, phase: str, client_ids: list[str], photo: bytes) -> tuple[int, list[int]]:
    """Send one request per client id over one keep-alive connection; returns (errors, status codes seen)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    auth = {"Authorization": f"Bearer {token}"}
    statuses = []
    for client_id in client_ids:
        if phase == "health":
            conn.request("GET", "/healthz")
        elif phase == "photo":
            body = multipart(report(client_id), photo)
            conn.request(
                "POST",
                "/api/v1/field-reports",
                body,
                {**auth, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
            )
        else:
            body = json.dumps(report(client_id)).encode()
            conn.request("POST", "/api/v1/field-reports", body, {**auth, "Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        statuses.append(response.status)
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.close()
    return sum(1 for s in statuses if s >= 300), sorted(set(statuses))


def run_phase(pool, port: int, token: str, phase: str, ids: list[str], clients: int, photo: bytes) -> tuple[float, set]:
    chunks = [ids[n::clients] for n in range(clients)]
    started = time.perf_counter()
    results = list(
        pool.map(client_worker, *zip(*[(port, token, phase, chunk, photo) for chunk in chunks], strict=True))
    )
    elapsed = time.perf_counter() - started
    errors = sum(r[0] for r in results)
    if errors:
        raise SystemExit(f"{phase}: {errors} requests failed; statuses {sorted({s for r in results for s in r[1]})}")
    return len(ids) / elapsed, {s for r in results for s in r[1]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit("suragh serve stopped before answering")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("suragh serve did not answer /healthz")


def token_for(port: int, username: str, password: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "POST",
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": password}),
        {"Content-Type": "application/json"},
    )
    return json.loads(conn.getresponse().read())["token"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000, help="requests per phase and round")
    parser.add_argument("--clients", type=int, default=16, help="concurrent client connections")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="suragh-bench-field-"))
    env = {**os.environ, "SURAGH_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    suragh = [sys.executable, "-m", "suragh"]
    subprocess.run(
        [*suragh, "demo", "--no-serve", "--password", "bench-pass-1"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    port = free_port()
    server = subprocess.Popen(
        [*suragh, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(port, server)
        token = token_for(port, "field.punjab", "bench-pass-1")
        photo = photo_bytes()
        rates: dict[str, list[float]] = {"health": [], "new": [], "retry": [], "photo": []}
        with ProcessPoolExecutor(max_workers=args.clients) as pool:
            for _ in range(args.rounds):
                fresh = [str(uuid.uuid4()) for _ in range(args.requests)]
                with_photo = [str(uuid.uuid4()) for _ in range(args.requests // 4)]
                for phase, ids in (("health", fresh), ("new", fresh), ("health", fresh), ("retry", fresh)):
                    rate, statuses = run_phase(pool, port, token, phase, ids, args.clients, photo)
                    expected = {"health": {200}, "new": {201}, "retry": {200}}[phase]
                    if statuses != expected:
                        raise SystemExit(f"{phase}: answered {sorted(statuses)}, expected {sorted(expected)}")
                    rates[phase].append(rate)
                rate, _ = run_phase(pool, port, token, "photo", with_photo, args.clients, photo)
                rates["photo"].append(rate)
    finally:
        server.terminate()
        server.wait(timeout=30)

    health = statistics.median(rates["health"])
    print(f"{args.requests} requests per phase, {args.clients} concurrent clients, {args.rounds} rounds (medians)")
    print(f"  GET /healthz (baseline)               {health:8.0f} req/s")
    for phase, label in (
        ("new", "POST field report, new client_id"),
        ("retry", "POST field report, a retry"),
        ("photo", "POST field report + 150 KB photo"),
    ):
        rate = statistics.median(rates[phase])
        print(f"  {label:<38} {rate:8.0f} req/s   {rate / health:.2f} of the baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
