"""`campusplan demo`: load the synthetic Beijing into the database and create one user per role.

Idempotent: a database that already holds the demo schools is not imported again (unless
`--reset`); the demo users are (re)created and their credentials printed every time, so the
README's run command can call it on every start.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

from campusplan.cli.options import console, progress_bar, setup_django

USERS = [  # user name, level, district, read-only, password (demo only — printed on purpose)
    ("demo-city", "city", None, False, "demo-city-2026"),
    ("demo-haidian", "district", "110108", False, "demo-haidian-2026"),
    ("demo-school", "school", "110108", False, "demo-school-2026"),
    ("demo-auditor", "district", "110108", True, "demo-auditor-2026"),
]


def demo_cmd(
    schools: Annotated[int, typer.Option(help="学校数（默认约1,700所）")] = 1700,
    reset: Annotated[bool, typer.Option(help="清空后重新生成 / wipe and regenerate")] = False,
    seed: Annotated[int, typer.Option(help="随机种子")] = 2021,
) -> None:
    """生成北京示例数据（16区约1,700所学校）并创建各角色示例用户 / Load the Beijing demo."""
    setup_django()
    from campusplan.schools.models import School

    if reset:
        _wipe()
    if not School.objects.exists():
        _load(schools, seed)
    else:
        console.print(f"示例数据已存在：{School.objects.count()} 所学校（--reset 可重新生成）")
    _users()


def _wipe() -> None:
    """Everything the demo made, except the audit trail: it is append-only and kept (网络安全法
    第二十一条), its rows keep naming the schools they were about after these are gone."""
    from campusplan.accounts.models import Profile
    from campusplan.assessments.models import AssessmentRun
    from campusplan.schools.models import District, FactValue, School, Source

    AssessmentRun.objects.all().delete()
    Profile.objects.all().delete()
    FactValue.objects.all().delete()
    School.objects.all().delete()
    Source.objects.all().delete()
    District.objects.all().delete()


def _load(n: int, seed: int) -> None:
    from campusplan.accounts import audit
    from campusplan.usecases.imports import import_files

    t0 = time.perf_counter()
    from campusplan.catalog import load_catalog
    from campusplan.demo.beijing import beijing_documents

    docs = beijing_documents(load_catalog(), n=n, seed=seed)
    actor = audit.actor_for(None, "cli", name="campusplan demo")
    with tempfile.TemporaryDirectory() as tmp, progress_bar() as bar:
        paths = _write_by_district(docs, Path(tmp))
        result = import_files(actor=actor, paths=paths, progress=bar)  # assesses what it wrote
        if not result.ok:
            for p in result.problems[:20]:
                console.print(f"[red]{p}[/red]")
            raise typer.Exit(1)
        run = result.run
    console.print(f"已生成 {run.schools} 所示例学校（16个区，学校名称为虚构），评估结果 {run.results:,} 条，"
                  f"用时 {time.perf_counter() - t0:.0f} 秒。学校数为估算，见 docs/web.md。")


def _write_by_district(docs: dict, folder: Path) -> list[Path]:
    """One JSON file per district: each under the importer's size limit, one transaction."""
    by: dict[str, list] = {}
    for s in docs["schools"]:
        by.setdefault(s["district"], []).append(s)
    paths = []
    for code, schools in sorted(by.items()):
        dsv = [d for d in docs["district_services"] if d["district"] == code]
        path = folder / f"demo-{code}.json"
        path.write_text(json.dumps({"schools": schools, "district_services": dsv},
                                   ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def _users() -> None:
    from django.contrib.auth import get_user_model

    from campusplan.accounts.models import Profile
    from campusplan.catalog.vocabulary import role_label
    from campusplan.schools.models import District, School

    console.print("\n[bold]示例用户（仅供演示）/ demo users[/bold]")
    for name, level, district_code, read_only, password in USERS:
        user, _ = get_user_model().objects.get_or_create(username=name)
        user.set_password(password)
        user.save()
        district = District.objects.filter(code=district_code).first() if district_code else None
        school = School.objects.filter(district=district).order_by("code").first() \
            if level == "school" else None
        Profile.objects.update_or_create(user=user, defaults={
            "level": level, "district": district if level == "district" else None,
            "school": school, "read_only": read_only})
        scope = school.name if school else (district.name if district else "全市")
        role = role_label(level, read_only, "zh")
        console.print(f"  {role:<8} {scope:<16} 用户名 [bold]{name}[/bold]  密码 {password}")
