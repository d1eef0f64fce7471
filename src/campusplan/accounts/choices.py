"""Choices of the accounts app; labels from the vocabulary (catalog/vocabulary.py)."""

from django.db import models

from campusplan.catalog import vocabulary as v
from campusplan.i18n import lazy_label


class Level(models.TextChoices):
    CITY = "city", lazy_label(v.ROLE, "city")
    DISTRICT = "district", lazy_label(v.ROLE, "district")
    SCHOOL = "school", lazy_label(v.ROLE, "school")


class AuditSource(models.TextChoices):
    WEB = "web", lazy_label(v.AUDIT_SOURCE, "web")
    API = "api", lazy_label(v.AUDIT_SOURCE, "api")
    CLI = "cli", lazy_label(v.AUDIT_SOURCE, "cli")
    IMPORT = "import", lazy_label(v.AUDIT_SOURCE, "import")
    SYSTEM = "system", lazy_label(v.AUDIT_SOURCE, "system")
