from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from studies.doi import normalize_doi
from studies.http import FetchError
from studies.retraction_watch import check_study, due_studies, studies_with_doi

NO_STUDY_MESSAGE = "No study has DOI {doi}."
NOTHING_DUE_MESSAGE = "No study is due for a retraction check."
ALL_FAILED_MESSAGE = "Every Crossref request failed ({count}); nothing was checked. First: {first}"
SUMMARY = "Checked {checked} study(ies): {changed} changed, {kept} kept, {failed} failed."


class Command(BaseCommand):
    help = (
        "Ask Crossref whether studies were retracted, corrected or put under an expression of "
        "concern, and record it (a retracted study stops counting; its claims are rescored). "
        "Default: the studies due (never checked, or not for a week), oldest check first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--doi", action="append", default=[], metavar="DOI", help="Check this study only."
        )
        parser.add_argument(
            "--all", dest="every", action="store_true", help="Check every study with a DOI."
        )

    def handle(self, *args, doi, every, **options):
        studies = self._studies(doi, every=every)
        if not studies:
            self.stdout.write(NOTHING_DUE_MESSAGE)
            return
        changed = kept = 0
        failures = []
        for study in studies:
            try:
                change = check_study(study)
            except FetchError as error:
                failures.append(str(error))
                self.stderr.write(f"failed {study.doi}: {error}")
                continue
            if change is not None:
                kept += change.kept
                changed += not change.kept
                self.stdout.write(change.line())
        if failures and len(failures) == len(studies):
            raise CommandError(ALL_FAILED_MESSAGE.format(count=len(failures), first=failures[0]))
        checked = len(studies) - len(failures)
        self.stdout.write(
            SUMMARY.format(checked=checked, changed=changed, kept=kept, failed=len(failures))
        )

    def _studies(self, dois, *, every):
        if not dois:
            return list(studies_with_doi() if every else due_studies())
        wanted = []
        for value in dois:
            try:
                wanted.append(normalize_doi(value))
            except ValidationError as error:
                raise CommandError(f"{value}: {' '.join(error.messages)}") from None
        found = {study.doi: study for study in studies_with_doi().filter(doi__in=wanted)}
        missing = [doi for doi in wanted if doi not in found]
        if missing:
            raise CommandError(" ".join(NO_STUDY_MESSAGE.format(doi=doi) for doi in missing))
        return [found[doi] for doi in dict.fromkeys(wanted)]
