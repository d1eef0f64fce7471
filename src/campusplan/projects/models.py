"""A district's price list (协议供货价) and the construction projects (建设项目) made from plan
lines. The city's default catalog stays in standards/prices.yaml; a district stores only the
lines it prices itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campusplan.projects.choices import FundingSource, ProjectStatus
from campusplan.schools.models import District, School, Source


class DistrictPrice(models.Model):
    """One line of a district's own list, over the city's line of the same key."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="prices")
    key = models.CharField(_("单价条目"), max_length=60)
    unit_price = models.DecimalField(_("单价（元）"), max_digits=14, decimal_places=2,
                                     null=True, blank=True)
    unit_zh = models.CharField(_("单位"), max_length=20, blank=True)
    unit_en = models.CharField(_("单位（英文）"), max_length=40, blank=True)
    service_life_years = models.PositiveSmallIntegerField(_("使用年限"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=300, blank=True)
    priced_on = models.DateField(_("定价日期"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["district", "key"],
                                               name="one_price_per_district_line")]
        ordering = ["district", "key"]


class Project(models.Model):
    """A plan line taken up as a project, followed from 计划 to 已完成 (or 取消)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="projects")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="projects")
    line = models.CharField(_("单价条目"), max_length=60, blank=True)
    requirement_ids = models.CharField(_("对应要求"), max_length=200, blank=True)
    title = models.CharField(_("项目名称"), max_length=200)
    quantity = models.FloatField(_("数量"))
    unit = models.CharField(_("单位"), max_length=40, blank=True)
    planned_cost = models.DecimalField(_("规划金额"), max_digits=14, decimal_places=2,
                                       null=True, blank=True)
    price_list = models.CharField(_("定价来源"), max_length=10, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ProjectStatus.choices,
                              default=ProjectStatus.PLANNED)
    funding_source = models.CharField(_("资金来源"), max_length=10, choices=FundingSource.choices,
                                      default=FundingSource.DISTRICT)
    contract_amount = models.DecimalField(_("合同金额"), max_digits=14, decimal_places=2,
                                          null=True, blank=True)
    supplier = models.CharField(_("供应商"), max_length=200, blank=True)
    owner = models.CharField(_("负责人"), max_length=100, blank=True)
    start_on = models.DateField(_("开始日期"), null=True, blank=True)
    due_on = models.DateField(_("计划完成日期"), null=True, blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    facts = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", help_text="the facts its completion wrote")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["district", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"
