import importlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "campusplan.assessments"
    verbose_name = _("达标评估")

    def ready(self) -> None:
        importlib.import_module("campusplan.assessments.signals")  # connects the receivers
