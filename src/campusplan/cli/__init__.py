"""`campusplan …` — a thin Typer shell over the application's services and the pure packages.

Chinese output by default; `--lang en` everywhere. Exit codes: 0 success (a school with gaps is
a result, not an error), 1 invalid catalog, 2 invalid input. Every command is registered here, in
the order `--help` lists them; the shared options live in `options.py`. Importing this package
never imports Django: the commands over the database call `options.setup_django()` first.
"""

from __future__ import annotations

import typer

from campusplan.cli import (
    assess,
    audit,
    campaign,
    catalog,
    data,
    demo,
    ops,
    param,
    plan,
    report,
    role,
    token,
    users,
)
from campusplan.cli.docs import cli_markdown

app = typer.Typer(help="中小学校信息化建设规划与达标评估系统 campusplan", no_args_is_help=True)

app.command("assess")(assess.assess_cmd)
app.command("plan")(plan.plan_cmd)
app.command("demo")(demo.demo_cmd)
app.command("survey")(data.survey_cmd)
app.command("import")(data.import_cmd)
app.command("export")(data.export_cmd)
app.command("assess-stored")(assess.assess_stored_cmd)
app.command("serve")(ops.serve_cmd)
app.command("backup")(ops.backup_cmd)
app.command("restore")(ops.restore_cmd)
app.add_typer(catalog.app, name="catalog")
app.add_typer(token.app, name="token")
app.add_typer(users.app, name="users")
app.add_typer(report.app, name="report")
app.add_typer(audit.app, name="audit")
app.add_typer(role.app, name="role")
app.add_typer(campaign.app, name="campaign")
app.add_typer(param.app, name="param")


@app.command("cli-docs", hidden=True)
def cli_docs_cmd() -> None:
    """Print docs/cli.md, the reference of every command, generated from this app."""
    typer.echo(cli_markdown(app), nl=False)


__all__ = ["app"]
