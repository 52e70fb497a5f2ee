"""/api/dumps/: the bulk dumps api.dumps writes (docs/api.md, "Bulk dumps").

/api/dumps/ lists the dates there are, each file with its absolute URL, size and sha256;
/api/dumps/<date>/<file> serves one file; /api/dumps/latest/<file> redirects to the newest.
Only a YYYY-MM-DD date and one of the known file names are ever looked up on disk (no path
reaches outside DUMP_DIR), and anything else is a JSON 404. Readable from any site.
"""

import functools
import hashlib

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from core.site import site_url

from .dumps import FILES, MANIFEST, available_dates, dump_path, dump_root, read_manifest
from .http import api_view, cors, error, json_response, read_only

NO_SUCH_FILE = (
    "No such dump file: a date is YYYY-MM-DD, one of those listed at {index}, and a file is "
    "one of {names}."
)
NO_DUMP_YET = "No dump has been written yet; see {index}."
CONTENT_TYPES = {
    "jsonl": "application/jsonl; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
# A date's files change only if the dump is written again that day.
FILE_CACHE = "public, max-age=3600"


def _index_url(request: HttpRequest) -> str:
    return site_url(request, reverse("api-dumps"))


def _file_url(request: HttpRequest, date: str, name: str) -> str:
    return site_url(request, reverse("api-dump-file", args=[date, name]))


def _no_such_file(request: HttpRequest) -> HttpResponse:
    return error(404, NO_SUCH_FILE.format(index=_index_url(request), names=", ".join(FILES)))


@api_view
def dump_index(request: HttpRequest) -> HttpResponse:
    """The dates there are, newest first, each with its manifest's facts and file URLs."""
    dumps = []
    for date in available_dates():
        manifest = read_manifest(dump_root() / date)
        files = {
            name: {"url": _file_url(request, date, name), **facts}
            for name, facts in manifest["files"].items()
        }
        files[MANIFEST] = {"url": _file_url(request, date, MANIFEST)}
        dumps.append(
            {
                "date": date,
                "generated_at": manifest["generated_at"],
                "counts": manifest["counts"],
                "files": files,
            }
        )
    latest = {name: site_url(request, reverse("api-dump-latest", args=[name])) for name in FILES}
    return json_response({"latest": latest if dumps else None, "dumps": dumps})


def _read_only(view):
    """api/http.read_only, readable from any site, without api_view's ETag of the body (a
    file streams)."""

    @read_only
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return cors(view(request, *args, **kwargs))

    return wrapper


@_read_only
def dump_file(request: HttpRequest, date: str, name: str) -> HttpResponse:
    """One file of one dump, with an ETag and Last-Modified (304 when the client has it)."""
    path = dump_path(date, name)
    if path is None:
        return _no_such_file(request)
    stat = path.stat()
    version = f"{date}/{name}/{stat.st_size}/{stat.st_mtime_ns}"
    etag = f'"{hashlib.sha256(version.encode()).hexdigest()[:32]}"'
    response = get_conditional_response(request, etag=etag, last_modified=int(stat.st_mtime))
    if response is None:
        response = FileResponse(
            path.open("rb"),
            content_type=CONTENT_TYPES[name.rsplit(".", 1)[1]],
            as_attachment=name != MANIFEST,
            filename=f"{date}-{name}",
        )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = FILE_CACHE
    return response


@_read_only
def dump_latest(request: HttpRequest, name: str) -> HttpResponse:
    """A redirect to the newest dump's file (302: tomorrow it is another)."""
    if name not in FILES:
        return _no_such_file(request)
    dates = available_dates()
    if not dates:
        return error(404, NO_DUMP_YET.format(index=_index_url(request)))
    response = HttpResponseRedirect(_file_url(request, dates[0], name))
    response["Cache-Control"] = "no-cache"
    return response
