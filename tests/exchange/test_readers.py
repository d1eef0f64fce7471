"""Readers: encodings, and hostile files, each refused (or handled) clearly and quickly."""

import time
import zipfile

import pytest
from openpyxl import Workbook

from campusplan.exchange.limits import Limits, MiB
from campusplan.exchange.problems import ExchangeError
from campusplan.exchange.readers import read_any
from tests.exchange.helpers import minimal_xlsx

CSV_TEXT = "学校标识码,学校名称,专任教师数（人）\n1101080101,海淀实验小学,18\n"


def _reason(exc_info) -> str:
    return " ".join(p.zh + p.en for p in exc_info.value.problems)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings(tmp_path, encoding):
    path = tmp_path / "s.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    table = read_any(path).tables[0]
    assert table.headers == ["学校标识码", "学校名称", "专任教师数（人）"]
    assert table.rows == [(2, ["1101080101", "海淀实验小学", "18"])]


def test_tab_separated_csv(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text(CSV_TEXT.replace(",", "\t"), encoding="gbk")
    assert read_any(path).tables[0].rows[0][1][1] == "海淀实验小学"


def test_garbage_fails_cleanly(tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(range(256)) * 200)
    with pytest.raises(ExchangeError) as exc:
        read_any(path)
    assert "编码" in _reason(exc)


def test_file_size_limit_before_reading(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:  # a sparse 200 MB file: nothing is read
        fh.truncate(200 * MiB)
    start = time.perf_counter()
    with pytest.raises(ExchangeError) as exc:
        read_any(path)
    assert "文件过大" in _reason(exc) and time.perf_counter() - start < 1


def test_zip_bomb_disguised_as_xlsx(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
        block = b"\0" * MiB
        for _ in range(400):  # 400 MiB of zeros, about 400 KB on disk
            fh.write(block)
    assert path.stat().st_size < 2 * MiB
    with pytest.raises(ExchangeError) as exc:
        read_any(path)
    assert "压缩炸弹" in _reason(exc)


def test_high_ratio_member_is_refused(tmp_path):
    path = minimal_xlsx(tmp_path / "ratio.xlsx", extra={"xl/media/pad.bin": b"\0" * (20 * MiB)})
    with pytest.raises(ExchangeError) as exc:
        read_any(path)
    assert "压缩比" in _reason(exc)


def test_not_a_zip(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("学校标识码,学校名称\n", encoding="utf-8")
    with pytest.raises(ExchangeError) as exc:
        read_any(path)
    assert "不是有效的 .xlsx" in _reason(exc)


def test_macro_workbook_is_refused(tmp_path):
    path = minimal_xlsx(tmp_path / "macro.xlsm", sheet_xml=None, rows=1,
                        extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0fake vba"})
    with pytest.raises(ExchangeError) as exc:
        read_any(path)
    assert "宏" in _reason(exc)


def test_macro_content_type_renamed_xlsx_is_refused(tmp_path):
    path = minimal_xlsx(tmp_path / "renamed.xlsx", rows=1, content_type=(
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml"))
    with pytest.raises(ExchangeError) as exc:
        read_any(path)
    assert "宏" in _reason(exc)


def test_million_rows_refused_by_declared_dimension(tmp_path):
    path = minimal_xlsx(tmp_path / "million.xlsx", rows=1_000_000, dimension=True)
    start = time.perf_counter()
    with pytest.raises(ExchangeError) as exc:
        read_any(path)
    assert "行数过多" in _reason(exc) and time.perf_counter() - start < 5


def test_million_rows_without_dimension_stop_at_the_limit(tmp_path):
    path = minimal_xlsx(tmp_path / "million-nodim.xlsx", rows=1_000_000, dimension=False)
    start = time.perf_counter()
    with pytest.raises(ExchangeError) as exc:
        read_any(path, Limits(max_rows=50_000))
    assert "行数过多" in _reason(exc) and time.perf_counter() - start < 10


def test_formula_cells_are_refused_with_their_cell(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "基础设施"
    ws.append(["学校标识码", "互联网接入带宽（Mbps）"])
    ws.append(["1101080101", "=500*2"])
    wb.save(tmp_path / "f.xlsx")
    problem = read_any(tmp_path / "f.xlsx").problems[0]
    assert (problem.where.sheet, problem.where.row, problem.where.column) == ("基础设施", 2, "B")
    assert "公式" in problem.zh


def test_merged_header_cells_are_located(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["学校标识码", None, "专任教师数"])
    ws.append(["1101080101", "x", 3])
    ws.merge_cells("A1:B1")
    wb.save(tmp_path / "m.xlsx")
    problem = read_any(tmp_path / "m.xlsx").problems[0]
    assert "合并单元格 A1:B1" in problem.zh and problem.where.row == 1


def test_json_malformed_and_too_deep(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ExchangeError):
        read_any(bad)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ExchangeError):
        read_any(deep)


def test_unsupported_type(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ExchangeError) as exc:
        read_any(path)
    assert ".xls" in _reason(exc)
