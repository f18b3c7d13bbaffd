"""`kpzf import`: draft a plan.yaml from a published 台账 (docx, xlsx, csv, text)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from ...errors import UsageError
from ..app import app, err, out


@app.command(
    name="import",
    help="""从发布的任务台账起草 plan.yaml：Word 表格（.docx）、Excel（.xlsx）、.csv，或从 PDF、网页复制的文本（.txt）。

读出层级与编号、措施、责任单位（含牵头/配合）、单位组、别名建议、完成时限和方案信息；拿不准的地方在草稿中写成以“待确认：”开头的注释，并在标准错误输出中列出。处理完待确认的各项后，用 kpzf validate 校验。同一份台账总是得到逐字节相同的草稿。

不覆盖已有文件（除非 --force），也从不写到台账文件本身；--dry-run 只把草稿打印到标准输出。

读取 .docx 需要 pip install 'kpzf\\[import]'，读取 .xlsx 需要 pip install 'kpzf\\[xlsx]'。

退出码：0 已起草，2 台账无法读取或输出文件已存在。

示例：

  kpzf import 任务台账.docx --output plan.yaml

  kpzf import 台账.xlsx --sheet 附件1 --dry-run

  kpzf import 方案.txt --columns 主要措施=C,责任单位=D,完成时限=E
""",
)
def import_(
    source: Path = typer.Argument(..., metavar="SOURCE", help="台账文件：.docx、.xlsx、.csv 或 .txt"),
    output: Path = typer.Option(Path("plan.yaml"), "--output", "-o", help="草稿写到哪个文件"),
    sheet: str | None = typer.Option(None, "--sheet", help="xlsx 的工作表名称（省略时自动选择）"),
    columns: str | None = typer.Option(
        None, "--columns", help="手工指定列，如 主要措施=C,责任单位=D,完成时限=E（列字母、序号或表头）"
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="只把草稿打印到标准输出，不写文件"),
    force: bool = typer.Option(False, "--force", help="覆盖已有的输出文件"),
) -> None:
    from ...importer import analyse, parse_columns  # the importer only for `kpzf import`
    from ...importer.draft import draft_plan, summary

    spec = parse_columns(columns) if columns else None
    if not dry_run:
        _check_output(source, output, force)
    analysis = analyse(source, sheet=sheet, columns=spec)
    draft = draft_plan(analysis, source.name)
    if dry_run:
        out(draft.text)
    else:
        _write(output, draft.text)
        err(f"已起草 {output}（{len(analysis.rows)} 项措施）")
    err(summary(draft))
    if not dry_run:
        err(f"处理待确认各项后运行：kpzf validate {output}")


def _check_output(source: Path, output: Path, force: bool) -> None:
    if source.exists() and output.exists() and os.path.samefile(source, output):
        raise UsageError(f"{output}: 输出文件就是台账文件本身，不能覆盖", hint="请用 --output 指定另一个文件")
    if output.exists() and not force:
        raise UsageError(f"{output}: 文件已存在，未覆盖", hint="请用 --output 指定新文件，或加 --force 覆盖")
    if output.exists() and output.is_dir():
        raise UsageError(f"{output}: 是文件夹，不能写入草稿", hint="请用 --output 指定文件名")


def _write(output: Path, text: str) -> None:
    """Written to a temporary file beside the output, then renamed: never a half-written draft."""
    tmp = output.with_name(f".{output.name}.kpzf-import.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"{output}: 无法写入（{exc.strerror or exc}）") from exc
