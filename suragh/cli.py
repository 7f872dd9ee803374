"""The `suragh` command: set up, load demo data, serve, verify the audit chain."""

from __future__ import annotations

import argparse
import os
import sys


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suragh.settings")
    import django

    django.setup()


def prepare_database(verbosity: int = 0) -> None:
    """Migrate and load the reference data; safe to run any number of times."""
    from django.core.management import call_command

    from suragh.core.reference import load_reference_data

    call_command("migrate", interactive=False, verbosity=verbosity)
    load_reference_data()


def cmd_demo(args: argparse.Namespace) -> int:
    from django.conf import settings

    from suragh.demo.generate import load_demo

    print(f"Suragh home: {settings.SURAGH_HOME}" if "DATABASE_URL" not in os.environ else "Database: DATABASE_URL")
    prepare_database()
    summary = load_demo(scale=args.scale, password=args.password, progress=print)
    print(summary.describe())
    if args.no_serve:
        return 0
    return serve(args.host, args.port)


def cmd_serve(args: argparse.Namespace) -> int:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("The database is not set up: run `suragh migrate` or `suragh demo` first.", file=sys.stderr)
        return 2
    return serve(args.host, args.port)


def serve(host: str, port: int) -> int:
    from django.core.management import call_command

    from suragh.server import run_server

    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"Serving Suragh on http://{host}:{port}/  (Ctrl+C stops)")
    run_server(host, port)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    prepare_database(verbosity=1)
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from suragh.core.audit import verify_chain
    from suragh.core.models import AuditEvent

    problem = verify_chain()
    if problem is None:
        print(f"Audit chain intact: {AuditEvent.objects.count()} events.")
        return 0
    print(f"Audit chain broken at {problem}", file=sys.stderr)
    return 1


def cmd_import(args: argparse.Namespace) -> int:
    from suragh.imports.commands import import_command

    return import_command(args)


def cmd_worker(args: argparse.Namespace) -> int:
    from suragh.imports.commands import worker_command

    return worker_command(args)


def cmd_stats_refresh(args: argparse.Namespace) -> int:
    from suragh.stats.facts import refresh_facts

    built = refresh_facts()
    print(f"Analytics table rebuilt: {built.rows:,} rows in {built.seconds:.1f} s.")
    if built.records_replaced:
        print(f"{built.records_replaced:,} rows of records are not counted: aggregate returns cover their unit-months.")
    return 0


def cmd_identity_resolve(args: argparse.Namespace) -> int:
    from suragh.people.models import ResolutionRun
    from suragh.people.resolution import resolve_all

    run = resolve_all(ResolutionRun.objects.create(retrain=args.retrain))
    print(
        f"Identity resolution with model v{run.model.version}: {run.persons:,} persons, {run.pairs_scored:,} pairs"
        f" scored, {run.merged:,} merged, {run.to_review:,} for review"
        f" ({(run.finished_at - run.started_at).total_seconds():.1f} s)."
    )
    return 0


def cmd_report_trends(args: argparse.Namespace) -> int:
    from suragh.stats.trends import ReportYearsError, build_report
    from suragh.stats.trends_render import render

    try:
        report = build_report(args.year_from, args.year_to)
    except ReportYearsError as error:
        print(f"--{error.field_name}: {error}", file=sys.stderr)
        return 2
    content = render(report, args.format)
    with open(args.output, "wb") as handle:
        handle.write(content)
    print(f"{report.title}: {len(report.forces)} forces, written to {args.output} ({len(content):,} bytes).")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["suragh manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="suragh", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="set up the embedded database with demo data and serve it")
    demo.add_argument("--no-serve", action="store_true", help="load the data, then stop")
    demo.add_argument("--scale", choices=["small", "full"], default="small")
    demo.add_argument("--password", default="suragh-demo", help="password for every demo user")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.set_defaults(func=cmd_demo)

    serve_p = sub.add_parser("serve", help="serve an existing database")
    serve_p.add_argument("--host", default="127.0.0.1")
    serve_p.add_argument("--port", type=int, default=8000)
    serve_p.set_defaults(func=cmd_serve)

    migrate = sub.add_parser("migrate", help="create or update the database and its reference data")
    migrate.set_defaults(func=cmd_migrate)

    audit = sub.add_parser("audit", help="the audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="check the hash chain; exit 1 naming the first bad event")
    verify.set_defaults(func=cmd_audit_verify)

    import_p = sub.add_parser("import", help="import cases, persons, seizures or aggregate returns from CSV or XLSX")
    import_p.add_argument("file", help="a file filled in from the template (see /imports/)")
    import_p.add_argument("--kind", required=True, choices=["cases", "persons", "seizures", "returns"])
    import_p.add_argument("--user", required=True, help="the supervisor or agency admin importing it (for the audit)")
    import_p.add_argument("--dry-run", action="store_true", help="check every cell and write nothing")
    import_p.add_argument("--background", action="store_true", help="queue it for the worker and follow it")
    import_p.set_defaults(func=cmd_import)

    worker = sub.add_parser("worker", help="run the background job worker on its own (production)")
    worker.add_argument("--workers", type=int, default=1)
    worker.add_argument("--stop-with", type=int, default=0, help=argparse.SUPPRESS)
    worker.set_defaults(func=cmd_worker)

    stats = sub.add_parser("stats", help="statistics")
    stats_sub = stats.add_subparsers(dest="stats_command", required=True)
    refresh = stats_sub.add_parser("refresh", help="rebuild the analytics table from the records and returns now")
    refresh.set_defaults(func=cmd_stats_refresh)

    identity = sub.add_parser("identity", help="identity resolution")
    identity_sub = identity.add_subparsers(dest="identity_command", required=True)
    resolve = identity_sub.add_parser("resolve", help="match every person record against every other now")
    resolve.add_argument("--retrain", action="store_true", help="train a new model version first")
    resolve.set_defaults(func=cmd_identity_resolve)

    report = sub.add_parser("report", help="reports written to a file")
    report_sub = report.add_subparsers(dest="report_command", required=True)
    trends = report_sub.add_parser(
        "trends", help="seed 000's provincial trends regenerated from the data (not suppressed: for operators)"
    )
    trends.add_argument("--from", dest="year_from", metavar="YEAR", type=int, required=True, help="first year")
    trends.add_argument("--to", dest="year_to", metavar="YEAR", type=int, required=True, help="last year")
    trends.add_argument("--format", choices=["html", "pdf", "xlsx"], default="html")
    trends.add_argument("-o", "--output", required=True, help="the file to write")
    trends.set_defaults(func=cmd_report_trends)

    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_django()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
