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


# 督办 (issue 15): a progress log and the 通报 ranking on 2025-01-01 it gives, worked out by hand
# (used by tests/unit/core/test_supervision.py and tests/cli/test_supervision_commands.py).
# Due before 2025-01-01, per unit (the module docstring and test_queries' table): 市司法局 35
# (20, 35, 17, 28, 29, 30 ×2, 18 May, 3, 5, 6, 8, 11, 12, 52, 54, 31, 65, 27 ×2, 18 Nov, 34,
# 8's 11-30 text deadline, 1, 2, 4, 7, 13, 46, 19, 48, 36, 37, 55, 60); each of the 7 departments
# of 涉及执法职权下放的市直行政执法部门 32 (as 市公安局's 31, 39's December milestone instead of
# its June one, plus 10); 市发展和改革局、市公安局、市交通运输局、市水利局、市文化广电旅游体育局、
# 市应急管理局 31; each town 27; 市政务服务数据管理局 6 (28, 29, 30 ×2, 54, 55); 市委机构编制委员会
# 办公室 2 (36, 60); 市财政局、市人力资源和社会保障局 0 (59, 62 fall in 2025).
# Sum: 35 + 7×32 + 6×31 + 15×27 + 6 + 2 = 858 = the 2024 milestone sizes of test_queries' table.
RANKING_LOG = """progress:
  # 赤坎镇: three on time (17 by 02-06, 3 by 06-30, 1 by 12-31)
  - {measure: 17, unit: 赤坎镇, status: 已完成, date: "2024-02-05"}
  - {measure: 3, unit: 赤坎镇, status: 已完成, date: "2024-06-28"}
  - {measure: 1, unit: 赤坎镇, status: 已完成, date: "2024-12-20"}
  # 水口镇: 17 late, 3 on time
  - {measure: 17, unit: 水口镇, status: 已完成, date: "2024-03-10"}
  - {measure: 3, unit: 水口镇, status: 已完成, date: "2024-06-28"}
  # 月山镇: 17 on time, 3 and 1 late (1 on 2025-01-01 itself)
  - {measure: 17, unit: 月山镇, status: 已完成, date: "2024-02-01"}
  - {measure: 3, unit: 月山镇, status: 已完成, date: "2024-07-05"}
  - {measure: 1, unit: 月山镇, status: 已完成, date: "2025-01-01"}
  # 市公安局: 1 extended in time to 2025-03-31; 市交通运输局: 3 not applicable
  - {measure: 1, unit: 市公安局, status: 延期, date: "2024-12-15", note: 系统改造, until: "2025-03-31"}
  - {measure: 3, unit: 市交通运输局, status: 不适用, date: "2024-06-01", note: 培训由上级统一组织}
"""
# So on 2025-01-01 (overdue = due − closed − extended):
#   市司法局 35; the seven 32s; 市发展和改革局、市水利局、市文化广电旅游体育局、市应急管理局 31;
#   市公安局 30 (1 extended: not due), 市交通运输局 30 (3 不适用: no obligation) — tied, both with
#   按期完成率 0 (0/31, 0/30): unit order, 公安 first; the 12 other towns 27; 水口镇 25 (27 − 2);
#   月山镇 24 (1 on time of 27) before 赤坎镇 24 (3 of 27): tied, the lower rate first;
#   市政务服务数据管理局 6; 市委编办 2; 市财政局, 市人社局 0 with no rate: unit order.
DEVOLVED = ["市自然资源局", "市生态环境局开平分局", "市住房和城乡建设局", "市农业农村局",
            "市卫生健康局", "市市场监督管理局", "市城市管理和综合执法局"]  # fmt: skip
OTHER_TOWNS = ["三埠街道", "长沙街道", "沙塘镇", "苍城镇", "龙胜镇", "大沙镇", "马冈镇", "塘口镇",
               "百合镇", "蚬冈镇", "金鸡镇", "赤水镇"]  # fmt: skip
RANKING_2025_01_01 = [
    ("市司法局", 35),
    *((u, 32) for u in DEVOLVED),
    *((u, 31) for u in ["市发展和改革局", "市水利局", "市文化广电旅游体育局", "市应急管理局"]),
    ("市公安局", 30),
    ("市交通运输局", 30),
    *((u, 27) for u in OTHER_TOWNS),
    ("水口镇", 25),
    ("月山镇", 24),
    ("赤坎镇", 24),
    ("市政务服务数据管理局", 6),
    ("市委机构编制委员会办公室", 2),
    ("市财政局", 0),
    ("市人力资源和社会保障局", 0),
]
