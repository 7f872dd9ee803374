"""Run Suragh's whole test suite: lint, Django checks, then pytest on SQLite and on PostgreSQL side by side (under
CI, with the full-scale demo's check in a third process).

Usage: python scripts/test.py [pytest arguments]

Under CI=true the PostgreSQL server and Debian's chromium are installed with apt-get when missing,
and a test that needs either fails instead of skipping.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CI = os.environ.get("CI") == "true"
PG_PORT = int(os.environ.get("SURAGH_TEST_PG_PORT", "54329"))


def run(*cmd: str, env: dict | None = None, check: bool = True) -> int:
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, env=env, check=check).returncode


def postgres_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def weasyprint_loads() -> bool:
    """WeasyPrint (the trends report's PDF) imports only when pango's libraries are installed."""
    probe = subprocess.run([sys.executable, "-c", "import weasyprint"], capture_output=True, text=True)
    return probe.returncode == 0 or "No module named 'weasyprint'" in probe.stderr


def ensure_system_packages() -> None:
    missing = []
    if postgres_bin() is None:
        missing.append("postgresql")
    if not Path("/usr/bin/chromium").exists():
        missing.append("chromium")
    if not weasyprint_loads():
        missing += ["libpango-1.0-0", "libpangoft2-1.0-0"]
    if missing and CI:
        run("apt-get", "update", "-qq")
        run(
            "apt-get",
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            *missing,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )


def as_postgres_user(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; run its programs as the 'postgres' account then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def start_postgres(workdir: Path) -> str:
    bindir = postgres_bin()
    assert bindir is not None
    data = workdir / "pgdata"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
        shutil.chown(data, "postgres")
    subprocess.run(
        as_postgres_user(
            [str(bindir / "initdb"), "-D", str(data), "-U", "suragh", "-A", "trust", "-E", "UTF8", "--no-locale"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-p {PG_PORT} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    subprocess.run(
        as_postgres_user(
            [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(workdir / "postgres.log"), "-w", "start"]
        ),
        check=True,
    )
    return f"postgres://suragh@127.0.0.1:{PG_PORT}/suragh"


def stop_postgres(workdir: Path) -> None:
    bindir = postgres_bin()
    subprocess.run(
        as_postgres_user([str(bindir / "pg_ctl"), "-D", str(workdir / "pgdata"), "-m", "fast", "stop"]),
        check=False,
        stdout=subprocess.DEVNULL,
    )


def run_pytests(runs: list[tuple[str, list[str], dict]], pytest_args: list[str]) -> int:
    """Each run in its own process, side by side when the machine has the cores for it. Each run's output is
    shown whole, in turn, as it finishes."""
    if (os.cpu_count() or 1) < 2:
        failures = 0
        for name, marks, env in runs:
            print(f"\n=== pytest on {name} ===", flush=True)
            failures |= run(sys.executable, "-m", "pytest", *pytest_args, *marks, env=env, check=False)
        return failures
    with contextlib.ExitStack() as stack:
        pending = []
        for name, marks, env in runs:
            cmd = [sys.executable, "-m", "pytest", *pytest_args, *marks]
            log = stack.enter_context(tempfile.TemporaryFile(mode="w+"))
            print(f"+ {' '.join(cmd)}   [{name}, in parallel]", flush=True)
            process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            pending.append((name, process, log))
        failures = 0
        for name, process, log in pending:
            failures |= process.wait()
            log.seek(0)
            print(f"\n=== pytest on {name} ===", flush=True)
            shutil.copyfileobj(log, sys.stdout)
            sys.stdout.flush()
    return failures


def main(pytest_args: list[str]) -> int:
    ensure_system_packages()
    home = Path(tempfile.mkdtemp(prefix="suragh-test-"))
    env = {**os.environ, "SURAGH_HOME": str(home), "DJANGO_SETTINGS_MODULE": "suragh.settings"}
    env.pop("DATABASE_URL", None)
    started = time.monotonic()
    run(sys.executable, "-m", "ruff", "check", "suragh", "scripts", "bench")
    run(sys.executable, "-m", "django", "check", "--fail-level", "WARNING", env=env)
    run(sys.executable, "-m", "django", "makemigrations", "--check", "--dry-run", env=env)

    # CI also loads the full-scale demo once, to check it against every figure of seed 000. It is the longest
    # single test, so a whole-suite run gives it a process of its own beside the others from the start.
    if CI and not pytest_args:
        full_home = str(Path(tempfile.mkdtemp(prefix="suragh-test-full-")))
        runs = [
            (
                "SQLite, full-scale demo",
                ["-m", "full_demo"],
                {**env, "SURAGH_HOME": full_home, "SURAGH_FULL_DEMO": "1"},
            ),
            ("SQLite", ["-m", "not postgres_only and not full_demo"], env),
        ]
    else:
        runs = [("SQLite", ["-m", "not postgres_only"], {**env, "SURAGH_FULL_DEMO": "1"} if CI else env)]
    pgdir = None
    if postgres_bin() is None:
        print("\nPostgreSQL is not installed here: the PostgreSQL run is skipped.", flush=True)
        if CI:
            return 1
    else:
        pgdir = Path(tempfile.mkdtemp(prefix="suragh-pg-"))
        url = start_postgres(pgdir)
        pg_home = Path(tempfile.mkdtemp(prefix="suragh-test-pg-"))
        runs.append(
            (
                "PostgreSQL",
                ["-m", "not sqlite_only and not full_demo"],
                {**env, "SURAGH_HOME": str(pg_home), "DATABASE_URL": url},
            )
        )
    try:
        failures = run_pytests(runs, pytest_args)
    finally:
        if pgdir is not None:
            stop_postgres(pgdir)
    print(f"\nWhole suite took {time.monotonic() - started:.0f} s.", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
