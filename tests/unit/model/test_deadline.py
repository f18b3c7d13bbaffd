"""Tests for kpzf.deadline: every 完成时限 phrase of the plan, other cities' forms, errors."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpzf.model.deadline import (
    BUILTIN_VOCABULARY,
    Deadline,
    DeadlineError,
    DueMilestone,
    Vocabulary,
    parse_deadline,
)

START = date(2024, 1, 1)
END = date(2025, 12, 31)


def m(
    due: str,
    what: str = "完成",
    units: tuple[str, ...] | None = None,
    recurrence: str | None = None,
) -> DueMilestone:
    return DueMilestone(date.fromisoformat(due), what, units, recurrence)


def expect(
    phrase: str, milestones: list[DueMilestone], *, ongoing: bool, undated: bool
) -> tuple[str, Deadline]:
    return phrase, Deadline(phrase, tuple(milestones), ongoing, undated)


STAGE = "形成阶段性成果"

# Every 完成时限 cell of the plan's 任务台账, verbatim from the extracted seed text, including
# its stray spaces and half-width commas (23 distinct phrases after normalisation).
LEDGER_CASES = [
    expect(
        "2024年12月底前形成阶段性成果，持续推进",
        [m("2024-12-31", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024 年 12 月底前形成阶段性成果，持续推进",
        [m("2024-12-31", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024年12月底前形成阶段性成果, 持续推进",
        [m("2024-12-31", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024年12月底前 形成阶段性成 果,持续推进",
        [m("2024-12-31", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024年6月底前建立培训制度，持续推进",
        [m("2024-06-30", "建立培训制度")],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024 年 6 月底前形成阶段性成果，2025 年 3 月底前全覆盖，持续推进",
        [m("2024-06-30", STAGE), m("2025-03-31", "全覆盖")],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024 年 6 月底前完成首轮全员轮训，持续推进",
        [m("2024-06-30", "完成首轮全员轮训")],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024 年 6 月底前建立培训计划，持续推进",
        [m("2024-06-30", "建立培训计划")],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024 年 6 月底前形成阶段性成果，持续推进",
        [m("2024-06-30", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024年6月底前形成阶段性成果, 持续推进",
        [m("2024-06-30", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024年6月底前形成阶段性成果，持续推进",
        [m("2024-06-30", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2025年3月底前形成阶段性成果, 持续推进",
        [m("2025-03-31", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2025年3月底前 形成阶段性成 果,持续推进",
        [m("2025-03-31", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2025年6月底前形成阶段性成果, 持续推进",
        [m("2025-06-30", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2025年6月底前形成阶段性成果，持续推进",
        [m("2025-06-30", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2025年6月底前 形成阶段性成 果, 持续推进",
        [m("2025-06-30", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2025年6月底前 形成阶段性成 果,持续推进",
        [m("2025-06-30", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024年2月6日前完成备案, 持续推进",
        [m("2024-02-06", "完成备案")],
        ongoing=True,
        undated=False,
    ),
    expect(
        "每年5月底、11月底前",
        [
            m("2024-05-31", recurrence="每年"),
            m("2024-11-30", recurrence="每年"),
            m("2025-05-31", recurrence="每年"),
            m("2025-11-30", recurrence="每年"),
        ],
        ongoing=False,
        undated=False,
    ),
    expect("2024年12月底前", [m("2024-12-31")], ongoing=False, undated=False),
    expect(
        "2024年1月底前形成阶段性成果，持续推进",
        [m("2024-01-31", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect("长期推进", [], ongoing=True, undated=True),
    expect(
        "2025年7月底前形成阶段性成果，持续推进",
        [m("2025-07-31", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2025年8月底前形成阶段性成果，持续推进",
        [m("2025-08-31", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024年10月底前完成调研报告，2024年12月底前形成阶段性成果，持续推进",
        [m("2024-10-31", "完成调研报告"), m("2024-12-31", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024年4月底前形成阶段性成果，持续推进",
        [m("2024-04-30", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024年4月底前完成权责清单事项认领及公布，2024年5月15日前报送市司法局，持续推进",
        [m("2024-04-30", "完成权责清单事项认领及公布"), m("2024-05-15", "报送市司法局")],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024年8月底前形成阶段性成果，持续推进",
        [m("2024-08-31", STAGE)],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024年11月底前完成首次评估，持续推进",
        [m("2024-11-30", "完成首次评估")],
        ongoing=True,
        undated=False,
    ),
    expect("2024年1月底前", [m("2024-01-31")], ongoing=False, undated=False),
    # Measure (39): dates that differ by unit, with stray spaces inside the unit names.
    expect(
        "2024年6月底前 形成阶段性成果 (市公安局、市 交通运输局), "
        "2024年12月底前 完成(其他行政 执法单位)",
        [
            m("2024-06-30", STAGE, ("市公安局", "市交通运输局")),
            m("2024-12-31", "完成", ("其他行政执法单位",)),
        ],
        ongoing=False,
        undated=False,
    ),
    # Measure (54): a cell broken across lines, "%" kept half-width as users write it.
    expect(
        "2024年6月底前 实现行政处罚案 件线上办理率达 到100%,持续推 进",
        [m("2024-06-30", "实现行政处罚案件线上办理率达到100%")],
        ongoing=True,
        undated=False,
    ),
]

# Forms from other plans of the same campaign (domain notes) and from the project brief.
QUARTER_ENDS = [
    "2024-03-31",
    "2024-06-30",
    "2024-09-30",
    "2024-12-31",
    "2025-03-31",
    "2025-06-30",
    "2025-09-30",
    "2025-12-31",
]
MONTH_ENDS = [
    "2024-01-31",
    "2024-02-29",
    "2024-03-31",
    "2024-04-30",
    "2024-05-31",
    "2024-06-30",
    "2024-07-31",
    "2024-08-31",
    "2024-09-30",
    "2024-10-31",
    "2024-11-30",
    "2024-12-31",
    "2025-01-31",
    "2025-02-28",
    "2025-03-31",
    "2025-04-30",
    "2025-05-31",
    "2025-06-30",
    "2025-07-31",
    "2025-08-31",
    "2025-09-30",
    "2025-10-31",
    "2025-11-30",
    "2025-12-31",
]

OTHER_CASES = [
    expect("2024年底前", [m("2024-12-31")], ongoing=False, undated=False),
    expect("2024年年底前", [m("2024-12-31")], ongoing=False, undated=False),
    expect("2025年年底前完成并长期推进", [m("2025-12-31")], ongoing=True, undated=False),
    expect("2024年上半年", [m("2024-06-30")], ongoing=False, undated=False),
    expect("2024年下半年完成评估", [m("2024-12-31", "完成评估")], ongoing=False, undated=False),
    expect("2024年3月底前报送", [m("2024-03-31", "报送")], ongoing=False, undated=False),
    expect("2020年12月30日前", [m("2020-12-30")], ongoing=False, undated=False),
    expect("到2024年6月", [m("2024-06-30")], ongoing=False, undated=False),
    # "YYYY年M月前" is read as the end of month M (a documented choice).
    expect("2024年6月前", [m("2024-06-30")], ongoing=False, undated=False),
    expect("2024年内完成", [m("2024-12-31")], ongoing=False, undated=False),
    expect(
        "3月25日、6月25日、9月25日前",
        [
            m("2024-03-25", recurrence="每年"),
            m("2024-06-25", recurrence="每年"),
            m("2024-09-25", recurrence="每年"),
            m("2025-03-25", recurrence="每年"),
            m("2025-06-25", recurrence="每年"),
            m("2025-09-25", recurrence="每年"),
        ],
        ongoing=False,
        undated=False,
    ),
    # A year written on the first date carries over to the next ones.
    expect(
        "2024年5月底、11月底前", [m("2024-05-31"), m("2024-11-30")], ongoing=False, undated=False
    ),
    expect(
        "每年11月底前将培训情况报江门市司法局",
        [
            m("2024-11-30", "将培训情况报江门市司法局", recurrence="每年"),
            m("2025-11-30", "将培训情况报江门市司法局", recurrence="每年"),
        ],
        ongoing=False,
        undated=False,
    ),
    expect(
        "每年年底前",
        [m("2024-12-31", recurrence="每年"), m("2025-12-31", recurrence="每年")],
        ongoing=False,
        undated=False,
    ),
    expect(
        "每季度", [m(d, recurrence="每季度") for d in QUARTER_ENDS], ongoing=False, undated=False
    ),
    expect(
        "每季度报送",
        [m(d, "报送", recurrence="每季度") for d in QUARTER_ENDS],
        ongoing=False,
        undated=False,
    ),
    expect(
        "每半年",
        [
            m("2024-06-30", recurrence="每半年"),
            m("2024-12-31", recurrence="每半年"),
            m("2025-06-30", recurrence="每半年"),
            m("2025-12-31", recurrence="每半年"),
        ],
        ongoing=False,
        undated=False,
    ),
    expect("每月", [m(d, recurrence="每月") for d in MONTH_ENDS], ongoing=False, undated=False),
    expect("长期坚持", [], ongoing=True, undated=True),
    expect("常态化", [], ongoing=True, undated=True),
    expect("适时", [], ongoing=False, undated=True),
    expect("2024年6月底前完成，长期推进", [m("2024-06-30")], ongoing=True, undated=False),
    expect("2023—2025年", [m("2025-12-31")], ongoing=False, undated=False),
    expect("2023–2025年", [m("2025-12-31")], ongoing=False, undated=False),
    expect("2023-2025年", [m("2025-12-31")], ongoing=False, undated=False),
    expect("2023－2025年", [m("2025-12-31")], ongoing=False, undated=False),
    expect(
        "2024年6月底前形成阶段性成果(市公安局,市交通运输局);2024年12月底前完成(其他行政执法单位)",
        [
            m("2024-06-30", STAGE, ("市公安局", "市交通运输局")),
            m("2024-12-31", "完成", ("其他行政执法单位",)),
        ],
        ongoing=False,
        undated=False,
    ),
    expect("2024 年 3 月 底 前 报 送", [m("2024-03-31", "报送")], ongoing=False, undated=False),
    expect("２０２４年６月３０日前", [m("2024-06-30")], ongoing=False, undated=False),
    expect(
        "2024年6月底前完成（市公安局 市交通运输局）",
        [m("2024-06-30", units=("市公安局", "市交通运输局"))],
        ongoing=False,
        undated=False,
    ),
    expect(
        "2024年6月底前完成（各镇(街)、市直行政执法部门），持续推进",
        [m("2024-06-30", units=("各镇（街）", "市直行政执法部门"))],
        ongoing=True,
        undated=False,
    ),
    expect(
        "2024年6月底前上线(试运行,含各镇)系统",
        [m("2024-06-30", "上线（试运行，含各镇）系统")],
        ongoing=False,
        undated=False,
    ),
    # A date outside the period is not this module's concern; only recurrences are clipped.
    expect("2026年6月底前", [m("2026-06-30")], ongoing=False, undated=False),
]


@pytest.mark.parametrize(("phrase", "expected"), LEDGER_CASES, ids=[c[0] for c in LEDGER_CASES])
def test_ledger_phrases(phrase: str, expected: Deadline) -> None:
    assert parse_deadline(phrase, START, END) == expected


@pytest.mark.parametrize(("phrase", "expected"), OTHER_CASES, ids=[c[0] for c in OTHER_CASES])
def test_other_forms(phrase: str, expected: Deadline) -> None:
    assert parse_deadline(phrase, START, END) == expected


def test_ledger_has_all_distinct_phrases() -> None:
    distinct = {"".join(unicodedata.normalize("NFKC", p).split()) for p, _ in LEDGER_CASES}
    assert len(distinct) == 23


@pytest.mark.parametrize(
    ("phrase", "due"),
    [
        ("2024年2月底前", "2024-02-29"),
        ("2025年2月底前", "2025-02-28"),
        ("2024年2月29日前", "2024-02-29"),
    ],
)
def test_leap_years(phrase: str, due: str) -> None:
    assert parse_deadline(phrase, START, END).milestones == (m(due),)


def test_yearly_february_29_falls_back_to_the_28th() -> None:
    result = parse_deadline("每年2月29日前", START, END)
    assert result.milestones == (
        m("2024-02-29", recurrence="每年"),
        m("2025-02-28", recurrence="每年"),
    )


def test_recurrences_are_clipped_to_the_period() -> None:
    result = parse_deadline("每季度", date(2024, 2, 10), date(2024, 9, 30))
    assert result.milestones == (
        m("2024-03-31", recurrence="每季度"),
        m("2024-06-30", recurrence="每季度"),
        m("2024-09-30", recurrence="每季度"),
    )
    assert parse_deadline("每年5月底前", date(2024, 6, 1), date(2024, 12, 31)) == Deadline(
        "每年5月底前", (), ongoing=False, undated=False
    )


def test_monthly_on_a_day_clamps_to_short_months() -> None:
    result = parse_deadline("每月31日前报送", date(2024, 1, 1), date(2024, 4, 30))
    assert result.milestones == tuple(
        m(d, "报送", recurrence="每月")
        for d in ("2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30")
    )


def test_milestones_are_sorted_by_due_then_what() -> None:
    result = parse_deadline("2024年12月底前乙，2024年6月底前丙，2024年12月底前甲", START, END)
    assert [(str(x.due), x.what) for x in result.milestones] == [
        ("2024-06-30", "丙"),
        ("2024-12-31", "乙"),
        ("2024-12-31", "甲"),
    ]


@pytest.mark.parametrize(
    ("phrase", "column"),
    [
        ("2024年2月30日前", 0),
        ("2023年2月29日前", 0),
        ("2024年13月底前", 0),
        ("2024年0月底前", 0),
        ("24年6月底前", 0),
        ("2025—2023年", 0),
        ("", 0),
        ("   ", 0),
        ("尽快", 0),
        ("abc", 0),
        (",,", 0),
        ("2024年6月底前完成（市公安局", 11),
        ("2024年6月底前完成）", 11),
        ("2024年6月底前完成，尽快", 12),
        ("2024年6月底前完成，2024年2月30日前报送", 12),
        ("持续推进， 2024年 13月底前", 6),
        ("每年13月底前", 2),
        ("每年完成", 0),
        # "2024年第一季度" is read now (see QUARTER_CASES); a quarter that does not exist is not.
        ("2024年第五季度", 5),
        ("2024年6月底、完成", 9),
        ("持续推进（市公安局）", 4),
        ("2024年6月底前完成（）", 11),
    ],
)
def test_errors_report_the_column(phrase: str, column: int) -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(phrase, START, END)
    assert caught.value.column == column
    assert caught.value.message == str(caught.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)


@pytest.mark.parametrize("phrase", ["", "尽快", "abc"])
def test_unrecognised_phrases_list_the_accepted_forms(phrase: str) -> None:
    with pytest.raises(DeadlineError, match="可接受的写法") as caught:
        parse_deadline(phrase, START, END)
    assert isinstance(caught.value, ValueError)


def _check_never_crashes(phrase: str) -> None:
    try:
        result = parse_deadline(phrase, START, END)
    except DeadlineError as error:
        assert 0 <= error.column <= len(phrase)
        return
    assert result.phrase == phrase
    assert all(x.due is not None for x in result.milestones)
    assert list(result.milestones) == sorted(
        result.milestones, key=lambda x: (x.due or date.min, x.what)
    )
    assert not (result.undated and result.milestones)


DEADLINE_ALPHABET = st.one_of(
    st.sampled_from(list("0123456789年月日底前每季度半、，,（）() ")),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
)
DEADLINE_TOKENS = st.sampled_from(
    [
        "2024年",
        "2023—2025年",
        "6月",
        "13月",
        "0月",
        "2月",
        "30日",
        "29日",
        "底",
        "前",
        "、",
        "，",
        ";",
        "（",
        "）",
        "(",
        ")",
        "每年",
        "每季度",
        "每半年",
        "每月",
        "上半年",
        "年底",
        "持续推进",
        "长期推进",
        "适时",
        "并",
        "完成",
        "市公安局",
        " ",
        "到",
        "内",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_parses_or_raises_deadline_error(phrase: str) -> None:
    _check_never_crashes(phrase)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=DEADLINE_ALPHABET))
def test_deadline_alphabet_parses_or_raises_deadline_error(phrase: str) -> None:
    _check_never_crashes(phrase)


@settings(max_examples=300, deadline=None)
@given(st.lists(DEADLINE_TOKENS, max_size=12).map("".join))
def test_deadline_tokens_parse_or_raise_deadline_error(phrase: str) -> None:
    _check_never_crashes(phrase)


# --------------------------------------------------------------------------------------------
# The whole family of plans (issue 12): a 台账 of the campaign period 2023—2025 published on
# 2024-04-29 (方城县's 重点工作台账, docs/sources/fangcheng), read in the plan's year.
# Every expected value below was worked out by hand from the rules in the module docstring.

CAMPAIGN_START = date(2023, 1, 1)
CAMPAIGN_END = date(2025, 12, 31)
PUBLISHED = date(2024, 4, 29)


def family(phrase: str, **options: object) -> Deadline:
    settings_: dict[str, object] = {"effective_start": PUBLISHED, "yearless": "plan-year"}
    settings_.update(options)
    return parse_deadline(phrase, CAMPAIGN_START, CAMPAIGN_END, **settings_)  # type: ignore[arg-type]


def deadline(
    phrase: str,
    milestones: list[DueMilestone],
    *,
    ongoing: bool = False,
    undated: bool = False,
    start: str | None = None,
    undated_what: tuple[str, ...] = (),
) -> tuple[str, Deadline]:
    return phrase, Deadline(
        phrase,
        tuple(milestones),
        ongoing,
        undated,
        date.fromisoformat(start) if start else None,
        undated_what,
    )


# Quarter ends from the publication date (2024-04-29) to the end of the period.
QUARTER_ENDS_FROM_PUBLICATION = [
    "2024-06-30",
    "2024-09-30",
    "2024-12-31",
    "2025-03-31",
    "2025-06-30",
    "2025-09-30",
    "2025-12-31",
]

FAMILY_CASES = [
    # Quarters and half-years.
    deadline("2024年第一季度", [m("2024-03-31")]),
    deadline("2024年一季度", [m("2024-03-31")]),
    deadline("2024年第1季度", [m("2024-03-31")]),
    deadline("2024年第二季度末前完成", [m("2024-06-30")]),
    deadline("2025年第四季度", [m("2025-12-31")]),
    # Year-less: in the plan's year (2024, the year of the effective start) …
    deadline("一季度", [m("2024-03-31")]),
    deadline("四季度", [m("2024-12-31")]),
    deadline("上半年", [m("2024-06-30")]),
    deadline("下半年", [m("2024-12-31")]),
    deadline("5月底前", [m("2024-05-31")]),
    deadline("年底前", [m("2024-12-31")]),
    deadline("年内完成", [m("2024-12-31")]),
    # … even before the effective start: the drafter meant that year (a checker may warn).
    deadline("3月底前报送", [m("2024-03-31", "报送")]),
    deadline(
        "3月25日、6月25日、9月25日前",
        [m("2024-03-25"), m("2024-06-25"), m("2024-09-25")],
    ),
    # Dotted dates.
    deadline("2024.12", [m("2024-12-31")]),
    deadline("2024.12底前", [m("2024-12-31")]),
    deadline("2024.6.15前", [m("2024-06-15")]),
    deadline("２０２４．６", [m("2024-06-30")]),
    # Year ranges end with their last year; a bare year with an ongoing word owes nothing.
    deadline("2024年—2025年", [m("2025-12-31")]),
    deadline("2024年-2025年", [m("2025-12-31")]),
    deadline("2024年底前完成，2025年持续推进", [m("2024-12-31")], ongoing=True),
    deadline("2025年年底前完成并长期推进", [m("2025-12-31")], ongoing=True),
    deadline("2024年6月底前完成，并持续推进", [m("2024-06-30")], ongoing=True),
    # Starts are never deadlines; alone they mean "under way from then".
    deadline("2023年12月中旬起", [], ongoing=True, undated=True, start="2023-12-11"),
    deadline("2023年起", [], ongoing=True, undated=True, start="2023-01-01"),
    deadline("2024年6月起持续推进", [], ongoing=True, undated=True, start="2024-06-01"),
    deadline("2024年1月1日起施行", [], ongoing=True, undated=True, start="2024-01-01"),
    deadline("2024年下半年起", [], ongoing=True, undated=True, start="2024-07-01"),
    deadline("6月起", [], ongoing=True, undated=True, start="2024-06-01"),
    # Durations count from the phrase's start, else from the effective start.
    deadline("2023年12月中旬起，为期一年", [m("2024-12-10")], start="2023-12-11"),
    deadline("为期一年", [m("2025-04-28")]),
    deadline("为期半年", [m("2024-10-28")]),
    deadline("为期6个月", [m("2024-10-28")]),
    deadline("为期两年的专项整治", [m("2026-04-28", "专项整治")]),
    # Recurrences from the effective start, never before it.
    deadline("每季度末", [m(d, recurrence="每季度") for d in QUARTER_ENDS_FROM_PUBLICATION]),
    deadline(
        "每年至少1次",
        [
            m("2024-12-31", "至少1次", recurrence="每年"),
            m("2025-12-31", "至少1次", recurrence="每年"),
        ],
    ),
    deadline(
        "每年至少要举办1期专题培训班",
        [
            m("2024-12-31", "至少要举办1期专题培训班", recurrence="每年"),
            m("2025-12-31", "至少要举办1期专题培训班", recurrence="每年"),
        ],
    ),
    deadline("每年12月", [m("2024-12-31", recurrence="每年"), m("2025-12-31", recurrence="每年")]),
    deadline(
        "每半年",
        [
            m("2024-06-30", recurrence="每半年"),
            m("2024-12-31", recurrence="每半年"),
            m("2025-06-30", recurrence="每半年"),
            m("2025-12-31", recurrence="每半年"),
        ],
    ),
    # A start inside the phrase moves the recurrences' first day (2024-07-01).
    deadline(
        "2024年7月起，每季度报送",
        [m(d, "报送", recurrence="每季度") for d in QUARTER_ENDS_FROM_PUBLICATION[1:]],
        start="2024-07-01",
    ),
    deadline(
        "自2024年7月起每季度末前报送",
        [m(d, "报送", recurrence="每季度") for d in QUARTER_ENDS_FROM_PUBLICATION[1:]],
        start="2024-07-01",
    ),
    # Built-in words.
    deadline("长期", [], ongoing=True, undated=True),
    deadline("长期坚持", [], ongoing=True, undated=True),
    deadline("常态化推进", [], ongoing=True, undated=True),
    deadline("持续推进", [], ongoing=True, undated=True),
    deadline("按上级要求", [], undated=True),
    deadline("及时", [], undated=True),
    deadline("及时报送", [], undated=True, undated_what=("报送",)),
    deadline("适时开展评估", [], undated=True, undated_what=("开展评估",)),
    deadline("立即执行", [m("2024-04-29", "立即执行")]),
    deadline("立行立改", [m("2024-04-29", "立行立改")]),
    deadline("立行立改（县公安局）", [m("2024-04-29", "立行立改", ("县公安局",))]),
    deadline(
        "2024年6月底前完成，适时开展评估",
        [m("2024-06-30")],
        undated_what=("开展评估",),
    ),
]


@pytest.mark.parametrize(("phrase", "expected"), FAMILY_CASES, ids=[c[0] for c in FAMILY_CASES])
def test_family_forms(phrase: str, expected: Deadline) -> None:
    assert family(phrase) == expected


def test_family_forms_cover_every_phrase_of_the_issue_and_the_notes() -> None:
    # Issue 12's list and domain-notes.md's list, as written there.
    listed = [
        "长期",
        "长期坚持",
        "常态化推进",
        "持续推进",
        "按上级要求",
        "及时",
        "立即执行",
        "立行立改",
        "年底前",
        "2024年第一季度",
        "一季度",
        "每季度末",
        "2024.12",
        "每年12月",
        "每年至少1次",
        "2023年起",
        "2023年12月中旬起",
        "为期一年",
        "2024年—2025年",
        "2024年底前完成，2025年持续推进",
        "适时开展评估",
        "5月底前",
    ]
    assert set(listed) <= {phrase for phrase, _ in FAMILY_CASES}


@pytest.mark.parametrize(
    ("phrase", "dues"),
    [
        # Every year of the period from the effective start: 2023 is not owed.
        ("5月底前", ["2024-05-31", "2025-05-31"]),
        ("年底前", ["2024-12-31", "2025-12-31"]),
        ("一季度", ["2025-03-31"]),  # 2024-03-31 precedes the publication on 2024-04-29
        ("3月25日、9月25日前", ["2024-09-25", "2025-03-25", "2025-09-25"]),
    ],
)
def test_yearless_dates_every_year(phrase: str, dues: list[str]) -> None:
    result = family(phrase, yearless="every-year")
    assert result.milestones == tuple(m(d, recurrence="每年") for d in dues)


def test_plan_year_is_the_year_of_the_effective_start() -> None:
    # Period 2023—2025, effective 2024-04-29: the plan's year is 2024, not 2023.
    assert family("5月底前").milestones == (m("2024-05-31"),)
    # Without an effective start, the period start's year.
    result = parse_deadline("5月底前", CAMPAIGN_START, CAMPAIGN_END, yearless="plan-year")
    assert result.milestones == (m("2023-05-31"),)


def test_recurrences_never_fall_before_the_effective_start() -> None:
    # Issue 12: a 台账 for 2023—2025 published 2024-04-29 owes no report before publication.
    before = parse_deadline("每季度", CAMPAIGN_START, CAMPAIGN_END)
    after = family("每季度")
    assert [str(x.due) for x in before.milestones][:5] == [
        "2023-03-31",
        "2023-06-30",
        "2023-09-30",
        "2023-12-31",
        "2024-03-31",
    ]
    assert len(before.milestones) == 12
    assert after.milestones == tuple(
        m(d, recurrence="每季度") for d in QUARTER_ENDS_FROM_PUBLICATION
    )
    # The 28th of April 2024 is the day before publication: the first report is in May.
    monthly = family("每月28日前")
    assert monthly.milestones[0] == m("2024-05-28", recurrence="每月")
    assert len(monthly.milestones) == 8 + 12


def test_an_effective_start_before_the_period_changes_nothing() -> None:
    for phrase, expected in LEDGER_CASES + OTHER_CASES:
        early = parse_deadline(phrase, START, END, effective_start=date(2023, 6, 1))
        assert early == expected


def test_defaults_reproduce_todays_answers_for_kaiping() -> None:
    # plan.py calls parse_deadline(phrase, start, end); an explicit effective start equal to
    # the period start and the every-year reading are the same thing.
    for phrase, expected in LEDGER_CASES + OTHER_CASES:
        explicit = parse_deadline(
            phrase, START, END, effective_start=START, vocabulary=None, yearless="every-year"
        )
        assert explicit == expected


def test_one_off_dates_before_the_effective_start_are_kept() -> None:
    # Written with a year, they were meant (Kaiping's 2024年1月底前, issued 2024-02-09).
    assert family("2024年3月底前报送").milestones == (m("2024-03-31", "报送"),)


def test_words_due_at_once_fall_on_the_period_start_without_an_effective_start() -> None:
    result = parse_deadline("立即执行", CAMPAIGN_START, CAMPAIGN_END)
    assert result.milestones == (m("2023-01-01", "立即执行"),)


# --------------------------------------------------------------------------------------------
# A plan's own vocabulary.

PLAN_WORDS = Vocabulary.of(
    {
        "尽快": "start",
        "视情况": "undated",
        "三年内完成": "end",
        "长抓不懈": "ongoing",
        "适时": "start",  # a plan may redefine a built-in word
    }
)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        deadline("尽快", [m("2024-04-29", "尽快")]),
        deadline("尽快完成整改", [m("2024-04-29", "尽快完成整改")]),
        deadline("视情况", [], undated=True),
        deadline("视情况开展", [], undated=True, undated_what=("开展",)),
        deadline("三年内完成", [m("2025-12-31")]),
        deadline("长抓不懈", [], ongoing=True, undated=True),
        deadline("2024年底前完成并长抓不懈", [m("2024-12-31")], ongoing=True),
        deadline("适时", [m("2024-04-29", "适时")]),
        # Built-in words the plan did not redefine still work.
        deadline("长期", [], ongoing=True, undated=True),
        deadline("及时", [], undated=True),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_plan_vocabulary(phrase: str, expected: Deadline) -> None:
    assert family(phrase, vocabulary=PLAN_WORDS) == expected


def test_plan_vocabulary_teaches_words_the_parser_refused() -> None:
    with pytest.raises(DeadlineError):
        family("尽快")
    with pytest.raises(DeadlineError):
        family("视情况")


def test_vocabulary_words_are_normalised_like_phrases() -> None:
    words = Vocabulary.of({"按 上级 部署": "undated", "ＡＳＡＰ": "start"})
    assert family("按上级部署", vocabulary=words) == Deadline("按上级部署", (), False, True)
    assert family("ASAP", vocabulary=words).milestones == (m("2024-04-29", "ASAP"),)


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"": "ongoing"}, "为空"),
        ({"  ": "undated"}, "为空"),
        ({"尽快": "soon"}, "含义"),
        ({"尽快，": "start"}, "逗号"),
        ({"尽快(2)": "start"}, "括号"),
    ],
)
def test_bad_vocabulary_is_refused(mapping: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Vocabulary.of(mapping)


def test_an_unknown_yearless_reading_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="yearless") as caught:
        family("5月底前", yearless="some-years")
    assert not isinstance(caught.value, DeadlineError)


def test_builtin_vocabulary_lists_the_builtin_words() -> None:
    assert BUILTIN_VOCABULARY.meaning("长期") == "ongoing"
    assert BUILTIN_VOCABULARY.meaning("按上级要求") == "undated"
    assert BUILTIN_VOCABULARY.meaning("立行立改") == "start"
    assert BUILTIN_VOCABULARY.meaning("尽快") is None


@pytest.mark.parametrize(
    ("phrase", "column"),
    [
        ("2024年第五季度", 5),
        ("第零季度", 0),
        ("每年至少", 0),
        ("2023年起，2024年起", 7),
        ("3月、4月起", 0),
        ("2024年6月起完成", 8),
        ("长期坚持开展", 0),
        ("为期0年", 0),
        ("为期一百年", 0),
        ("适时（县公安局）", 2),
        ("2024.13", 0),
        ("2024.2.30", 0),
        ("24.6", 0),
    ],
)
def test_family_errors_report_the_column(phrase: str, column: int) -> None:
    with pytest.raises(DeadlineError) as caught:
        family(phrase)
    assert caught.value.column == column
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)


def _check_family_never_crashes(
    phrase: str, effective: date, yearless: str, vocabulary: Vocabulary | None
) -> None:
    try:
        result = parse_deadline(
            phrase,
            CAMPAIGN_START,
            CAMPAIGN_END,
            effective_start=effective,
            vocabulary=vocabulary,
            yearless=yearless,  # type: ignore[arg-type]
        )
    except DeadlineError as error:
        assert 0 <= error.column <= len(phrase)
        return
    assert result.phrase == phrase
    assert all(x.due is not None for x in result.milestones)
    assert not (result.undated and result.milestones)
    lower = max(CAMPAIGN_START, effective, result.start or CAMPAIGN_START)
    for milestone in result.milestones:
        assert milestone.recurrence is None or lower <= milestone.due <= CAMPAIGN_END  # type: ignore[operator]
    if result.start is not None:
        assert all(x.what != "起" for x in result.milestones)


FAMILY_TOKENS = st.sampled_from(
    [
        "2024年",
        "2023年",
        "2024年—2025年",
        "第一季度",
        "一季度",
        "第五季度",
        "季度",
        "上半年",
        "年底",
        "6月",
        "中旬",
        "15日",
        "底",
        "前",
        "起",
        "为期",
        "一年",
        "半年",
        "6个月",
        "每年",
        "每季度",
        "每月",
        "末",
        "至少",
        "1次",
        "2024.12",
        ".",
        "、",
        "，",
        "（",
        "）",
        "县公安局",
        "长期",
        "持续推进",
        "立行立改",
        "及时",
        "尽快",
        "并",
        "完成",
        " ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(FAMILY_TOKENS, max_size=10).map("".join),
    st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 12, 31)),
    st.sampled_from(["every-year", "plan-year"]),
    st.sampled_from([None, PLAN_WORDS]),
)
def test_family_tokens_parse_or_raise_deadline_error(
    phrase: str, effective: date, yearless: str, vocabulary: Vocabulary | None
) -> None:
    _check_family_never_crashes(phrase, effective, yearless, vocabulary)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.dates(), st.sampled_from(["every-year", "plan-year"]))
def test_any_text_any_effective_start_parses_or_raises(
    phrase: str, effective: date, yearless: str
) -> None:
    _check_family_never_crashes(phrase, effective, yearless, PLAN_WORDS)


def test_fangcheng_ledger_cells() -> None:
    # docs/sources/fangcheng: the two complete 完成时限 cells, as an encoder would write them
    # (row 2 split as README's reading A); answers as in its expected.md.
    row1 = family("2025年年底前完成并长期推进")
    assert row1.milestones == (m("2025-12-31"),)
    assert row1.ongoing
    row2 = family("2024年3月底前报送2024年度培训计划，适时报送2025年度培训计划")
    assert row2.milestones == (m("2024-03-31", "报送2024年度培训计划"),)
    assert row2.undated_what == ("报送2025年度培训计划",)
    assert not row2.ongoing and not row2.undated
