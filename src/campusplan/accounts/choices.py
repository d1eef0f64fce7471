from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")
    SCHOOL = "school", _("校级")


class AuditSource(models.TextChoices):
    WEB = "web", _("网页")
    API = "api", _("接口")
    CLI = "cli", _("命令行")
    IMPORT = "import", _("导入")
    SYSTEM = "system", _("系统")
