"""Writes of campaigns: open one, move a school's submission from state to state, confirm a
district, and the lock every write of a school's facts asks first (`assert_unlocked`).

These are the domain steps; `usecases.campaigns` composes them with the scope, the audit trail
and the assessment runs, and is what the web, the API and the CLI call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from campusplan.campaigns.choices import LOCKED, State
from campusplan.campaigns.models import Campaign, DistrictCampaign, Submission
from campusplan.engine.document import is_school_code
from campusplan.exchange.problems import Location, Problem
from campusplan.i18n import Refused
from campusplan.schools.models import STAGE_COLUMNS, FactValue, School
from campusplan.schools.services import ImportInvalid


class SchoolLocked(ImportInvalid):
    """A write to a school whose submission is submitted or approved: refused, nothing written
    (the API answers 409, the web and the CLI show the located message)."""


class TransitionRefused(Refused):
    """A campaign step the current state does not allow (e.g. approving what was not submitted)."""

    status = 409  # the API's answer


LOCKED_ZH = "学校已在填报任务“{title}”中提交（{state}），数据已锁定；如需修改请联系区级退回或解锁"
LOCKED_EN = ("the school submitted its data in the campaign “{title}” ({state}): its data is "
             "locked; ask the district to return or unlock it")


def locks(*, codes: Iterable[str]) -> list[Submission]:
    # a code that is no code is refused by the import's validation; it must not reach the
    # database (PostgreSQL refuses NUL in a query's text)
    codes = {c for c in codes if is_school_code(c)}
    return list(Submission.objects.filter(school__code__in=codes, state__in=LOCKED)
                .select_related("campaign", "school"))


def assert_unlocked(*, codes: Iterable[str], where: dict[str, Location] | None = None) -> None:
    """Refuse (SchoolLocked, one located problem per school) a write that touches a school whose
    submission is submitted or approved. `where` locates each school in the file, if known."""
    held = locks(codes=codes)
    if not held:
        return
    where = where or {}
    raise SchoolLocked([Problem(
        LOCKED_ZH.format(title=s.campaign.title, state=State(s.state).label),
        LOCKED_EN.format(title=s.campaign.title, state=State(s.state).name.lower()),
        where.get(s.school.code) or Location(sheet=s.school.code), s.school.code)
        for s in sorted(held, key=lambda s: s.school.code)])


# --- values a district accepts ---------------------------------------------------------------


def school_values(school: School) -> dict[str, object]:
    """The school's own values, keyed as an import's changes are (fact.x, teachers,
    stage.primary.students): what a review compares and an approval keeps."""
    return values_of([school])[school.pk]


def values_of(schools: Iterable[School]) -> dict[int, dict[str, object]]:
    """school_values of many schools at once (school pk → values), in one query."""
    schools = list(schools)
    out: dict[int, dict[str, object]] = {s.pk: {} for s in schools}
    for pk, key, num, flag, text in FactValue.objects.filter(
            school__in=schools, room__isnull=True, service__isnull=True,
            superseded_at__isnull=True).values_list("school_id", "key", "num", "flag", "text"):
        out[pk][f"fact.{key}"] = flag if flag is not None else num if num is not None else text
    for school in schools:
        if school.teachers is not None:
            out[school.pk]["teachers"] = school.teachers
        for (st, k), column in STAGE_COLUMNS.items():
            if (v := getattr(school, column)) is not None:
                out[school.pk][f"stage.{st}.{k}"] = v
    return out


def last_accepted(schools: Iterable[School], before: dt.date) -> dict[int, dict]:
    """School pk → the values the district accepted in the school's latest campaign as of a date
    before `before` (schools never accepted are left out)."""
    out: dict[int, dict] = {}
    for pk, accepted in Submission.objects.filter(
            school__in=list(schools), accepted__isnull=False, campaign__as_of__lt=before
    ).order_by("school_id", "-campaign__as_of", "-campaign_id").values_list("school_id",
                                                                           "accepted"):
        out.setdefault(pk, accepted)
    return out


def changed_since(accepted: dict, current: dict) -> dict[str, object]:
    """Key → the accepted value, for every value that differs now (None: unknown then)."""
    return {k: accepted.get(k) for k in sorted(set(accepted) | set(current))
            if accepted.get(k) != current.get(k)}


# --- campaigns and their states ----------------------------------------------------------------


def campaign_create(*, school_year: int, title: str, as_of: dt.date, deadline: dt.date,
                    areas: list[str], instructions: str, district, schools: list[School],
                    user=None, actor: str = "") -> Campaign:
    campaign = Campaign.objects.create(
        school_year=school_year, title=title, as_of=as_of, deadline=deadline, areas=areas,
        instructions=instructions, district=district, opened_by=user, actor=actor)
    districts = {s.district_id: s.district for s in schools}
    DistrictCampaign.objects.bulk_create([DistrictCampaign(campaign=campaign, district=d)
                                          for d in districts.values()])
    accepted = last_accepted(schools, as_of)
    current = values_of([s for s in schools if s.pk in accepted])
    Submission.objects.bulk_create([Submission(
        campaign=campaign, school=s,
        since_accepted=changed_since(accepted[s.pk], current[s.pk]) if s.pk in accepted else {})
        for s in schools])
    return campaign


def move(submission: Submission, to: State, *, allowed: Iterable[State],
         reasons: list[dict] | None = None) -> State:
    """Move one submission to `to` if its state is one of `allowed`; the state it left. Call
    inside a transaction: the row is re-read locked, so two steps at once cannot both pass."""
    before = State(Submission.objects.select_for_update().values_list("state", flat=True)
                   .get(pk=submission.pk))
    if before not in set(allowed):
        raise TransitionRefused(
            f"{submission.school.name}：当前状态为“{before.label}”，不能改为“{State(to).label}”",
            f"{submission.school.code}: the state is {before.name.lower()}, it cannot become "
            f"{State(to).name.lower()}")
    now = timezone.now()
    submission.state, submission.changed_at = to, now
    if to == State.SUBMITTED:
        submission.submitted_at = submission.submitted_at or now
        submission.last_submitted_at = now
    if reasons is not None:
        submission.reasons = reasons
    if to == State.APPROVED:
        submission.accepted = school_values(submission.school)
    submission.save()
    return before


def confirm(district_campaign: DistrictCampaign, *, actor: str, run) -> None:
    now = timezone.now()
    district_campaign.submissions().update(state=State.CONFIRMED, changed_at=now)
    district_campaign.confirmed_at, district_campaign.confirmed_by = now, actor
    district_campaign.run = run
    district_campaign.save()
