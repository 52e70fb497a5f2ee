from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from studies.crossref import CrossrefError
from studies.services import DESIGN_DEFAULT_NOTICE, study_import_doi


class Command(BaseCommand):
    help = (
        "Create or update studies from their DOIs with Crossref's metadata (title, authors, "
        "journal, year, abstract, link). New studies get a default design: set the real one."
    )

    def add_arguments(self, parser):
        parser.add_argument("dois", nargs="+", metavar="DOI", help="A DOI or a DOI link.")

    def handle(self, *args, dois, **options):
        failures = []
        for doi in dois:
            try:
                study, created = study_import_doi(doi=doi)
            except ValidationError as error:
                failures.append(f"{doi}: {' '.join(error.messages)}")
                continue
            except CrossrefError as error:
                failures.append(str(error))
                continue
            if created:
                self.stdout.write(f"Created {study.doi}: {study.title}")
                notice = DESIGN_DEFAULT_NOTICE.format(title=study.title, label=study.design_label)
                self.stdout.write(f"  {notice}")
            else:
                self.stdout.write(f"Updated {study.doi}: {study.title}")
        if failures:
            # One readable line per DOI that failed; nothing was changed for those.
            raise CommandError("\n".join(failures))
