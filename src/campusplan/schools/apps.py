from django.apps import AppConfig
from django.db.models import ForeignObject, IntegerField
from django.utils.translation import gettext_lazy as _

from campusplan.schools.lookups import Among


class SchoolsConfig(AppConfig):
    name = "campusplan.schools"
    verbose_name = _("学校")

    def ready(self):
        IntegerField.register_lookup(Among)  # BigAutoField and the other integer fields too
        ForeignObject.register_lookup(Among)
