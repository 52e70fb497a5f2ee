from django.core.management import call_command
from django.core.management.base import BaseCommand

from claims.models import Claim


class Command(BaseCommand):
    help = "Load the demo claims (fixtures/demo.json) and score them, unless claims exist already."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Reload over existing data.")

    def handle(self, *args, force=False, **options):
        if Claim.objects.exists() and not force:
            self.stdout.write("Claims exist already; demo data not loaded (use --force).")
            return
        call_command("loaddata", "demo", verbosity=0)
        call_command("rescore", verbosity=0)
        self.stdout.write(f"Loaded the demo: {Claim.objects.count()} claims, scored.")
