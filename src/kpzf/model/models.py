"""The schema of plan.yaml as pydantic v2 models (unknown fields forbidden, Chinese descriptions)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    TypeAdapter,
    WithJsonSchema,
)
from pydantic.dataclasses import dataclass as pydantic_dataclass
from pydantic.json_schema import SkipJsonSchema

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOOSE_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


_TYPED_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")


def typed_date(text: str) -> dt.date | None:
    """A date as people type it on the command line: 2024-07-01, 2024-7-1, 2024/7/1, 2024.7.1,
    2024年7月1日 (full-width digits too); None if it is not one of these or does not exist.

    plan.yaml itself keeps the strict "YYYY-MM-DD" (IsoDate below), so files stay uniform.
    """
    import unicodedata

    match = _TYPED_DATE.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _iso_date(value: object) -> object:
    """Accept a YAML date or a 'YYYY-MM-DD' string; nothing else (no timestamps, no integers)."""
    if isinstance(value, dt.datetime):
        raise ValueError("应为日期（YYYY-MM-DD），不要带时间")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return _date_from_text(value)
    raise ValueError("应为日期，格式 YYYY-MM-DD，例如 \"2024-06-30\"")


@functools.lru_cache(maxsize=4096)
def _date_from_text(value: str) -> dt.date:
    """One parse per distinct date string: a progress log repeats the same few hundred dates."""
    if not _ISO_DATE.fullmatch(value):
        loose = _LOOSE_DATE.fullmatch(value.strip())
        if loose:  # 2024-1-5, 2024/1/5, 2024.1.5: say exactly what to write instead
            year, month, day = loose.groups()
            suggestion = f"{year}-{int(month):02d}-{int(day):02d}"
            raise ValueError(f"日期“{value}”的格式应为 YYYY-MM-DD，即 \"{suggestion}\"")
        raise ValueError(f"日期“{value}”的格式应为 YYYY-MM-DD，例如 2024-06-30")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"日期“{value}”不存在，请检查年、月、日") from None


# In plan.yaml dates are quoted strings; the pattern lets editors flag "2024/6/30" even where
# the validator ignores "format".
IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
Text = Annotated[str, Field(min_length=1)]
Number = Annotated[StrictInt, Field(ge=1)]


def _id_text(value: object) -> object:
    """A measure id is text; a plain integer (Kaiping's `17`) is the same id as "17"."""
    if isinstance(value, bool):
        raise ValueError("措施编号应为文字或正整数，如 \"17\" 或 \"1.2.3\"")
    if isinstance(value, int):
        if value < 1:
            raise ValueError("措施编号应为正整数或文字，如 17 或 \"1.2.3\"")
        return str(value)
    return value


MeasureId = Annotated[
    str,
    BeforeValidator(_id_text),
    Field(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]*$"),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1},
                {"type": "string", "pattern": r"^[0-9A-Za-z][0-9A-Za-z._-]*$", "maxLength": 40},
            ]
        }
    ),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class ParentDocument(_Model):
    """上级文件。"""

    model_config = ConfigDict(title="上级文件")

    title: Text = Field(description="文件标题")
    doc_number: Text = Field(description="文号，如 国办发〔2023〕27号")
    issuer: Text = Field(description="发文机关")
    issued: IsoDate = Field(description="成文日期 YYYY-MM-DD")


class Period(_Model):
    """方案实施期：期限与进度日期都应落在其中。"""

    model_config = ConfigDict(title="实施期")

    start: IsoDate = Field(description="开始日期 YYYY-MM-DD")
    end: IsoDate = Field(description="结束日期 YYYY-MM-DD")


class Meta(_Model):
    """方案的基本信息：只有标题必填（网页上发布的台账常常没有文号、发文机关和印发日期）。"""

    model_config = ConfigDict(title="方案信息")

    title: Text = Field(description="方案标题")
    key: Annotated[str, Field(pattern=r"^[0-9a-z][0-9a-z-]{0,39}$")] | None = Field(
        default=None,
        description="方案的简短代号（小写字母、数字、连字符），如 kaiping-2024；日历 UID 用它，"
        "省略时取文件名",
    )
    place: Text | None = Field(
        default=None,
        description="方案所属地方的全称，如 开平市、方城县；省略时从发文机关推断（开平市人民政府办公室 → 开平市）",
    )
    doc_number: Text | None = Field(default=None, description="文号，如 国办发〔2023〕27号；没有可省略")
    issuer: Text | None = Field(default=None, description="发文机关；没有可省略")
    issued: IsoDate | None = Field(default=None, description="印发（成文）日期 YYYY-MM-DD")
    published: IsoDate | None = Field(
        default=None, description="公开发布日期 YYYY-MM-DD（如政府网站的发布时间）"
    )
    effective: IsoDate | None = Field(
        default=None,
        description="生效起点 YYYY-MM-DD：周期性期限从此日起展开，“立即执行”于此日到期；"
        "省略时取 issued、published 中较早者，都没有时取实施期开始",
    )
    period: Period | None = Field(
        default=None, description="实施期；省略时为生效起点所在年份的1月1日至12月31日"
    )
    ledger_title: Text | None = Field(
        default=None, description="台账标题（导出表格的标题）；省略时为“方案标题＋任务台账”"
    )
    parents: list[ParentDocument] = Field(default_factory=list, description="上级文件")


class Unit(_Model):
    """一个责任单位。"""

    model_config = ConfigDict(title="单位")

    name: Text = Field(description="规范名称，如 市公安局")
    aliases: list[Text] = Field(default_factory=list, description="别名与简称，如 公安")
    code: Text | None = Field(
        default=None, description="统计用区划代码（镇、街），须加引号，如 \"440783109\""
    )
    note: str | None = Field(default=None, description="备注")


class Group(_Model):
    """一组单位，如 各镇（街）；成员可以是单位，也可以是另一个组。"""

    model_config = ConfigDict(title="单位组")

    name: Text = Field(description="规范名称，如 各镇（街）")
    aliases: list[Text] = Field(default_factory=list, description="别名，如 市行政执法部门")
    members: list[Text] = Field(description="成员：单位或组的规范名称（也可以是另一个组）")
    exclude: list[Text] = Field(default_factory=list, description="从成员中排除的单位或组")
    note: str | None = Field(default=None, description="备注")


class MilestoneSpec(_Model):
    """明确写出的节点，优先于对“完成时限”文字的解析。"""

    model_config = ConfigDict(title="节点")

    due: IsoDate | None = Field(description="截止日期 YYYY-MM-DD；无固定日期写 null")
    what: Text = Field(default="完成", description="到期应完成的内容")
    units: list[Text] | None = Field(
        default=None, description="只适用于这些单位；省略表示适用于全部责任单位"
    )


class TextDeadline(_Model):
    """措施原文中写明、而“完成时限”栏没有写出的时限（如“于每年11月底前报送培训情况”）。"""

    model_config = ConfigDict(title="原文时限")

    phrase: Text = Field(
        description="照录措施原文中的时限，如 每年11月底前报送培训情况；须能在 text 中找到，"
        "读法同完成时限"
    )
    units: list[Text] | None = Field(
        default=None,
        description="承担这一时限的单位（本措施的责任单位或其所在组）；省略表示全部责任单位",
    )
    note: str | None = Field(default=None, description="备注，如依据哪句原文")


# Thousands of instances at province scale: slotted like ProgressEntry below.
@pydantic_dataclass(
    frozen=True,
    slots=True,
    kw_only=True,
    config=ConfigDict(extra="forbid", strict=False, title="主要措施"),
)
class Measure:
    """一项主要措施（台账的一行），或组织实施中的一项要求。"""

    number: Number | None = Field(
        default=None,
        description="序号：全方案连续编号 1、2、3…，组织实施的事项接在措施之后（version 1 必填；"
        "version 2 可改写 id 与 label）",
    )
    id: MeasureId | None = Field(
        default=None,
        description="稳定编号，进度记录以它指称本措施，写定后不再改：方案有全局序号时即该序号（如 \"17\"），"
        "否则为各级序号连成的路径（如 \"1.2.3\"）；省略时按此规则推出",
    )
    label: Text | None = Field(
        default=None, description="原文的编号，照录，如 （1）、1.、①、1.1；导出时原样印出"
    )
    text: Text = Field(description="措施原文，照录附件任务台账")
    units: Text = Field(description="责任单位原文，照录台账，如 市司法局，各镇（街）、市直行政执法部门")
    unit_refs: list[Text] = Field(
        min_length=1, description="责任单位逐项拆开：单位或组的名称或别名，顺序同 units"
    )
    lead: list[Text] | None = Field(
        default=None,
        description="牵头单位：单位或组的名称或别名；写出 lead/assist/responsible 任一项时按这三项定角色，"
        "都省略时从 units 原文读出（“X牵头”“牵头单位：X；配合单位：Y”），读不出的为责任单位",
    )
    assist: list[Text] | None = Field(
        default=None,
        description="配合单位：协助牵头单位，不计为逾期的欠办单位（除非方案写明 assist_owes: true）",
    )
    responsible: list[Text] | None = Field(
        default=None, description="责任单位：各自承担本辖区、本领域的一份，与牵头单位一样计为欠办单位"
    )
    deadline: Text | None = Field(
        default=None,
        description="完成时限原文，如 2024年12月底前形成阶段性成果，持续推进；方案没有完成时限栏时省略"
        "（无具体时限，除非 deadlines.default 给出默认时限）",
    )
    milestones: list[MilestoneSpec] | None = Field(
        default=None, description="明确的节点；写出时代替对完成时限的解析"
    )
    ongoing: bool | None = Field(
        default=None, description="节点之后是否持续推进；省略时由完成时限推断"
    )
    text_deadlines: list[TextDeadline] = Field(
        default_factory=list,
        description="措施原文中写明、完成时限栏没有的时限：与完成时限的节点一起跟踪，标明来自措施原文",
    )
    note: str | None = Field(default=None, description="备注")


class Task(_Model):
    """一项具体任务。"""

    model_config = ConfigDict(title="具体任务")

    number: Number = Field(description="序号 1..N，全方案连续编号")
    title: Text = Field(description="任务名称")
    measures: list[Measure] = Field(description="主要措施")


class Area(_Model):
    """一项重点任务。"""

    model_config = ConfigDict(title="重点任务")

    number: Number = Field(description="序号 1..N")
    title: Text = Field(description="重点任务名称")
    tasks: list[Task] = Field(description="具体任务")


Numbering = Literal["global", "per-parent", "none"]


class Level(_Model):
    """方案的一级：名称即台账的列名。"""

    model_config = ConfigDict(title="层级")

    name: Text = Field(description="本级的名称，照录台账表头，如 重点任务、具体任务、主要措施、部分、事项")
    numbering: Numbering = Field(
        default="global",
        description="编号方式：global 全方案连续编号；per-parent 在每个上级之下从1重新编号；"
        "none 不检查编号",
    )


class Columns(_Model):
    """台账中措施自身各栏的表头（层级名之后的几栏）。"""

    model_config = ConfigDict(title="台账栏目")

    units: Text = Field(default="责任单位", description="责任单位栏的表头")
    deadline: Text | None = Field(
        default="完成时限", description="完成时限栏的表头；方案没有这一栏时写 null"
    )
    progress: Text = Field(default="进度情况", description="进度栏的表头")


class Structure(_Model):
    """方案的层级结构与台账表头（version 2）。"""

    model_config = ConfigDict(title="结构")

    levels: list[Level] = Field(
        min_length=1,
        max_length=4,
        description="由外到内的各级（1至4级），最后一级是跟踪的措施，如 [重点任务, 具体任务, 主要措施]",
    )
    columns: Columns = Field(default_factory=Columns, description="措施各栏的表头")


class Section(_Model):
    """措施之上的一级条目（如一项重点任务、一项具体任务、一个部分）。"""

    model_config = ConfigDict(title="条目")

    label: Text | None = Field(default=None, description="原文的编号，照录，如 一、（一）、1.")
    title: Text = Field(description="条目名称")
    items: list[Section] = Field(default_factory=list, description="下一级条目")
    measures: list[Measure] = Field(default_factory=list, description="本条目下的措施（最后一级）")


Meaning = Literal["ongoing", "undated", "start", "end"]


class DeadlineWords(_Model):
    """方案自己的期限用语及其含义（优先于内置用语）。"""

    model_config = ConfigDict(title="期限用语")

    ongoing: list[Text] = Field(default_factory=list, description="持续推进、无到期日，如 长期、常态化推进")
    undated: list[Text] = Field(default_factory=list, description="要做但无具体日期，如 按上级要求、及时")
    start: list[Text] = Field(default_factory=list, description="生效起点即到期，如 立即执行、立行立改")
    end: list[Text] = Field(default_factory=list, description="实施期末到期，如 三年内完成")


class Deadlines(_Model):
    """方案对完成时限的读法。"""

    model_config = ConfigDict(title="完成时限读法")

    words: DeadlineWords = Field(default_factory=DeadlineWords, description="方案自己的期限用语")
    yearless: Literal["every-year", "plan-year"] | None = Field(
        default=None,
        description="不写年份的日期（如“5月底前”）：plan-year 为方案年度的一次（version 2 默认），"
        "every-year 为每年一次（version 1 默认）",
    )
    default: Text | None = Field(
        default=None, description="没有完成时限的措施的默认时限，如 2021年底前（原文没有时请注明待确认）"
    )


# The one model with 100,000s of instances in a large plan: a slotted pydantic dataclass holds
# its six values in slots (~0.1 KB) where a BaseModel carries a __dict__ and a fields-set
# (~1.1 KB). It validates, forbids unknown fields and is frozen exactly as the models above.
@pydantic_dataclass(
    frozen=True,
    slots=True,
    kw_only=True,  # fields are named in YAML; and a default may then precede a required one
    config=ConfigDict(extra="forbid", strict=False, title="进度记录"),
)
class ProgressEntry:
    """一条进度记录；同一（措施、单位、节点）的后一条记录取代前一条。"""

    measure: Number | MeasureId = Field(description="措施的稳定编号（id），如 17 或 \"1.2.3\"")
    unit: Text = Field(description="报告进度的单位（具体单位，不是组）")
    milestone: IsoDate | None = Field(
        default=None, description="节点的截止日期 YYYY-MM-DD；措施只有一个节点或没有节点时可省略"
    )
    status: Text = Field(description="状态：未开始、推进中、已完成、延期、不适用")
    date: IsoDate = Field(description="记录日期 YYYY-MM-DD")
    note: str = Field(default="", description="说明：证明材料、文件编号；延期须写明原因")
    until: IsoDate | None = Field(
        default=None,
        description="延期：批准的新截止日期 YYYY-MM-DD（只用于状态“延期”）；原截止日期保留，用于考核",
    )
    approved_late: bool = Field(
        default=False,
        description="延期在原截止日期过后才登记，或新日期早于原日期，但已经批准：写 true",
    )

    # The two BaseModel methods callers use on entries, kept so code written against a model
    # (record, tests) reads the same.
    @classmethod
    def model_validate(cls, data: Any) -> ProgressEntry:
        return _entry_adapter().validate_python(data)

    def model_dump(self, *, mode: Literal["json", "python"] = "python") -> dict[str, Any]:
        return _entry_adapter().dump_python(self, mode=mode)  # type: ignore[no-any-return]


@functools.cache
def _entry_adapter() -> TypeAdapter[ProgressEntry]:
    return TypeAdapter(ProgressEntry)


class Supervision(_Model):
    """督办：谁督促、提前多少天亮黄灯、催办通知要求多少天内回复。"""

    model_config = ConfigDict(title="督办")

    coordinator: Text | None = Field(
        default=None, description="督办单位：催办通知的落款，如 开平市司法局"
    )
    contact: Text | None = Field(default=None, description="联系人及电话，写在催办通知末尾")
    warn_days: Annotated[int, Field(ge=0, le=366)] = Field(
        default=15, description="截止日期前多少天亮黄灯（默认 15）"
    )
    reply_days: Annotated[int, Field(ge=1, le=366)] = Field(
        default=7, description="催办通知要求在多少天内书面回复（默认 7）"
    )


class NoticeEntry(_Model):
    """一次催办：向哪个单位、哪天、就哪些措施发出督办通知。"""

    model_config = ConfigDict(title="催办记录")

    unit: Text = Field(description="被催办的具体单位（规范名称）")
    date: IsoDate = Field(description="发出日期 YYYY-MM-DD")
    measures: list[Number | MeasureId] = Field(description="通知所列措施的编号（id）")
    note: str = Field(default="", description="说明，如 通知文号、发送方式")


class FormatError(ValueError):
    """A version/structure mismatch; plan.py reports it at `path` (a key path in the file)."""

    def __init__(self, message: str, path: tuple[str | int, ...], hint: str = "") -> None:
        super().__init__(message)
        self.path, self.hint = path, hint


class Plan(_Model):
    """一份工作方案的任务台账（任务分工、任务清单）：plan.yaml 的全部内容。"""

    model_config = ConfigDict(title="kpzf 计划文件（plan.yaml）")

    version: Literal[1, 2] = Field(
        description="文件格式版本：2（层级由方案声明，见 structure、items）；1 为旧格式（areas → tasks → measures），仍可读取"
    )
    meta: Meta = Field(description="方案的基本信息：标题（必填）、文号、发文机关、印发与发布日期、实施期、上级文件")
    structure: Structure | None = Field(
        default=None, description="层级名称、编号方式与台账表头（version 2 必填）"
    )
    deadlines: Deadlines = Field(default_factory=Deadlines, description="方案自己的期限用语与读法")
    units: list[Unit] = Field(description="单位名录：每个责任单位的规范名称、别名与区划代码")
    groups: list[Group] = Field(
        default_factory=list, description="单位组，如 各镇（街）、市直行政执法部门"
    )
    assist_owes: bool = Field(
        default=False,
        description="配合单位是否与牵头单位一样欠办节点（计入逾期）；默认否：只有牵头单位和责任单位欠办",
    )
    areas: list[Area] | SkipJsonSchema[None] = Field(
        default=None, description="version 1：重点任务 → 具体任务 → 主要措施（附件任务台账）"
    )
    items: list[Section] | SkipJsonSchema[None] = Field(
        default=None, description="version 2：各级条目，由外到内，层级见 structure.levels"
    )
    measures: list[Measure] | SkipJsonSchema[None] = Field(
        default=None, description="version 2 只有一级的方案：措施直接列在这里"
    )
    implementation: list[Measure] = Field(
        default_factory=list, description="组织实施中的时限要求（如中期、终期评估），编号接在措施之后"
    )
    progress: list[ProgressEntry] = Field(
        default_factory=list, description="进度记录（台账“进度情况”栏）：只在末尾追加，不修改、不删除"
    )
    supervision: Supervision = Field(
        default_factory=Supervision, description="督办：督办单位、黄灯提前天数、催办回复期限"
    )
    notices: list[NoticeEntry] = Field(
        default_factory=list, description="催办记录（kpzf notice --log 追加）：只在末尾追加"
    )
