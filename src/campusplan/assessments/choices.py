"""Choices of the assessments app; labels from the vocabulary (catalog/vocabulary.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from campusplan.catalog import vocabulary as v
from campusplan.i18n import lazy_label


class Status(models.TextChoices):
    MET = "met", lazy_label(v.STATUS, "met")
    GAP = "gap", lazy_label(v.STATUS, "gap")
    VIOLATION = "violation", lazy_label(v.STATUS, "violation")
    UNKNOWN = "unknown", lazy_label(v.STATUS, "unknown")
    NOT_APPLICABLE = "not_applicable", lazy_label(v.STATUS, "not_applicable")


class Level(models.TextChoices):
    REQUIRED = "required", lazy_label(v.LEVEL, "required")
    OPTIONAL = "optional", lazy_label(v.LEVEL, "optional")


class ScopeKind(models.TextChoices):
    DISTRICT = "district", lazy_label(v.SCOPE_KIND, "district")
    SCHOOL = "school", lazy_label(v.SCOPE_KIND, "school")
    ALL = "all", lazy_label(v.SCOPE_KIND, "all")


class RunKind(models.TextChoices):
    """A run between campaigns is a working one; a confirmed campaign's run is official."""

    WORKING = "working", _("工作评估")
    OFFICIAL = "official", _("正式评估")
