"""Accounts (`/users`): the accounts a manager runs — create one, one per school of a district
(with their initial passwords, shown once), reset a password, deactivate — and the caller's own
password and notifications (`/me/…`). Each operation is one call of usecases.accounts /
usecases.notifications; outside the caller's scope 404, above it 403."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Router, Schema, Status

from campusplan.accounts.models import Notification
from campusplan.accounts.notices import text as notice_text
from campusplan.api.auth import actor
from campusplan.api.errors import ApiError
from campusplan.api.schemas import DistrictCode, responses
from campusplan.usecases import accounts, notifications
from campusplan.usecases.accounts import AccountError

router = Router(tags=["users 账号"])


class UserOut(Schema):
    username: str
    level: str
    district: str | None
    school: str | None
    read_only: bool
    active: bool
    must_change_password: bool


class UserIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    level: Literal["city", "district", "school"]
    district: str = Field("", max_length=12, description="区级账号的区代码")
    school: str = Field("", max_length=20, description="校级账号的学校标识码")
    read_only: bool = False
    email: str = Field("", max_length=254)


class IssuedOut(Schema):
    username: str
    password: str = Field(description="初始密码，只返回这一次；首次登录须修改")
    level: str
    district: str
    school: str
    school_name: str


class SchoolAccountsIn(Schema):
    district: DistrictCode


class ActiveIn(Schema):
    active: bool


class PasswordIn(Schema):
    old_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    created_at: str
    read: bool


def _refused(exc: AccountError) -> ApiError:
    return ApiError(422, "validation_error", exc.zh, exc.en)


def _user_out(u) -> dict:
    p = u.profile
    return {"username": u.username, "level": p.level,
            "district": p.district.code if p.district_id else None,
            "school": p.school.code if p.school_id else None, "read_only": p.read_only,
            "active": u.is_active, "must_change_password": p.must_change_password}


@router.get("/users", response=responses(list[UserOut], 403),
            summary="我管理的账号 / accounts I manage")
def user_list(request):
    return [_user_out(u) for u in accounts.managed_users(actor=actor(request))[:5000]]


@router.post("/users", response=responses(IssuedOut, 403, 404, status=201),
             summary="新建账号（返回初始密码）/ create an account")
def user_create(request, payload: UserIn):
    try:
        return Status(201, accounts.create_user(actor=actor(request), **payload.dict()))
    except AccountError as exc:
        raise _refused(exc) from None


@router.post("/users/school-accounts", response=responses(list[IssuedOut], 403, 404,
                                                          status=201),
             summary="为区内每所没有账号的学校建账号 / one account per school")
def school_accounts(request, payload: SchoolAccountsIn):
    return Status(201, accounts.school_accounts(actor=actor(request),
                                              district=payload.district))


@router.post("/users/{username}/reset-password", response=responses(IssuedOut, 403, 404),
             summary="重置密码（返回新初始密码）/ reset a password")
def user_reset(request, username: str):
    return accounts.reset_password(actor=actor(request), username=username)


@router.post("/users/{username}/active", response=responses(UserOut, 403, 404),
             summary="停用或启用账号 / deactivate or activate")
def user_active(request, username: str, payload: ActiveIn):
    try:
        accounts.set_active(actor=actor(request), username=username, active=payload.active)
    except AccountError as exc:
        raise _refused(exc) from None
    return _user_out(accounts.managed_users(actor=actor(request)).get(username=username))


@router.post("/me/password", response=responses(None, status=204),
             summary="修改自己的密码 / change my password")
def my_password(request, payload: PasswordIn):
    try:
        accounts.change_password(actor=actor(request), old=payload.old_password,
                                 new=payload.new_password)
    except AccountError as exc:
        raise _refused(exc) from None
    return Status(204, None)


@router.get("/me/notifications", response=responses(list[NotificationOut]),
            summary="我的通知 / my notifications")
def my_notifications(request, unread: bool = False):
    rows = Notification.objects.filter(user=actor(request).user)
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return [{"id": n.pk, "kind": n.kind, "text": notice_text(n.kind, n.params), "url": n.url,
             "created_at": n.created_at.isoformat(), "read": n.read_at is not None}
            for n in rows[:200]]


@router.post("/me/notifications/read", response=responses(None, status=204),
             summary="全部标为已读 / mark all read")
def my_notifications_read(request):
    notifications.mark_read(actor=actor(request))
    return Status(204, None)
