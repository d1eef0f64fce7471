"""`campusplan token create | list | revoke` — API tokens for other systems.

The secret is printed once, on creation; only its SHA-256 hash is stored. Exit codes: 0 success,
2 unknown user or token.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from campusplan.cli.options import console, err, setup_django

app = typer.Typer(help="接口令牌 / API tokens (Authorization: Bearer …)", no_args_is_help=True)


def _user(username: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        err.print(f"[red]没有用户 / no user: {username}[/red]")
        raise typer.Exit(2)
    return user


def _when(value) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


@app.command("create")
def token_create_cmd(
    username: Annotated[str, typer.Argument(help="用户名 / user name")],
    name: Annotated[str, typer.Option("--name", help="令牌名称，如对接的系统名")],
) -> None:
    """创建令牌，密钥只显示这一次 / Create a token; the secret is shown once."""
    setup_django()
    from campusplan.accounts import audit
    from campusplan.accounts.tokens import TokenLimit, token_create

    user = _user(username)
    try:
        with audit.acting(None, "cli"):
            token, secret = token_create(user=user, name=name)
    except TokenLimit as exc:
        err.print(f"[red]{exc.zh} / {exc.en}[/red]")
        raise typer.Exit(2) from None
    console.print(f"令牌 / token #{token.pk} “{token.name}” ({username})")
    console.print("密钥只显示这一次，请妥善保存 / the secret is shown only now:")
    typer.echo(secret)


@app.command("list")
def token_list_cmd(username: Annotated[str, typer.Argument(help="用户名 / user name")]) -> None:
    """列出用户的令牌（不含密钥）/ List a user's tokens (never their secrets)."""
    setup_django()
    from campusplan.accounts.tokens import token_list

    table = Table()
    for col in ("id", "名称 name", "前缀 prefix", "创建 created", "最近使用 last used",
                "吊销 revoked"):
        table.add_column(col)
    for t in token_list(user=_user(username)):
        table.add_row(str(t.pk), t.name, f"{t.prefix}…", _when(t.created_at),
                      _when(t.last_used_at), _when(t.revoked_at))
    console.print(table)


@app.command("revoke")
def token_revoke_cmd(token_id: Annotated[int, typer.Argument(help="令牌 id")]) -> None:
    """吊销令牌，立即失效 / Revoke a token; it stops working at once."""
    setup_django()
    from campusplan.accounts import audit
    from campusplan.accounts.models import ApiToken
    from campusplan.accounts.tokens import token_revoke

    token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if token is None:
        err.print(f"[red]没有令牌 / no token #{token_id}[/red]")
        raise typer.Exit(2)
    with audit.acting(None, "cli"):
        token_revoke(token=token)
    console.print(f"已吊销 / revoked #{token.pk} “{token.name}” ({token.user.get_username()}) "
                  f"{_when(token.revoked_at)}")
