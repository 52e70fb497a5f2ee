"""The studies admin's import pages: one PMID from PubMed, or a RIS file in two steps (upload
and preview, then "Import N new studies"). Registered by StudyAdmin.get_urls; only editors who
may add studies reach them. The buttons are in templates/admin/studies/study/change_list.html.

Between the preview and the import the file's text waits in the editor's session (the preview
posts back only a token), and the import reads and checks it again: a study added meanwhile
is reported as a duplicate, not created twice.
"""

import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse

from jobs.models import Job
from jobs.services import enqueue

from .import_services import ris_import_plan, studies_import_ris
from .import_tasks import import_pubmed
from .models import Study
from .pubmed import PubmedError, normalize_pmid
from .ris import RisError

MAX_RIS_BYTES = 5_000_000
SESSION_KEY = "studies_ris_import"
TEMPLATES = "admin/studies/study/"

TOO_LARGE_MESSAGE = "The file is larger than 5 MB: split the export into smaller files."
EXPIRED_MESSAGE = "That upload is no longer waiting to be imported: upload the file again."
CHANGED_MESSAGE = "A study was added while importing; nothing was imported. Upload the file again."
QUEUED_MESSAGE = "Queued the PubMed import of PMID {pmid}: its state is shown above the studies."


def ris_imported_message(created: int, duplicates: int) -> str:
    return (
        f"Imported {created} new stud{pluralize(created, 'y,ies')}; "
        f"{duplicates} duplicate{pluralize(duplicates)} not imported."
    )


class PmidForm(forms.Form):
    pmid = forms.CharField(
        label="PMID",
        max_length=200,
        help_text="Digits, e.g. 37144554; “PMID: 37144554” or a PubMed link works too.",
    )

    def clean_pmid(self) -> str:
        try:
            return normalize_pmid(self.cleaned_data["pmid"])
        except PubmedError as error:
            raise forms.ValidationError(str(error)) from None


class RisUploadForm(forms.Form):
    file = forms.FileField(label="RIS file", help_text="An export from EndNote, Zotero, …; 5 MB.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RIS_BYTES:
            raise forms.ValidationError(TOO_LARGE_MESSAGE)
        return upload


def import_urls(model_admin) -> list:
    """The two pages, named admin:studies_study_import_pubmed / _import_ris."""
    wrap = model_admin.admin_site.admin_view

    def import_pubmed(request):
        return import_pubmed_view(request, model_admin)

    def import_ris(request):
        return import_ris_view(request, model_admin)

    return [
        path("import-pubmed/", wrap(import_pubmed), name="studies_study_import_pubmed"),
        path("import-ris/", wrap(import_ris), name="studies_study_import_ris"),
    ]


def _context(request, model_admin, title: str, **extra) -> dict:
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        **extra,
    }


def import_pubmed_view(request, model_admin):
    """The import runs as a job (studies/import_tasks.py). Inline (no broker) it has finished
    when enqueue returns: a failure shows on the field, a success opens the study. With a
    worker, the list of studies shows the job's state until it is done."""
    context = _context(request, model_admin, "Import a study from PubMed")
    form = PmidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pmid = form.cleaned_data["pmid"]
        job = enqueue(
            import_pubmed,
            kind=Job.Kind.PUBMED_IMPORT,
            target=f"PMID {pmid}",
            started_by=request.user,
            pmid=pmid,
        )
        if job.state == Job.State.FAILED:
            form.add_error("pmid", job.reason)
        elif job.state == Job.State.DONE:
            created = job.summary.startswith("Imported")
            (messages.success if created else messages.warning)(request, job.summary)
            study = Study.objects.filter(pmid=pmid).first()
            if study is not None:
                return redirect(reverse("admin:studies_study_change", args=[study.pk]))
            return redirect(reverse("admin:studies_study_changelist"))
        else:
            messages.info(request, QUEUED_MESSAGE.format(pmid=pmid))
            return redirect(reverse("admin:studies_study_changelist"))
    return TemplateResponse(request, TEMPLATES + "import_pubmed.html", {**context, "form": form})


def import_ris_view(request, model_admin):
    context = _context(request, model_admin, "Import studies from a RIS file")
    if request.method == "POST" and "token" in request.POST:
        return _import_waiting_file(request, context)
    if request.method == "POST" and _declared_size(request) > MAX_RIS_BYTES + 65_536:
        form = RisUploadForm()  # refused before Django reads the body
        form.errors["file"] = form.error_class([TOO_LARGE_MESSAGE])
        return TemplateResponse(request, TEMPLATES + "import_ris.html", {**context, "form": form})
    form = RisUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            plan = ris_import_plan(data)
        except RisError as error:
            form.add_error("file", str(error))
        else:
            token = hashlib.sha256(data).hexdigest()[:32]
            request.session[SESSION_KEY] = {
                "token": token,
                "name": form.cleaned_data["file"].name[:200],
                "text": data.decode("utf-8-sig"),
            }
            preview = {**context, "plan": plan, "token": token}
            return TemplateResponse(request, TEMPLATES + "import_ris_preview.html", preview)
    return TemplateResponse(request, TEMPLATES + "import_ris.html", {**context, "form": form})


def _import_waiting_file(request, context):
    waiting = request.session.get(SESSION_KEY) or {}
    if not waiting or waiting.get("token") != request.POST["token"]:
        messages.error(request, EXPIRED_MESSAGE)
        return redirect(reverse("admin:studies_study_import_ris"))
    try:
        report = studies_import_ris(waiting["text"])
    except RisError as error:
        messages.error(request, str(error))
        return redirect(reverse("admin:studies_study_import_ris"))
    except IntegrityError:
        messages.error(request, CHANGED_MESSAGE)
        return redirect(reverse("admin:studies_study_import_ris"))
    del request.session[SESSION_KEY]
    messages.success(request, ris_imported_message(len(report.created), len(report.duplicates)))
    done = {**context, "report": report, "name": waiting.get("name", "")}
    return TemplateResponse(request, TEMPLATES + "import_ris_report.html", done)


def _declared_size(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
