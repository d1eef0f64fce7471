"""Accounts — the account pages (/accounts/users/), `…/api/v1/users` and `campusplan users`.

A district administrator creates one account per school in bulk (a sheet of initial passwords),
resets passwords and deactivates users; every user changes their own password. An initial or
reset password must be changed at the next sign-in (`Profile.must_change_password`). Nobody
creates, resets or changes a user outside their own scope, nor gives one a scope above their
own; accounts of the Django admin (staff, superusers) are managed there only. Every action is in
the audit trail (never a password).
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from openpyxl import Workbook

from campusplan.accounts import audit, scope
from campusplan.accounts.audit import Actor
from campusplan.accounts.choices import Level
from campusplan.accounts.models import Profile
from campusplan.i18n import Refused
from campusplan.schools.models import District, School
from campusplan.usecases import notifications, scoping

ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I
PASSWORD_LENGTH = 12
RANK = {Level.SCHOOL: 0, Level.DISTRICT: 1, Level.CITY: 2}


class AccountError(Refused):
    """A refused account action, in both languages (nothing was written)."""


@dataclass(frozen=True)
class Issued:
    """An account with the password just set (shown once: the sheet, the page, the CLI)."""

    username: str
    password: str
    level: str
    district: str = ""
    school: str = ""
    school_name: str = ""


def initial_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(PASSWORD_LENGTH))


# --- who may manage whom --------------------------------------------------------------------


def _manager(actor: Actor) -> Profile | None:
    """The actor's profile when they may manage accounts (None: the operator); else 403."""
    if scoping.is_operator(actor):
        return None
    p = scope.profile_of(actor.user)
    if p is None or p.read_only or p.level == Level.SCHOOL:
        raise PermissionDenied
    return p


def managed_users(*, actor: Actor) -> QuerySet:
    """The accounts the actor may manage: inside their scope, never an admin account."""
    p = _manager(actor)
    users = get_user_model().objects.filter(profile__isnull=False).select_related(
        "profile", "profile__district", "profile__school")
    if p is None:
        return users.order_by("username")
    users = users.filter(is_staff=False, is_superuser=False)
    if p.level == Level.DISTRICT:
        users = users.filter(Q(profile__district_id=p.district_id)
                             | Q(profile__school__district_id=p.district_id))
    return users.order_by("username")


def _target(actor: Actor, username: str):
    user = managed_users(actor=actor).filter(username=username).first()
    if user is None:
        raise Http404
    return user


def _check_scope(actor: Actor, level: str, district: District | None,
                 school: School | None) -> None:
    """A new scope may not lie above or outside the actor's own (404 for what they cannot
    see, 403 for a level above theirs)."""
    p = _manager(actor)
    if p is None:
        return
    if RANK[Level(level)] > RANK[Level(p.level)]:
        raise PermissionDenied
    if p.level == Level.DISTRICT:
        own = p.district_id
        if (district is not None and district.pk != own) or (
                school is not None and school.district_id != own):
            raise Http404


# --- actions --------------------------------------------------------------------------------


def _scope_text(profile: Profile) -> str:
    where = profile.school.code if profile.school_id else (
        profile.district.code if profile.district_id else "")
    return f"{profile.level}{'/ro' if profile.read_only else ''}{':' + where if where else ''}"


def _issue(user, password: str) -> Issued:
    p = user.profile
    return Issued(user.username, password, p.level,
                  p.district.code if p.district_id else (
                      p.school.district.code if p.school_id else ""),
                  p.school.code if p.school_id else "", p.school.name if p.school_id else "")


def create_user(*, actor: Actor, username: str, level: str, district: str = "",
                school: str = "", read_only: bool = False, email: str = "") -> Issued:
    """One account with an initial password (changed at first sign-in)."""
    username = username.strip()
    if not username or len(username) > 150:
        raise AccountError("用户名不能为空且不超过 150 个字符", "a user name of 1 to 150 characters")
    if level not in RANK:
        raise AccountError(f"未知级别：{level}", f"unknown level: {level}")
    d = District.objects.filter(code=district).first() if level == Level.DISTRICT else None
    s = scoping.schools_of(actor).filter(code=school).first() if level == Level.SCHOOL else None
    if (level == Level.DISTRICT and d is None) or (level == Level.SCHOOL and s is None):
        raise Http404
    _check_scope(actor, level, d, s)
    if get_user_model().objects.filter(username=username).exists():
        raise AccountError(f"用户名已存在：{username}", f"the user name exists: {username}")
    password = initial_password()
    with audit.acting_as(actor), transaction.atomic():
        user = get_user_model().objects.create_user(username, email=email, password=password)
        profile = Profile.objects.create(user=user, level=level, district=d, school=s,
                                         read_only=read_only, must_change_password=True)
        audit.record(object_type="user", object_key=username, field="create", school=s,
                     district_code=d.code if d else "", after=_scope_text(profile))
        notifications.notify(actor=actor, users=[user], kind="account_created",
                             params={"username": username}, url="/password/")
    return _issue(user, password)


def school_accounts(*, actor: Actor, district: str) -> list[Issued]:
    """One account per school of the district that has none yet, named by its 学校标识码."""
    d = scoping.whole_district(actor, district, edit=True)
    _check_scope(actor, Level.SCHOOL, d, None)
    have = set(Profile.objects.filter(school__district=d, level=Level.SCHOOL)
               .values_list("school_id", flat=True))
    taken = set(get_user_model().objects.values_list("username", flat=True))
    out = []
    for school in School.objects.filter(district=d).order_by("code"):
        if school.pk in have:
            continue
        name = school.code if school.code not in taken else f"{school.code}-{len(out) + 1}"
        out.append(create_user(actor=actor, username=name, level=Level.SCHOOL,
                               school=school.code))
    return out


def reset_password(*, actor: Actor, username: str) -> Issued:
    user = _target(actor, username)
    password = initial_password()
    with audit.acting_as(actor), transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        Profile.objects.filter(user=user).update(must_change_password=True)
        audit.record(object_type="user", object_key=username, field="reset_password",
                     school=user.profile.school)
        notifications.notify(actor=actor, users=[user], kind="password_reset",
                             params={"by": actor.name}, url="/password/")
    return _issue(user, password)


def set_active(*, actor: Actor, username: str, active: bool) -> None:
    user = _target(actor, username)
    if actor.user is not None and user.pk == actor.user.pk:
        raise AccountError("不能停用自己的账号", "you cannot deactivate your own account")
    if user.is_active == active:
        return
    with audit.acting_as(actor), transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.record(object_type="user", object_key=username,
                     field="activate" if active else "deactivate", school=user.profile.school,
                     before=not active, after=active)


def change_password(*, actor: Actor, old: str, new: str) -> None:
    """The signed-in user's own password (the old one first); validated like every password."""
    user = actor.user
    if user is None or not user.check_password(old):
        raise AccountError("原密码不正确", "the current password is wrong")
    if old == new:
        raise AccountError("新密码不能与原密码相同", "the new password must differ")
    try:
        validate_password(new, user)
    except ValidationError as exc:
        raise AccountError("；".join(exc.messages), "; ".join(exc.messages)) from None
    with audit.acting_as(actor), transaction.atomic():
        user.set_password(new)
        user.save(update_fields=["password"])
        Profile.objects.filter(user=user).update(must_change_password=False)
        audit.record(object_type="user", object_key=user.username, field="change_password")


def accounts_sheet(accounts: Iterable[Issued], lang: str = "zh") -> bytes:
    """The sheet of initial passwords (xlsx) a district hands to its schools."""
    zh = lang.startswith("zh")
    wb = Workbook()
    ws = wb.active
    ws.title = "账号" if zh else "accounts"
    ws.append(["学校标识码", "学校名称", "用户名", "初始密码", "级别"] if zh else
              ["school code", "school name", "user name", "initial password", "level"])
    for a in accounts:
        ws.append([_cell(a.school), _cell(a.school_name), _cell(a.username), a.password,
                   a.level])
    ws.append([])
    ws.append(["首次登录须修改密码。请妥善分发，勿转发。" if zh else
               "The password must be changed at first sign-in. Hand it out in person."])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(text: str) -> str:
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
