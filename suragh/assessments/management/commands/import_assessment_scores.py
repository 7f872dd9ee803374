"""`suragh manage import_assessment_scores [FILE] --as USERNAME [--dry-run]`: import Organised Crime Index scores
from a CSV (by default Pakistan's published 2021 scores shipped in data/), all or nothing, as an assessor."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from suragh.assessments.actions import do_import_scores
from suragh.assessments.editions import PUBLISHED_SCORES
from suragh.core.models import User
from suragh.core.validation import error_dict


class Command(BaseCommand):
    help = "Import Organised Crime Index scores from a CSV file (all or nothing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", default=str(PUBLISHED_SCORES), help="default: %(default)s")
        parser.add_argument("--as", dest="username", required=True, help="an analyst or system admin")
        parser.add_argument("--dry-run", action="store_true", help="check every row and write nothing")

    def handle(self, *args, file: str, username: str, dry_run: bool, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user '{username}'.")
        try:
            result = do_import_scores(Path(file).read_bytes(), dry_run=dry_run, acting_user=user)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        except ValidationError as exc:
            problems = [f"{field}: {message}" for field, messages in error_dict(exc).items() for message in messages]
            raise CommandError("nothing imported:\n" + "\n".join(problems)) from exc
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{verb} {result.rows} rows: {result.new_scores} new scores, {result.changed_scores} changed, "
            f"{result.unchanged_scores} unchanged; new assessments: {', '.join(result.new_assessments) or 'none'}"
        )
