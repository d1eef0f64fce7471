"""A native Word bar chart (DrawingML `c:chartSpace`) inside a .docx, with no image library.

python-docx has no chart API, so the chart part is written here: a horizontal bar chart of one
series with its values cached in the XML (what Word and LibreOffice draw) and the same data in an
embedded workbook (what Word's 「编辑数据」 opens). Labels are real text set in the document's
fonts, so Chinese renders wherever the document does — no Pillow or matplotlib, no font files.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from docx.document import Document as DocumentType
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Cm
from openpyxl import Workbook

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BAR_COLOR = "2F5597"


def add_bar_chart(doc: DocumentType, categories: list[str], values: list[float | None],
                  series: str, width_cm: float, height_cm: float, east_asia: str = "宋体",
                  percent: bool = True) -> Part:
    """Append a paragraph holding a bar chart (one bar per category, top to bottom)."""
    n = sum(1 for p in doc.part.package.iter_parts() if p.partname.startswith("/word/charts/"))
    chart = Part(PackURI(f"/word/charts/chart{n + 1}.xml"), CT.DML_CHART, b"", doc.part.package)
    sheet = Part(PackURI(f"/word/embeddings/Microsoft_Excel_Worksheet{n + 1}.xlsx"),
                 CT.SML_SHEET, _workbook(categories, values, series), doc.part.package)
    sheet_rid = chart.relate_to(sheet, RT.PACKAGE)
    chart._blob = chart_xml(categories, values, series, sheet_rid, east_asia, percent)
    rid = doc.part.relate_to(chart, RT.CHART)
    para = doc.add_paragraph()
    para.paragraph_format.line_spacing = 1.0  # a proportional spacing would stretch the chart
    run = para.add_run()
    run._r.append(parse_xml(_inline(rid, n + 1, Cm(width_cm), Cm(height_cm))))
    return chart


def _workbook(categories: list[str], values: list[float | None], series: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["", series])
    for cat, val in zip(categories, values, strict=True):
        ws.append([cat, val])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _inline(rid: str, n: int, cx: int, cy: int) -> str:
    return (
        f'<w:drawing xmlns:w="{W}" xmlns:wp="{WP}" xmlns:a="{A}" xmlns:c="{C}" xmlns:r="{R}">'
        f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
        f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{1000 + n}" name="Chart {n}"/>'
        f'<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="{C}"><c:chart r:id="{rid}"/>'
        f"</a:graphicData></a:graphic></wp:inline></w:drawing>")


def _text_props(east_asia: str, size: int = 1000) -> str:
    return (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}">'
            f'<a:latin typeface="Times New Roman"/><a:ea typeface="{escape(east_asia)}"/>'
            f"</a:defRPr></a:pPr><a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr>")


def _cache(values: list, kind: str, fmt: str) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{escape(str(v))}</c:v></c:pt>'
                  for i, v in enumerate(values) if v is not None)
    head = f"<c:formatCode>{fmt}</c:formatCode>" if kind == "num" else ""
    return f'<c:{kind}Cache>{head}<c:ptCount val="{len(values)}"/>{pts}</c:{kind}Cache>'


def chart_xml(categories: list[str], values: list[float | None], series: str, sheet_rid: str,
              east_asia: str = "宋体", percent: bool = True) -> bytes:
    """The chart part: a bar chart, categories top to bottom, value axis along the bottom."""
    fmt = "0.0%" if percent else "#,##0"
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<c:chartSpace xmlns:c="{C}" xmlns:a="{A}" xmlns:r="{R}">'
        f'<c:date1904 val="0"/><c:lang val="zh-CN"/><c:roundedCorners val="0"/>'
        f'<c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/>'
        f'<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
        f'{_series(categories, values, series, fmt, east_asia)}<c:gapWidth val="60"/>'
        f'<c:axId val="500000001"/><c:axId val="500000002"/></c:barChart>'
        f'{_axes(east_asia, percent)}</c:plotArea>'
        f'<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        f'<c:externalData r:id="{sheet_rid}"><c:autoUpdate val="0"/></c:externalData>'
        f'</c:chartSpace>')
    return xml.encode("utf-8")


def _series(categories: list[str], values: list[float | None], series: str, fmt: str,
            east_asia: str) -> str:
    """One series, bound to Sheet1 of the embedded workbook, with its values cached."""
    last = len(categories) + 1
    return (
        f'<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:strRef><c:f>Sheet1!$B$1</c:f>'
        f'<c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{escape(series)}</c:v></c:pt>'
        f'</c:strCache></c:strRef></c:tx>'
        f'<c:spPr><a:solidFill><a:srgbClr val="{BAR_COLOR}"/></a:solidFill></c:spPr>'
        f'<c:invertIfNegative val="0"/>'
        f'<c:dLbls><c:numFmt formatCode="{fmt}" sourceLinked="0"/>{_text_props(east_asia, 900)}'
        f'<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
        f'<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
        f'<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${last}</c:f>'
        f'{_cache(categories, "str", "")}</c:strRef></c:cat>'
        f'<c:val><c:numRef><c:f>Sheet1!$B$2:$B${last}</c:f>'
        f'{_cache(values, "num", fmt)}</c:numRef></c:val></c:ser>')


def _axes(east_asia: str, percent: bool) -> str:
    """Category axis reversed (first category on top); value axis crossing at its end so it
    sits at the bottom; 0–100 % for rates."""
    scale = '<c:max val="1"/><c:min val="0"/>' if percent else '<c:min val="0"/>'
    return (
        f'<c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="maxMin"/>'
        f'</c:scaling><c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" '
        f'sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/>'
        f'<c:tickLblPos val="nextTo"/>{_text_props(east_asia)}<c:crossAx val="500000002"/>'
        f'<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        f'<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        f'<c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/>{scale}'
        f'</c:scaling><c:delete val="0"/><c:axPos val="b"/><c:majorGridlines/>'
        f'<c:numFmt formatCode="{"0%" if percent else "#,##0"}" sourceLinked="0"/>'
        f'<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'{_text_props(east_asia, 900)}<c:crossAx val="500000001"/><c:crosses val="max"/>'
        f'<c:crossBetween val="between"/></c:valAx>')
