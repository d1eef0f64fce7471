from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "campusplan.projects"
    verbose_name = _("建设项目")
