"""Choices of the schools app; labels from the vocabulary (catalog/vocabulary.py)."""

from django.db import models

from campusplan.catalog import vocabulary as v
from campusplan.i18n import lazy_label


class SmartPhase(models.TextChoices):
    NONE = "", lazy_label(v.SMART_PHASE, "none")  # stored empty: the school has not started
    EXPLORATION = "exploration", lazy_label(v.SMART_PHASE, "exploration")
    PILOT = "pilot", lazy_label(v.SMART_PHASE, "pilot")
    GENERAL = "general", lazy_label(v.SMART_PHASE, "general")


class SourceKind(models.TextChoices):
    IMPORT = "import", lazy_label(v.SOURCE_KIND, "import")
    FORM = "form", lazy_label(v.SOURCE_KIND, "form")
    API = "api", lazy_label(v.SOURCE_KIND, "api")
    CLI = "cli", lazy_label(v.SOURCE_KIND, "cli")
    PROJECT = "project", lazy_label(v.SOURCE_KIND, "project")


class ProvidedBy(models.TextChoices):
    SCHOOL = "school", lazy_label(v.PROVIDER, "school")
    DISTRICT = "district", lazy_label(v.PROVIDER, "district")


class ParamLevel(models.TextChoices):
    CITY = "city", lazy_label(v.PARAM_LEVEL, "city")
    DISTRICT = "district", lazy_label(v.PARAM_LEVEL, "district")


class DeviationKind(models.TextChoices):
    DATA_CENTER = "data_center", lazy_label(v.DEVIATION_KIND, "data_center")
    SMART_PHASE = "smart_phase", lazy_label(v.DEVIATION_KIND, "smart_phase")
    WAIVER = "waiver", lazy_label(v.DEVIATION_KIND, "waiver")


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", lazy_label(v.EVIDENCE_KIND, "photo")
    CONTRACT = "contract", lazy_label(v.EVIDENCE_KIND, "contract")
    ACCEPTANCE = "acceptance", lazy_label(v.EVIDENCE_KIND, "acceptance")
