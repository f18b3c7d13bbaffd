"""Tests for kpzf.deadline: every 完成时限 phrase of the plan, other cities' forms, errors."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpzf.deadline import Deadline, DeadlineError, DueMilestone, parse_deadline

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
