"""`suragh import` and `suragh worker`: the command-line side of bulk imports."""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from .choices import JobStatus
from .models import ImportJob

BAR_WIDTH = 30
SHOWN_BAD_CELLS = 50


class ProgressBar:
    """One line redrawn in place on a terminal; elsewhere (a log, a pipe) a line at each tenth of the way."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = out.isatty()
        self.last: tuple[str, int] | None = None

    def __call__(self, job: ImportJob) -> None:
        phase = {
            JobStatus.QUEUED: "waiting for a worker",
            JobStatus.VALIDATING: "checking",
            JobStatus.IMPORTING: "writing",
        }.get(job.status, job.get_status_display().lower())
        done = job.rows_checked if job.status == JobStatus.VALIDATING else job.rows_done
        percent = job.percent
        step = (phase, percent if self.tty else percent // 10)
        if step == self.last:
            return
        self.last = step
        filled = BAR_WIDTH * percent // 100
        line = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d}%  {phase} {done:,} / {job.rows_total:,} rows"
        if self.tty:
            self.out.write("\r" + line.ljust(80))
        else:
            self.out.write(line + "\n")
        self.out.flush()

    def end(self) -> None:
        if self.tty and self.last is not None:
            self.out.write("\n")


def import_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from django.core.exceptions import ValidationError

    from suragh.core.models import User
    from suragh.core.validation import error_dict

    from .actions import do_create_import_job
    from .runner import follow, run_import

    out = out or sys.stdout
    user = User.objects.filter(username=args.user, is_active=True).select_related("unit").first()
    if user is None:
        print(f"No active user is named '{args.user}'.", file=sys.stderr)
        return 2
    path = Path(args.file)
    if not path.is_file():
        print(f"{path}: no such file.", file=sys.stderr)
        return 2

    def chunks():
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                yield block

    try:
        job = do_create_import_job(
            kind=args.kind,
            file_name=path.name,
            chunks=chunks(),
            dry_run=args.dry_run,
            limit_size=False,
            enqueue=args.background,
            acting_user=user,
        )
    except ValidationError as exc:
        for field, problems in error_dict(exc).items():
            for problem in problems:
                print(f"{'' if field == '__all__' else field + ': '}{problem}", file=sys.stderr)
        return 2
    print(f"Import #{job.pk}: {path.name} ({job.size:,} bytes, SHA-256 {job.sha256})", file=out)
    bar = ProgressBar(out)
    if args.background:
        job = follow(job.pk, bar)
    else:
        job = run_import(job.pk, progress=bar)
        if job.status not in (JobStatus.INVALID, JobStatus.CHECKED, JobStatus.DONE, JobStatus.FAILED):
            job = follow(job.pk, bar)  # a worker took it first
    bar(job)
    bar.end()
    return report(job, out)


def report(job: ImportJob, out: TextIO) -> int:
    counts = (
        f"{job.rows_total:,} rows: {job.created_count:,} {'to create' if job.dry_run else 'created'}, "
        f"{job.unchanged_count:,} unchanged, {job.rejected_count:,} rejected"
    )
    if job.stall_reason:
        print(job.stall_reason, file=out)
        return 1
    if job.status == JobStatus.INVALID:
        print(f"Nothing was written: {job.bad_cells_total:,} bad cells in {job.rejected_count:,} rows.", file=out)
        for row, column, value, why in job.bad_cells[:SHOWN_BAD_CELLS]:
            print(f"  row {row}, column {column or '-'}: {value!r}: {why}", file=out)
        if job.bad_cells_total > SHOWN_BAD_CELLS:
            print(f"  … and {job.bad_cells_total - SHOWN_BAD_CELLS:,} more (see the job's page)", file=out)
        return 1
    if job.status == JobStatus.FAILED:
        print(f"{job.error} Resume it from its page or roll it back.", file=out)
        return 1
    label = "Dry run, nothing written" if job.dry_run else "Done"
    print(f"{label}: {counts}.", file=out)
    return 0


def worker_command(args: argparse.Namespace) -> int:
    """A huey consumer for import jobs, identity matching and the statistics' periodic rebuild; `--stop-with PID`
    ends it when that process (the web server) ends."""
    import suragh.people.tasks  # noqa: F401  (registers identity matching)
    import suragh.stats.tasks  # noqa: F401  (registers the periodic rebuild)

    from .tasks import huey

    consumer = huey.create_consumer(workers=args.workers, worker_type="thread", periodic=True)
    if args.stop_with:
        threading.Thread(target=_stop_with, args=(args.stop_with,), daemon=True).start()
    consumer.run()
    return 0


def _stop_with(pid: int) -> None:
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(0)
        time.sleep(1)
