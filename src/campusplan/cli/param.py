"""`campusplan param list | set | clear` — tailoring: the city's parameter values for every
district, and a district's stricter ones (usecases.tailoring; audited, re-assessed).

Exit codes: 0 done, 2 a refused or invalid value (the reason is printed: a district may only
tighten a value, never loosen it).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from campusplan.cli.options import District, Lang, User, actor, console, fail, setup_django, zh

app = typer.Typer(help="参数裁剪 / tailoring: parameter values by city and district",
                  no_args_is_help=True)
Key = Annotated[str, typer.Argument(help="参数键名 / parameter key")]


@app.command("list")
def list_cmd(district: District = None, lang: Lang = "zh") -> None:
    """现行参数取值及设定层级 / Parameters in force (for --district) and the level that set them."""
    setup_django()
    from django.http import Http404

    from campusplan.catalog.vocabulary import PARAM_LEVEL, TIGHTER, label
    from campusplan.usecases import tailoring

    try:
        _where, forced = tailoring.parameters_in_force(actor=actor(), district=district or "")
    except Http404:
        fail(f"没有行政区：{district}", f"no district {district}", lang)
    table = Table("key", "值" if zh(lang) else "value", "层级" if zh(lang) else "level",
                  "方向" if zh(lang) else "tailoring")
    for f in forced:
        table.add_row(f.param.key, str(f.value), label(PARAM_LEVEL, f.level, lang),
                      label(TIGHTER, f.tighter, lang) if f.tighter else "—")
    console.print(table)


@app.command("set")
def set_cmd(key: Key, value: Annotated[str, typer.Argument(help="新取值 / the value")],
            district: District = None, note: str = "", user: User = "",
            lang: Lang = "zh") -> None:
    """设定参数（无 --district 为全市取值）/ Set the city's value, or a district's stricter one."""
    setup_django()
    from django.http import Http404

    from campusplan.i18n import Refused
    from campusplan.usecases import tailoring

    try:
        change = tailoring.set_parameter(actor=actor(user), key=key, value=value,
                                         district=district or "", note=note)
    except Refused as exc:
        fail(exc.zh, exc.en, lang)
    except Http404:
        fail(f"没有行政区：{district}", f"no district {district}", lang)
    where = district or ("全市" if zh(lang) else "city")
    console.print(f"{key} @ {where}: {change.before} → {change.after}")
    for code in change.dropped:
        console.print(f"  {code}: " + ("区级取值已失效（市级新值更严）" if zh(lang)
                                        else "district value ended (the city's is stricter)"))


@app.command("clear")
def clear_cmd(key: Key, district: District = None, user: User = "", lang: Lang = "zh") -> None:
    """撤销设定，回到上一层级取值 / Clear a value: back to the level above."""
    setup_django()
    from django.http import Http404

    from campusplan.i18n import Refused
    from campusplan.usecases import tailoring

    try:
        change = tailoring.clear_parameter(actor=actor(user), key=key, district=district or "")
    except Refused as exc:
        fail(exc.zh, exc.en, lang)
    except Http404:
        fail(f"没有行政区：{district}", f"no district {district}", lang)
    console.print(f"{key}: {change.before} → —")
