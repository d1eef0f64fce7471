"""One bilingual vocabulary: every word campusplan shows for a status, level, stage, phase, role…

Django choices, the CLI, the pages and the reports all take their labels from these tables, so a
term reads the same everywhere. The Chinese is the standard's own word where the standard names
the thing (必配 / 选配, 探索期 / 试点期 / 普适应用期, 市级 / 区级 / 校级 from 3.1 市级统筹、区级主责);
the rest are campusplan's words, chosen once here. Pure: no Django (the lazy Django labels are
`campusplan.i18n.lazy_label`).

Each table is an ordered mapping key → Term; the order is the order choices are listed in.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One term in Chinese and English; `tone` is a style key (ok / warn / bad / muted)."""

    zh: str
    en: str
    tone: str = ""

    def get(self, lang: str) -> str:
        return self.zh if (lang or "zh").startswith("zh") else self.en


Table = dict[str, Term]

# 评估结果. `unknown` is campusplan's: the facts a requirement reads are not (yet) known.
STATUS: Table = {
    "met": Term("达标", "Met", "ok"),
    "gap": Term("未达标", "Gap", "warn"),
    "violation": Term("违规", "Violation", "bad"),
    "unknown": Term("未知", "Unknown", "muted"),
    "not_applicable": Term("不适用", "Not applicable", "muted"),
}
# the order people read results in: what is wrong first, then what is not known, then the rest
STATUS_ORDER: tuple[str, ...] = ("violation", "gap", "unknown", "met", "not_applicable")

LEVEL: Table = {"required": Term("必配", "Required"), "optional": Term("选配", "Optional")}

STAGE: Table = {
    "primary": Term("小学", "Primary"),
    "junior": Term("初中", "Junior"),
    "senior": Term("高中", "Senior"),
}

# 5.11: 探索期、试点期和普适应用期; `none` is a school that has not started (5.11 is opt-in)
SMART_PHASE: Table = {
    "none": Term("未开展", "Not started"),
    "exploration": Term("探索期", "Exploration"),
    "pilot": Term("试点期", "Pilot"),
    "general": Term("普适应用期", "General use"),
}

# a user's scope (3.1 市级统筹、区级主责); a read-only user is 督导 of that scope
ROLE: Table = {
    "city": Term("市级", "City"),
    "district": Term("区级", "District"),
    "school": Term("校级", "School"),
}
READ_ONLY_ROLE = Term("督导（{level}）", "Auditor ({level})")

# the 三员 of 等保 2.0, apart from the business roles above
ADMIN_ROLE: Table = {
    "system": Term("系统管理员", "System administrator"),
    "security": Term("安全管理员", "Security administrator"),
    "audit": Term("审计管理员", "Audit administrator"),
}

# how a security event ended
OUTCOME: Table = {
    "ok": Term("成功", "Succeeded", "ok"),
    "failed": Term("失败", "Failed", "warn"),
    "denied": Term("拒绝", "Denied", "bad"),
}

# who provides a purchased service (items 35–43)
PROVIDER: Table = {
    "school": Term("学校采购", "Bought by the school"),
    "district": Term("区级统一提供", "Provided by the district"),
}

# a phased plan line's funding
FUNDING: Table = {
    "scheduled": Term("已排期", "Scheduled", "ok"),
    "unfunded": Term("预算不足", "Unfunded", "warn"),
    "unpriced": Term("待定价", "Unpriced", "muted"),
}

# what a plan line is for: closing a gap or a violation, or replacing a device at end of life
LINE_KIND: Table = {
    "gap": STATUS["gap"],
    "violation": STATUS["violation"],
    "refresh": Term("到期更新", "End-of-life refresh"),
}

# where a unit price comes from (prices.yaml `basis`, docs/planning.md)
PRICE_BASIS: Table = {
    "cap": Term("配置标准限价", "Price cap"),
    "market": Term("市场价", "Market price"),
    "budget": Term("预算明细", "Budget breakdown"),
    "contract": Term("合同价", "Contract price"),
    "award": Term("中标价", "Award price"),
    "derived": Term("推算", "Derived"),
    "assumption": Term("估算", "Assumption"),
    "district": Term("区定价", "District price"),
    "unpriced": FUNDING["unpriced"],
}

# how facts reached the database (schools.Source)
SOURCE_KIND: Table = {
    "import": Term("文件导入", "File import"),
    "form": Term("网页表单", "Web form"),
    "api": Term("接口", "API"),
    "cli": Term("命令行", "Command line"),
    "project": Term("建设项目", "Construction project"),
}

# which door an audited change came through
AUDIT_SOURCE: Table = {
    "web": Term("网页", "Web"),
    "api": SOURCE_KIND["api"],
    "cli": SOURCE_KIND["cli"],
    "import": Term("导入", "Import"),
    "system": Term("系统", "System"),
}

# what an assessment run covered
SCOPE_KIND: Table = {
    "district": Term("区", "District"),
    "school": Term("学校", "Schools"),
    "all": Term("全部", "All"),
}


# which workbook campusplan wrote (its hidden _meta sheet's `kind`)
WORKBOOK_KIND: Table = {
    "school": Term("学校调查表", "school survey"),
    "district": Term("区调查表", "district survey"),
    "export": Term("导出数据", "export"),
}


def label(table: Table, key: str | None, lang: str) -> str:
    """The term for `key` in `lang`; a key the table does not know is shown as is (— if empty)."""
    term = table.get(key or "")
    return term.get(lang) if term is not None else (key or "—")


def tone(table: Table, key: str | None) -> str:
    term = table.get(key or "")
    return term.tone if term is not None else ""


def status_rank(status: str) -> int:
    """Position in STATUS_ORDER (violations first); anything else sorts last."""
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)


def role_label(level: str, read_only: bool, lang: str) -> str:
    """市级 / 区级 / 校级, or 督导（区级） for a read-only user of that scope."""
    word = label(ROLE, level, lang)
    return READ_ONLY_ROLE.get(lang).format(level=word) if read_only else word


# which price list priced a plan line: the city's default catalog or the district's own
PRICE_LIST: Table = {
    "city": Term("市级默认单价", "City default price"),
    "district": Term("区协议供货价", "District agreed price"),
}

# a construction project (建设项目) made from a plan line, followed to completion
PROJECT_STATUS: Table = {
    "planned": Term("计划", "Planned"),
    "approved": Term("已立项", "Approved"),
    "procuring": Term("采购中", "Procuring", "warn"),
    "completed": Term("已完成", "Completed", "ok"),
    "cancelled": Term("取消", "Cancelled", "muted"),
}

# who pays for a project (3.1 市级统筹、区级主责)
FUNDING_SOURCE: Table = {
    "city": Term("市级", "City"),
    "district": Term("区级", "District"),
    "school": Term("学校自筹", "School's own funds"),
}

# how a plan's budget figure is meant
BUDGET_BASIS: Table = {
    "year": Term("每年", "Per year"),
    "total": Term("总额（各年平分）", "Total (split evenly over the years)"),
}
BUDGET_PER: Table = {
    "school": Term("每校", "Per school"),
    "all": Term("统筹共用", "Pooled"),
}

# which level set the value of a parameter in force (tailoring: the city sets, a district tightens)
PARAM_LEVEL: Table = {
    "standard": Term("标准默认", "Standard default", "muted"),
    "city": Term("城市", "City"),
    "district": Term("区", "District", "warn"),
}
# which way a stricter value of a parameter lies
TIGHTER: Table = {
    "higher": Term("只能调高", "may only be raised"),
    "lower": Term("只能调低", "may only be lowered"),
}

# an approved deviation (5.3 获批后开展建设, 5.11 可申请增加, a waiver), valid until it expires
DEVIATION_KIND: Table = {
    "data_center": Term("自建数据中心审批", "Own data centre approval"),
    "smart_phase": Term("智慧教室阶段申请", "Smart-classroom phase application"),
    "waiver": Term("要求豁免", "Waiver of a requirement"),
}

# an evidence file attached to a school's requirement
EVIDENCE_KIND: Table = {
    "photo": Term("照片", "Photo"),
    "contract": Term("合同", "Contract"),
    "acceptance": Term("验收报告", "Acceptance report"),
}

TABLES: dict[str, Table] = {
    "status": STATUS, "level": LEVEL, "stage": STAGE, "smart_phase": SMART_PHASE, "role": ROLE,
    "provider": PROVIDER, "funding": FUNDING, "line_kind": LINE_KIND, "price_basis": PRICE_BASIS,
    "source_kind": SOURCE_KIND, "audit_source": AUDIT_SOURCE, "scope_kind": SCOPE_KIND,
    "workbook_kind": WORKBOOK_KIND, "admin_role": ADMIN_ROLE, "outcome": OUTCOME,
    "price_list": PRICE_LIST, "project_status": PROJECT_STATUS,
    "funding_source": FUNDING_SOURCE, "budget_basis": BUDGET_BASIS, "budget_per": BUDGET_PER,
    "param_level": PARAM_LEVEL, "tighter": TIGHTER, "deviation_kind": DEVIATION_KIND,
    "evidence_kind": EVIDENCE_KIND,
}
