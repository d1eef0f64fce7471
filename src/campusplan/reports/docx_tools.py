"""python-docx helpers for documents a Chinese school office expects.

A4 portrait; body 宋体 小四 (12 pt) with Times New Roman for Latin text; headings and the title
in 黑体, black; tables in 五号 (10.5 pt) with a shaded header row that repeats on every page;
「第 X 页 共 Y 页」 in the footer from PAGE and NUMPAGES fields. East Asian fonts are set through
`w:rFonts/@w:eastAsia` (theme font attributes removed, since they would win over it).
"""

from __future__ import annotations

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

BODY_EA, HEAD_EA, LATIN = "宋体", "黑体", "Times New Roman"
SIZES = {"title": 18, "h1": 16, "h2": 14, "body": 12, "table": 10.5}  # 小二 三号 四号 小四 五号
HEADER_FILL = "D9D9D9"


def set_fonts(rpr_owner, east_asia: str, latin: str = LATIN) -> None:
    """Set Latin and East Asian fonts on a style's or run's rPr, dropping theme fonts."""
    rpr = rpr_owner.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin),
                       ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), name)


def new_document(lang: str = "zh") -> DocumentType:
    doc = Document()
    _page(doc)
    _styles(doc, lang)
    return doc


def _page(doc: DocumentType) -> None:
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin = sec.bottom_margin = Cm(2.54)
    sec.left_margin = sec.right_margin = Cm(2.5)
    sec.footer_distance = Cm(1.5)


def _styles(doc: DocumentType, lang: str) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    set_fonts(normal, BODY_EA)
    normal.font.size = Pt(SIZES["body"])
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.25
    _language(normal, lang)
    for name, size in (("Title", SIZES["title"]), ("Heading 1", SIZES["h1"]),
                       ("Heading 2", SIZES["h2"])):
        style = styles[name]
        set_fonts(style, HEAD_EA)
        style.font.size = Pt(size)
        style.font.bold = name != "Title"
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 6)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    _plain_title(styles["Title"])
    set_fonts(styles["Table Grid"], BODY_EA)


def _plain_title(style) -> None:
    """The template's Title has a blue rule under it; a Chinese report title is plain, centred."""
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    style.paragraph_format.space_after = Pt(12)


def _language(style, lang: str) -> None:
    rpr = style.element.get_or_add_rPr()
    el = OxmlElement("w:lang")
    el.set(qn("w:val"), "zh-CN" if lang.startswith("zh") else "en-US")
    el.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(el)


def add_field(paragraph: Paragraph, instr: str, placeholder: str = "1") -> None:
    """A complex field (PAGE, NUMPAGES): begin · instrText · separate · cached text · end."""
    def char(kind: str):
        run = paragraph.add_run()
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._r.append(fld)

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instr} "
    run._r.append(text)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def page_footer(doc: DocumentType, template: str) -> None:
    """Centre 「第 {page} 页 共 {pages} 页」 in every footer, page and total as fields."""
    para = doc.sections[0].footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head, rest = template.split("{page}")
    middle, tail = rest.split("{pages}")
    for text, field in ((head, "PAGE"), (middle, "NUMPAGES"), (tail, None)):
        if text:
            para.add_run(text)
        if field:
            add_field(para, field)
    for run in para.runs:
        run.font.size = Pt(9)


def add_table(doc: DocumentType, header: list[str] | None, rows: list[list],
              widths: list[float], numeric: set[int] = frozenset()) -> Table:
    """A bordered table, widths in cm, header shaded and repeated, numbers right-aligned (a
    numeric first column — 序号 — centred).

    Without a header it is a key/value grid: the even columns (the keys) are shaded.
    """
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = Cm(width)  # LibreOffice lays columns out from the grid, Word from the cells
    if header is not None:
        _fill_row(table.add_row(), header, widths, numeric, head=True)
        _repeat_header(table.rows[0])
    for values in rows:
        _fill_row(table.add_row(), values, widths, numeric, key_columns=header is None)
    return table


def _fill_row(row, values: list, widths: list[float], numeric, head: bool = False,
              key_columns: bool = False) -> None:
    for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
        cell.width = Cm(widths[i])
        para = cell.paragraphs[0]
        para.paragraph_format.space_after = Pt(0)
        para.paragraph_format.line_spacing = 1.0
        run = para.add_run("" if value is None else str(value))
        run.font.size = Pt(SIZES["table"])
        if head:
            run.font.bold = True
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _shade(cell, HEADER_FILL)
        elif key_columns and i % 2 == 0:
            _shade(cell, HEADER_FILL)
        elif i in numeric:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.RIGHT


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def bold_last_row(table: Table) -> None:
    for cell in table.rows[-1].cells:
        for run in cell.paragraphs[0].runs:
            run.font.bold = True


def paragraph(doc: DocumentType, text: str, size: float | None = None,
              center: bool = False) -> Paragraph:
    para = doc.add_paragraph()
    run = para.add_run(text)
    if size:
        run.font.size = Pt(size)
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return para
