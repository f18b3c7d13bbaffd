"""`kpzf notice`: the 督办通知 to a late unit (md, txt, docx), and the 催办 log (--log)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ...errors import KpzfError, NothingToExport, UsageError
from ...io.output import check_target, write_file, write_stdout
from ..app import PLAN_OPTION, app, err, open_plan, parse_date, source, summary
from ..completion import complete_unit
from .queries import WARN_HELP

if TYPE_CHECKING:
    from ...core.notice import Notice
    from ...model.plan import LoadedPlan
    from ...record.notices import Logged

# Characters Windows refuses in a file name (the notices are sent to units working in WPS/Word).
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


@app.command(
    help="""督办通知（催办单）：截至 --date，某单位逾期未完成的节点（红）和即将到期的节点（黄），
要求在规定日期前书面回复；落款为督办单位。

红：截止日期（已批准延期的，为新日期）已过、该单位（牵头或责任单位，不含配合单位）仍未完成；
黄：--warn-days 天内（默认 supervision.warn_days，未写时 15 天，含当天）到期、尚未完成，或报了“延期”
而没有批准的新日期。回复期限为通知日期后 supervision.reply_days 天（默认 7 天）。
落款取 supervision.coordinator，没有写时取发文机关 meta.issuer（标准错误上会提示）。

格式：md（默认）、txt（发消息、邮件用）、docx（Word 公文样式，A4，须用 --output，需安装可选依赖：
pip install 'kpzf\\[docx]'）。不写 --format 时按 --output 的扩展名（.md、.txt、.docx）。

--all --output 文件夹：为每个有红、黄事项的具体单位各写一份（督办通知_单位_日期.扩展名），
没有红、黄事项的单位不写，在标准错误上列出；督办单位本身（如市司法局）也不写。单个单位没有红、黄事项时不写文件，退出码 1。

--log：把发出的每份通知作为一条催办记录追加到 plan.yaml 的 notices（单位、日期、所列措施），
安全保证与 kpzf record 相同；同一单位、同一天、同样措施的通知已记录过时不再重复记录。
kpzf show N 列出每个单位因该措施被催办的日期。

示例：

  kpzf notice --unit 赤坎 --date 2024-07-01

  kpzf notice --unit 赤坎镇 --date 2024-07-01 --output 赤坎镇督办通知.docx --log

  kpzf notice --all --date 2024-07-01 --format docx --output 督办通知/
""",
)
def notice(
    ctx: typer.Context,
    unit: str | None = typer.Option(
        None,
        "--unit",
        "-u",
        metavar="NAME",
        help="主送单位：一个具体单位（名称、别名或简称，如 赤坎、公安）",
        autocompletion=complete_unit,
    ),
    all_units: bool = typer.Option(
        False, "--all", help="为每个有逾期或即将到期事项的单位各写一份，须用 --output 指定文件夹"
    ),
    date: str | None = typer.Option(
        None, "--date", metavar="YYYY-MM-DD", help="通知日期，也是判断逾期的日期（默认今天）"
    ),
    format: str | None = typer.Option(
        None, "--format", "-f", help="md、txt、docx（默认按 --output 的扩展名，否则 md）"
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE|DIR",
        help="写入此文件（--all 时为已有的文件夹）；不写时输出到标准输出（docx 必须写）",
    ),
    warn_days: int | None = typer.Option(None, "--warn-days", metavar="N", help=WARN_HELP),
    log: bool = typer.Option(
        False, "--log", help="把发出的通知记入 plan.yaml 的 notices（催办记录）"
    ),
    note: str = typer.Option("", "--note", "-n", help="催办记录的说明，如通知文号、发送方式（用于 --log）"),
    plan_path: list[str] | None = PLAN_OPTION,
) -> None:
    from ...core.notice import FROM_ISSUER, notices
    from ...core.notice import notice as notice_for
    from ...render.notice import NOTICE_FORMATS

    if (unit is None) == (not all_units):
        raise UsageError(
            "请用 --unit 指定一个单位，或用 --all 为每个单位各写一份（二者选一）",
            hint="例如：kpzf notice --unit 赤坎镇 --date 2024-07-01",
        )
    from ...core.lights import check_warn_days

    check_warn_days(warn_days)  # before the plan is read, as the query commands do
    if note and not log:
        raise UsageError("--note 是催办记录的说明，只与 --log 一起用", hint="加上 --log，或去掉 --note")
    chosen = _format(format, output, all_units)
    kind = NOTICE_FORMATS[chosen]
    if kind.prepare is not None:
        kind.prepare()
    on, now = parse_date(date), parse_date(None)
    if log:
        _check_log(ctx, on, now)
    plan = open_plan(ctx)
    if all_units:
        assert output is not None  # _format insists
        run = notices(plan, on, warn_days)
        sent, quiet = run.sent, run.quiet
        if not sent:
            raise NothingToExport(
                f"截至 {on}，没有单位有逾期或即将到期的事项，未写任何通知"
            )
        paths = [output / _file_name(n, chosen) for n in sent]
        for path in paths:
            check_target(path, plan.source.path if plan.source else Path(plan.path))
        for one, path in zip(sent, paths, strict=True):
            _deliver(plan, one, chosen, path)
        line = f"已写入 {len(sent)} 份督办通知到 {output}（截至 {on}）"
        if quiet:
            line += f"；{len(quiet)} 个单位没有逾期或即将到期的事项，未写：{'、'.join(quiet)}"
        if run.coordinator:
            line += f"；督办单位本身（{run.coordinator}）不写（需要时用 --unit {run.coordinator}）"
    else:
        assert unit is not None
        one = notice_for(plan, unit, on, warn_days)
        if not one.items:
            raise NothingToExport(
                f"{one.unit}截至 {on} 没有逾期或 {one.warn_days} 天内到期的事项，不需要督办通知（未写文件）"
            )
        if output is not None:
            check_target(output, plan.source.path if plan.source else Path(plan.path))
        _deliver(plan, one, chosen, output)
        sent = (one,)
        red, yellow = one.count("red"), len(one.yellow)
        where = f"已写入 {output}" if output is not None else f"已输出 {chosen}"
        line = (
            f"{where}：致{one.unit}的督办通知（截至 {on}：逾期 {red[0]} 项措施、{red[1]} 个节点，"
            f"{one.warn_days} 天内到期 {yellow} 个节点；回复期限 {one.reply_by}）"
        )
    summary(ctx, plan, line, on, date is not None)
    first, shown = sent[0], plan.source.shown if plan.source else plan.path
    if first.coordinator_from == FROM_ISSUER:
        err(
            f"注意：{shown} 没有写督办单位（supervision.coordinator），落款用发文机关 meta.issuer：{first.coordinator}"
        )
    if not first.contact:
        err(f"注意：{shown} 没有写联系人（supervision.contact），通知中没有联系人及电话")
    if log:
        _log(ctx, plan, sent, note, now)


def _format(format: str | None, output: Path | None, all_units: bool) -> str:
    from ...render.notice import NOTICE_FORMATS, SUFFIXES

    if all_units and output is None:
        raise UsageError(
            "--all 须用 --output 指定存放通知的文件夹", hint="例如：--all --output 督办通知/"
        )
    if format is None:
        suffix = "" if output is None or all_units else output.suffix.lower()
        chosen = SUFFIXES.get(suffix, "md")
    elif format not in NOTICE_FORMATS:
        raise UsageError(f"--format 的值“{format}”无效", hint=f"可选：{'、'.join(NOTICE_FORMATS)}")
    else:
        chosen = format
    if NOTICE_FORMATS[chosen].binary and output is None:
        raise UsageError(
            f"{chosen} 是二进制文件，不能输出到终端或标准输出",
            hint=f"请用 --output 指定文件，例如 --output 督办通知.{chosen}",
        )
    if all_units and output is not None and not output.is_dir():
        raise UsageError(
            f"--all 的 --output 应为已有的文件夹，“{output}”不是",
            hint="kpzf 不会自动创建文件夹；请先创建它（mkdir），或换一个已有的文件夹",
        )
    return chosen


def _check_log(ctx: typer.Context, on: dt.date, now: dt.date) -> None:
    """Refuse --log before anything is written: a future notice, or a plan kpzf cannot write."""
    from ...record.entry import writable_target
    from ...record.notices import COMMAND

    if on > now:
        raise UsageError(
            f"--log 只记录已经发出的通知：--date {on} 晚于今天（{now}）",
            hint="去掉 --log 可以先生成通知；发出当天再加 --log 记录",
        )
    writable_target(source(ctx), COMMAND)


def _file_name(one: Notice, chosen: str) -> str:
    return f"督办通知_{_UNSAFE_NAME.sub('_', one.unit)}_{one.on.isoformat()}.{chosen}"


def _deliver(plan: LoadedPlan, one: Notice, chosen: str, output: Path | None) -> None:
    from ...render.notice import NOTICE_FORMATS

    data = NOTICE_FORMATS[chosen].render(one)
    encoded = data if isinstance(data, bytes) else data.encode("utf-8")
    if output is None:
        write_stdout(encoded)
        return
    warning = write_file(output, encoded)
    if warning:
        err(f"注意：{output} 已写入，但{warning}")


def _log(ctx: typer.Context, plan: LoadedPlan, sent: tuple[Notice, ...], note: str, now: dt.date) -> None:
    from ...record.notices import log_notices, notice_entry

    entries = [notice_entry(plan, one, note) for one in sent]
    try:
        logged = log_notices(source(ctx), entries, now)
    except KpzfError:
        err("注意：督办通知已经写出，但催办记录没有写入 plan.yaml（原因见下）")
        raise
    # Written: exit 0 from here on, whatever becomes of stderr (as kpzf record).
    try:
        err(_log_summary(plan, logged))
    except (OSError, ValueError, UnicodeError):
        pass


def _log_summary(plan: LoadedPlan, logged: Logged) -> str:
    shown = plan.source.shown if plan.source else plan.path
    lines = []
    for entry, line in logged.written:
        lines.append(
            f"已记录催办：{entry.unit} · {entry.date} · 措施 {'、'.join(str(m) for m in entry.measures)}，"
            f"写入 {shown} 第 {line} 行"
        )
    for entry, line in logged.already:
        lines.append(f"{entry.unit} {entry.date} 的这份通知已记录在 {shown} 第 {line} 行，未重复记录")
    if logged.warning:
        lines.append(f"注意：催办记录已写入，但{logged.warning}")
    return "\n".join(lines)
