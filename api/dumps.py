"""The bulk dump (docs/api.md, "Bulk dumps"): every published claim, every study such a
claim links to by an approved link, and every such link, as JSON Lines and CSV, in one dated
directory of settings.DUMP_DIR with a manifest of counts and sha256 sums.

A dump is written into a hidden temporary directory and renamed into place when complete, so
a reader never sees half of one; the newest settings.DUMP_KEEP dates are kept. Rows are read
with .iterator() and written as they come: memory stays flat however large the site is.
The records are the API's own (api.records), so the dump and the API agree field for field.
"""

import csv
import datetime
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from claims.evidence_list import evidence_rows
from claims.models import Claim, Evidence
from claims.services import approved_evidence, claim_scorecard, pooled_in_by_study
from core.site import site_url
from studies.models import Stance, Study

from .records import claim_summary, link_reading, study_summary

SETS = ("claims", "studies", "links")
JSONL_FILES = tuple(f"{name}.jsonl" for name in SETS)
CSV_FILES = tuple(f"{name}.csv" for name in SETS)
MANIFEST = "manifest.json"
FILES = (*JSONL_FILES, *CSV_FILES, MANIFEST)
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
CHUNK_SIZE = 500
# Hidden working directories: never a date, so never listed or served.
WRITING, REPLACED = ".writing-", ".replaced-"
TEMPORARY_PREFIXES = (WRITING, REPLACED)
LEFTOVER_AGE = datetime.timedelta(days=1)  # a run killed midway; no run takes this long
# Claims scored together: one query for their links and one for the reviews pooling them.
CLAIM_BATCH = 100
TERMS = (
    "Free to reuse with attribution to {site} ({origin}). Verdicts and appraisals are the "
    "editors' reading of the evidence, not medical advice."
)
# Where the records would read the origin off a request when SITE_URL is unset (development),
# as the follow mail does.
DEVELOPMENT_HOST = "localhost:8000"


class _NoRequest:
    """Stands in for the request api.records asks for the site's origin: site_url reads
    SITE_URL first, and only without it this development origin."""

    scheme = "http"

    def get_host(self) -> str:
        return DEVELOPMENT_HOST


def dump_root() -> Path:
    return Path(settings.DUMP_DIR)


# Reading: the records, as the API builds them


def published_claims():
    return Claim.objects.published().with_counts().defer("search_vector").order_by("pk")


def dumped_studies():
    """Studies an approved link of a published claim points to (what links.jsonl names)."""
    informs = Evidence.objects.filter(
        study=OuterRef("pk"), status=Evidence.Status.APPROVED, claim__status=Claim.Status.PUBLISHED
    )
    return Study.objects.filter(Exists(informs)).order_by("pk")


def claim_records(request) -> Iterator[dict]:
    for claim in published_claims().iterator(chunk_size=CHUNK_SIZE):
        yield claim_summary(claim, request)


def study_records(request) -> Iterator[dict]:
    for study in dumped_studies().iterator(chunk_size=CHUNK_SIZE):
        yield study_summary(study, request)


def link_records(request) -> Iterator[dict]:
    """Each approved link of a published claim, read off its claim's live scorecard as the
    claim JSON's `evidence` reads it: whether it counts (or why not), its certainty and
    effect. Claims are scored a batch at a time."""
    claims = Claim.objects.published().defer("search_vector").order_by("pk")
    for batch in _batches(claims.iterator(chunk_size=CHUNK_SIZE), CLAIM_BATCH):
        by_claim = {claim.pk: [] for claim in batch}
        for item in approved_evidence(list(by_claim)):
            by_claim[item.claim_id].append(item)
        pooled = pooled_in_by_study(
            {item.study_id for items in by_claim.values() for item in items}
        )
        for claim in batch:
            evidence = by_claim[claim.pk]
            for item in evidence:  # their readings need the claim's threshold (no query each)
                item.claim = claim
            rows = evidence_rows(evidence, claim_scorecard(claim, evidence, pooled))
            for side in (Stance.SUPPORTS, Stance.CONTRADICTS):
                for row in rows[side]:
                    yield link_record(claim, row, request)


def link_record(claim: Claim, row, request) -> dict:
    """One link, its fields named as in the claim JSON's `evidence` (api.records.claim_data),
    with the claim and the study by key instead of nested."""
    return {
        "id": row.evidence.pk,
        "claim": claim.slug,
        "claim_url": site_url(request, claim.get_absolute_url()),
        "study_id": row.study.pk,
        "study_doi": row.study.doi or None,
        "stance": row.evidence.stance,
        **link_reading(row, claim),
    }


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


# Writing: JSON Lines, then CSV from them, then the manifest


def write_jsonl(path: Path, records: Iterable[dict]) -> tuple[int, list[str]]:
    """One JSON object a line; returns the count and the CSV columns (first seen first)."""
    count, columns = 0, {}
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            columns.update(dict.fromkeys(flatten(record)))
            count += 1
    # A nested object null in some rows names a plain column too: its parts' columns suffice.
    return count, [name for name in columns if not any(c.startswith(f"{name}.") for c in columns)]


def write_csv(path: Path, source: Path, columns: list[str]) -> None:
    """The JSON Lines file as CSV, read back a line at a time. UTF-8 with a BOM, so Excel
    reads the accents; nested objects as dotted columns (scores.pro), lists as JSON text."""
    with (
        source.open(encoding="utf-8") as lines,
        path.open("w", encoding="utf-8-sig", newline="") as out,
    ):
        writer = csv.writer(out)
        writer.writerow(columns)
        for line in lines:
            row = flatten(json.loads(line))
            writer.writerow([cell(row.get(name)) for name in columns])


def flatten(record: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in record.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def file_facts(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def write_dump(*, directory: Path | None = None, today: datetime.date | None = None) -> Path:
    """Write today's dump (replacing one already written today) and prune old ones; returns
    its directory."""
    root = Path(directory or dump_root())
    root.mkdir(parents=True, exist_ok=True)
    generated_at = timezone.now()
    date = (today or generated_at.date()).isoformat()
    request = _NoRequest()
    readers = {"claims": claim_records, "studies": study_records, "links": link_records}
    # Beside the final name, on the same file system, so the rename is atomic.
    work = Path(tempfile.mkdtemp(prefix=f"{WRITING}{date}-", dir=root))
    try:
        counts, files = {}, {}
        for name in SETS:
            jsonl, csv_path = work / f"{name}.jsonl", work / f"{name}.csv"
            counts[name], columns = write_jsonl(jsonl, readers[name](request))
            write_csv(csv_path, jsonl, columns)
            for path in (jsonl, csv_path):
                files[path.name] = {**file_facts(path), "records": counts[name]}
        manifest = {
            "date": date,
            "generated_at": generated_at.isoformat(),
            "counts": counts,
            "files": files,
            "terms": TERMS.format(site=settings.SITE_NAME, origin=site_url(request, "/")),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        work.chmod(0o755)  # mkdtemp makes it private; the web process serves it
        _move_into_place(work, root / date)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # gone already unless something failed
    prune(root, keep=settings.DUMP_KEEP)
    return root / date


def _move_into_place(work: Path, final: Path) -> None:
    """Rename the finished directory to its date. A dump already there (a second run that
    day) is moved aside first and removed after: never a mix of the two."""
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{REPLACED}{final.name}-", dir=final.parent))
        os.replace(final, old / final.name)
        os.replace(work, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(work, final)


def available_dates(directory: Path | None = None) -> list[str]:
    """The complete dumps, newest first (a directory counts once its manifest is in it)."""
    root = Path(directory or dump_root())
    if not root.is_dir():
        return []
    dates = [
        entry.name
        for entry in root.iterdir()
        if DATE_PATTERN.fullmatch(entry.name) and (entry / MANIFEST).is_file()
    ]
    return sorted(dates, reverse=True)


def read_manifest(directory: Path) -> dict:
    return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))


def prune(root: Path, *, keep: int) -> list[str]:
    """Remove all but the newest `keep` dumps, and what a run killed midway left behind;
    returns the dates removed."""
    removed = available_dates(root)[max(keep, 1) :]
    for date in removed:
        shutil.rmtree(root / date, ignore_errors=True)
    stale = timezone.now().timestamp() - LEFTOVER_AGE.total_seconds()
    for entry in root.iterdir():
        if entry.name.startswith(TEMPORARY_PREFIXES) and entry.stat().st_mtime < stale:
            shutil.rmtree(entry, ignore_errors=True)
    return removed


def dump_path(date: str, name: str) -> Path | None:
    """The file of a dump, or None: only a YYYY-MM-DD date and a known name are looked up, so
    nothing outside DUMP_DIR can be reached."""
    if not DATE_PATTERN.fullmatch(date) or name not in FILES:
        return None
    path = dump_root() / date / name
    return path if path.is_file() else None
