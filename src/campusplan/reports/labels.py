"""Every user-facing string of the reports, in Chinese and English, with named placeholders."""

from __future__ import annotations

from campusplan.catalog import vocabulary
from campusplan.catalog.schema import Text
from campusplan.planning.plan import IDS_SEP

L: dict[str, Text] = {
    # school report
    "school_title": Text(zh="{school}信息化建设达标评估与建设规划报告",
                         en="{school}: IT construction compliance assessment and plan"),
    "basis_line": Text(zh="评估依据：《{standard}》（{issuer}，{date}）",
                       en="Standard: {standard} ({issuer}, {date})"),
    "date_line": Text(zh="评估日期：{as_of}", en="Assessed on {as_of}"),
    "run_line": Text(zh="评估批次：#{run}", en="Assessment run #{run}"),
    "versions_line": Text(zh="规范目录：{catalog}；价格目录：{prices}",
                          en="Catalog {catalog}; price catalog {prices}"),
    "h_profile": Text(zh="一、基本情况", en="1. Profile"),
    "h_compliance": Text(zh="二、达标情况", en="2. Compliance"),
    "h_findings": Text(zh="三、未达标与违规事项", en="3. Gaps and violations"),
    "h_plan": Text(zh="四、建设规划与预算", en="4. Construction plan and budget"),
    "h_notes": Text(zh="五、编制说明", en="5. Notes"),
    "h_chart": Text(zh="（一）分领域必配达标率", en="2.1 Required compliance rate by area"),
    "h_by_area": Text(zh="（二）分领域达标情况", en="2.2 Compliance by area"),
    "h_issues": Text(zh="（一）未达标与违规清单", en="3.1 Gaps and violations"),
    "h_unknown": Text(zh="（二）需补充的数据", en="3.2 Data still missing"),
    "h_evidence": Text(zh="（三）佐证材料与审批", en="3.3 Evidence and approvals"),
    "no_evidence": Text(zh="尚未上传佐证材料，也没有有效的审批或豁免。",
                        en="No evidence uploaded and no approval or waiver in force."),
    "c_evidence_kind": Text(zh="材料类型", en="Kind"),
    "c_file": Text(zh="文件", en="File"),
    "c_uploaded": Text(zh="上传时间", en="Uploaded"),
    "c_approval": Text(zh="审批或豁免", en="Approval or waiver"),
    "c_approver": Text(zh="审批人", en="Approver"),
    "c_expires": Text(zh="有效期至", en="Valid through"),
    "h_lines": Text(zh="（一）建设内容", en="4.1 Plan lines"),
    "h_totals": Text(zh="（二）分年度预算", en="4.2 Budget by year"),
    "h_services": Text(zh="（三）购买服务年度费用", en="4.3 Yearly cost of purchased services"),
    "overview": Text(
        zh="必配要求达标率 {rate}（达标 {met} 项，已判定 {judged} 项）；数据完整度 {completeness}；"
           "必配未达标 {gaps} 项，违规 {violations} 项，数据缺失 {unknown} 项，选配未达标 "
           "{optional_gaps} 项。{comparable}",
        en="Required compliance rate {rate} ({met} met of {judged} judged); data completeness "
           "{completeness}; {gaps} required gaps, {violations} violations, {unknown} unknown, "
           "{optional_gaps} optional gaps.{comparable}"),
    "not_comparable_note": Text(zh="数据完整度低于 {pct}，此达标率不可比。",
                                en=" Data completeness is below {pct}: the rate is not comparable."),
    "no_findings": Text(zh="无未达标或违规事项。", en="No gaps or violations."),
    "no_unknown": Text(zh="无缺失数据。", en="No missing data."),
    "no_lines": Text(zh="无需建设的内容。", en="Nothing to build."),
    "unknown_note": Text(zh="以下必配要求因数据缺失或参数尚未设定而无法判定，请补充后重新评估：",
                         en="These required requirements could not be judged (data missing or a "
                            "parameter not set); complete them and assess again:"),
    "plan_note": Text(
        zh="规划按优先级排序（{tiers}），在年度预算内逐项安排到最早可容纳的年度，任何一年不超预算；"
           "“待定价”项需区里按协议供货价填写单价后才能排期。",
        en="Lines are taken by priority ({tiers}) and each goes into the earliest year whose "
           "budget still holds it; no year is over budget. Unpriced lines are scheduled once the "
           "district prices them."),
    "tier_sep": Text(zh=" → ", en=" → "),
    "note_budget": Text(zh="年度预算：{per}每年 {amount} 元，共 {years} 年。",
                        en="Annual budget: {amount} RMB a year {per}, over {years} years."),
    "per_school": Text(zh="每校", en="per school"),
    "per_all": Text(zh="全部学校合计", en="shared by all schools"),
    "note_standard": Text(zh="评估依据《{standard}》，规范目录 {catalog}。",
                          en="Assessed against {standard}, catalog {catalog}."),
    "note_rate": Text(zh="达标率仅统计必配要求：达标 ÷（达标 + 未达标 + 违规）；数据完整度为适用要求中"
                         "已有数据可判定的比例。",
                      en="The compliance rate counts required requirements only: met ÷ (met + gap "
                         "+ violation); data completeness is the share of applicable requirements "
                         "that could be judged."),
    "note_comparable": Text(zh="达标率旁注明其判定所依据的必配要求项数；数据完整度低于 {pct} 的达标率标为"
                               "“不可比”（campusplan 的设定，非规范规定）。",
                            en="Each rate gives the number of required requirements it was judged "
                               "on; a rate whose data completeness is below {pct} is marked not "
                               "comparable (campusplan's setting, not the standard's)."),
    "note_prices": Text(zh="单价取自价格目录 {prices}（来源与可信度见价格目录）；无可靠来源的项目标为"
                           "“待定价”，不按 0 元计。",
                        en="Unit prices from price catalog {prices} (sources in the catalog); lines "
                           "without a reliable price are unpriced, never costed as 0."),
    "note_generated": Text(zh="本报告由 campusplan 于 {today} 生成。",
                           en="Generated by campusplan on {today}."),
    "footer": Text(zh="第 {page} 页 共 {pages} 页", en="Page {page} of {pages}"),
    # profile table
    "p_name": Text(zh="学校名称", en="School"),
    "p_code": Text(zh="学校标识码", en="School code"),
    "p_district": Text(zh="所在区", en="District"),
    "p_type": Text(zh="办学类型", en="School type"),
    "p_teachers": Text(zh="专任教师", en="Full-time teachers"),
    "p_stage": Text(zh="学段", en="Stage"),
    "p_classes": Text(zh="班级数", en="Classes"),
    "p_students": Text(zh="学生数", en="Students"),
    "p_max_class": Text(zh="最大班额", en="Largest class"),
    "p_smart": Text(zh="智慧教室阶段", en="Smart-classroom phase"),
    "p_total": Text(zh="合计", en="Total"),
    # column heads
    "c_no": Text(zh="序号", en="No."),
    "c_area": Text(zh="领域", en="Area"),
    "c_rate": Text(zh="必配达标率", en="Rate"),
    "c_completeness": Text(zh="数据完整度", en="Complete"),
    "c_judged": Text(zh="已判定（必配）", en="Judged"),
    "c_comparable": Text(zh="可比性", en="Comparable"),
    "comparable_yes": Text(zh="可比", en="comparable"),
    "comparable_no": Text(zh="不可比", en="not comparable"),
    "c_met": Text(zh="必配达标", en="Met"),
    "c_gaps": Text(zh="必配未达标", en="Gaps"),
    "c_violations": Text(zh=vocabulary.STATUS["violation"].zh, en="Violations"),
    "c_unknown": Text(zh="数据缺失", en="Unknown"),
    "c_optional_gaps": Text(zh="选配未达标", en="Opt. gaps"),
    "c_req": Text(zh="要求编号", en="Requirement"),
    "c_item": Text(zh="配置项", en="Item"),
    "c_level": Text(zh="级别", en="Level"),
    "c_status": Text(zh="结果", en="Status"),
    "c_explanation": Text(zh="情况说明", en="Explanation"),
    "c_tier": Text(zh="优先级", en="Priority"),
    "c_tier_name": Text(zh="优先级类别", en="Priority class"),
    "c_what": Text(zh="建设内容", en="What to do"),
    "c_closes": Text(zh="对应要求", en="Closes"),
    "c_qty": Text(zh="数量", en="Qty"),
    "c_unit": Text(zh="单位", en="Unit"),
    "c_price": Text(zh="单价（元）", en="Unit price (RMB)"),
    "c_cost": Text(zh="金额（元）", en="Cost (RMB)"),
    "c_year": Text(zh="年度", en="Year"),
    "c_funding": Text(zh="资金状态", en="Funding"),
    "c_kind": Text(zh="类型", en="Kind"),
    "c_lines": Text(zh="项数", en="Lines"),
    "c_item_of": Text(zh="项目", en="Row"),
    "c_school": Text(zh="学校", en="School"),
    "c_school_id": Text(zh="学校标识码", en="School code"),
    "c_type": Text(zh="办学类型", en="School type"),
    "c_district": Text(zh="区", en="District"),
    "c_district_code": Text(zh="区代码", en="District code"),
    "c_schools": Text(zh="学校数", en="Schools"),
    "c_scheduled": Text(zh="已排期金额（元）", en="Scheduled (RMB)"),
    "c_unfunded": Text(zh="预算不足金额（元）", en="Unfunded (RMB)"),
    "c_unpriced": Text(zh="待定价项数", en="Unpriced lines"),
    "c_priced_total": Text(zh="规划金额合计（元）", en="Planned total (RMB)"),
    "c_services_cost": Text(zh="购买服务年度费用（元）", en="Services per year (RMB)"),
    "c_category": Text(zh="类别", en="Category"),
    "c_service": Text(zh="服务", en="Service"),
    "c_vendor": Text(zh="服务商", en="Vendor"),
    "c_provided_by": Text(zh="提供方", en="Provided by"),
    "c_purchase_unit": Text(zh="购买单位", en="Purchase unit"),
    "c_units": Text(zh="计费数量", en="Units"),
    "c_yearly_cost": Text(zh="年度费用（元）", en="Per year (RMB)"),
    "c_key": Text(zh="价格项", en="Price line"),
    "c_life": Text(zh="使用年限（年）", en="Service life (years)"),
    "c_basis": Text(zh="价格依据", en="Basis"),
    "c_source": Text(zh="来源", en="Source"),
    "c_value": Text(zh="数值", en="Value"),
    # totals rows
    "t_year": Text(zh="第 {year} 年", en="Year {year}"),
    "t_scheduled": Text(zh="已排期合计", en="Scheduled total"),
    "t_unfunded": Text(zh="预算不足（未排期）", en="Unfunded (over budget)"),
    "t_unpriced": Text(zh="待定价（需区里填价）", en="Unpriced (district to price)"),
    "t_priced_total": Text(zh="规划金额合计（已定价）", en="Planned total (priced lines)"),
    "t_services": Text(zh="购买服务年度费用合计", en="Purchased services per year"),
    "t_coverage": Text(zh="价格覆盖率 {coverage}（待定价 {unpriced} 项）",
                       en="Price coverage {coverage} ({unpriced} unpriced)"),
    "plan_title": Text(zh="{scope}建设规划与分年度预算", en="{scope}: construction plan by year"),
    "budget_line": Text(zh="年度预算 {per_year} 元 × {years} 年（{per}）；价格目录：{prices}",
                        en="Budget {per_year} RMB a year × {years} years ({per}); prices: {prices}"),
    "h_unpriced": Text(zh="（三）待定价内容（需区里填价）", en="4.3 Unpriced lines (to be priced)"),
    "c_list": Text(zh="定价来源", en="Priced by"),
    "pending": Text(zh=vocabulary.FUNDING["unpriced"].zh, en="unpriced"),
    # workbook sheets
    "s_summary": Text(zh="汇总", en="Summary"),
    "s_schools": Text(zh="学校", en="Schools"),
    "s_lines": Text(zh="建设规划", en="Plan lines"),
    "s_services": Text(zh="购买服务", en="Services"),
    "s_prices": Text(zh="单价来源", en="Prices"),
    "s_districts": Text(zh="各区", en="Districts"),
    "district_title": Text(zh="{district}中小学校信息化建设达标评估与建设规划汇总",
                           en="{district}: school IT compliance and construction plan"),
    "city_title": Text(zh="全市中小学校信息化建设达标评估与建设规划汇总（分区）",
                       en="City summary of school IT compliance and plans, by district"),
    "k_schools": Text(zh="学校数", en="Schools"),
    "k_rate": Text(zh="必配达标率", en="Required compliance rate"),
    "k_completeness": Text(zh="数据完整度", en="Data completeness"),
    "k_judged": Text(zh="已判定的必配要求", en="Required requirements judged"),
    "k_comparable": Text(zh="达标率可比性", en="Rate comparability"),
    "k_gaps": Text(zh="必配未达标（项）", en="Required gaps"),
    "k_violations": Text(zh="违规（项）", en="Violations"),
    "k_unknown": Text(zh="数据缺失（项）", en="Unknown"),
    "k_optional_gaps": Text(zh="选配未达标（项）", en="Optional gaps"),
    "k_lines": Text(zh="规划项数", en="Plan lines"),
    "k_budget": Text(zh="年度预算（元）", en="Annual budget (RMB)"),
    "k_budget_per": Text(zh="预算口径", en="Budget applies"),
    "k_years": Text(zh="规划年数", en="Years"),
    "k_as_of": Text(zh="评估日期", en="Assessed on"),
    "k_run": Text(zh="评估批次", en="Assessment run"),
    "k_catalog": Text(zh="规范目录版本", en="Catalog"),
    "k_prices": Text(zh="价格目录版本", en="Price catalog"),
    "chart_area": Text(zh="分领域必配达标率", en="Required compliance rate by area"),
    "chart_years": Text(zh="分年度已排期金额（元）", en="Scheduled spend by year (RMB)"),
    "chart_districts": Text(zh="各区必配达标率", en="Required compliance rate by district"),
    "chart_series_rate": Text(zh="达标率", en="Rate"),
    "chart_series_cost": Text(zh="金额", en="Cost"),
    "district_total": Text(zh="全市合计", en="City total"),
    "formula_note": Text(zh="以 = + - @ 开头的文本已加前缀 ' 以防公式注入。",
                         en="Text starting with = + - @ is prefixed with ' (formula injection)."),
    # readiness against a standard with group rules (the readiness page as a file)
    "readiness_title": Text(zh="{district}优质均衡达标情况",
                            en="{district}: quality-balance readiness"),
    "readiness_note": Text(
        zh="按本区已填报的数据即时评估，不保存为评估批次；差异系数以学生数加权，每项指标、每个学段"
           "单独判定，以区代县。",
        en="Judged on demand from the district's reported data, not stored as a run; the "
           "coefficient of variation is weighted by students, judged per indicator and per "
           "stage, the district standing for its county."),
    "readiness_empty": Text(zh="本区尚无学校。", en="No schools in this district yet."),
    "s_readiness": Text(zh="达标情况", en="Readiness"),
    "s_readiness_overall": Text(zh="逐校综合判定", en="Per-school overall rule"),
    "r_standard": Text(zh="规范", en="Standard"),
    "r_number": Text(zh="文号", en="Document number"),
    "r_issuer": Text(zh="发布", en="Issued by"),
    "r_judged_on": Text(zh="评估日期", en="Judged on"),
    "r_item": Text(zh="编号", en="No."),
    "r_indicator": Text(zh="指标", en="Indicator"),
    "r_met": Text(zh="达到要求", en="Meeting it"),
    "r_unknown": Text(zh="数据不全", en="Incomplete data"),
    "r_mean": Text(zh="全区值", en="District figure"),
    "r_cv": Text(zh="差异系数", en="Coefficient of variation"),
    "r_limit": Text(zh="差异系数上限", en="Coefficient of variation at most"),
    "r_verdict": Text(zh="县域判定", en="County verdict"),
    "r_rule": Text(zh="规则编号", en="Rule"),
    "r_rule_text": Text(zh="规则", en="Rule text"),
}

# the terms of the vocabulary (one table per concept, shared with the pages and the CLI)
STATUS, LEVEL, FUNDING = vocabulary.STATUS, vocabulary.LEVEL, vocabulary.FUNDING
PROVIDER, SMART_PHASE, LINE_KIND = vocabulary.PROVIDER, vocabulary.SMART_PHASE, vocabulary.LINE_KIND
PRICE_BASIS, STAGE = vocabulary.PRICE_BASIS, vocabulary.STAGE


def t(key: str, lang: str, **kw) -> str:
    return L[key].get(lang).format(**kw)


def comparability(value: bool | None, lang: str) -> str:
    """可比 / 不可比, or — when nothing applies (engine.rollup.comparable gave None)."""
    return "—" if value is None else t("comparable_yes" if value else "comparable_no", lang)


def word(table: vocabulary.Table, key: str | None, lang: str) -> str:
    return vocabulary.label(table, key, lang)


def listed(names, lang: str) -> str:
    """Names listed the reader's way: 海淀区、西城区 / Haidian, Xicheng."""
    return ("、" if lang.startswith("zh") else ", ").join(names)


def req_ids(text: str | None, lang: str) -> str:
    """The requirements a merged plan line closes (22-1、22-6), listed the reader's way."""
    return listed((text or "").split(IDS_SEP), lang) if text else ""


def paren(text: str, lang: str) -> str:
    return f"（{text}）" if lang.startswith("zh") else f" ({text})"


def money(v: float | None) -> str:
    return "—" if v is None else f"{v:,.0f}"


def pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def rate_text(rate: float | None, comparable: bool | None, lang: str) -> str:
    """A rate for a text table: 62.5%, or 62.5%（不可比） under the completeness threshold."""
    if comparable is False:
        return f"{pct(rate)}{paren(t('comparable_no', lang), lang)}"
    return pct(rate)


def qty(v: float | None) -> str:
    return "—" if v is None else f"{v:g}"


def num(v: float | None, digits: int = 2) -> str:
    """A figure as the pages show it: 30.0 → 30, 0.4213 → 0.42 (0.421 with 3), None → —."""
    if v is None:
        return "—"
    if float(v).is_integer():
        return str(int(v))
    return f"{float(v):.{digits}f}".rstrip("0").rstrip(".")
