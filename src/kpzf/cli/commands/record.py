"""`kpzf record` and `kpzf import-progress`: append progress entries to plan.yaml, safely."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ...model.progress import STATUSES
from ...render.problems import problems_text
from ...render.terminal import literal
from ..app import PLAN_OPTION, app, choose, err, out, parse_date, source
from ..completion import complete_measure, complete_unit

if TYPE_CHECKING:
    from ...record.entry import Outcome
    from ...record.feedback import ImportResult


@app.command(
    help=f"""记录一条进度：核对无误后追加到 plan.yaml 的 progress 末尾，文件其余内容（注释、排版）原样保留。

写入前逐项核对：措施存在；单位是该措施（及该节点）的具体责任单位，不是组；节点存在；
状态是 {"、".join(STATUSES)} 之一（“延期”须用 --note 写明原因）；
日期不早于实施期开始、不晚于今天；计划文件本身有效。不通过则不写入，文件一字节不变。

单位可写简称或别名（公安、城关），记录中保存规范名称。措施只有一个节点时可省略 --milestone；
有多个节点时须写明（截止日期或序号，例如第 18 项“每年5月底、11月底前”）。

退出码：0 已写入；1 计划无效、记录不符合计划（单位不负责、节点不适用、“延期”无原因、日期超出范围）、
文件在写入前被改动或被锁定过久；2 参数有误（未知或不唯一的措施、单位、状态、节点，单位组，日期格式不对）
或文件不可写（如安装包内置副本、只读或不是普通文件）；129、143 被 SIGHUP、SIGTERM 终止，未写入。
写入之后退出码就是 0，即使标准错误已关闭。

示例：

  kpzf record 1 --unit 公安 --status 已完成 --date 2024-12-20 --note 〔2024〕12号

  kpzf record 18 --unit 城关镇 --status 推进中 --milestone 2024-05-31

  kpzf record 5 --unit 市司法局 --status 延期 --milestone 2 --note 因机构调整顺延至2025年6月

  kpzf record 3 --unit 公安 --status 延期 --until 2024-09-30 --date 2024-06-25 --note 机构调整，经市司法局批准

批准的延期（--until）：之后该单位的这个节点按新日期判断逾期、黄灯、日程和统计，原日期保留用于考核；
新日期须晚于原截止日期，且须在截止日期（或已批准的延期日期）之前登记，事后补批的加 --approved-late。
""",
)
def record(
    ctx: typer.Context,
    measure: str = typer.Argument(
        ..., metavar="MEASURE", help="措施序号，如 18", autocompletion=complete_measure
    ),
    unit: str = typer.Option(
        ...,
        "--unit",
        "-u",
        help="报告进度的具体单位（规范名称、别名或简称）",
        autocompletion=complete_unit,
    ),
    status: str = typer.Option(..., "--status", "-s", help=f"状态：{'、'.join(STATUSES)}"),
    milestone: str | None = typer.Option(
        None,
        "--milestone",
        "-m",
        help="节点：截止日期（如 2024-05-31）或序号 1、2…；只有一个节点（或只有一个节点适用于该单位）时可省略",
    ),
    date: str | None = typer.Option(
        None, "--date", "-d", help="记录日期，如 2024-12-20、2024/12/20、2024年12月20日（默认今天）"
    ),
    note: str = typer.Option("", "--note", "-n", help="说明：文件编号、证明材料；“延期”须写明原因"),
    until: str | None = typer.Option(
        None,
        "--until",
        metavar="YYYY-MM-DD",
        help="批准延期的新截止日期（只用于 --status 延期）：此后该单位的这个节点按新日期判断逾期、亮灯；"
        "原截止日期保留，用于按期完成率",
    ),
    approved_late: bool = typer.Option(
        False,
        "--approved-late",
        help="延期在原截止日期过后才登记（或新日期不晚于原日期），但已经批准",
    ),
    plan_path: list[str] | None = PLAN_OPTION,
) -> None:
    # Imported here: the writing machinery is not needed by the other commands' start-up.
    from ...record.entry import EntryRequest, record_progress

    request = EntryRequest(
        measure,
        unit,
        status,
        milestone,
        parse_date(date),
        note,
        until=None if until is None else parse_date(until, "--until"),
        approved_late=approved_late,
    )
    plan = source(ctx)
    outcome = record_progress(plan, request, parse_date(None))
    # The entry is in the file: exit 0 says so whatever becomes of stderr (closed, a broken
    # pipe, an encoding that cannot hold Chinese), so that no retrying script records it twice.
    try:
        err(_summary(plan.shown, outcome))
        sys.stderr.flush()
    except (OSError, ValueError, UnicodeError):
        pass


def _summary(shown: str, outcome: Outcome) -> str:
    entry = outcome.entry
    milestone = f" · 节点 {entry.milestone}" if entry.milestone else ""
    until = f"，延期至 {entry.until}" if entry.until else ""
    lines = [
        f"已记录：措施 {entry.measure} · {entry.unit}{milestone} · {entry.status}（{entry.date}）{until}，"
        + f"写入 {shown} 第 {outcome.line} 行"
    ]
    if outcome.warning:
        lines.append(f"注意：记录已写入，但{outcome.warning}")
    old = outcome.superseded
    if old is not None:
        lines.append(f"取代第 {outcome.superseded_line} 行的记录：{old.status}（{old.date}）")
        if old.date > entry.date:
            lines.append(
                f"注意：这条记录的日期早于被取代的记录（{old.date}）；按“后记录取代前记录”的规则，"
                "它现在是当前状态"
            )
    return "\n".join(lines)


@app.command(
    "import-progress",
    help=f"""读回各单位填好的进度反馈表（kpzf export --format feedback 导出的 xlsx，或同样表头的 csv），
每个有变化的行追加一条进度记录。

逐行核对，全部问题一次列出（文件:工作表:行）：行键无法识别、锁定的栏被改动、单位不欠办该节点、
状态不在 {"、".join(STATUSES)} 之中、已完成没有完成日期、延期没有申请的新日期或原因、
日期晚于今天或早于实施期开始。有问题的文件一条也不追加（其余文件照常追加）。
没有填写的行、与现行记录相同的行不追加：同一个文件导入两次，第二次什么也不加。
较早版本计划导出的表：行仍存在的照常导入，已不存在的行逐行说明。

延期：“申请延期至”写为记录的 until（批准的新截止日期）——运行导入的是督办单位，导入即批准；
请先用 --dry-run 查看。原截止日期过后才申请的延期须加 --approve-late（写明 approved_late: true），否则该行被拒绝。写入与 kpzf record 相同：加锁、整体替换、注释和排版原样保留。

退出码：0 全部文件已导入（或没有需要追加的行）；1 有文件因内容问题被拒绝（其余文件已追加），
或计划无效、文件在写入前被改动或被锁定过久；2 有文件无法读取（不存在、不是 xlsx/csv、
不是进度反馈表）、参数有误或计划文件不可写。

示例：

  kpzf import-progress 赤坎镇-进度反馈表.xlsx --dry-run

  kpzf import-progress 反馈表/*.xlsx

  kpzf import-progress 水口镇.csv --format json
""",
)
def import_progress(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(..., metavar="FILE", help="填好的进度反馈表（xlsx 或 csv）"),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="只列出将要追加的记录，不写入 plan.yaml"
    ),
    approve_late: bool = typer.Option(
        False,
        "--approve-late",
        help="批准原截止日期过后才申请的延期（记录写明 approved_late: true）；不加时这样的行被拒绝",
    ),
    format: str = typer.Option("text", "--format", "-f", help="输出格式：text、json"),
    plan_path: list[str] | None = PLAN_OPTION,
) -> None:
    from ...errors import EXIT_INVALID, EXIT_OK, EXIT_UNUSABLE
    from ...record.feedback import import_progress as run_import

    fmt = choose(format, ("text", "json"), "--format")
    plan = source(ctx)
    result = run_import(
        plan, [(f, str(f)) for f in files], parse_date(None), dry_run=dry_run, approve_late=approve_late
    )
    code = EXIT_OK
    if any(f.unreadable for f in result.files):
        code = EXIT_UNUSABLE
    elif any(f.problems for f in result.files):
        code = EXIT_INVALID
    # Written already (or not): the exit code says so whatever becomes of the output streams.
    try:
        if fmt == "json":
            out(_import_json(plan.shown, result))
        else:
            problems = [p.as_problem() for f in result.files for p in f.problems]
            if problems:
                err(problems_text(problems).rstrip("\n"))
            if dry_run:
                out(_dry_run_text(result))
        err(_import_summary(plan.shown, result))
        sys.stderr.flush()
    except (OSError, ValueError, UnicodeError):
        pass
    raise typer.Exit(code)


def _dry_run_text(result: ImportResult) -> str:
    """The lines that would be appended to progress, each after the row it comes from."""
    from ...record.append import flow_entry

    lines = []
    for file in result.files:
        for row in file.entries if file.accepted else []:
            where = file.shown + (f":{row.sheet}" if row.sheet else "") + f":{row.row}"
            lines.append(f"# {literal(where)}")
            lines.append(f"  - {literal(flow_entry(row.entry))}")
    return "\n".join(lines) + ("\n" if lines else "")


def _import_json(shown: str, result: ImportResult) -> str:
    import json

    from ...record.append import entry_data

    files = []
    for f in result.files:
        files.append(
            {
                "file": f.shown,
                "accepted": f.accepted,
                "added": len(f.entries) if f.accepted else 0,
                "unchanged": f.unchanged,
                "entries": [
                    {"sheet": r.sheet, "row": r.row, **entry_data(r.entry)} for r in f.entries
                ]
                if f.accepted
                else [],
                "problems": [
                    {
                        "file": p.file,
                        "sheet": p.sheet,
                        "row": p.row,
                        "code": p.code,
                        "message": p.message,
                        "hint": p.hint,
                    }
                    for p in f.problems
                ],
            }
        )
    data = {
        "plan": shown,
        "dry_run": result.dry_run,
        "written": result.written,
        "line": result.line or None,
        "files": files,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _import_summary(shown: str, result: ImportResult) -> str:
    verb = "将追加" if result.dry_run else "追加"
    lines = []
    for f in result.files:
        if f.unreadable:
            lines.append(f"{literal(f.shown)}：无法读取，未追加")
        elif f.problems:
            lines.append(f"{literal(f.shown)}：{len(f.problems)} 个问题，未追加任何记录")
        else:
            lines.append(f"{literal(f.shown)}：{verb} {len(f.entries)} 条，{f.unchanged} 行无变化")
    total = sum(len(f.entries) for f in result.files if f.accepted)
    if result.dry_run:
        lines.append(f"试运行：共将追加 {total} 条进度记录，未写入 {shown}")
    elif result.written:
        lines.append(f"共追加 {result.written} 条进度记录，写入 {shown} 第 {result.line} 行起")
        if result.warning:
            lines.append(f"注意：记录已写入，但{result.warning}")
    else:
        lines.append(f"没有需要追加的记录，{shown} 未改动")
    return "\n".join(lines)
