"""Choices of the assessments app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    MET = "met", _("达标")
    GAP = "gap", _("未达标")
    VIOLATION = "violation", _("违规")
    UNKNOWN = "unknown", _("未知")
    NOT_APPLICABLE = "not_applicable", _("不适用")


class Level(models.TextChoices):
    REQUIRED = "required", _("必配")
    OPTIONAL = "optional", _("选配")


class ScopeKind(models.TextChoices):
    DISTRICT = "district", _("区")
    SCHOOL = "school", _("学校")
    ALL = "all", _("全部")
