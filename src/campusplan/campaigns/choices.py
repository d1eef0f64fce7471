"""Choices of the campaigns app: the states of a school's submission and the timeliness."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("填报中")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("区级已审核")
    CONFIRMED = "confirmed", _("市级已确认")


# the school's facts may not be written while its submission is in one of these states
LOCKED = (State.SUBMITTED, State.APPROVED)
# the school may still fill and submit
OPEN = (State.NOT_STARTED, State.IN_PROGRESS, State.RETURNED)
# counted as reported (上报) by the rates
REPORTED = (State.SUBMITTED, State.APPROVED, State.CONFIRMED)


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("按时")
    LATE = "late", _("逾期")
    MISSING = "missing", _("未报")
    PENDING = "pending", _("未到期")
