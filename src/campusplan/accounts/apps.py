import importlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "campusplan.accounts"
    verbose_name = _("账户与权限")

    def ready(self) -> None:
        importlib.import_module("campusplan.accounts.signals")  # connects the receivers
