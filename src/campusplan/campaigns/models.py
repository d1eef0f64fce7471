"""A campaign (填报任务) opened by the city for every district or by a district for its schools,
one submission per school in it, and one row per district the city confirms as a whole.

The confirmed district's official assessment run is linked from here (`DistrictCampaign.run`):
the campaigns app sits above assessments in the layers, so the link points down."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campusplan.assessments.models import AssessmentRun
from campusplan.campaigns.choices import LOCKED, State
from campusplan.schools.models import District, School


class Campaign(models.Model):
    school_year = models.PositiveSmallIntegerField(_("学年"))  # 2026 is 2026学年 (2026–2027)
    title = models.CharField(_("名称"), max_length=120)
    as_of = models.DateField(_("统计时点"))
    deadline = models.DateField(_("截止日期"))
    # areas of the fact dictionary the schools fill (empty: every area)
    areas = models.JSONField(_("填报范围"), default=list, blank=True)
    instructions = models.TextField(_("填报说明"), blank=True)
    # None: opened by the city for every district; else by that district for its schools
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    actor = models.CharField(_("操作人"), max_length=150, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-school_year", "-opened_at", "-id"]
        verbose_name = _("填报任务")
        verbose_name_plural = _("填报任务")

    def __str__(self) -> str:
        return self.title


class DistrictCampaign(models.Model):
    """One district's part of a campaign: confirmed by the city as a whole, and its official run."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="districts")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.CharField(max_length=150, blank=True)
    run = models.ForeignKey(AssessmentRun, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+")

    class Meta:
        ordering = ["district__code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "district"],
                                               name="campaign_district_once")]

    def submissions(self):
        return Submission.objects.filter(campaign_id=self.campaign_id,
                                         school__district_id=self.district_id)


class Submission(models.Model):
    """A school's part of a campaign: its state, when it was submitted, the district's reasons
    when returned ([{"target": "fact.x" | "sheet:…" | "", "text": "…"}]) and, once approved,
    the values the district accepted (the baseline of the next campaign's warnings).

    `since_accepted` holds, from the opening, the values that differed from the school's last
    accepted ones (key → the accepted value): the campaign starts from those, and the school
    settles each (takes the accepted value back or keeps the newer one) before submitting.
    `reminded` lists the deadline reminders already sent (days before the deadline)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="submissions")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="submissions")
    state = models.CharField(_("状态"), max_length=12, choices=State.choices,
                             default=State.NOT_STARTED)
    submitted_at = models.DateTimeField(null=True, blank=True)  # the first submission
    last_submitted_at = models.DateTimeField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    accepted = models.JSONField(null=True, blank=True)  # fact key → value, when approved
    since_accepted = models.JSONField(default=dict, blank=True)
    reminded = models.JSONField(default=list, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school__code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "school"],
                                               name="submission_once")]
        indexes = [models.Index(fields=["school", "state"], name="submission_lock")]

    @property
    def locked(self) -> bool:
        return self.state in LOCKED
