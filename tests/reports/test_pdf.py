"""The reports render Chinese: convert them with LibreOffice and read the PDF back with poppler.

Needs Debian's libreoffice-writer-nogui and libreoffice-calc-nogui (soffice), poppler-utils
(pdftotext, pdfinfo, pdffonts) and fonts-noto-cjk. A missing tool fails the test, naming it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from campusplan.reports.district_xlsx import write_district_xlsx
from campusplan.reports.school_docx import write_school_docx
from tests.reports.conftest import VIOLATIONS

PACKAGES = "libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk"


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} not found: apt-get install {PACKAGES}"
    return path


def to_pdf(src: Path) -> Path:
    profile = src.parent / "lo-profile"
    subprocess.run([tool("soffice"), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(src.parent), str(src)],
                   check=True, capture_output=True, timeout=180)
    pdf = src.with_suffix(".pdf")
    assert pdf.exists(), f"LibreOffice wrote no PDF for {src.name} (is {PACKAGES} installed?)"
    return pdf


def run(*args: str) -> str:
    return subprocess.run([tool(args[0]), *args[1:]], check=True, capture_output=True,
                          text=True).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_school_report_pdf_has_chinese_text_cjk_fonts_and_page_numbers(city, tmp_path):
    docx = tmp_path / "school.docx"
    write_school_docx(city, VIOLATIONS, docx)
    pdf = to_pdf(docx)
    text = flat(run("pdftotext", "-layout", str(pdf), "-"))
    assert "丰台区示例小学（存在违规）信息化建设达标评估与建设规划报告" in text
    assert "智慧教室数量2，超过上限1，超出1" in text  # a violation's explanation
    assert "一、基本情况" in text and "四、建设规划与预算" in text
    assert any("CJK" in line for line in run("pdffonts", str(pdf)).splitlines()[2:])
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(pdf))).group(1))
    assert pages >= 2
    assert f"第1页共{pages}页" in text and f"第{pages}页共{pages}页" in text


def test_district_workbook_pdf_has_chinese_text(district, tmp_path):
    xlsx = tmp_path / "district.xlsx"
    write_district_xlsx(district, xlsx)
    text = flat(run("pdftotext", str(to_pdf(xlsx)), "-"))
    assert "海淀区中小学校信息化建设达标评估与建设规划汇总" in text
    assert "必配达标率" in text and "丰台区示例小学（存在违规）" in text
