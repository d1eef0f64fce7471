"""docs/cli.md, generated from the Typer app: every command with its help, arguments and options.

The rows are the click help records `--help` prints, so the reference cannot drift from the
commands; `campusplan cli-docs > docs/cli.md` (`make docs`) regenerates it and a test fails
when the file on disk differs.
"""

from __future__ import annotations

import typer

HEADER = """# campusplan command line

Generated from the commands themselves by `campusplan cli-docs` (`make docs`); do not edit by
hand — a test fails when this file is stale. Every command also answers `--help`, and
`--lang en` switches its output to English.
"""


def cli_markdown(app: typer.Typer, name: str = "campusplan") -> str:
    root = typer.main.get_command(app)
    ctx = root.context_class(root, info_name=name)
    return "\n".join([HEADER, *_sections(root, ctx)])


def _sections(command, ctx) -> list[str]:
    """This command's section, then its subcommands' (in the order `--help` lists them)."""
    out = [_section(command, ctx)]
    for sub_name in _subcommands(command, ctx):
        sub = command.get_command(ctx, sub_name)
        out += _sections(sub, sub.context_class(sub, info_name=sub_name, parent=ctx))
    return out


def _subcommands(command, ctx) -> list[str]:
    if not hasattr(command, "list_commands"):
        return []
    return [n for n in command.list_commands(ctx) if not command.get_command(ctx, n).hidden]


def _section(command, ctx) -> str:
    lines = [f"## `{ctx.command_path}`", ""]
    if command.help:
        lines += [command.help.strip(), ""]
    lines += ["```", command.get_usage(ctx).removeprefix("Usage: "), "```", ""]
    lines += _params_table(command, ctx)
    lines += _commands_table(command, ctx)
    return "\n".join(lines)


def _params_table(command, ctx) -> list[str]:
    records = [p.get_help_record(ctx) for p in command.get_params(ctx) if p.name != "help"]
    rows = [f"| `{_cell(name)}` | {_cell(help_text)} |" for name, help_text in filter(None, records)]
    if not rows:
        return []
    return ["| argument / option | help |", "|---|---|", *rows, ""]


def _commands_table(command, ctx) -> list[str]:
    names = _subcommands(command, ctx)
    if not names:
        return []
    rows = []
    for n in names:
        sub = command.get_command(ctx, n)
        rows.append(f"| [`{n}`](#{_anchor(f'{ctx.command_path} {n}')}) | "
                    f"{_cell(sub.get_short_help_str(limit=200))} |")
    return ["| command | what it does |", "|---|---|", *rows, ""]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _anchor(title: str) -> str:
    """GitHub's heading anchor for `## \\`campusplan catalog list\\``: lower case, spaces to -."""
    return title.lower().replace(" ", "-")
