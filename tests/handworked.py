"""Answers worked out by hand from the shipped plan.yaml, shared by the query and command tests.

How they were obtained is explained in tests/unit/core/test_queries.py's module docstring.
"""

from __future__ import annotations

from pathlib import Path

from conftest import PLAN

TOWNS = [
    "三埠街道", "长沙街道", "沙塘镇", "苍城镇", "龙胜镇", "大沙镇", "马冈镇", "塘口镇",
    "赤坎镇", "百合镇", "蚬冈镇", "金鸡镇", "月山镇", "赤水镇", "水口镇",
]  # fmt: skip
DEPARTMENTS = [
    "市发展和改革局", "市公安局", "市自然资源局", "市生态环境局开平分局", "市住房和城乡建设局",
    "市交通运输局", "市水利局", "市农业农村局", "市文化广电旅游体育局", "市卫生健康局",
    "市应急管理局", "市市场监督管理局", "市城市管理和综合执法局",
]  # fmt: skip
JUSTICE_AND_DEPARTMENTS = ["市司法局", *DEPARTMENTS]  # measures 20 and 35, in registry order

# The 18 overdue rows on 2024-07-01 (from the table in the module docstring: everything due
# before 2024-07-01), as (measure, due, days overdue, units owing), most overdue first, then
# by measure.  Days: 2024 is a leap year; 01-31 -> 07-01 is 29+31+30+31+30+1 = 152.
OVERDUE_2024_07_01 = [
    (20, "2024-01-31", 152, 14),
    (35, "2024-01-31", 152, 14),
    (17, "2024-02-06", 146, 29),  # 02-06 -> 02-29 is 23, +31+30+31+30+1
    (28, "2024-04-30", 62, 30),  # 31 (May) + 30 (June) + 1
    (29, "2024-04-30", 62, 30),
    (30, "2024-04-30", 62, 30),
    (30, "2024-05-15", 47, 30),  # 16 + 30 + 1
    (18, "2024-05-31", 31, 29),
    (3, "2024-06-30", 1, 29),
    (5, "2024-06-30", 1, 29),
    (6, "2024-06-30", 1, 29),
    (8, "2024-06-30", 1, 29),
    (9, "2024-06-30", 1, 28),
    (11, "2024-06-30", 1, 29),
    (12, "2024-06-30", 1, 29),
    (39, "2024-06-30", 1, 2),
    (52, "2024-06-30", 1, 1),
    (54, "2024-06-30", 1, 30),
]


# Progress written by hand, as a coordinator would append it to plan.yaml.
PROGRESS = """progress:
  # 20: 市公安局 first reports 推进中, then 已完成 (written with its short form 公安).
  - {measure: 20, unit: 市公安局, status: 推进中, date: "2024-01-15"}
  - {measure: 20, unit: 公安, status: 已完成, date: "2024-01-30", note: 开公〔2024〕3号|附件}
  # 17: 赤坎镇 files on time, then its filing is sent back: open again from 2024-03-01.
  - {measure: 17, unit: 赤坎镇, status: 已完成, date: "2024-02-05"}
  - {measure: 17, unit: 赤坎, status: 推进中, date: "2024-03-01", note: 备案材料退回补正}
  # 52: 市司法局 alone owes it, done two days early.
  - {measure: 52, unit: 市司法局, status: 已完成, date: "2024-06-28"}
  # 39, first milestone (市公安局、市交通运输局 only): 公安 on time, 交通 ten days late.
  - {measure: 39, unit: 市公安局, milestone: "2024-06-30", status: 已完成, date: "2024-06-20"}
  - {measure: 39, unit: 市交通运输局, milestone: "2024-06-30", status: 已完成, date: "2024-07-10"}
  # 18, yearly: 赤坎镇 reports the May 2024 occurrence only.
  - {measure: 18, unit: 赤坎镇, milestone: "2024-05-31", status: 已完成, date: "2024-05-30"}
  # 10: 市自然资源局 has no devolved powers.
  - {measure: 10, unit: 市自然资源局, status: 不适用, date: "2024-03-01", note: 未下放执法事项}
  # 27, first milestone (2024-10-31): 市水利局 under way.
  - {measure: 27, unit: 市水利局, milestone: "2024-10-31", status: 推进中, date: "2024-06-15"}
  # 3: 市公安局 delayed, with the reason.
  - {measure: 3, unit: 市公安局, status: 延期, date: "2024-06-25", note: 机构调整，顺延至9月}
  # 21 (长期推进): 赤坎镇 reports it is working on it.
  - {measure: 21, unit: 赤坎镇, status: 推进中, date: "2024-04-01"}
  # 35: all 14 units (市司法局 + the 13 departments) complete it before the due date.
  - {measure: 35, unit: 市司法局, status: 已完成, date: "2024-01-25"}
  - {measure: 35, unit: 发展改革, status: 已完成, date: "2024-01-25"}
  - {measure: 35, unit: 公安, status: 已完成, date: "2024-01-25"}
  - {measure: 35, unit: 自然资源, status: 已完成, date: "2024-01-25"}
  - {measure: 35, unit: 生态环境, status: 已完成, date: "2024-01-25"}
  - {measure: 35, unit: 住房城乡建设, status: 已完成, date: "2024-01-25"}
  - {measure: 35, unit: 交通运输, status: 已完成, date: "2024-01-25"}
  - {measure: 35, unit: 水利, status: 已完成, date: "2024-01-25"}
  - {measure: 35, unit: 农业农村, status: 已完成, date: "2024-01-25"}
  - {measure: 35, unit: 文化广电旅游体育, status: 已完成, date: "2024-01-25"}
  - {measure: 35, unit: 卫生健康, status: 已完成, date: "2024-01-25"}
  - {measure: 35, unit: 应急管理, status: 已完成, date: "2024-01-25"}
  - {measure: 35, unit: 市场监管, status: 已完成, date: "2024-01-26"}
  - {measure: 35, unit: 城市管理综合执法, status: 已完成, date: "2024-01-31"}
"""


def with_progress(path: Path, progress: str = PROGRESS) -> Path:
    """Write the shipped plan with `progress: []` replaced by hand-written entries."""
    text = PLAN.read_text(encoding="utf-8")
    assert text.count("\nprogress: []") == 1
    path.write_text(text.replace("\nprogress: []", "\n" + progress), encoding="utf-8")
    return path
