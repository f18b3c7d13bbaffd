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
    """方案的基本信息。"""

    model_config = ConfigDict(title="方案信息")

    title: Text = Field(description="方案标题")
    doc_number: Text = Field(description="文号，如 开府办〔2024〕6号")
    issuer: Text = Field(description="发文机关")
    issued: IsoDate = Field(description="印发日期 YYYY-MM-DD")
    period: Period = Field(description="实施期")
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
    """措施原文中写明、而“完成时限”栏没有写出的时限（如措施 8 的“于每年11月底前将培训情况报江门市司法局”）。"""

    model_config = ConfigDict(title="原文时限")

    phrase: Text = Field(
        description="照录措施原文中的时限，如 每年11月底前将培训情况报江门市司法局；须能在 text 中找到，"
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

    number: Number = Field(description="序号：全方案连续编号 1、2、3…，组织实施的事项接在措施之后")
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
    deadline: Text = Field(description="完成时限原文，如 2024年12月底前形成阶段性成果，持续推进")
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

    measure: Number = Field(description="措施序号")
    unit: Text = Field(description="报告进度的单位（具体单位，不是组）")
    milestone: IsoDate | None = Field(
        default=None, description="节点的截止日期 YYYY-MM-DD；措施只有一个节点或没有节点时可省略"
    )
    status: Text = Field(description="状态：未开始、推进中、已完成、延期、不适用")
    date: IsoDate = Field(description="记录日期 YYYY-MM-DD")
    note: str = Field(default="", description="说明：证明材料、文件编号；延期须写明原因")

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


class Plan(_Model):
    """《开平市提升行政执法质量三年行动工作方案》（开府办〔2024〕6号）任务台账：plan.yaml 的全部内容。"""

    model_config = ConfigDict(title="kpzf 计划文件（plan.yaml）")

    version: Literal[1] = Field(description="文件格式版本，目前为 1")
    meta: Meta = Field(description="方案的基本信息：标题、文号、发文机关、印发日期、实施期、上级文件")
    units: list[Unit] = Field(description="单位名录：每个责任单位的规范名称、别名与区划代码")
    groups: list[Group] = Field(
        default_factory=list, description="单位组，如 各镇（街）、市直行政执法部门"
    )
    assist_owes: bool = Field(
        default=False,
        description="配合单位是否与牵头单位一样欠办节点（计入逾期）；默认否：只有牵头单位和责任单位欠办",
    )
    areas: list[Area] = Field(description="重点任务 → 具体任务 → 主要措施（附件任务台账）")
    implementation: list[Measure] = Field(
        default_factory=list, description="组织实施中的时限要求（如中期、终期评估），编号接在措施之后"
    )
    progress: list[ProgressEntry] = Field(
        default_factory=list, description="进度记录（台账“进度情况”栏）：只在末尾追加，不修改、不删除"
    )
