"""Choices of the schools app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SmartPhase(models.TextChoices):
    NONE = "", _("未开展")
    EXPLORATION = "exploration", _("探索期")
    PILOT = "pilot", _("试点期")
    GENERAL = "general", _("普适应用期")


class SourceKind(models.TextChoices):
    IMPORT = "import", _("文件导入")
    FORM = "form", _("网页表单")
    API = "api", _("接口")
    CLI = "cli", _("命令行")


class ProvidedBy(models.TextChoices):
    SCHOOL = "school", _("学校采购")
    DISTRICT = "district", _("区级统一提供")
