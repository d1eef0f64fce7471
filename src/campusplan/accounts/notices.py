"""What each kind of notification says: a Chinese msgid with named placeholders, rendered when
read (in the reader's language) or mailed (in the site's language). A new kind is one line here.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

KINDS = {
    # campaigns (the campaigns app calls usecases.notifications.notify with these)
    "campaign_opened": _("填报任务已开启：%(campaign)s，截止日期 %(deadline)s。"),
    "deadline": _("填报任务 %(campaign)s 还有 %(days)s 天截止（%(deadline)s）。"),
    "returned": _("填报已退回修改：%(campaign)s。原因：%(reason)s"),
    "approved": _("填报已审核通过：%(campaign)s。"),
    "deadline_today": _("填报任务 %(campaign)s 今天截止（%(deadline)s），请尽快提交。"),
    "unlocked": _("填报已解锁，可以继续修改：%(campaign)s。原因：%(reason)s"),
    "district_confirmed": _("市级已确认 %(district)s 的填报任务 %(campaign)s：%(run)s。"),
    # accounts and background jobs
    "account_created": _("已为您创建账号 %(username)s，首次登录须修改密码。"),
    "password_reset": _("您的密码已由 %(by)s 重置，登录后须修改密码。"),
    "import_finished": _("导入完成：%(file)s，%(changes)s 项变更。"),
    "job_finished": _("后台任务已完成：%(job)s。"),
    "job_failed": _("后台任务失败：%(job)s。"),
}


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def text(kind: str, params: dict) -> str:
    """The notification in the active language; an unknown placeholder shows as —."""
    template = KINDS.get(kind)
    if template is None:
        return gettext("通知")
    return str(template) % _Missing({k: str(v) for k, v in (params or {}).items()})
