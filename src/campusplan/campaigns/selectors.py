"""Reads of campaigns: a campaign's review rows (status, timeliness, completeness, warnings and
the diff against the last accepted values), the rates (上报率, 及时率) per district, and the
official runs a campaign left, for the run diffs and the trends."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from campusplan.accounts.models import AuditEntry
from campusplan.campaigns import review
from campusplan.campaigns.choices import REPORTED, State, Timeliness
from campusplan.campaigns.models import Campaign, DistrictCampaign, Submission
from campusplan.campaigns.services import school_values
from campusplan.catalog.loader import Catalog
from campusplan.catalog.schema import Scope
from campusplan.schools.models import FactValue


def campaign_fact_keys(campaign: Campaign, catalog: Catalog) -> list[str]:
    """The school facts the campaign asks for (its areas; every area when it names none)."""
    return [f.key for f in catalog.facts.facts if f.scope == Scope.school
            and (not campaign.areas or f.area in campaign.areas)]


def timeliness(sub: Submission, today: dt.date | None = None) -> Timeliness:
    deadline = sub.campaign.deadline
    if sub.submitted_at is not None:
        day = timezone.localtime(sub.submitted_at).date()
        return Timeliness.ON_TIME if day <= deadline else Timeliness.LATE
    today = today or timezone.localdate()
    return Timeliness.MISSING if today > deadline else Timeliness.PENDING


def previous_accepted(sub: Submission) -> dict | None:
    """The values the district accepted in the school's latest earlier campaign (None: none)."""
    earlier = Submission.objects.filter(school_id=sub.school_id, accepted__isnull=False,
                                        campaign__as_of__lt=sub.campaign.as_of).order_by(
        "-campaign__as_of", "-campaign_id").values_list("accepted", flat=True).first()
    return earlier


@dataclass(frozen=True)
class SinceAccepted:
    """A value changed after the school's last acceptance, before the campaign opened: the
    campaign starts from `accepted`; `current` is stored now, written by `by` at `at`."""

    key: str
    accepted: object
    current: object
    by: str = ""
    at: dt.datetime | None = None


def since_accepted(sub: Submission) -> list[SinceAccepted]:
    """The values the school has still to settle: changed since its last accepted values (as
    found when the campaign opened), still different, and not written again since the opening
    (a value written during the campaign — by the form, a workbook or any other path — is the
    campaign's value)."""
    if not sub.since_accepted:
        return []
    current = school_values(sub.school)
    keys = [k for k, v in sub.since_accepted.items() if current.get(k) != v]
    if not keys:
        return []
    last: dict[str, tuple[str, dt.datetime]] = {}
    for field_, actor, at in AuditEntry.objects.filter(
            school=sub.school, object_type="school", field__in=keys).order_by(
            "at", "id").values_list("field", "actor", "at"):
        last[field_] = (actor, at)
    opened = sub.campaign.opened_at
    return [SinceAccepted(k, sub.since_accepted[k], current.get(k), *last.get(k, ("", None)))
            for k in keys if k not in last or last[k][1] < opened]


@dataclass
class ReviewRow:
    submission: Submission
    timeliness: Timeliness
    known: int
    asked: int
    differences: list[review.Difference] = field(default_factory=list)
    warnings: list[review.Warning] = field(default_factory=list)
    baseline: bool = False  # an earlier accepted submission exists

    @property
    def school(self):
        return self.submission.school

    @property
    def completeness(self) -> float | None:
        return self.known / self.asked if self.asked else None


def submissions(campaign: Campaign, schools) -> list[Submission]:
    return list(Submission.objects.filter(campaign=campaign, school__in=schools)
                .select_related("school__district", "campaign").order_by("school__code"))


def review_rows(campaign: Campaign, schools, catalog: Catalog,
                detail: bool = True) -> list[ReviewRow]:
    """One row per school of the campaign inside `schools` (a scoped QuerySet)."""
    subs = submissions(campaign, schools)
    keys = campaign_fact_keys(campaign, catalog)
    known = dict(FactValue.objects.filter(
        school__in=[s.school_id for s in subs], key__in=keys, room__isnull=True,
        service__isnull=True, superseded_at__isnull=True).values("school").annotate(
        n=Count("id")).values_list("school", "n"))
    rows = []
    for sub in subs:
        row = ReviewRow(sub, timeliness(sub), known.get(sub.school_id, 0), len(keys))
        if detail:
            old = previous_accepted(sub)
            new = sub.accepted if sub.accepted is not None else school_values(sub.school)
            row.differences, row.warnings = review.differences(old, new), review.warnings(old, new)
            row.baseline = old is not None
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Rates:
    schools: int
    reported: int
    on_time: int
    states: dict[str, int]

    @property
    def report_rate(self) -> float | None:  # 上报率
        return self.reported / self.schools if self.schools else None

    @property
    def on_time_rate(self) -> float | None:  # 及时率
        return self.on_time / self.schools if self.schools else None


def rates(campaign: Campaign, schools) -> Rates:
    subs = submissions(campaign, schools)
    states = Counter(s.state for s in subs)
    reported = sum(states[s] for s in REPORTED)
    on_time = sum(1 for s in subs if s.state in REPORTED
                  and timeliness(s) == Timeliness.ON_TIME)
    return Rates(len(subs), reported, on_time, {s.value: states.get(s.value, 0) for s in State})


@dataclass(frozen=True)
class DistrictRow:
    part: DistrictCampaign
    rates: Rates

    @property
    def ready(self) -> bool:
        """Every school approved: the city may confirm the district."""
        return self.part.confirmed_at is None and self.rates.schools > 0 and \
            self.rates.states[State.APPROVED] == self.rates.schools


def district_rows(campaign: Campaign, districts, schools) -> list[DistrictRow]:
    parts = DistrictCampaign.objects.filter(campaign=campaign, district__in=districts) \
        .select_related("district", "run")
    return [DistrictRow(p, rates(campaign, schools.filter(district=p.district))) for p in parts]


def latest_campaign(campaigns) -> Campaign | None:
    return campaigns.order_by("-school_year", "-opened_at", "-id").first()


def official_parts(districts) -> list[DistrictCampaign]:
    """Confirmed districts with their official runs, oldest campaign first (for the trends)."""
    return list(DistrictCampaign.objects.filter(district__in=districts, run__isnull=False)
                .select_related("campaign", "district", "run")
                .order_by("campaign__as_of", "campaign_id", "district__code"))
