"""manage.py write_dump: write today's bulk dump into DUMP_DIR now (beat does it daily)."""

from django.core.management.base import BaseCommand

from api.dumps import read_manifest, write_dump


class Command(BaseCommand):
    help = (
        "Write today's bulk dump (claims, studies, links as JSON Lines and CSV, and a "
        "manifest) into DUMP_DIR, replacing one written earlier today; keeps DUMP_KEEP dates."
    )

    def handle(self, *args, **options):
        directory = write_dump()
        counts = read_manifest(directory)["counts"]
        self.stdout.write(
            f"Wrote {directory}: {counts['claims']} claim(s), {counts['studies']} study(ies), "
            f"{counts['links']} link(s)."
        )
