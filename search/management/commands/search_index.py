from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search.backends import get_backend
from search.backends.base import SearchUnavailable
from search.models import SearchOutbox
from search.services import index_rebuild, outbox_process


class Command(BaseCommand):
    help = (
        "Rebuild the search index (--rebuild, with a progress bar), or apply the index updates "
        "waiting in the outbox (--process-outbox, the retry after the backend was unreachable)."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--rebuild", action="store_true", help="Replace the whole index.")
        action.add_argument(
            "--process-outbox", action="store_true", help="Apply the queued index updates."
        )
        action.add_argument(
            "--status", action="store_true", help="Show the backend, its counts and the queue."
        )

    def handle(self, *args, **options):
        backend = get_backend()
        try:
            if options["rebuild"]:
                self.rebuild(backend, verbosity=options["verbosity"])
            elif options["process_outbox"]:
                self.process(backend)
            else:
                self.status(backend)
        except SearchUnavailable as exc:
            raise CommandError(
                f"The search backend ({backend.name}) is unavailable: {exc}"
            ) from exc

    def rebuild(self, backend, *, verbosity):
        def progress(docs, total):
            return tqdm(
                docs,
                total=total,
                desc="Indexing",
                unit=" doc",
                file=self.stderr._out,
                disable=verbosity < 1,
            )

        counts = index_rebuild(backend=backend, progress=progress)
        summary = ", ".join(
            f"{counts.get(kind, 0)} {plural}"
            for kind, plural in (
                ("practice", "practices"),
                ("thread", "threads"),
                ("event", "events"),
                ("learning_process", "learning processes"),
            )
        )
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the {backend.name} index: {summary}."))

    def process(self, backend):
        report = outbox_process(backend=backend)
        message = f"Applied {report.applied} queued index updates; {report.remaining} waiting."
        if report.error:
            raise CommandError(f"{message} Last error: {report.error}")
        self.stdout.write(self.style.SUCCESS(message))

    def status(self, backend):
        counts = backend.count()
        queued = SearchOutbox.objects.count()
        problem = backend.health()
        self.stdout.write(
            f"Backend: {backend.name}; documents: {counts or 'none'}; queued: {queued}; "
            f"health: {problem or 'ok'}"
        )
