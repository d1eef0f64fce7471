"""`campusplan users list | create | school-accounts | reset | deactivate | activate` — accounts
from the command line: the operator on the server (full scope; `--user` names them in the
audit trail).

Initial passwords are printed once (or written to the --output sheet); they must be changed at
the first sign-in. Exit codes: 0 success, 2 refused (unknown user or school, outside the scope).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from campusplan.cli.options import Lang, User, actor, console, err, output_option, setup_django, zh

app = typer.Typer(help="账号管理 / accounts", no_args_is_help=True)


def _refused(exc: Exception, lang: str) -> typer.Exit:
    text = exc.text(lang) if hasattr(exc, "text") else (
        "不在您的范围内或不存在" if zh(lang) else "not found in your scope")
    err.print(f"[red]{text}[/red]")
    return typer.Exit(2)


def _print_issued(issued, lang: str) -> None:
    table = Table(title="初始密码（首次登录须修改）" if zh(lang)
                  else "Initial passwords (changed at first sign-in)")
    for col in ("user", "password", "level", "school"):
        table.add_column(col)
    for a in issued:
        table.add_row(a.username, a.password, a.level, a.school)
    console.print(table)


def _run(lang: str, call):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from campusplan.usecases.accounts import AccountError

    try:
        return call()
    except (AccountError, PermissionDenied, Http404) as exc:
        raise _refused(exc, lang) from None


@app.command("list")
def list_cmd(user: User = "", lang: Lang = "zh") -> None:
    """列出可管理的账号 / List the accounts in scope."""
    setup_django()
    from campusplan.usecases import accounts

    table = Table()
    for col in ("user", "level", "district", "school", "active", "must change"):
        table.add_column(col)
    for u in _run(lang, lambda: list(accounts.managed_users(actor=actor(user)))):
        p = u.profile
        table.add_row(u.username, p.level, p.district.code if p.district_id else "",
                      p.school.code if p.school_id else "", str(u.is_active),
                      str(p.must_change_password))
    console.print(table)


@app.command("create")
def create_cmd(
    username: Annotated[str, typer.Argument(help="用户名 / user name")],
    level: Annotated[str, typer.Option("--level", help="city | district | school")],
    district: Annotated[str, typer.Option("--district", help="区代码（区级）")] = "",
    school: Annotated[str, typer.Option("--school", help="学校标识码（校级）")] = "",
    read_only: Annotated[bool, typer.Option("--read-only", help="督导（只读）")] = False,
    email: Annotated[str, typer.Option("--email")] = "",
    user: User = "", lang: Lang = "zh",
) -> None:
    """新建账号并显示初始密码 / Create an account; prints its initial password."""
    setup_django()
    from campusplan.usecases import accounts

    issued = _run(lang, lambda: accounts.create_user(
        actor=actor(user), username=username, level=level, district=district, school=school,
        read_only=read_only, email=email))
    _print_issued([issued], lang)


@app.command("school-accounts")
def school_accounts_cmd(
    district: Annotated[str, typer.Option("--district", help="区代码")],
    output: Annotated[Path, output_option(".xlsx")],
    user: User = "", lang: Lang = "zh",
) -> None:
    """为区内每所没有账号的学校建账号，初始密码写入表格 / One account per school; the sheet
    of initial passwords."""
    setup_django()
    from campusplan.usecases import accounts

    issued = _run(lang, lambda: accounts.school_accounts(actor=actor(user), district=district))
    output.write_bytes(accounts.accounts_sheet(issued, lang))
    console.print(f"{len(issued)} {'个账号' if zh(lang) else 'accounts'} → {output}")


@app.command("reset")
def reset_cmd(username: Annotated[str, typer.Argument()], user: User = "",
              lang: Lang = "zh") -> None:
    """重置密码并显示新初始密码 / Reset a password; prints the new initial one."""
    setup_django()
    from campusplan.usecases import accounts

    _print_issued([_run(lang, lambda: accounts.reset_password(actor=actor(user),
                                                              username=username))], lang)


def _set_active(username: str, active: bool, user: str, lang: str) -> None:
    setup_django()
    from campusplan.usecases import accounts

    _run(lang, lambda: accounts.set_active(actor=actor(user), username=username, active=active))
    console.print(f"{username}: {'active' if active else 'inactive'}")


@app.command("deactivate")
def deactivate_cmd(username: Annotated[str, typer.Argument()], user: User = "",
                   lang: Lang = "zh") -> None:
    """停用账号 / Deactivate an account."""
    _set_active(username, False, user, lang)


@app.command("activate")
def activate_cmd(username: Annotated[str, typer.Argument()], user: User = "",
                 lang: Lang = "zh") -> None:
    """启用账号 / Activate an account."""
    _set_active(username, True, user, lang)
