from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campusplan.campaigns"
    verbose_name = _("填报任务")
