"""`kpzf record` adds exactly one entry and leaves every other byte of plan.yaml as it was."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import PLAN, Run
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kpzf.io.read import parse_text
from kpzf.model.models import ProgressEntry
from kpzf.model.plan import load_plan
from kpzf.record.append import append_entry, entry_data, quote

TODAY = "2025-01-15"
BASE = PLAN.read_text(encoding="utf-8")
assert BASE.endswith("\nprogress: []\n")
HEAD = BASE[: -len("progress: []\n")]  # everything before the progress key

ARGS = ("record", "19", "-u", "司法局", "-s", "已完成", "-d", "2024-12-20", "-n", "开司〔2024〕1号")
# Measure 19 (2024年12月底前, 市司法局 only) has one milestone, so it is written out.
E = (
    '{measure: 19, unit: "市司法局", milestone: "2024-12-31", status: "已完成", '
    'date: "2024-12-20", note: "开司〔2024〕1号"}'
)
BLOCK_E = [
    "measure: 19",
    'unit: "市司法局"',
    'milestone: "2024-12-31"',
    'status: "已完成"',
    'date: "2024-12-20"',
    'note: "开司〔2024〕1号"',
]
# An entry already in the file, as a person would type it (unquoted, alias).
A = '{measure: 1, unit: 公安, milestone: "2024-12-31", status: 推进中, date: "2024-06-01"}'
BOM = b"\xef\xbb\xbf"


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


LAYOUTS: dict[str, tuple[bytes, bytes]] = {
    "empty flow list": (
        BASE.encode(),
        (HEAD + f"progress:\n  - {E}\n").encode(),
    ),
    "CRLF": (
        crlf(BASE).encode(),
        crlf(HEAD + f"progress:\n  - {E}\n").encode(),
    ),
    "BOM": (
        BOM + BASE.encode(),
        BOM + (HEAD + f"progress:\n  - {E}\n").encode(),
    ),
    "BOM and CRLF": (
        BOM + crlf(BASE).encode(),
        BOM + crlf(HEAD + f"progress:\n  - {E}\n").encode(),
    ),
    "no newline at end": (
        BASE.rstrip("\n").encode(),
        (HEAD + f"progress:\n  - {E}\n").encode(),
    ),
    "comment after []": (
        (HEAD + "progress: []   # 尚无记录\n").encode(),
        (HEAD + f"progress:   # 尚无记录\n  - {E}\n").encode(),
    ),
    "no progress key": (
        HEAD.encode(),
        (HEAD + f"progress:\n  - {E}\n").encode(),
    ),
    "no progress key, CRLF, no newline at end": (
        crlf(HEAD.rstrip("\n")).encode(),
        crlf(HEAD.rstrip("\n") + f"\nprogress:\n  - {E}\n").encode(),
    ),
    "block list with comments": (
        (HEAD + f"progress:\n  # 手工录入\n  - {A}   # 见会议纪要\n\n  # 列表结束\n").encode(),
        (
            HEAD + f"progress:\n  # 手工录入\n  - {A}   # 见会议纪要\n  - {E}\n\n  # 列表结束\n"
        ).encode(),
    ),
    "indentless list, CRLF": (
        crlf(HEAD + f"progress:\n- {A}\n").encode(),
        crlf(HEAD + f"progress:\n- {A}\n- {E}\n").encode(),
    ),
    "wide dash gap": (
        (HEAD + f"progress:\n    -   {A}\n").encode(),
        (HEAD + f"progress:\n    -   {A}\n    -   {E}\n").encode(),
    ),
    "block mapping items with a block scalar": (
        (
            HEAD + "progress:\n  - measure: 1\n    unit: 市公安局\n    milestone: '2024-12-31'\n"
            '    status: 推进中\n    date: "2024-06-01"\n    note: |\n      第一行\n      第二行\n'
        ).encode(),
        (
            HEAD + "progress:\n  - measure: 1\n    unit: 市公安局\n    milestone: '2024-12-31'\n"
            '    status: 推进中\n    date: "2024-06-01"\n    note: |\n      第一行\n      第二行\n'
            + "  - "
            + "\n    ".join(BLOCK_E)
            + "\n"
        ).encode(),
    ),
    "progress not the last key": (
        HEAD.replace("version: 2\n", f"version: 2\nprogress:\n  - {A}\n# 进度在此\n", 1).encode(),
        HEAD.replace(
            "version: 2\n", f"version: 2\nprogress:\n  - {A}\n  - {E}\n# 进度在此\n", 1
        ).encode(),
    ),
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_entry_is_the_only_change(run: Run, plan_copy: Path, layout: str) -> None:
    before, expected = LAYOUTS[layout]
    plan_copy.write_bytes(before)
    r = run(*ARGS, cwd=plan_copy.parent, today=TODAY)
    assert r.code == 0, r.err
    assert plan_copy.read_bytes() == expected
    # The line the summary names is where the entry starts.
    text = expected.decode("utf-8-sig")
    line = int(r.err.split("第 ")[1].split(" 行")[0])
    assert text.splitlines()[line - 1].lstrip(" -").startswith(("{measure: 19", "measure: 19"))
    assert load_plan(plan_copy).model.progress[-1].measure == 19


REFUSED_LAYOUTS = {
    "non-empty flow list": HEAD + f"progress: [{A}]\n",
    "empty flow list over two lines": HEAD + "progress: [\n  ]\n",
}


@pytest.mark.parametrize("layout", list(REFUSED_LAYOUTS))
def test_layout_that_cannot_be_appended_safely_is_refused(
    run: Run, plan_copy: Path, layout: str
) -> None:
    plan_copy.write_text(REFUSED_LAYOUTS[layout], encoding="utf-8")
    before = plan_copy.read_bytes()
    r = run(*ARGS, cwd=plan_copy.parent, today=TODAY)
    assert r.code == 1, r.err
    assert "progress" in r.err
    assert f"  - {E}" in r.err  # the line to add by hand
    assert plan_copy.read_bytes() == before


TRICKY_NOTES = [
    "yes",
    "no",
    "on",
    "~",
    "null",
    "2024-1-5",
    "010",
    "1e3",
    "0x1F",
    ".inf",
    "a: b # c",
    "# 不是注释",
    '"引号" 与 \\ 反斜杠',
    "{[,]}",
    "&锚 *别名 !标签 |",
    "- 列表",
    "第一行\n第二行",
    "制表\t符",
    "行\u2028分隔",
    "下一行\x85符",
    "\u00a0前后空格\u3000",
    "😀〔2024〕",
]


@pytest.mark.slow
def test_tricky_notes_read_back_exactly(run: Run, plan_copy: Path) -> None:
    for note in TRICKY_NOTES:
        args = ("record", "19", "-u", "市司法局", "-s", "推进中", "-d", "2024-06-01", "-n", note)
        r = run(*args, cwd=plan_copy.parent, today=TODAY)
        assert r.code == 0, (note, r.err)
    # The command strips surrounding whitespace from the note (the \u3000 and \u00a0 too).
    assert [e.note for e in load_plan(plan_copy).model.progress] == [
        n.strip() for n in TRICKY_NOTES
    ]
    # Every value kpzf wrote is double-quoted: nothing is left to YAML's implicit typing.
    tail = plan_copy.read_text(encoding="utf-8").split("progress:\n", 1)[1]
    assert tail.count('note: "') == len(TRICKY_NOTES)


def test_note_with_characters_from_a_broken_terminal_is_a_bad_argument(
    run: Run, plan_copy: Path
) -> None:
    before = plan_copy.read_bytes()
    args = ("record", "19", "-u", "市司法局", "-s", "推进中", "-n", "坏\udcff字节")
    r = run(*args, cwd=plan_copy.parent, today=TODAY)
    assert r.code == 2
    assert "无法识别的字符" in r.err
    assert plan_copy.read_bytes() == before


@settings(max_examples=300, deadline=None)
@given(note=st.text(), unit=st.text(min_size=1))
@example(note="\ufeff\ufffe\x7f\x9f", unit="x")
def test_any_text_is_quoted_so_yaml_reads_it_back_unchanged(note: str, unit: str) -> None:
    entry = ProgressEntry(
        measure=3,
        unit=unit,
        milestone=dt.date(2024, 6, 30),
        status="已完成",
        date=dt.date(2024, 6, 1),
        note=note,
    )
    document = parse_text("version: 1\nprogress: []\n", "t.yaml")
    splice = append_entry(document, entry)
    assert parse_text(splice.text, "t.yaml").data["progress"] == [entry_data(entry)]


@given(st.text())
def test_quote_is_one_line(value: str) -> None:
    quoted = quote(value)
    assert quoted.startswith('"') and quoted.endswith('"')
    assert not any(c in quoted for c in "\r\n\x85\u2028\u2029")


def test_an_extension_is_written_with_its_new_date_and_reads_back_as_the_same_entry() -> None:
    entry = ProgressEntry(
        measure=30,
        unit="赤坎镇",
        milestone=dt.date(2024, 6, 30),
        status="延期",
        date=dt.date(2024, 6, 25),
        note="因机构调整",
        until=dt.date(2024, 9, 30),
        approved_late=True,
    )
    document = parse_text("version: 1\nprogress: []\n", "t.yaml")
    text = append_entry(document, entry).text
    assert text.endswith(
        '  - {measure: 30, unit: "赤坎镇", milestone: "2024-06-30", status: "延期", '
        'date: "2024-06-25", note: "因机构调整", until: "2024-09-30", approved_late: true}\n'
    )
    data = parse_text(text, "t.yaml").data["progress"][0]
    assert ProgressEntry.model_validate(data) == entry


# Several entries at once (import-progress): the same splice, every entry in the style of the
# list, in order, and nothing else changed. Expected texts written from the LAYOUTS above: the
# one-entry answer with a second line (or block) after the first.
F = (
    '{measure: 3, unit: "赤坎镇", milestone: "2024-06-30", status: "已完成", '
    'date: "2024-06-20", note: "赤府〔2024〕12号"}'
)
BLOCK_F = [
    "measure: 3",
    'unit: "赤坎镇"',
    'milestone: "2024-06-30"',
    'status: "已完成"',
    'date: "2024-06-20"',
    'note: "赤府〔2024〕12号"',
]
TWO = [
    ProgressEntry.model_validate(
        {"measure": 19, "unit": "市司法局", "milestone": "2024-12-31", "status": "已完成",
         "date": "2024-12-20", "note": "开司〔2024〕1号"}
    ),
    ProgressEntry.model_validate(
        {"measure": 3, "unit": "赤坎镇", "milestone": "2024-06-30", "status": "已完成",
         "date": "2024-06-20", "note": "赤府〔2024〕12号"}
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    "layout",
    ["empty flow list", "comment after []", "no progress key", "block list with comments",
     "indentless list, CRLF", "progress not the last key", "block mapping items with a block scalar"],
)  # fmt: skip
def test_several_entries_are_spliced_in_one_edit(layout: str) -> None:
    from kpzf.record.append import append_entries

    before, one = LAYOUTS[layout]
    text = one.decode("utf-8")
    if layout == "block mapping items with a block scalar":
        expected = text + "  - " + "\n    ".join(BLOCK_F) + "\n"
    else:
        newline = "\r\n" if "CRLF" in layout else "\n"
        dash = "- " if "indentless" in layout else "  - "
        first = f"{dash}{E}{newline}"
        expected = text.replace(first, first + f"{dash}{F}{newline}", 1)
    splice = append_entries(parse_text(before.decode("utf-8"), "t.yaml"), TWO)
    assert splice.text == expected
    lines = splice.text.splitlines()
    assert lines[splice.line - 1].lstrip(" -").startswith(("{measure: 19", "measure: 19"))


def test_the_splice_is_generic_over_the_section() -> None:
    """The notices log (issue 15notice) is appended by the same code: created when absent, a list
    of ids written as a flow list, and appended after its last item the next time."""
    from kpzf.record.append import append_items

    notice = {"unit": "赤坎镇", "date": "2024-07-10", "measures": [3, 9], "note": "催办"}
    document = parse_text("version: 1\nprogress: []\n", "t.yaml")
    text = append_items(document, "notices", [notice]).text
    assert text == (
        'version: 1\nprogress: []\nnotices:\n  - {unit: "赤坎镇", date: "2024-07-10", '
        'measures: [3, 9], note: "催办"}\n'
    )
    again = append_items(parse_text(text, "t.yaml"), "notices", [notice, notice]).text
    assert parse_text(again, "t.yaml").data["notices"] == [notice] * 3
    assert again.startswith(text)
