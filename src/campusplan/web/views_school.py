"""The school page: profile, score, results (htmx filters), facts edited inline, history, audit
trail and the Word report. Every view starts from `school_for(user, code)`: 404 outside the
user's scope, 403 when an auditor tries to change something."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campusplan.accounts.choices import Level
from campusplan.accounts.models import AuditEntry
from campusplan.accounts.scope import can_edit, profile_of, school_for
from campusplan.catalog import vocabulary as v
from campusplan.exchange.inventory import load_kinds
from campusplan.i18n import local_time
from campusplan.schools.models import School
from campusplan.schools.services import ImportInvalid
from campusplan.usecases import deviations, evidence
from campusplan.usecases.facts import FactConflict, clear_fact, set_fact
from campusplan.usecases.reports import school_report as school_report_of
from campusplan.web import audit, downloads, facts, inventory
from campusplan.web import school as sp
from campusplan.web.http import Lazy, actor, catalog, is_partial, lang, vary_htmx

if TYPE_CHECKING:
    from campusplan.engine.assessment import Assessment


def _fact_base(school: School) -> str:
    """/school/<code>/facts/ — each fact's form posts to <this><key>/ (one reverse per page)."""
    return reverse("web:fact", args=[school.code, "-"])[:-2]


def _results_context(request: HttpRequest, school: School,
                     assessment: Assessment | None = None, run: sp.SchoolRun | None = None
                     ) -> dict:
    """The score and the results table. The table is rendered from the current run's rows only
    when its cached fragment (keyed by run, filters, catalog, language) is missing; explained
    from `assessment` when the request has just made the run (a fact edit)."""
    cat = catalog()
    filters = sp.ResultFilters.from_query(request.POST or request.GET, cat)
    score = sp.score(school)
    run = run or sp.SchoolRun(school, cat)

    def said() -> dict[str, str]:
        if assessment is not None:
            return sp.explained(assessment, school, lang())
        return sp.explanations(run, lang())

    return {"school": school, "filters": filters, "fact_base": _fact_base(school),
            "results": Lazy(lambda: sp.results(sp.current_rows(run), cat, lang(), filters,
                                               said())),
            "score": score, "run_id": score.run_id if score else 0, "catalog_key": cat.checksum,
            "status_choices": sp.status_choices(), "area_choices": sp.area_choices(cat, lang())}


@login_required
@require_GET
def school_page(request: HttpRequest, code: str) -> HttpResponse:
    school = school_for(request.user, code)
    run = sp.SchoolRun(school, catalog())  # read once, shared by the results and the rooms
    context = _results_context(request, school, run=run)
    if is_partial(request):
        return vary_htmx(render(request, "web/school/_results.html", context))
    context |= {"profile": sp.profile(school, lang()), "history": sp.history(school),
                "fact_areas": Lazy(lambda: facts.fact_areas(catalog(), school, lang())),
                "facts_version": school.version, "editable": can_edit(request.user),
                "nav": _nav(request, school)} | _inventory_context(school, run) | \
        _deviation_context(request, school)
    return vary_htmx(render(request, "web/school/page.html", context))


def _deviation_context(request: HttpRequest, school: School) -> dict:
    """The school's approvals and waivers (valid today or not) and its evidence files."""
    who, today = actor(request), timezone.localdate()
    profile = profile_of(request.user)
    return {
        "deviation_rows": [(d, v.label(v.DEVIATION_KIND, d.kind, lang()), d.valid_on(today))
                           for d in deviations.of_school(actor=who, school=school.code)],
        "evidence_rows": [(e, v.label(v.EVIDENCE_KIND, e.kind, lang()), local_time(e.uploaded_at))
                          for e in evidence.of_school(actor=who, school=school.code)],
        "may_grant": can_edit(request.user) and profile is not None and
        profile.level != Level.SCHOOL,
        "deviation_kinds": [(k, t.get(lang())) for k, t in v.DEVIATION_KIND.items()],
        "evidence_kinds": [(k, t.get(lang())) for k, t in v.EVIDENCE_KIND.items()],
        "evidence_types": ", ".join(settings.CAMPUSPLAN_EVIDENCE_TYPES),
        "evidence_accept": ",".join(f".{t}" for t in settings.CAMPUSPLAN_EVIDENCE_TYPES),
        "evidence_max": settings.CAMPUSPLAN_EVIDENCE_MAX_BYTES}


def _inventory_context(school: School, run: sp.SchoolRun) -> dict:
    """Rooms by type with their verdicts, devices with their service life (computed only when
    the cached fragment is missing), and the room facts a bulk edit may set."""
    cat = catalog()
    code = "zh" if lang().startswith("zh") else "en"
    return {"room_types": Lazy(lambda: inventory.room_types(cat, school, lang(), run)),
            "devices": Lazy(lambda: inventory.devices(school, load_kinds(cat), lang())),
            "room_fact_choices": [(f.key, f.label.get(code)) for f in inventory.bulk_facts(cat)]}


def _nav(request: HttpRequest, school: School) -> str:
    profile = getattr(request.user, "profile", None)
    return "school" if profile is not None and profile.school_id == school.pk else ""


@login_required
@require_POST
def fact_edit(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """Set one fact through the use case (the import path, audited, the school re-assessed);
    an empty field makes a known value unknown again."""
    school = school_for(request.user, code, edit=True)
    cat = catalog()
    fact = facts.school_facts(cat).get(key)
    if fact is None:
        raise Http404
    raw = request.POST.get("value", "")
    value = facts.parse(cat, key, raw)
    current = facts.stored_value(school, key)
    version = request.POST.get("version", "")
    version = int(version) if version.isdigit() else None
    try:
        if value is None:
            done = clear_fact(actor=actor(request), school=school, key=key, version=version)
        else:
            done = set_fact(actor=actor(request), school=school, key=key, value=value,
                            version=version)
    except ImportInvalid as exc:
        return _refused(request, school, fact, current, raw,
                        facts.problem_text(exc.problems, lang()))
    except FactConflict as exc:
        by = exc.conflicts[0].by
        message = _("打开此页后，%(by)s 已将此值改为 %(value)s；再次保存将覆盖。") % {
            "by": by, "value": facts.fact_row(fact, current, lang()).display}
        return _refused(request, school, fact, current, raw, message, status=409,
                        row_version=exc.version)
    school.refresh_from_db()  # the form's next save starts from this version
    row = facts.fact_row(fact, facts.stored_value(school, key), lang())
    context = _results_context(request, school, done.assessment) | {
        "row": row, "editable": True, "history": sp.history(school)}
    return render(request, "web/school/_fact_saved.html", context)


def _refused(request, school, fact, current, raw: str, message: str, status: int = 422,
             row_version: int | None = None) -> HttpResponse:
    """The row again with the submitted text and the reason next to the field (422; 409 when
    the value changed since the page was made: saving again overwrites it knowingly)."""
    row = facts.fact_row(fact, current, lang(), raw=raw, error=message)
    return render(request, "web/school/_fact_row.html",
                  {"school": school, "row": row, "editable": True, "row_version": row_version,
                   "fact_base": _fact_base(school)}, status=status)


@login_required
@require_GET
def school_audit(request: HttpRequest, code: str) -> HttpResponse:
    """The school's change log, filterable (who, from where, when, which value: a fact's own
    history is this page with `field=fact.<key>`)."""
    school = school_for(request.user, code)
    entries = AuditEntry.objects.filter(school=school)
    return render(request, "web/school/audit.html",
                  {"school": school, **audit.trail_context(request, entries, by_school=False)})


@login_required
@require_GET
def school_report(request: HttpRequest, code: str) -> HttpResponse:
    school = school_for(request.user, code)
    return downloads.attachment(school_report_of(actor=actor(request), school=school,
                                                 lang=lang()))
