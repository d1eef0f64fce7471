"""The campaign pages (填报任务): the list and the opening form; a school's workspace (the
pre-filled workbook, its upload, the online form, submitting); the district's review (status,
timeliness, completeness, warnings, the diff, approve / return in bulk); the city's view per
district (confirm); the diff of two campaigns' official runs. Every step is one call of
usecases.campaigns; refusals show their reason, nothing is written."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campusplan.accounts.choices import Level
from campusplan.accounts.scope import can_edit, profile_of, visible_districts, visible_schools
from campusplan.assessments.selectors import run_diff
from campusplan.campaigns import selectors as cs
from campusplan.campaigns.choices import LOCKED, OPEN
from campusplan.campaigns.services import TransitionRefused
from campusplan.i18n import local_time
from campusplan.schools.services import ImportInvalid
from campusplan.usecases import campaigns as uc
from campusplan.usecases.facts import FactConflict
from campusplan.usecases.reports import XLSX
from campusplan.web import campaigns as cp
from campusplan.web import facts, imports
from campusplan.web.http import actor, catalog, lang
from campusplan.web.school import lang_code


def _refused(request: HttpRequest, exc: TransitionRefused) -> None:
    messages.error(request, exc.text(lang()))


# --- the list and opening --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    if request.method == "POST":
        return _open(request)
    schools = visible_schools(request.user)
    rows = [(c, cs.rates(c, schools)) for c in uc.visible_campaigns(me)]
    p = profile_of(request.user)
    opener = can_edit(request.user) and p is not None and p.level in (Level.CITY, Level.DISTRICT)
    return render(request, "web/campaigns/list.html", {
        "rows": rows, "opener": opener, "nav": "campaigns", "today": timezone.localdate(),
        "areas": [(a.key, a.name.get(lang_code(lang()))) for a in catalog().standard.areas],
        "own_district": p.district if p is not None and p.level == Level.DISTRICT else None})


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None


def _open(request: HttpRequest) -> HttpResponse:
    post = request.POST
    as_of, deadline = _date(post.get("as_of", "")), _date(post.get("deadline", ""))
    year = post.get("school_year", "").strip()
    if as_of is None or deadline is None or not year.isdigit():
        messages.error(request, _("请填写学年、统计时点和截止日期（日期格式 YYYY-MM-DD）。"))
        return redirect("web:campaigns")
    p = profile_of(request.user)
    try:
        campaign = uc.open_campaign(
            actor=actor(request), school_year=int(year), as_of=as_of, deadline=deadline,
            areas=post.getlist("areas"), instructions=post.get("instructions", ""),
            title=post.get("title", ""),
            district=p.district.code if p is not None and p.level == Level.DISTRICT else None)
    except TransitionRefused as exc:
        _refused(request, exc)
        return redirect("web:campaigns")
    messages.success(request, _("已开启填报任务“%(title)s”：%(n)d 所学校。") % {
        "title": campaign.title, "n": campaign.submissions.count()})
    return redirect("web:campaign", campaign.pk)


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Where each role works on a campaign: the school's workspace, the district's review, or
    the city's table of districts."""
    campaign = uc.campaign_of(actor(request), pk)
    p = profile_of(request.user)
    if p.level == Level.SCHOOL:
        return redirect("web:campaign_school", pk, p.school.code)
    if p.level == Level.DISTRICT:
        return redirect("web:campaign_review", pk, p.district.code)
    districts = visible_districts(request.user)
    rows = cs.district_rows(campaign, districts, visible_schools(request.user))
    return render(request, "web/campaigns/city.html", {
        "campaign": campaign, "rows": rows, "nav": "campaigns",
        "rates": cs.rates(campaign, visible_schools(request.user)),
        "editable": can_edit(request.user)})


# --- the school's workspace ------------------------------------------------------------------


def _workspace(request: HttpRequest, campaign, sub, status: int = 200, **extra) -> HttpResponse:
    cat = catalog()
    reasons = [{"target": cp.value_label(cat, r["target"], lang()) if r["target"] else "",
                "text": r["text"]} for r in sub.reasons]
    start = cp.start_of(sub)
    sections = cp.sections(cat, campaign, sub.school, lang(), start)
    since = [{"key": c.key, "label": cp.value_label(cat, c.key, lang()),
              "accepted": imports.shown_value(cat, c.key, c.accepted, lang()),
              "current": imports.shown_value(cat, c.key, c.current, lang()),
              "by": c.by, "at": local_time(c.at) if c.at else ""} for c in start.values()]
    return render(request, "web/campaigns/school.html", {
        "since": since,
        "campaign": campaign, "sub": sub, "school": sub.school, "reasons": reasons,
        "sections": sections, "open": sub.state in OPEN, "locked": sub.state in LOCKED,
        "editable": can_edit(request.user), "timeliness": cs.timeliness(sub),
        "reviewer": profile_of(request.user).level != Level.SCHOOL,
        "nav": "campaigns", **extra}, status=status)


@login_required
@require_GET
def campaign_school(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    me = actor(request)
    campaign = uc.campaign_of(me, pk)
    return _workspace(request, campaign, uc.submission_of(me, campaign, code))


@login_required
@require_GET
def campaign_form(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    me = actor(request)
    campaign = uc.campaign_of(me, pk)
    sub = uc.submission_of(me, campaign, code)
    return render(request, "web/campaigns/form.html", {
        "campaign": campaign, "sub": sub, "school": sub.school, "nav": "campaigns",
        "sections": cp.sections(catalog(), campaign, sub.school, lang(), cp.start_of(sub)),
        "editable": can_edit(request.user) and sub.state in OPEN,
        "fact_base": reverse("web:campaign_fact", args=[pk, code, "-"])[:-2]})


@login_required
@require_POST
def campaign_fact(request: HttpRequest, pk: int, code: str, key: str) -> HttpResponse:
    """One value of the online form (htmx): the row again, and the section's progress."""
    me = actor(request)
    campaign = uc.campaign_of(me, pk)
    sub = uc.submission_of(me, campaign, code, edit=True)
    cat = catalog()
    fact = facts.school_facts(cat).get(key)
    if fact is None or key not in cs.campaign_fact_keys(campaign, cat):
        raise Http404
    raw = request.POST.get("value", "")
    version = request.POST.get("version", "")
    error, status, row_version = "", 200, None
    current = facts.stored(sub.school).get(key)
    try:
        uc.save_fact(actor=me, campaign=campaign, code=code, key=key,
                     value=facts.parse(cat, key, raw),
                     version=int(version) if version.isdigit() else None)
    except ImportInvalid as exc:
        error, status = facts.problem_text(exc.problems, lang()), 422
    except TransitionRefused as exc:
        error, status = exc.text(lang()), 422
    except FactConflict as exc:  # changed since the form was made: saving again overwrites
        error = _("打开此页后，%(by)s 已将此值改为 %(value)s；再次保存将覆盖。") % {
            "by": exc.conflicts[0].by, "value": facts.fact_row(fact, current, lang()).display}
        status, row_version = 409, exc.version
    sub.school.refresh_from_db()  # the row's next save starts from this version
    row = facts.fact_row(fact, facts.stored(sub.school).get(key), lang(), raw=raw, error=error)
    return render(request, "web/campaigns/_fact_saved.html", {
        "row": row, "editable": True, "school": sub.school, "row_version": row_version,
        "fact_base": reverse("web:campaign_fact", args=[pk, code, "-"])[:-2],
        "section": cp.section_of(cat, campaign, sub.school, key, lang(), cp.start_of(sub))},
        status=status)


@login_required
@require_POST
def campaign_keep(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Keep the newer value of values changed since the last acceptance (the ones ticked, or
    all of them), then back to the page that asked."""
    me = actor(request)
    campaign = uc.campaign_of(me, pk)
    keys = request.POST.getlist("key")
    try:
        kept = uc.keep_values(actor=me, campaign=campaign, code=code, keys=keys or None)
        messages.success(request, _("已保留 %(n)d 项现值。") % {"n": len(kept)})
    except TransitionRefused as exc:
        _refused(request, exc)
    if request.POST.get("next") == "form":
        return redirect("web:campaign_form", pk, code)
    return redirect("web:campaign_school", pk, code)


@login_required
@require_GET
def campaign_survey(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    me = actor(request)
    campaign = uc.campaign_of(me, pk)
    with tempfile.TemporaryDirectory(prefix="campusplan-survey-") as folder:
        path = uc.survey(actor=me, campaign=campaign, code=code,
                         path=Path(folder) / f"{code}-survey.xlsx", lang=lang())
        response = HttpResponse(path.read_bytes(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, path.name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def campaign_upload(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    me = actor(request)
    campaign = uc.campaign_of(me, pk)
    sub = uc.submission_of(me, campaign, code, edit=True)
    uploaded = request.FILES.get("file")
    error = imports.upload_error(uploaded)
    if error:
        return _workspace(request, campaign, sub, 400, upload_error=error)
    token, path = imports.save(request.user, uploaded)
    return _uploaded(request, campaign, sub, token, path, {})


@login_required
@require_POST
def campaign_upload_confirm(request: HttpRequest, pk: int, code: str, token: str
                            ) -> HttpResponse:
    """The kept upload again, with the school's choice per conflict."""
    me = actor(request)
    campaign = uc.campaign_of(me, pk)
    sub = uc.submission_of(me, campaign, code, edit=True)
    path = imports.find(request.user, token)
    if path is None:
        return _workspace(request, campaign, sub, 410,
                          upload_error=_("上传的文件已过期或不存在，请重新上传。"))
    choices = {k[len("choice-"):]: v for k, v in request.POST.items()
               if k.startswith("choice-") and v in ("file", "stored")}
    return _uploaded(request, campaign, sub, token, path, choices)


def _uploaded(request: HttpRequest, campaign, sub, token: str, path: Path,
              choices: dict[str, str]) -> HttpResponse:
    """Import the school's file; with conflicts left open the file is kept and the school
    chooses per conflict (nothing written until then)."""
    me, pk, code = actor(request), campaign.pk, sub.school.code
    keep = False
    try:
        result = uc.upload(actor=me, campaign=campaign, code=code, paths=[path],
                           choices=choices)
        keep = bool(result.unresolved) and not result.problems and not result.refused
    except TransitionRefused as exc:
        return _workspace(request, campaign, sub, 409, upload_error=exc.text(lang()))
    finally:
        if not keep:
            imports.discard(request.user, token)
    sub.refresh_from_db()
    if keep:
        return _workspace(request, campaign, sub, 409, token=token,
                          conflicts=imports.conflict_rows(result.conflicts, catalog(), lang()))
    if result.refused:
        return _workspace(request, campaign, sub, 403,
                          upload_error="；".join(r.text(lang()) for r in result.refused))
    if not result.ok:
        return _workspace(request, campaign, sub, 409 if result.locked else 422,
                          problems=imports.problem_rows(result.problems, lang()))
    messages.success(request, _("已导入 %(file)s：%(changes)d 项变更。") % {
        "file": ", ".join(result.files), "changes": len(result.plan.changes)})
    return redirect("web:campaign_school", pk, code)


@login_required
@require_POST
def campaign_submit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    me = actor(request)
    campaign = uc.campaign_of(me, pk)
    try:
        uc.submit(actor=me, campaign=campaign, code=code,
                  keep_changed=request.POST.get("keep_changed") == "1")
        messages.success(request, _("已提交，数据已锁定，等待区级审核。"))
    except TransitionRefused as exc:
        _refused(request, exc)
    return redirect("web:campaign_school", pk, code)


@login_required
@require_POST
def campaign_unlock(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    me = actor(request)
    campaign = uc.campaign_of(me, pk)
    sub = uc.submission_of(me, campaign, code)
    try:
        uc.unlock(actor=me, campaign=campaign, code=code, reason=request.POST.get("reason", ""))
        messages.success(request, _("已解锁，学校可以继续填报。"))
    except TransitionRefused as exc:
        _refused(request, exc)
    return redirect("web:campaign_review", pk, sub.school.district.code)


# --- the district's review and the city's confirmation -------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def campaign_review(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    me = actor(request)
    campaign = uc.campaign_of(me, pk)
    p = profile_of(request.user)
    if p.level == Level.SCHOOL:
        raise PermissionDenied
    district = visible_districts(request.user).filter(code=code).first()
    if district is None:
        raise Http404
    if request.method == "POST":
        return _review_action(request, campaign, district)
    schools = visible_schools(request.user).filter(district=district)
    cat = catalog()
    rows = cs.review_rows(campaign, schools, cat)
    labels = {d.key: cp.value_label(cat, d.key, lang())
              for r in rows for d in r.differences}
    notes = {w.key: w.rule.text(lang()) for r in rows for w in r.warnings}
    return render(request, "web/campaigns/review.html", {
        "campaign": campaign, "district": district, "rows": rows, "labels": labels,
        "notes": notes, "official": cp.official_name(campaign),
        "rates": cs.rates(campaign, schools), "nav": "campaigns",
        "editable": can_edit(request.user),
        "part": campaign.districts.filter(district=district).first(),
        "city": p.level == Level.CITY})


def _review_action(request: HttpRequest, campaign, district) -> HttpResponse:
    me, post = actor(request), request.POST
    codes = post.getlist("school")
    try:
        if post.get("action") == "approve":
            done = uc.approve(actor=me, campaign=campaign, codes=codes)
            messages.success(request, _("已审核通过 %(n)d 所学校。") % {"n": len(done)})
        else:
            done = uc.return_submissions(actor=me, campaign=campaign, codes=codes, reasons=[
                {"target": post.get("target", ""), "text": post.get("reason", "")}])
            messages.success(request, _("已退回 %(n)d 所学校。") % {"n": len(done)})
    except TransitionRefused as exc:
        _refused(request, exc)
    return redirect("web:campaign_review", campaign.pk, district.code)


@login_required
@require_POST
def campaign_confirm(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    me = actor(request)
    campaign = uc.campaign_of(me, pk)
    try:
        part = uc.confirm_district(actor=me, campaign=campaign, district=code)
        messages.success(request, _("已确认 %(district)s：%(label)s（评估批次 #%(run)d）。") % {
            "district": part.district.name, "label": cp.official_name(campaign),
            "run": part.run_id})
    except TransitionRefused as exc:
        _refused(request, exc)
    return redirect("web:campaign", pk)


# --- comparing two campaigns' official runs --------------------------------------------------------


@login_required
@require_GET
def campaign_diff(request: HttpRequest) -> HttpResponse:
    """What improved, regressed and newly violates between two confirmed campaigns, per school,
    district and the whole scope."""
    me = actor(request)
    visible = uc.visible_campaigns(me)
    old = visible.filter(pk=request.GET.get("old") or 0).first()
    new = visible.filter(pk=request.GET.get("new") or 0).first()
    schools = visible_schools(request.user)
    confirmed = [c for c in visible if c.districts.filter(run__isnull=False).exists()]
    context = {"nav": "campaigns", "confirmed": confirmed, "old": old, "new": new}
    if old is not None and new is not None:
        diffs = run_diff(old_runs=_runs(old), new_runs=_runs(new), schools=schools)
        context |= {"diffs": [d for d in diffs if d.changed], "compared": len(diffs),
                    "by_district": _tally(diffs, lambda d: d.district),
                    "total": _tally(diffs, lambda d: "")[""] if diffs else None}
    return render(request, "web/campaigns/diff.html", context)


def _runs(campaign) -> list[int]:
    return list(campaign.districts.filter(run__isnull=False).values_list("run_id", flat=True))


def _tally(diffs, key) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for d in diffs:
        t = out.setdefault(key(d), {"schools": 0, "improved": 0, "regressed": 0,
                                    "new_violations": 0})
        t["schools"] += 1
        t["improved"] += len(d.improved)
        t["regressed"] += len(d.regressed)
        t["new_violations"] += len(d.new_violations)
    return out


