"""Where each user works: the home redirect and the header's links, from the user's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campusplan.accounts import roles
from campusplan.accounts.choices import Level
from campusplan.accounts.scope import can_edit, profile_of
from campusplan.catalog import vocabulary
from campusplan.i18n import active_lang


@dataclass(frozen=True)
class NavLink:
    key: str
    label: str
    url: str


def workspace_url(user) -> str:
    """The page a user lands on: the city, their district or their school (else the catalog)."""
    p = profile_of(user)
    if p is None:
        return reverse("web:catalog")
    if p.level == Level.CITY:
        return reverse("web:city")
    if p.level == Level.DISTRICT:
        return reverse("web:district", args=[p.district.code])
    return reverse("web:school", args=[p.school.code])


def plan_url(p) -> str:
    """The plan page of the user's scope."""
    if p.level == Level.CITY:
        return reverse("web:city_plan")
    if p.level == Level.DISTRICT:
        return reverse("web:district_plan", args=[p.district.code])
    return reverse("web:school_plan", args=[p.school.code])


def role_label(user) -> str:
    p = profile_of(user)
    if p is None:  # one of the 三员, or nobody
        role = roles.role_of(user)
        return vocabulary.label(vocabulary.ADMIN_ROLE, role, active_lang()) if role else ""
    return vocabulary.role_label(p.level, p.read_only, active_lang())


ADMIN_LINKS = {  # the 三员's one page each
    roles.SYSTEM: ("admin", _("系统管理"), "admin:index"),
    roles.SECURITY: ("security", _("安全策略"), "accounts:security"),
    roles.AUDIT: ("audit", _("审计记录"), "accounts:audit"),
}


def nav_links(user) -> list[NavLink]:
    """全市 / 本区 / 本校 as the scope allows, the catalog, and 导入 for users who may edit."""
    p = profile_of(user)
    links: list[NavLink] = []
    role = roles.role_of(user) if p is None else None
    if role is not None:
        key, label, url = ADMIN_LINKS[role]
        links.append(NavLink(key, str(label), reverse(url)))
    if p is not None and p.level == Level.CITY:
        links.append(NavLink("city", str(_("全市")), reverse("web:city")))
    if p is not None and p.level == Level.DISTRICT:
        links.append(NavLink("district", str(_("本区")),
                             reverse("web:district", args=[p.district.code])))
    if p is not None and p.level == Level.SCHOOL:
        links.append(NavLink("school", str(_("本校")),
                             reverse("web:school", args=[p.school.code])))
    if p is not None:
        links.append(NavLink("lists", str(_("列表")), reverse("web:school_list")))
        links.append(NavLink("plan", str(_("建设规划")), plan_url(p)))
        links.append(NavLink("campaigns", str(_("填报任务")), reverse("web:campaigns")))
    links.append(NavLink("catalog", str(_("规范目录")), reverse("web:catalog")))
    if can_edit(user):
        links.append(NavLink("import", str(_("导入")), reverse("web:import")))
    if p is not None:
        links.append(NavLink("audit", str(_("审计记录")), reverse("web:audit")))
    if p is not None and not p.read_only and p.level != Level.SCHOOL:
        links.append(NavLink("users", str(_("账号")), reverse("web:users")))
    return links
