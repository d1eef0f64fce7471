"""The 三员 of 等保 2.0 — 系统管理员, 安全管理员, 审计管理员 — apart from each other and from
the business roles (Profile: city / district / school / auditor), and who may grant what.

* A user holds at most one of the three, and never beside a business profile.
* The three are granted and revoked only by the installation's operator at the command line
  (`campusplan role grant`), never from a page: no administrator can make another, or become
  one, or give themselves a second role.
* The system administrator manages accounts and business profiles (the admin), never their own
  and never a holder of one of the three roles.
* Every grant and every refusal is a security event in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from campusplan.accounts import audit
from campusplan.accounts.choices import AdminRole, Level, Outcome
from campusplan.accounts.models import AdminGrant, Profile

SYSTEM, SECURITY, AUDIT = AdminRole.SYSTEM, AdminRole.SECURITY, AdminRole.AUDIT


@dataclass(frozen=True)
class RoleRefused(Exception):
    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang.startswith("zh") else self.en


SELF = RoleRefused("不能修改自己的角色", "you cannot change your own role")
NOT_OPERATOR = RoleRefused("三员角色只能由系统运维人员在命令行授予",
                           "the three administrator roles are granted only at the command line")
HAS_ROLE = RoleRefused("该用户已有管理角色，请先撤销", "the user already holds an administrator role")
HAS_PROFILE = RoleRefused("业务账户不能兼任管理员（三员与业务角色分离）",
                          "a business account cannot also be an administrator")
NOT_SYSTEM = RoleRefused("只有系统管理员可以管理账户", "only the system administrator manages accounts")
IS_ADMIN = RoleRefused("管理员账户不能拥有业务范围", "an administrator account has no business scope")


def role_of(user) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    grant = AdminGrant.objects.filter(user=user).values_list("role", flat=True).first()
    return grant


def has_role(user, role: str) -> bool:
    return role_of(user) == role


def _refuse(actor, user, role: str, reason: RoleRefused) -> RoleRefused:
    with audit.acting_as(actor):
        audit.event("role_refused", Outcome.DENIED, subject=user.get_username(),
                    note=f"{role}: {reason.en}")
    return reason


def grant(*, actor: audit.Actor, user, role: str) -> AdminGrant:
    """Give `user` one of the three roles (the command line's operator only)."""
    role = AdminRole(role)
    if actor.user is not None:
        raise _refuse(actor, user, role, SELF if actor.user.pk == user.pk else NOT_OPERATOR)
    if AdminGrant.objects.filter(user=user).exists():
        raise _refuse(actor, user, role, HAS_ROLE)
    if Profile.objects.filter(user=user).exists():
        raise _refuse(actor, user, role, HAS_PROFILE)
    with audit.acting_as(actor), transaction.atomic():
        made = AdminGrant.objects.create(user=user, role=role, granted_by=actor.name[:150])
        user.is_staff = role == SYSTEM  # the admin is the system administrator's tool only
        user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
        audit.event("role_granted", Outcome.OK, subject=user.get_username(), detail=str(role))
    return made


def revoke(*, actor: audit.Actor, user) -> None:
    if actor.user is not None:
        raise _refuse(actor, user, "", SELF if actor.user.pk == user.pk else NOT_OPERATOR)
    with audit.acting_as(actor), transaction.atomic():
        role = role_of(user)
        AdminGrant.objects.filter(user=user).delete()
        user.is_staff = False
        user.save(update_fields=["is_staff"])
        audit.event("role_revoked", Outcome.OK, subject=user.get_username(), detail=role)


def profile_refusal(by_user, target) -> RoleRefused | None:
    """Why `by_user` may not give `target` a business profile (None: they may)."""
    if not has_role(by_user, SYSTEM):
        return NOT_SYSTEM
    if target is not None and target.pk == by_user.pk:
        return SELF
    if target is not None and AdminGrant.objects.filter(user=target).exists():
        return IS_ADMIN
    return None


def requires_second_factor(user) -> bool:
    """Whether this user must pass TOTP (CAMPUSPLAN_REQUIRE_2FA): the three administrators and
    the city and district accounts that may change data."""
    if not settings.CAMPUSPLAN_REQUIRE_2FA or not getattr(user, "is_authenticated", False):
        return False
    if role_of(user) is not None:
        return True
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    return profile is not None and not profile.read_only and profile.level in (
        Level.CITY, Level.DISTRICT)
