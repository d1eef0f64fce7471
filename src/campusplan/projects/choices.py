"""Choices of the projects app; labels from the vocabulary (catalog/vocabulary.py)."""

from django.db import models

from campusplan.catalog import vocabulary as v
from campusplan.i18n import lazy_label


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", lazy_label(v.PROJECT_STATUS, "planned")
    APPROVED = "approved", lazy_label(v.PROJECT_STATUS, "approved")
    PROCURING = "procuring", lazy_label(v.PROJECT_STATUS, "procuring")
    COMPLETED = "completed", lazy_label(v.PROJECT_STATUS, "completed")
    CANCELLED = "cancelled", lazy_label(v.PROJECT_STATUS, "cancelled")


class FundingSource(models.TextChoices):
    CITY = "city", lazy_label(v.FUNDING_SOURCE, "city")
    DISTRICT = "district", lazy_label(v.FUNDING_SOURCE, "district")
    SCHOOL = "school", lazy_label(v.FUNDING_SOURCE, "school")
