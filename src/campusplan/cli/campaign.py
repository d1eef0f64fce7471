"""`campusplan campaign open | list | status | submit | keep | approve | return | unlock |
confirm | remind | diff` — the yearly survey campaign from the command line, as the operator
(full scope, named by --user in the audit trail). Each command calls one step of
usecases.campaigns. Exit codes: 0 done, 2 refused (the state does not allow it, bad input, or
no such campaign/school)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.table import Table

from campusplan.cli.options import Lang, User, actor, console, err, parse_date, setup_django, zh

app = typer.Typer(help="填报任务 / survey campaigns: 学校填报 → 区级审核 → 市级确认",
                  no_args_is_help=True)

CampaignId = Annotated[int, typer.Argument(help="填报任务 id / campaign id")]
Codes = Annotated[list[str], typer.Argument(help="学校标识码 / school codes")]
Reason = Annotated[str, typer.Option("--reason", help="原因（退回、解锁必填）/ reason")]
KeepChanged = Annotated[bool, typer.Option(
    "--keep-changed", help="保留上次审核通过后修改、尚未确认的现值 / keep the newer values")]


def _step(lang: str, fn: Callable[[], Any]) -> Any:
    """Run one use case; a refusal is printed in the reader's language, exit 2."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from campusplan.campaigns.services import TransitionRefused
    from campusplan.schools.services import ImportInvalid

    try:
        return fn()
    except TransitionRefused as exc:
        message = exc.text(lang)
    except ImportInvalid as exc:
        message = "; ".join(p.message(lang) for p in exc.problems)
    except (Http404, PermissionDenied):
        message = "没有这个填报任务或学校" if zh(lang) else "no such campaign or school"
    err.print(f"[red]{message}[/red]")
    raise typer.Exit(2)


def _campaign(me, pk: int, lang: str):
    from campusplan.usecases import campaigns

    return _step(lang, lambda: campaigns.campaign_of(me, pk))


@app.command("open")
def open_cmd(
    school_year: Annotated[int, typer.Option("--year", help="学年，如 2026")],
    as_of: Annotated[str, typer.Option("--as-of", help="统计时点 YYYY-MM-DD")],
    deadline: Annotated[str, typer.Option("--deadline", help="截止日期 YYYY-MM-DD")],
    district: Annotated[str | None, typer.Option(
        "--district", help="区级开启：行政区划代码（不填为市级开启）")] = None,
    area: Annotated[list[str] | None, typer.Option("--area", help="填报领域（可多次；不填为全部）")] = None,
    instructions: Annotated[str, typer.Option("--instructions", help="填报说明")] = "",
    title: Annotated[str, typer.Option("--title", help="名称")] = "",
    user: User = "", lang: Lang = "zh",
) -> None:
    """开启填报任务 / Open a campaign (every district, or one district's schools)."""
    setup_django()
    from campusplan.usecases import campaigns

    c = _step(lang, lambda: campaigns.open_campaign(
        actor=actor(user), school_year=school_year, as_of=parse_date(as_of),
        deadline=parse_date(deadline), areas=area or [], instructions=instructions,
        title=title, district=district))
    console.print(f"#{c.pk} {c.title}: {c.submissions.count()} "
                  f"{'所学校' if zh(lang) else 'schools'}")


@app.command("list")
def list_cmd(lang: Lang = "zh") -> None:
    """列出填报任务与上报率、及时率 / List campaigns with their reporting rates."""
    setup_django()
    from campusplan.campaigns.selectors import rates
    from campusplan.schools.models import School
    from campusplan.usecases import campaigns

    table = Table()
    for col in ("id", "名称 title", "统计时点 as of", "截止 deadline", "学校 schools",
                "上报率 reported", "及时率 on time"):
        table.add_column(col)
    for c in campaigns.visible_campaigns(actor()):
        r = rates(c, School.objects.all())
        table.add_row(str(c.pk), c.title, str(c.as_of), str(c.deadline), str(r.schools),
                      _pct(r.report_rate), _pct(r.on_time_rate))
    console.print(table)


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


@app.command("status")
def status_cmd(campaign_id: CampaignId, district: Annotated[str | None, typer.Option(
        "--district", help="只看一个区")] = None, lang: Lang = "zh") -> None:
    """各校状态、及时性、完整度与审核提示 / Each school's state, timeliness and warnings."""
    setup_django()
    from campusplan.campaigns.selectors import review_rows
    from campusplan.catalog.loader import load_catalog
    from campusplan.schools.models import School

    me = actor()
    c = _campaign(me, campaign_id, lang)
    schools = School.objects.filter(**({"district__code": district} if district else {}))
    table = Table()
    for col in ("学校 school", "状态 state", "及时性 timeliness", "完整度 complete",
                "提示 warnings", "变化 changes"):
        table.add_column(col)
    for r in review_rows(c, schools, load_catalog()):
        table.add_row(r.school.code, r.submission.state, r.timeliness.value,
                      _pct(r.completeness), str(len(r.warnings)), str(len(r.differences)))
    console.print(table)


def _moved(subs, lang: str) -> None:
    for s in subs:
        console.print(f"{s.school.code} → {s.state}")


@app.command("submit")
def submit_cmd(campaign_id: CampaignId, codes: Codes, keep_changed: KeepChanged = False,
               user: User = "", lang: Lang = "zh") -> None:
    """学校提交（锁定数据）/ Submit schools (their data locks)."""
    setup_django()
    from campusplan.usecases import campaigns

    me = actor(user)
    c = _campaign(me, campaign_id, lang)
    _moved([_step(lang, lambda code=code: campaigns.submit(actor=me, campaign=c, code=code,
                                                           keep_changed=keep_changed))
            for code in codes], lang)


@app.command("keep")
def keep_cmd(campaign_id: CampaignId, code: Annotated[str, typer.Argument(help="学校标识码")],
             keys: Annotated[list[str] | None, typer.Argument(
                 help="数据（fact.x、teachers…；不填为全部）/ values (none: all)")] = None,
             user: User = "", lang: Lang = "zh") -> None:
    """保留上次审核通过后修改的现值 / Keep values changed since the last acceptance."""
    setup_django()
    from campusplan.usecases import campaigns

    me = actor(user)
    c = _campaign(me, campaign_id, lang)
    for k in _step(lang, lambda: campaigns.keep_values(actor=me, campaign=c, code=code,
                                                       keys=keys or None)):
        console.print(f"{code} {k.key}: {k.current} ({'保留' if zh(lang) else 'kept'})")


@app.command("approve")
def approve_cmd(campaign_id: CampaignId, codes: Codes, user: User = "",
                lang: Lang = "zh") -> None:
    """区级审核通过 / Approve submitted schools."""
    setup_django()
    from campusplan.usecases import campaigns

    me = actor(user)
    c = _campaign(me, campaign_id, lang)
    _moved(_step(lang, lambda: campaigns.approve(actor=me, campaign=c, codes=codes)), lang)


@app.command("return")
def return_cmd(campaign_id: CampaignId, codes: Codes, reason: Reason = "",
               target: Annotated[str, typer.Option("--target", help="涉及的指标或工作表")] = "",
               user: User = "", lang: Lang = "zh") -> None:
    """退回修改（须写明原因）/ Return schools with a reason; their data unlocks."""
    setup_django()
    from campusplan.usecases import campaigns

    me = actor(user)
    c = _campaign(me, campaign_id, lang)
    _moved(_step(lang, lambda: campaigns.return_submissions(
        actor=me, campaign=c, codes=codes, reasons=[{"target": target, "text": reason}])), lang)


@app.command("unlock")
def unlock_cmd(campaign_id: CampaignId, code: Annotated[str, typer.Argument(help="学校标识码")],
               reason: Reason = "", user: User = "", lang: Lang = "zh") -> None:
    """解锁（须写明原因，记入审计）/ Unlock a school, with a reason (audited)."""
    setup_django()
    from campusplan.usecases import campaigns

    me = actor(user)
    c = _campaign(me, campaign_id, lang)
    _moved([_step(lang, lambda: campaigns.unlock(actor=me, campaign=c, code=code,
                                                 reason=reason))], lang)


@app.command("confirm")
def confirm_cmd(campaign_id: CampaignId,
                district: Annotated[str, typer.Argument(help="行政区划代码 / district code")],
                user: User = "", lang: Lang = "zh") -> None:
    """市级确认一个区，生成正式评估 / Confirm a district: its official run."""
    setup_django()
    from campusplan.usecases import campaigns

    me = actor(user)
    c = _campaign(me, campaign_id, lang)
    part = _step(lang, lambda: campaigns.confirm_district(actor=me, campaign=c,
                                                          district=district))
    console.print(f"{district}: {part.run.label} #{part.run_id}")


@app.command("remind")
def remind_cmd(today: Annotated[str | None, typer.Option(
        "--today", help="以此日期计算（默认今天）YYYY-MM-DD")] = None,
               days: Annotated[list[int] | None, typer.Option(
                   "--days", help="截止前天数（可多次；默认 CAMPUSPLAN_REMINDER_DAYS）")] = None,
               user: User = "", lang: Lang = "zh") -> None:
    """提醒未提交的学校截止日期将到（每天运行；每校每个天数只提醒一次）/ Remind the schools
    that have not submitted that a deadline is near (run daily; once per school and number)."""
    setup_django()
    from campusplan.usecases import campaigns

    told = _step(lang, lambda: campaigns.remind(
        actor=actor(user), today=parse_date(today) if today else None, days=days or None))
    for sub, left in told:
        console.print(f"#{sub.campaign_id} {sub.school.code}: "
                      f"{left} {'天' if zh(lang) else 'days left'}")
    console.print(f"{len(told)} {'所学校已提醒' if zh(lang) else 'school(s) reminded'}")


@app.command("diff")
def diff_cmd(old: Annotated[int, typer.Argument(help="较早的填报任务 id")],
             new: Annotated[int, typer.Argument(help="较新的填报任务 id")],
             lang: Lang = "zh") -> None:
    """对比两次正式评估：改善、退步、新增违规 / Diff two campaigns' official runs."""
    setup_django()
    from campusplan.assessments.selectors import run_diff
    from campusplan.schools.models import School

    me = actor()
    runs = [list(_campaign(me, pk, lang).districts.filter(run__isnull=False)
                 .values_list("run_id", flat=True)) for pk in (old, new)]
    table = Table()
    for col in ("学校 school", "改善 improved", "退步 regressed", "新增违规 new violations"):
        table.add_column(col)
    for d in run_diff(old_runs=runs[0], new_runs=runs[1], schools=School.objects.all()):
        if d.changed:
            table.add_row(d.code, " ".join(d.improved), " ".join(d.regressed),
                          " ".join(d.new_violations))
    console.print(table)

