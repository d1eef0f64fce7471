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


class AdminRole(models.TextChoices):
    """The 三员 of 等保 2.0: three administrators apart from each other and from the business
    roles (Level): accounts and settings, security policy, the audit trail."""

    SYSTEM = "system", lazy_label(v.ADMIN_ROLE, "system")
    SECURITY = "security", lazy_label(v.ADMIN_ROLE, "security")
    AUDIT = "audit", lazy_label(v.ADMIN_ROLE, "audit")


class Outcome(models.TextChoices):
    """How a security event ended ("" on the rows of a change, which happened)."""

    OK = "ok", lazy_label(v.OUTCOME, "ok")
    FAILED = "failed", lazy_label(v.OUTCOME, "failed")
    DENIED = "denied", lazy_label(v.OUTCOME, "denied")
