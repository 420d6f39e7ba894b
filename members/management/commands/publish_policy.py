import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.exceptions import ActionError, NotFound
from members import selectors, services
from members.models import PolicyDocument, PolicyVersion


class Command(BaseCommand):
    help = (
        "Publish a new version of a policy document from a markdown FILE (English, the "
        "default), after which every member must accept it before going on; or, with "
        "--language xx, add the translation of the version in effect."
    )

    def add_arguments(self, parser):
        parser.add_argument("document", choices=PolicyDocument.values)
        parser.add_argument("file", type=Path, help="markdown file (UTF-8)")
        parser.add_argument("--language", default="en", help="language of FILE (default en)")
        parser.add_argument(
            "--effective-date",
            type=datetime.date.fromisoformat,
            default=None,
            help="YYYY-MM-DD, today or later (default today); English only",
        )

    def handle(self, *args, document, file, language, effective_date, **options):
        try:
            body = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None
        try:
            if language == "en":
                version = services.policy_publish(
                    document=document, body=body, effective_date=effective_date
                )
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Published {document} version {version.number}, in effect from "
                        f"{version.effective_date}. Members will be asked to accept it."
                    )
                )
                return
            if effective_date is not None:
                raise CommandError("--effective-date applies to a new (English) version only")
            try:
                version = selectors.policy_version_get(document=document)
            except NotFound:
                raise CommandError(f"{document} has no version in effect yet") from None
            services.policy_translation_add(version=version, language=language, body=body)
        except ActionError as exc:
            raise CommandError(exc.message) from None
        except PolicyVersion.DoesNotExist:
            raise CommandError(f"{document} has no version in effect yet") from None
        self.stdout.write(
            self.style.SUCCESS(f"Added the {language} text of {document} version {version.number}.")
        )
