"""`campusplan role grant | revoke | list` — the 三员 (系统管理员 system, 安全管理员
security, 审计管理员 audit), granted only here, by the installation's operator.

Exit codes: 0 done, 2 unknown user or a refused grant (the reason is printed).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from campusplan.cli.options import Lang, User, actor, console, fail, setup_django

app = typer.Typer(help="三员角色 / administrator roles (system, security, audit)",
                  no_args_is_help=True)
ROLES = ("system", "security", "audit")


@app.command("grant")
def grant_cmd(
    username: Annotated[str, typer.Argument(help="用户名 / user name")],
    role: Annotated[str, typer.Argument(help="system | security | audit")],
    user: User = "",
    lang: Lang = "zh",
) -> None:
    """授予三员角色之一 / Grant one of the three administrator roles."""
    setup_django()
    from campusplan.accounts.roles import RoleRefused
    from campusplan.usecases.security import role_grant

    if role not in ROLES:
        fail(f"角色应为 {' | '.join(ROLES)}", f"role must be one of {', '.join(ROLES)}", lang)
    try:
        role_grant(actor=actor(user), username=username, role=role)
    except LookupError:
        fail(f"没有用户：{username}", f"no user {username}", lang)
    except RoleRefused as exc:
        fail(exc.zh, exc.en, lang)
    console.print(f"{username}: {role}")


@app.command("revoke")
def revoke_cmd(
    username: Annotated[str, typer.Argument(help="用户名 / user name")],
    user: User = "",
    lang: Lang = "zh",
) -> None:
    """撤销用户的三员角色 / Revoke a user's administrator role."""
    setup_django()
    from campusplan.usecases.security import role_revoke

    try:
        role_revoke(actor=actor(user), username=username)
    except LookupError:
        fail(f"没有用户：{username}", f"no user {username}", lang)
    console.print(f"{username}: —")


@app.command("list")
def list_cmd() -> None:
    """列出三员角色 / List the administrator roles."""
    setup_django()
    from campusplan.accounts.models import AdminGrant

    table = Table()
    for col in ("用户 user", "角色 role", "授予 granted", "授予人 by"):
        table.add_column(col)
    for g in AdminGrant.objects.select_related("user").order_by("role", "user__username"):
        table.add_row(g.user.get_username(), g.role, g.granted_at.isoformat(timespec="minutes"),
                      g.granted_by)
    console.print(table)
