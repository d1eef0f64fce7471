"""Stored assessment runs and their result rows, with the catalog version that judged them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campusplan.assessments.choices import Level, ScopeKind, Status
from campusplan.schools.models import School


class AssessmentRun(models.Model):
    catalog_key = models.CharField(max_length=40)
    catalog_version = models.CharField(_("规范版本"), max_length=120)
    catalog_checksum = models.CharField(max_length=64)
    as_of = models.DateField(_("评估日期"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL)
    actor = models.CharField(_("操作人"), max_length=150, blank=True)
    scope_kind = models.CharField(max_length=10, choices=ScopeKind.choices)
    scope_code = models.CharField(max_length=20, blank=True)
    schools = models.PositiveIntegerField(default=0)
    results = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)  # status → rows

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("评估批次")
        verbose_name_plural = _("评估批次")

    def __str__(self) -> str:
        return f"{self.scope_kind} {self.scope_code} {self.catalog_version} {self.as_of}"


class ResultRow(models.Model):
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="rows")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="results")
    requirement_id = models.CharField(_("要求编号"), max_length=20)
    item = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    actual = models.FloatField(null=True, blank=True)
    required = models.FloatField(null=True, blank=True)
    shortfall = models.FloatField(null=True, blank=True)
    basis = models.FloatField(null=True, blank=True)  # e.g. the students a ratio is per
    explanation = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "school", "requirement_id"],
                                               name="result_once")]
        indexes = [models.Index(fields=["run", "status"], name="result_status")]
