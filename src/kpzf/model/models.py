"""The schema of plan.yaml: plain frozen dataclasses, validated by pydantic v2 (unknown fields
forbidden, Chinese descriptions) through a TypeAdapter built on first use.

One definition serves three purposes: each field's type and `metadata` (pydantic's Field
arguments: description, min_length …) are what pydantic validates and what `kpzf schema`
prints; and the classes themselves are the plan kpzf answers from, built either by pydantic
from a YAML file or directly from the validated-plan cache (model/cache.py) without importing
pydantic at all. The constrained types the annotations name (Text, IsoDate, MeasureId …) are
therefore given their pydantic meaning only when a validator is first built (`adapter`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from dataclasses import field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from ..records import record

if TYPE_CHECKING:  # what the checker sees; `_constrained_types` gives pydantic the real ones
    from pydantic import TypeAdapter
    from pydantic.json_schema import SkipJsonSchema

    IsoDate = dt.date
    Text = str
    Number = int
    MeasureId = str
    PlanKey = str
    WarnDays = int
    ReplyDays = int

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
    raise ValueError('应为日期，格式 YYYY-MM-DD，例如 "2024-06-30"')


@functools.lru_cache(maxsize=4096)
def _date_from_text(value: str) -> dt.date:
    """One parse per distinct date string: a progress log repeats the same few hundred dates."""
    if not _ISO_DATE.fullmatch(value):
        loose = _LOOSE_DATE.fullmatch(value.strip())
        if loose:  # 2024-1-5, 2024/1/5, 2024.1.5: say exactly what to write instead
            year, month, day = loose.groups()
            suggestion = f"{year}-{int(month):02d}-{int(day):02d}"
            raise ValueError(f'日期“{value}”的格式应为 YYYY-MM-DD，即 "{suggestion}"')
        raise ValueError(f"日期“{value}”的格式应为 YYYY-MM-DD，例如 2024-06-30")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"日期“{value}”不存在，请检查年、月、日") from None


def _id_text(value: object) -> object:
    """A measure id is text; a plain integer (Kaiping's `17`) is the same id as "17"."""
    if isinstance(value, bool):
        raise ValueError('措施编号应为文字或正整数，如 "17" 或 "1.2.3"')
    if isinstance(value, int):
        if value < 1:
            raise ValueError('措施编号应为正整数或文字，如 17 或 "1.2.3"')
        return str(value)
    return value


def _constrained_types() -> dict[str, Any]:
    """The pydantic meaning of the constrained types the field annotations name."""
    from typing import Annotated

    from pydantic import BeforeValidator, Field, StrictInt, WithJsonSchema
    from pydantic.json_schema import SkipJsonSchema

    measure_id = r"^[0-9A-Za-z][0-9A-Za-z._-]*$"
    return {
        # In plan.yaml dates are quoted strings; the pattern lets editors flag "2024/6/30" even
        # where the validator ignores "format".
        "IsoDate": Annotated[
            dt.date,
            BeforeValidator(_iso_date),
            WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
        ],
        "Text": Annotated[str, Field(min_length=1)],
        "Number": Annotated[StrictInt, Field(ge=1)],
        "MeasureId": Annotated[
            str,
            BeforeValidator(_id_text),
            Field(min_length=1, max_length=40, pattern=measure_id),
            WithJsonSchema(
                {
                    "anyOf": [
                        {"type": "integer", "minimum": 1},
                        {"type": "string", "pattern": measure_id, "maxLength": 40},
                    ]
                }
            ),
        ],
        "PlanKey": Annotated[str, Field(pattern=r"^[0-9a-z][0-9a-z-]{0,39}$")],
        "WarnDays": Annotated[int, Field(ge=0, le=366)],
        "ReplyDays": Annotated[int, Field(ge=1, le=366)],
        "SkipJsonSchema": SkipJsonSchema,
    }


def adapter(kind: Any) -> TypeAdapter[Any]:
    """pydantic's validator (and JSON Schema) of one schema class or type, built once.

    The annotations are strings evaluated in this module's namespace, so the constrained types
    are put there first; nothing else in kpzf changes them.
    """
    built = _ADAPTERS.get(kind)
    if built is None:
        from pydantic import TypeAdapter

        globals().update(_constrained_types())
        built = _ADAPTERS[kind] = TypeAdapter(kind)
    return built


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _schema(title: str) -> dict[str, Any]:
    """pydantic's config of a schema class: unknown fields forbidden, its Chinese title."""
    return {"extra": "forbid", "strict": False, "title": title}


def doc(description: str, **constraints: Any) -> dict[str, Any]:
    """A field's metadata: its Chinese description, and any constraint pydantic's Field takes."""
    return {"description": description, **constraints}


_S = TypeVar("_S", bound="Schema")


class Schema:
    """The base of every schema class: pydantic's three model methods that kpzf code uses,
    under their names (validating imports pydantic; copying does not)."""

    __slots__ = ()

    @classmethod
    def model_validate(cls: type[_S], data: Any) -> _S:
        """`data` validated as this class (raises pydantic's ValidationError)."""
        made: _S = adapter(cls).validate_python(data)
        return made

    def model_dump(self, *, mode: Literal["json", "python"] = "python") -> dict[str, Any]:
        dumped: dict[str, Any] = adapter(type(self)).dump_python(self, mode=mode)
        return dumped

    def model_copy(self: _S, *, update: dict[str, Any] | None = None) -> _S:
        """A copy with some fields replaced (not validated, as pydantic's is not)."""
        return dataclasses.replace(self, **(update or {}))  # type: ignore[type-var]


@record(slots=True, kw_only=True)
class ParentDocument(Schema):
    """上级文件。"""

    __pydantic_config__ = _schema("上级文件")

    title: Text = field(metadata=doc("文件标题"))
    doc_number: Text = field(metadata=doc("文号，如 国办发〔2023〕27号"))
    issuer: Text = field(metadata=doc("发文机关"))
    issued: IsoDate = field(metadata=doc("成文日期 YYYY-MM-DD"))


@record(slots=True, kw_only=True)
class Period(Schema):
    """方案实施期：期限与进度日期都应落在其中。"""

    __pydantic_config__ = _schema("实施期")

    start: IsoDate = field(metadata=doc("开始日期 YYYY-MM-DD"))
    end: IsoDate = field(metadata=doc("结束日期 YYYY-MM-DD"))


@record(slots=True, kw_only=True)
class Meta(Schema):
    """方案的基本信息：只有标题必填（网页上发布的台账常常没有文号、发文机关和印发日期）。"""

    __pydantic_config__ = _schema("方案信息")

    title: Text = field(metadata=doc("方案标题"))
    key: PlanKey | None = field(
        default=None,
        metadata=doc(
            "方案的简短代号（小写字母、数字、连字符），如 kaiping-2024；日历 UID 用它，"
            "省略时取文件名"
        ),
    )
    place: Text | None = field(
        default=None,
        metadata=doc(
            "方案所属地方的全称，如 开平市、方城县；省略时从发文机关推断（开平市人民政府办公室 → 开平市）"
        ),
    )
    doc_number: Text | None = field(
        default=None, metadata=doc("文号，如 国办发〔2023〕27号；没有可省略")
    )
    issuer: Text | None = field(default=None, metadata=doc("发文机关；没有可省略"))
    issued: IsoDate | None = field(default=None, metadata=doc("印发（成文）日期 YYYY-MM-DD"))
    published: IsoDate | None = field(
        default=None, metadata=doc("公开发布日期 YYYY-MM-DD（如政府网站的发布时间）")
    )
    effective: IsoDate | None = field(
        default=None,
        metadata=doc(
            "生效起点 YYYY-MM-DD：周期性期限从此日起展开，“立即执行”于此日到期；"
            "省略时取 issued、published 中较早者，都没有时取实施期开始"
        ),
    )
    period: Period | None = field(
        default=None, metadata=doc("实施期；省略时为生效起点所在年份的1月1日至12月31日")
    )
    ledger_title: Text | None = field(
        default=None, metadata=doc("台账标题（导出表格的标题）；省略时为“方案标题＋任务台账”")
    )
    parents: list[ParentDocument] = field(default_factory=list, metadata=doc("上级文件"))


@record(slots=True, kw_only=True)
class Unit(Schema):
    """一个责任单位。"""

    __pydantic_config__ = _schema("单位")

    name: Text = field(metadata=doc("规范名称，如 市公安局"))
    aliases: list[Text] = field(default_factory=list, metadata=doc("别名与简称，如 公安"))
    code: Text | None = field(
        default=None, metadata=doc('统计用区划代码（镇、街），须加引号，如 "440783109"')
    )
    note: str | None = field(default=None, metadata=doc("备注"))


@record(slots=True, kw_only=True)
class Group(Schema):
    """一组单位，如 各镇（街）；成员可以是单位，也可以是另一个组。"""

    __pydantic_config__ = _schema("单位组")

    name: Text = field(metadata=doc("规范名称，如 各镇（街）"))
    aliases: list[Text] = field(default_factory=list, metadata=doc("别名，如 市行政执法部门"))
    members: list[Text] = field(metadata=doc("成员：单位或组的规范名称（也可以是另一个组）"))
    exclude: list[Text] = field(default_factory=list, metadata=doc("从成员中排除的单位或组"))
    note: str | None = field(default=None, metadata=doc("备注"))


@record(slots=True, kw_only=True)
class MilestoneSpec(Schema):
    """明确写出的节点，优先于对“完成时限”文字的解析。"""

    __pydantic_config__ = _schema("节点")

    due: IsoDate | None = field(metadata=doc("截止日期 YYYY-MM-DD；无固定日期写 null"))
    what: Text = field(default="完成", metadata=doc("到期应完成的内容"))
    units: list[Text] | None = field(
        default=None, metadata=doc("只适用于这些单位；省略表示适用于全部责任单位")
    )


@record(slots=True, kw_only=True)
class TextDeadline(Schema):
    """措施原文中写明、而“完成时限”栏没有写出的时限（如“于每年11月底前报送培训情况”）。"""

    __pydantic_config__ = _schema("原文时限")

    phrase: Text = field(
        metadata=doc(
            "照录措施原文中的时限，如 每年11月底前报送培训情况；须能在 text 中找到，读法同完成时限"
        )
    )
    units: list[Text] | None = field(
        default=None,
        metadata=doc("承担这一时限的单位（本措施的责任单位或其所在组）；省略表示全部责任单位"),
    )
    note: str | None = field(default=None, metadata=doc("备注，如依据哪句原文"))


@record(slots=True, kw_only=True)
class Measure(Schema):
    """一项主要措施（台账的一行），或组织实施中的一项要求。"""

    __pydantic_config__ = _schema("主要措施")

    number: Number | None = field(
        default=None,
        metadata=doc(
            "序号：全方案连续编号 1、2、3…，组织实施的事项接在措施之后（version 1 必填；"
            "version 2 可改写 id 与 label）"
        ),
    )
    id: MeasureId | None = field(
        default=None,
        metadata=doc(
            '稳定编号，进度记录以它指称本措施，写定后不再改：方案有全局序号时即该序号（如 "17"），'
            '否则为各级序号连成的路径（如 "1.2.3"）；省略时按此规则推出'
        ),
    )
    label: Text | None = field(
        default=None, metadata=doc("原文的编号，照录，如 （1）、1.、①、1.1；导出时原样印出")
    )
    text: Text = field(metadata=doc("措施原文，照录附件任务台账"))
    units: Text = field(
        metadata=doc("责任单位原文，照录台账，如 市司法局，各镇（街）、市直行政执法部门")
    )
    unit_refs: list[Text] = field(
        metadata=doc("责任单位逐项拆开：单位或组的名称或别名，顺序同 units", min_length=1)
    )
    lead: list[Text] | None = field(
        default=None,
        metadata=doc(
            "牵头单位：单位或组的名称或别名；写出 lead/assist/responsible 任一项时按这三项定角色，"
            "都省略时从 units 原文读出（“X牵头”“牵头单位：X；配合单位：Y”），读不出的为责任单位"
        ),
    )
    assist: list[Text] | None = field(
        default=None,
        metadata=doc(
            "配合单位：协助牵头单位，不计为逾期的欠办单位（除非方案写明 assist_owes: true）"
        ),
    )
    responsible: list[Text] | None = field(
        default=None,
        metadata=doc("责任单位：各自承担本辖区、本领域的一份，与牵头单位一样计为欠办单位"),
    )
    deadline: Text | None = field(
        default=None,
        metadata=doc(
            "完成时限原文，如 2024年12月底前形成阶段性成果，持续推进；方案没有完成时限栏时省略"
            "（无具体时限，除非 deadlines.default 给出默认时限）"
        ),
    )
    milestones: list[MilestoneSpec] | None = field(
        default=None, metadata=doc("明确的节点；写出时代替对完成时限的解析")
    )
    ongoing: bool | None = field(
        default=None, metadata=doc("节点之后是否持续推进；省略时由完成时限推断")
    )
    text_deadlines: list[TextDeadline] = field(
        default_factory=list,
        metadata=doc(
            "措施原文中写明、完成时限栏没有的时限：与完成时限的节点一起跟踪，标明来自措施原文"
        ),
    )
    note: str | None = field(default=None, metadata=doc("备注"))


@record(slots=True, kw_only=True)
class Task(Schema):
    """一项具体任务。"""

    __pydantic_config__ = _schema("具体任务")

    number: Number = field(metadata=doc("序号 1..N，全方案连续编号"))
    title: Text = field(metadata=doc("任务名称"))
    measures: list[Measure] = field(metadata=doc("主要措施"))


@record(slots=True, kw_only=True)
class Area(Schema):
    """一项重点任务。"""

    __pydantic_config__ = _schema("重点任务")

    number: Number = field(metadata=doc("序号 1..N"))
    title: Text = field(metadata=doc("重点任务名称"))
    tasks: list[Task] = field(metadata=doc("具体任务"))


Numbering = Literal["global", "per-parent", "none"]


@record(slots=True, kw_only=True)
class Level(Schema):
    """方案的一级：名称即台账的列名。"""

    __pydantic_config__ = _schema("层级")

    name: Text = field(
        metadata=doc("本级的名称，照录台账表头，如 重点任务、具体任务、主要措施、部分、事项")
    )
    numbering: Numbering = field(
        default="global",
        metadata=doc(
            "编号方式：global 全方案连续编号；per-parent 在每个上级之下从1重新编号；none 不检查编号"
        ),
    )


@record(slots=True, kw_only=True)
class Columns(Schema):
    """台账中措施自身各栏的表头（层级名之后的几栏）。"""

    __pydantic_config__ = _schema("台账栏目")

    units: Text = field(default="责任单位", metadata=doc("责任单位栏的表头"))
    deadline: Text | None = field(
        default="完成时限", metadata=doc("完成时限栏的表头；方案没有这一栏时写 null")
    )
    progress: Text = field(default="进度情况", metadata=doc("进度栏的表头"))


@record(slots=True, kw_only=True)
class Structure(Schema):
    """方案的层级结构与台账表头（version 2）。"""

    __pydantic_config__ = _schema("结构")

    levels: list[Level] = field(
        metadata=doc(
            "由外到内的各级（1至4级），最后一级是跟踪的措施，如 [重点任务, 具体任务, 主要措施]",
            min_length=1,
            max_length=4,
        )
    )
    columns: Columns = field(default_factory=Columns, metadata=doc("措施各栏的表头"))


@record(slots=True, kw_only=True)
class Section(Schema):
    """措施之上的一级条目（如一项重点任务、一项具体任务、一个部分）。"""

    __pydantic_config__ = _schema("条目")

    label: Text | None = field(default=None, metadata=doc("原文的编号，照录，如 一、（一）、1."))
    title: Text = field(metadata=doc("条目名称"))
    items: list[Section] = field(default_factory=list, metadata=doc("下一级条目"))
    measures: list[Measure] = field(
        default_factory=list, metadata=doc("本条目下的措施（最后一级）")
    )


Meaning = Literal["ongoing", "undated", "start", "end"]


@record(slots=True, kw_only=True)
class DeadlineWords(Schema):
    """方案自己的期限用语及其含义（优先于内置用语）。"""

    __pydantic_config__ = _schema("期限用语")

    ongoing: list[Text] = field(
        default_factory=list, metadata=doc("持续推进、无到期日，如 长期、常态化推进")
    )
    undated: list[Text] = field(
        default_factory=list, metadata=doc("要做但无具体日期，如 按上级要求、及时")
    )
    start: list[Text] = field(
        default_factory=list, metadata=doc("生效起点即到期，如 立即执行、立行立改")
    )
    end: list[Text] = field(default_factory=list, metadata=doc("实施期末到期，如 三年内完成"))


@record(slots=True, kw_only=True)
class Deadlines(Schema):
    """方案对完成时限的读法。"""

    __pydantic_config__ = _schema("完成时限读法")

    words: DeadlineWords = field(default_factory=DeadlineWords, metadata=doc("方案自己的期限用语"))
    yearless: Literal["every-year", "plan-year"] | None = field(
        default=None,
        metadata=doc(
            "不写年份的日期（如“5月底前”）：plan-year 为方案年度的一次（version 2 默认），"
            "every-year 为每年一次（version 1 默认）"
        ),
    )
    default: Text | None = field(
        default=None,
        metadata=doc("没有完成时限的措施的默认时限，如 2021年底前（原文没有时请注明待确认）"),
    )


# The one class with 100,000s of instances in a large plan: slotted, like every class here, it
# holds its values in slots (~0.1 KB; a pydantic BaseModel carried a __dict__ and a fields-set,
# ~1.1 KB).
@record(slots=True, kw_only=True)
class ProgressEntry(Schema):
    """一条进度记录；同一（措施、单位、节点）的后一条记录取代前一条。"""

    __pydantic_config__ = _schema("进度记录")

    measure: Number | MeasureId = field(metadata=doc('措施的稳定编号（id），如 17 或 "1.2.3"'))
    unit: Text = field(metadata=doc("报告进度的单位（具体单位，不是组）"))
    milestone: IsoDate | None = field(
        default=None, metadata=doc("节点的截止日期 YYYY-MM-DD；措施只有一个节点或没有节点时可省略")
    )
    status: Text = field(metadata=doc("状态：未开始、推进中、已完成、延期、不适用"))
    date: IsoDate = field(metadata=doc("记录日期 YYYY-MM-DD"))
    note: str = field(default="", metadata=doc("说明：证明材料、文件编号；延期须写明原因"))
    until: IsoDate | None = field(
        default=None,
        metadata=doc(
            "延期：批准的新截止日期 YYYY-MM-DD（只用于状态“延期”）；原截止日期保留，用于考核"
        ),
    )
    approved_late: bool = field(
        default=False,
        metadata=doc("延期在原截止日期过后才登记，或新日期早于原日期，但已经批准：写 true"),
    )



@record(slots=True, kw_only=True)
class Supervision(Schema):
    """督办：谁督促、提前多少天亮黄灯、催办通知要求多少天内回复。"""

    __pydantic_config__ = _schema("督办")

    coordinator: Text | None = field(
        default=None, metadata=doc("督办单位：催办通知的落款，如 开平市司法局")
    )
    contact: Text | None = field(default=None, metadata=doc("联系人及电话，写在催办通知末尾"))
    warn_days: WarnDays = field(default=15, metadata=doc("截止日期前多少天亮黄灯（默认 15）"))
    reply_days: ReplyDays = field(
        default=7, metadata=doc("催办通知要求在多少天内书面回复（默认 7）")
    )


@record(slots=True, kw_only=True)
class NoticeEntry(Schema):
    """一次催办：向哪个单位、哪天、就哪些措施发出督办通知。"""

    __pydantic_config__ = _schema("催办记录")

    unit: Text = field(metadata=doc("被催办的具体单位（规范名称）"))
    date: IsoDate = field(metadata=doc("发出日期 YYYY-MM-DD"))
    measures: list[Number | MeasureId] = field(metadata=doc("通知所列措施的编号（id）"))
    note: str = field(default="", metadata=doc("说明，如 通知文号、发送方式"))


class FormatError(ValueError):
    """A version/structure mismatch; plan.py reports it at `path` (a key path in the file)."""

    def __init__(self, message: str, path: tuple[str | int, ...], hint: str = "") -> None:
        super().__init__(message)
        self.path, self.hint = path, hint


@record(slots=True, kw_only=True)
class Plan(Schema):
    """一份工作方案的任务台账（任务分工、任务清单）：plan.yaml 的全部内容。"""

    __pydantic_config__ = _schema("kpzf 计划文件（plan.yaml）")

    version: Literal[1, 2] = field(
        metadata=doc(
            "文件格式版本：2（层级由方案声明，见 structure、items）；1 为旧格式（areas → tasks → measures），仍可读取"
        )
    )
    meta: Meta = field(
        metadata=doc(
            "方案的基本信息：标题（必填）、文号、发文机关、印发与发布日期、实施期、上级文件"
        )
    )
    structure: Structure | None = field(
        default=None, metadata=doc("层级名称、编号方式与台账表头（version 2 必填）")
    )
    deadlines: Deadlines = field(
        default_factory=Deadlines, metadata=doc("方案自己的期限用语与读法")
    )
    units: list[Unit] = field(metadata=doc("单位名录：每个责任单位的规范名称、别名与区划代码"))
    groups: list[Group] = field(
        default_factory=list, metadata=doc("单位组，如 各镇（街）、市直行政执法部门")
    )
    assist_owes: bool = field(
        default=False,
        metadata=doc(
            "配合单位是否与牵头单位一样欠办节点（计入逾期）；默认否：只有牵头单位和责任单位欠办"
        ),
    )
    areas: list[Area] | SkipJsonSchema[None] = field(
        default=None, metadata=doc("version 1：重点任务 → 具体任务 → 主要措施（附件任务台账）")
    )
    items: list[Section] | SkipJsonSchema[None] = field(
        default=None, metadata=doc("version 2：各级条目，由外到内，层级见 structure.levels")
    )
    measures: list[Measure] | SkipJsonSchema[None] = field(
        default=None, metadata=doc("version 2 只有一级的方案：措施直接列在这里")
    )
    implementation: list[Measure] = field(
        default_factory=list,
        metadata=doc("组织实施中的时限要求（如中期、终期评估），编号接在措施之后"),
    )
    progress: list[ProgressEntry] = field(
        default_factory=list,
        metadata=doc("进度记录（台账“进度情况”栏）：只在末尾追加，不修改、不删除"),
    )
    supervision: Supervision = field(
        default_factory=Supervision, metadata=doc("督办：督办单位、黄灯提前天数、催办回复期限")
    )
    notices: list[NoticeEntry] = field(
        default_factory=list, metadata=doc("催办记录（kpzf notice --log 追加）：只在末尾追加")
    )
