"""The 督办通知 as a Word document laid out like a Chinese official notice (python-docx, optional).

The habits of GB/T 9704 (党政机关公文格式), made to fit a 14-row table on one A4 page: the title
centred in bold Song 二号, the 主送 flush left, the body in 仿宋 四号 (the standard's 三号 leaves
room for six rows) with a two-character first-line indent on a fixed line pitch, captions and
table headings in 黑体, the table in 仿宋 五号 with its heading row repeated on a next page, the
落款 and date at the right; left and right margins as the standard has them (28 mm, 26 mm), top
and bottom reduced to 30 mm and 25 mm.

Fonts are named as Windows and WPS install them; every run is marked zh-CN so that a fallback
font draws Simplified Chinese glyph forms. The title's Song face is written "SimSun", the name
LibreOffice's substitution table maps to Noto Serif CJK where 宋体 is missing; 仿宋 and 黑体 have no
entry there and fall back to Noto Sans CJK (seen in the PDF LibreOffice prints on Linux).
"""

from __future__ import annotations

import io
import unicodedata
from typing import Any

from ..errors import UsageError
from .notice import NoticeTable, NoticeWords, notice_words
from .terminal import literal

# (East Asian face, its alternative where it is missing, Latin face for digits and letters)
SONG = ("SimSun", "Times New Roman")
FANGSONG = ("仿宋", "Times New Roman")
HEI = ("黑体", "Arial")

# Sizes as 公文 name them, in points.
ER_HAO, SI_HAO, WU_HAO = 22, 14, 10.5
TITLE_LINE = 32
LINE = 25  # the body's fixed line pitch
TABLE_LINE = 14
DATE_INDENT = 4  # 成文日期右空四字 (GB/T 9704); the 落款 is centred above the date
# The table's columns in mm (type area 156 mm wide): 措施, 应完成事项, 截止日期, 天数.
COLUMNS_MM = (69, 34, 35, 18)
CELL_MARGIN_MM = 1


def _docx() -> Any:
    try:
        import docx
    except ImportError:
        raise UsageError(
            "生成 Word 督办通知（--format docx）需要 python-docx，当前环境没有安装",
            hint="请运行：pip install 'kpzf[docx]'；或改用 --format md、--format txt",
        ) from None
    return docx


def require_docx() -> None:
    """Fail with the install hint before any work is done."""
    _docx()


def _font(run: Any, face: tuple[str, str], size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    east, latin = face
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = latin
    properties = run._element.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east)
    fonts.set(qn("w:hint"), "eastAsia")
    _chinese(properties)


def _chinese(properties: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    properties.append(lang)


def _paragraph(document: Any, text: str, face: tuple[str, str], size: float, *,
               align: str = "justify", indent: bool = False, bold: bool = False,
               line: float = LINE, before: float = 0, after: float = 0) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
    }[align]
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if indent:
        fmt.first_line_indent = Pt(2 * size)  # 首行缩进两个字
    _font(paragraph.add_run(literal(text)), face, size, bold)
    return paragraph


def _row_properties(row: Any, header: bool) -> None:
    """No row is split across pages; the heading row is repeated on the next page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    keep = OxmlElement("w:cantSplit")
    keep.set(qn("w:val"), "true")
    properties.append(keep)
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        properties.append(repeat)


def _no_autospace(paragraph: Any) -> None:
    """No extra space between Chinese and digits (2024年12月31日 stays one line in its column)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = paragraph._p.get_or_add_pPr()
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
        element = OxmlElement(name)
        element.set(qn("w:val"), "0")
        properties.append(element)


def _table(document: Any, table: NoticeTable) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    _paragraph(document, table.caption, HEI, SI_HAO, align="left", before=4)
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    grid.style = "Table Grid"
    _cell_margins(grid)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    centred = {2, 3}  # 截止日期, 天数
    for r, cells in enumerate((table.headers, *table.rows)):
        row = grid.rows[r]
        _row_properties(row, header=r == 0)
        for c, text in enumerate(cells):
            cell = row.cells[c]
            cell.width = Mm(COLUMNS_MM[c])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            fmt = paragraph.paragraph_format
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(TABLE_LINE)
            fmt.alignment = (
                WD_ALIGN_PARAGRAPH.CENTER if r == 0 or c in centred else WD_ALIGN_PARAGRAPH.LEFT
            )
            _no_autospace(paragraph)
            face = HEI if r == 0 else FANGSONG
            _font(paragraph.add_run(literal(text)), face, WU_HAO)
    for c, width in enumerate(COLUMNS_MM):
        grid.columns[c].width = Mm(width)


def _cell_margins(grid: Any) -> None:
    """Narrow left and right cell margins (1 mm) so a date or 146 天 stays on one line."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    twips = round(CELL_MARGIN_MM * 1440 / 25.4)
    margins = parse_xml(
        f"<w:tblCellMar {nsdecls('w')}><w:left w:w=\"{twips}\" w:type=\"dxa\"/>"
        f"<w:right w:w=\"{twips}\" w:type=\"dxa\"/></w:tblCellMar>"
    )
    properties = grid._tbl.tblPr
    look = properties.find(qn("w:tblLook"))  # the schema puts tblCellMar before tblLook
    if look is None:
        properties.append(margins)
    else:
        look.addprevious(margins)


def _page(document: Any) -> None:
    from docx.shared import Mm

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    section.left_margin, section.right_margin = Mm(28), Mm(26)


def notice_docx(notice: Any) -> bytes:
    """The notice as .docx bytes: title, 主送, body, tables, request, 落款 and date."""
    docx = _docx()
    from docx.shared import Pt

    words: NoticeWords = notice_words(notice)
    document = docx.Document()
    _page(document)
    normal = document.styles["Normal"]
    _font_style(normal, FANGSONG, SI_HAO)
    properties = document.core_properties
    properties.title = literal(words.title)
    properties.author = literal(words.signature)
    properties.comments = "kpzf notice"
    _paragraph(
        document, words.title, SONG, ER_HAO, align="center", bold=True, line=TITLE_LINE, after=16
    )
    _paragraph(document, words.addressee, FANGSONG, SI_HAO, align="left")
    for text in words.opening:
        _paragraph(document, text, FANGSONG, SI_HAO, indent=True)
    for table in words.tables:
        _table(document, table)
    for i, text in enumerate(words.closing):
        closing = _paragraph(
            document, text, FANGSONG, SI_HAO, indent=True, before=8 if i == 0 else 0
        )
        # The 落款 never stands alone on a page: the last lines of the body go with it.
        closing.paragraph_format.keep_with_next = True
    date_indent = DATE_INDENT * SI_HAO
    shift = (_ems(words.date) - _ems(words.signature)) * SI_HAO / 2
    signature = _paragraph(document, words.signature, FANGSONG, SI_HAO, align="right", before=LINE // 2)
    signature.paragraph_format.right_indent = Pt(max(0.0, date_indent + shift))
    signature.paragraph_format.keep_with_next = True
    date = _paragraph(document, words.date, FANGSONG, SI_HAO, align="right")
    date.paragraph_format.right_indent = Pt(date_indent)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _ems(text: str) -> float:
    """Width in ems: wide characters 1, digits and letters about half (Times New Roman)."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def _font_style(style: Any, face: tuple[str, str], size: float) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    east, latin = face
    style.font.name = latin
    style.font.size = Pt(size)
    properties = style.element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), east)
    _chinese(properties)
