"""The yearly survey campaign — the one path of the web pages, `/api/v1/campaigns…` and
`campusplan campaign …`.

The city opens a campaign for every district, or a district for its schools; each school fills
(the pre-filled workbook or the online form, both through the ordinary write paths) and
submits, which locks its facts; the district returns (with reasons, unlocking them) or
approves; the city confirms a district as a whole, which stores the district's official run
("2026学年 正式评估"). Every step is scoped, audited and refused with a bilingual reason when the
state does not allow it, and the people it concerns are told (usecases.notifications: the bell,
and e-mail when configured): the schools and districts of a campaign opened, a school returned,
unlocked or approved, a district confirmed, and each school not yet submitted N days before the
deadline (`remind`, once per school and threshold; N from settings.CAMPAIGN_REMINDER_DAYS).

A campaign starts from each school's last accepted values: a value changed after that
acceptance, before the campaign opened, is pre-filled with the accepted value and the school
settles it — takes the accepted value back or keeps the newer one — before it may submit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from campusplan.accounts import audit, scope, versions
from campusplan.accounts.audit import Actor
from campusplan.accounts.choices import Level
from campusplan.assessments.choices import RunKind
from campusplan.campaigns import services
from campusplan.campaigns.choices import LOCKED, OPEN, State
from campusplan.campaigns.models import Campaign, DistrictCampaign, Submission
from campusplan.campaigns.selectors import SinceAccepted, since_accepted
from campusplan.campaigns.services import TransitionRefused
from campusplan.catalog.loader import load_catalog
from campusplan.catalog.schema import FactType, Scope
from campusplan.exchange.documents import Plan
from campusplan.schools.models import District, School
from campusplan.usecases import exports, facts, imports, notifications, runs, scoping
from campusplan.usecases.facts import FactResult
from campusplan.usecases.imports import ImportResult


class CampaignInvalid(TransitionRefused):
    """Input a campaign step cannot take (no reason given, an unknown area…): nothing written."""

    status = 422


# --- scope ---------------------------------------------------------------------------------------


def _level(actor: Actor) -> str | None:
    if scoping.is_operator(actor):
        return Level.CITY
    profile = scope.profile_of(actor.user)
    return None if profile is None else profile.level


def visible_campaigns(actor: Actor):
    """The campaigns an actor sees: all (city, operator); the city's and its own district's
    (district); those its school is in (school)."""
    qs = Campaign.objects.select_related("district")
    level = _level(actor)
    if level == Level.CITY:
        return qs
    if level == Level.DISTRICT:
        district = scope.profile_of(actor.user).district
        return qs.filter(districts__district=district).distinct()
    if level == Level.SCHOOL:
        return qs.filter(submissions__school_id=scope.profile_of(actor.user).school_id)
    return qs.none()


def campaign_of(actor: Actor, pk: int) -> Campaign:
    found = visible_campaigns(actor).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def submission_of(actor: Actor, campaign: Campaign, code: str, *, edit: bool = False
                  ) -> Submission:
    school = scoping.school(actor, code, edit=edit)
    found = Submission.objects.select_related("school__district", "campaign").filter(
        campaign=campaign, school=school).first()
    if found is None:
        raise Http404
    return found


def _reviewer(actor: Actor) -> None:
    """Only the district (or the city) reviews; a school never reviews itself."""
    if _level(actor) not in (Level.DISTRICT, Level.CITY) or not scoping.can_edit(actor):
        raise PermissionDenied


def _record(sub: Submission, before: State, note: str = "", **extra) -> None:
    audit.record(object_type="campaign_submission", object_key=f"{sub.campaign_id}/{sub.school.code}",
                 school=sub.school, field="state", before=before.value,
                 after={"state": sub.state, **extra}, note=note[:300])


# --- opening -------------------------------------------------------------------------------------


def open_campaign(*, actor: Actor, school_year: int, as_of: dt.date, deadline: dt.date,
                  areas: Iterable[str] = (), instructions: str = "", district: str | None = None,
                  title: str = "", today: dt.date | None = None) -> Campaign:
    """The city opens a campaign for every district (district None), a district for its own
    schools. Each school of the scope gets a submission, 未开始."""
    level = _level(actor)
    if not scoping.can_edit(actor) or level not in (Level.CITY, Level.DISTRICT) or (
            district is None and level != Level.CITY):
        raise PermissionDenied
    where = scoping.whole_district(actor, district, edit=True) if district else None
    areas = _areas(list(areas))
    _dates(school_year, as_of, deadline, today or timezone.localdate())
    schools = list(scoping.schools_of(actor).filter(**({"district": where} if where else {}))
                   .order_by("code"))
    if not schools:
        raise CampaignInvalid("范围内没有学校，无法开启填报任务",
                              "there is no school in the scope: nothing to open")
    title = (title or f"{school_year}学年 信息化建设数据填报").strip()[:120]
    with audit.acting_as(actor), transaction.atomic():
        campaign = services.campaign_create(
            school_year=school_year, title=title, as_of=as_of, deadline=deadline, areas=areas,
            instructions=instructions.strip()[:5000], district=where, schools=schools,
            user=actor.user, actor=actor.name)
        audit.record(object_type="campaign", object_key=str(campaign.pk),
                     district_code=where.code if where else "", field="opened",
                     after={"title": title, "school_year": school_year, "as_of": str(as_of),
                            "deadline": str(deadline), "areas": areas, "schools": len(schools)})
        notifications.notify(
            actor=actor, kind="campaign_opened", schools=schools,
            districts=District.objects.filter(pk__in={s.district_id for s in schools}),
            params={"campaign": title, "deadline": deadline.isoformat()}, url=_url(campaign))
    return campaign


def _url(campaign: Campaign) -> str:
    """Where a notification leads: the campaign, which opens each reader's own page of it."""
    return f"/campaigns/{campaign.pk}/"


def _areas(areas: list[str]) -> list[str]:
    known = [a.key for a in load_catalog().standard.areas]
    unknown = [a for a in areas if a not in known]
    if unknown:
        raise CampaignInvalid(f"规范中没有这些领域：{', '.join(unknown)}",
                              f"no such area in the standard: {', '.join(unknown)}")
    return [a for a in known if a in areas]


def _dates(year: int, as_of: dt.date, deadline: dt.date, today: dt.date) -> None:
    if not 2000 <= year <= 2100:
        raise CampaignInvalid(f"学年不合理：{year}", f"implausible school year: {year}")
    if deadline < as_of:
        raise CampaignInvalid("截止日期早于统计时点", "the deadline is before the as-of date")
    if deadline < today:
        raise CampaignInvalid("截止日期已过", "the deadline has already passed")


# --- the school fills and submits ---------------------------------------------------------------


def _filling(actor: Actor, campaign: Campaign, code: str) -> Submission:
    sub = submission_of(actor, campaign, code, edit=True)
    if sub.state == State.CONFIRMED:
        raise TransitionRefused("本次填报已由市级确认，不能再修改",
                                "this campaign is confirmed by the city: nothing can change")
    return sub


def _started(actor: Actor, sub: Submission) -> None:
    if sub.state != State.NOT_STARTED:
        return
    try:
        with audit.acting_as(actor), transaction.atomic():
            before = services.move(sub, State.IN_PROGRESS, allowed=[State.NOT_STARTED])
            _record(sub, before)
    except TransitionRefused:  # another request started it meanwhile: nothing to do
        pass


def save_fact(*, actor: Actor, campaign: Campaign, code: str, key: str, value,
              version: int | None = None, force: bool = False) -> FactResult:
    """One value of the online form, through usecases.facts (validated, audited, re-assessed;
    refused while the submission is locked; FactConflict when the value changed after the
    form's `version`). None makes the value unknown again."""
    sub = _filling(actor, campaign, code)
    if value is None:
        result = facts.clear_fact(actor=actor, school=sub.school, key=key, version=version,
                                  force=force)
    else:
        result = facts.set_fact(actor=actor, school=sub.school, key=key, value=value,
                                version=version, force=force)
    if not result.changes and sub.since_accepted.get(f"fact.{key}", value) != value:
        # the newer value saved as it is: the school keeps it (a write would have settled it)
        keep_values(actor=actor, campaign=campaign, code=code, keys=[f"fact.{key}"])
    elif result.changes:
        _started(actor, sub)
    return result


def upload(*, actor: Actor, campaign: Campaign, code: str, paths: list[Path],
           dry_run: bool = False, choices: dict[str, str] | None = None) -> ImportResult:
    """The school's filled workbook, through usecases.imports (the scope policy, the lock and
    the conflicts). A cell of a value changed since the last acceptance that the file would
    change is a conflict too (`versions.ACCEPTED`: the file holds the accepted value the
    workbook was pre-filled with); choosing "stored" for it keeps the newer value."""
    sub = _filling(actor, campaign, code)
    result = imports.import_files(actor=actor, paths=paths, dry_run=dry_run, choices=choices,
                                  also=lambda plan: _accepted_conflicts(sub, plan))
    if result.ok and not dry_run:
        kept = [k.change.key for k in result.conflicts if k.reason == versions.ACCEPTED
                and (choices or {}).get(k.id) == versions.STORED]
        if kept:
            _keep(actor, sub, kept)
            _started(actor, sub)
    if result.written and result.plan.changes:
        _started(actor, sub)
    return result


def _accepted_conflicts(sub: Submission, plan: Plan) -> list[versions.Conflict]:
    open_ = {c.key: c for c in since_accepted(sub)}
    return [versions.Conflict(c, versions.ACCEPTED, open_[c.key].accepted, open_[c.key].by,
                              open_[c.key].at)
            for c in plan.changes if c.school == sub.school.code and c.target == "school"
            and c.key in open_]


def starting_values(sub: Submission) -> dict[str, object]:
    """The values the school has still to settle, as the campaign starts from them: key → the
    last accepted value (the pre-filled workbook's and the online form's starting values)."""
    ints = {f"fact.{f.key}" for f in load_catalog().facts.by_key(Scope.school).values()
            if f.type == FactType.int}
    return {c.key: int(c.accepted) if c.key in ints and isinstance(c.accepted, float)
            and c.accepted.is_integer() else c.accepted for c in since_accepted(sub)}


def survey(*, actor: Actor, campaign: Campaign, code: str, path: Path, lang: str = "zh"
           ) -> Path:
    """The school's survey workbook, pre-filled with its last accepted values (its stored
    values where nothing changed since, or where the campaign wrote them again)."""
    sub = submission_of(actor, campaign, code)
    return exports.survey(actor=actor, path=path, district=sub.school.district.code,
                          school=sub.school.code, lang=lang,
                          values={sub.school.code: starting_values(sub)})[0]


def keep_values(*, actor: Actor, campaign: Campaign, code: str,
                keys: Iterable[str] | None = None) -> list[SinceAccepted]:
    """The school keeps the newer value of values changed since its last acceptance (all of
    them when `keys` is None): settled, audited. The ones kept."""
    sub = _filling(actor, campaign, code)
    if sub.state not in OPEN:
        raise TransitionRefused("数据已锁定，不能修改", "the data is locked: nothing can change")
    open_ = since_accepted(sub)
    wanted = None if keys is None else set(keys)
    kept = [c for c in open_ if wanted is None or c.key in wanted]
    if kept:
        _keep(actor, sub, [c.key for c in kept])
        _started(actor, sub)
    return kept


def _keep(actor: Actor, sub: Submission, keys: list[str]) -> None:
    with audit.acting_as(actor), transaction.atomic():
        held = Submission.objects.select_for_update().get(pk=sub.pk)
        dropped = {k: held.since_accepted.pop(k) for k in keys if k in held.since_accepted}
        held.save(update_fields=["since_accepted"])
        sub.since_accepted = held.since_accepted
        audit.record(object_type="campaign_submission",
                     object_key=f"{sub.campaign_id}/{sub.school.code}", school=sub.school,
                     field="kept", before=dropped, after=sorted(dropped),
                     note="保留上次审核通过后修改的数据")


def _labels(keys: Iterable[str]) -> str:
    by_key = load_catalog().facts.by_key(Scope.school)
    names = [by_key[k[5:]].label.zh if k.startswith("fact.") and k[5:] in by_key else k
             for k in keys]
    return "、".join(names)


def submit(*, actor: Actor, campaign: Campaign, code: str,
           keep_changed: bool = False) -> Submission:
    """已提交: the school's facts are locked until the district returns or unlocks them.
    Refused while values changed since the last acceptance are unsettled, unless
    `keep_changed` (the newer values are kept, audited)."""
    sub = _filling(actor, campaign, code)
    open_ = since_accepted(sub) if sub.state in OPEN else []
    if open_ and not keep_changed:
        keys = [c.key for c in open_]
        raise TransitionRefused(
            f"{len(keys)} 项数据在上次审核通过后、本次填报任务开启前被修改（{_labels(keys)}）："
            "请逐项确认采用上次审核通过的值或保留现值，再提交",
            f"{len(keys)} value(s) changed after the last acceptance, before this campaign "
            f"opened ({', '.join(keys)}): take the accepted value back or keep the newer one, "
            "then submit")
    with audit.acting_as(actor), transaction.atomic():
        if open_:
            _keep(actor, sub, [c.key for c in open_])
        before = services.move(sub, State.SUBMITTED, allowed=OPEN)
        _record(sub, before, on_time=sub.last_submitted_at.date() <= campaign.deadline)
    return sub


# --- the district reviews ------------------------------------------------------------------------


def _reasons(reasons: Iterable[dict]) -> list[dict]:
    out = [{"target": str(r.get("target") or "")[:100], "text": str(r.get("text") or "").strip()
            [:500]} for r in reasons]
    out = [r for r in out if r["text"]]
    if not out:
        raise CampaignInvalid("退回或解锁须写明原因", "returning or unlocking needs a reason")
    return out


def _bulk(actor: Actor, campaign: Campaign, codes: Iterable[str]) -> list[Submission]:
    _reviewer(actor)
    subs = [submission_of(actor, campaign, c, edit=True) for c in dict.fromkeys(codes)]
    if not subs:
        raise CampaignInvalid("没有选择学校", "no school chosen")
    return subs


def return_submissions(*, actor: Actor, campaign: Campaign, codes: Iterable[str],
                       reasons: Iterable[dict]) -> list[Submission]:
    """已退回 with the reasons (per fact or sheet) shown to the school; its facts unlock."""
    reasons = _reasons(reasons)
    subs = _bulk(actor, campaign, codes)
    with audit.acting_as(actor), transaction.atomic():
        for sub in subs:
            before = services.move(sub, State.RETURNED, allowed=LOCKED, reasons=reasons)
            _record(sub, before, note="；".join(r["text"] for r in reasons), reasons=reasons)
        notifications.notify(actor=actor, kind="returned", schools=[s.school for s in subs],
                             params={"campaign": campaign.title,
                                     "reason": "；".join(r["text"] for r in reasons)},
                             url=_url(campaign))
    return subs


def approve(*, actor: Actor, campaign: Campaign, codes: Iterable[str]) -> list[Submission]:
    """区级已审核: the values are accepted (kept as the next campaign's baseline), still locked."""
    subs = _bulk(actor, campaign, codes)
    with audit.acting_as(actor), transaction.atomic():
        for sub in subs:
            before = services.move(sub, State.APPROVED, allowed=[State.SUBMITTED], reasons=[])
            _record(sub, before)
        notifications.notify(actor=actor, kind="approved", schools=[s.school for s in subs],
                             params={"campaign": campaign.title}, url=_url(campaign))
    return subs


def unlock(*, actor: Actor, campaign: Campaign, code: str, reason: str) -> Submission:
    """Back to 填报中 before the city confirms — only with a reason, which is audited."""
    reasons = _reasons([{"text": reason}])
    (sub,) = _bulk(actor, campaign, [code])
    with audit.acting_as(actor), transaction.atomic():
        before = services.move(sub, State.IN_PROGRESS, allowed=LOCKED, reasons=reasons)
        _record(sub, before, note=reasons[0]["text"], unlocked=True)
        notifications.notify(actor=actor, kind="unlocked", schools=[sub.school],
                             params={"campaign": campaign.title, "reason": reasons[0]["text"]},
                             url=_url(campaign))
    return sub


# --- the city confirms a district ----------------------------------------------------------------


def official_label(campaign: Campaign) -> str:
    return f"{campaign.school_year}学年 {RunKind.OFFICIAL.label}"


def confirm_district(*, actor: Actor, campaign: Campaign, district: str) -> DistrictCampaign:
    """市级已确认, for a district as a whole, once every school of it is approved: its schools
    are judged as of the campaign's 统计时点 into the official run, kept unchanged."""
    if _level(actor) != Level.CITY or not scoping.can_edit(actor):
        raise PermissionDenied
    where = scoping.whole_district(actor, district, edit=True)
    part = DistrictCampaign.objects.filter(campaign=campaign, district=where).first()
    if part is None:
        raise Http404
    if part.confirmed_at is not None:
        raise TransitionRefused("该区已确认", "this district is already confirmed")
    pending = part.submissions().exclude(state=State.APPROVED).count()
    if pending:
        raise TransitionRefused(f"该区还有 {pending} 所学校未通过区级审核",
                                f"{pending} school(s) of the district are not approved yet")
    schools = list(School.objects.select_related("district").filter(
        pk__in=part.submissions().values("school_id")).order_by("code"))
    with audit.acting_as(actor), transaction.atomic():
        run = runs.assess(actor=actor, schools=schools, as_of=campaign.as_of,
                          run_kind=RunKind.OFFICIAL, label=official_label(campaign))[0]
        services.confirm(part, actor=actor.name, run=run)
        audit.record(object_type="campaign", object_key=f"{campaign.pk}/{where.code}",
                     district_code=where.code, field="confirmed",
                     after={"run": run.pk, "schools": len(schools), "label": run.label})
        notifications.notify(actor=actor, kind="district_confirmed", districts=[where],
                             params={"campaign": campaign.title, "district": where.name,
                                     "run": run.label}, url=_url(campaign))
    return part


# --- deadline reminders --------------------------------------------------------------------------


def remind(*, actor: Actor, today: dt.date | None = None,
           days: Iterable[int] | None = None) -> list[tuple[Submission, int]]:
    """Tell each school that has not submitted (未开始, 填报中, 已退回) of an open campaign that
    the deadline is near: once per school and threshold — when `days` (default
    settings.CAMPAIGN_REMINDER_DAYS) names N and the deadline is at most N days away. Run it
    daily (`campusplan campaign remind`); a second run the same day sends nothing. The
    (submission, days left) reminded."""
    if not scoping.can_edit(actor) or _level(actor) not in (Level.CITY, Level.DISTRICT):
        raise PermissionDenied
    today = today or timezone.localdate()  # the deadline is a day in Asia/Shanghai
    thresholds = sorted({int(d) for d in (settings.CAMPAIGN_REMINDER_DAYS if days is None
                                          else days) if int(d) >= 0})
    if not thresholds:
        return []
    last = today + dt.timedelta(days=thresholds[-1])
    out: list[tuple[Submission, int]] = []
    for campaign in visible_campaigns(actor).filter(deadline__gte=today, deadline__lte=last):
        out += _remind(actor, campaign, (campaign.deadline - today).days, thresholds)
    return out


def _remind(actor: Actor, campaign: Campaign, left: int, thresholds: list[int]
            ) -> list[tuple[Submission, int]]:
    due = [t for t in thresholds if left <= t]
    with audit.acting_as(actor), transaction.atomic():
        subs = list(Submission.objects.select_for_update(of=("self",)).filter(
            campaign=campaign, state__in=OPEN, school__in=scoping.schools_of(actor))
            .select_related("school__district").order_by("school__code"))
        told = []
        for sub in subs:
            new = [t for t in due if t not in sub.reminded]
            if new:
                sub.reminded = sorted({*sub.reminded, *new})
                sub.save(update_fields=["reminded"])
                told.append(sub)
        if not told:
            return []
        notifications.notify(
            actor=actor, kind="deadline" if left else "deadline_today",
            schools=[s.school for s in told], url=_url(campaign),
            params={"campaign": campaign.title, "days": left,
                    "deadline": campaign.deadline.isoformat()})
        audit.record(object_type="campaign", object_key=str(campaign.pk),
                     district_code=campaign.district.code if campaign.district_id else "",
                     field="reminded", after={"days": left, "schools": len(told)})
    return [(s, left) for s in told]
