"""Semantic checks of a loaded plan: each returns problems; `run_checks` runs them all."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Sequence

from .errors import WARNING, PlanError, Problem
from .model.deadline import Vocabulary
from .model.models import Measure, ProgressEntry, Section
from .model.plan import LoadedPlan
from .model.progress import DELAYED, STATUSES, milestone_key_for
from .model.registry import Registry, normalize_name
from .model.resolve import (
    EARLIEST_YEAR,
    FROM_TEXT,
    LATEST_YEAR,
    MAX_PERIOD_YEARS,
    ResolvedMeasure,
    due_passed,
    expansion_end,
    label_ordinal,
    measure_ids,
    placed_measures,
    ref_role_names,
    text_roles,
    vocabulary_entries,
)
from .model.roles import ROLE_WORD

Check = Callable[[LoadedPlan, dt.date], Iterator[Problem]]



def check_registry(plan: LoadedPlan, today: dt.date) -> Iterator[Problem]:
    """Names and aliases are unique; group members exist; no group contains itself."""
    doc, model, registry = plan.document, plan.model, plan.registry
    owners: dict[str, str] = {}
    # Where each name was first defined; its line is looked up only for a duplicate, since a
    # line needs the node tree, which a valid plan never composes (~500 MB and 3 s at 100×).
    defined_at: dict[str, tuple[str, int]] = {}
    entries = [("units", i, u.name, u.aliases) for i, u in enumerate(model.units)] + [
        ("groups", i, g.name, g.aliases) for i, g in enumerate(model.groups)
    ]
    for section, i, name, _ in entries:  # names before aliases: a clash is the alias's fault
        key = normalize_name(name)
        if key in owners:
            same = "" if owners[key] == name else f"（与“{owners[key]}”只差全角、半角或空格）"
            first = doc.locate((*defined_at[key], "name")).line
            yield doc.problem(
                (section, i, "name"),
                f"“{name}”重复定义{same}（第一次在第 {first} 行）",
                hint="每个单位和组只能定义一次；如为同一单位的另一种写法，请写进 aliases",
                code="duplicate-unit",
            )
        else:
            owners[key] = name
            defined_at[key] = (section, i)
    for section, i, name, aliases in entries:
        for j, alias in enumerate(aliases):
            key = normalize_name(alias)
            owner = owners.get(key)
            if owner is not None and owner != name:
                taken = "名称" if normalize_name(owner) == key else "别名"
                yield doc.problem(
                    (section, i, "aliases", j),
                    f"“{name}”的别名“{alias}”已是“{owner}”的{taken}",
                    hint="一个名称只能指向一个单位或组",
                    code="duplicate-alias",
                )
            owners.setdefault(key, name)
    for i, group in enumerate(model.groups):
        for field in ("members", "exclude"):
            for j, member in enumerate(getattr(group, field)):
                if registry.resolve(member) is None:
                    yield doc.problem(
                        ("groups", i, field, j),
                        f"组“{group.name}”的成员“{member}”不在单位名录中",
                        hint="请先在 units 中添加该单位，或检查名称拼写",
                        code="unknown-unit",
                    )
        if not group.members:
            yield doc.problem(
                ("groups", i, "members"),
                f"组“{group.name}”没有成员",
                hint="请列出成员，或删除这个组",
                code="empty-group",
            )
    yield from _group_cycles(plan)


def _group_cycles(plan: LoadedPlan) -> Iterator[Problem]:
    """Each cycle among groups once, found by a depth-first walk with an explicit stack
    (a chain of groups thousands deep must not exhaust Python's recursion limit)."""
    registry = plan.registry
    index = {g.name: i for i, g in enumerate(plan.model.groups)}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[str] = set()

    def edges(name: str) -> Iterator[tuple[str, str]]:
        group = registry.groups[name]
        for field in ("members", "exclude"):
            for member in getattr(group, field):
                canonical = registry.resolve(member)
                if canonical is not None and registry.is_group(canonical):
                    yield field, canonical

    for root in registry.groups:
        if root in state:
            continue
        state[root] = 1
        trail = [root]
        position = {root: 0}  # where each group on the trail sits, for slicing out a cycle
        stack = [edges(root)]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                done = trail.pop()
                del position[done]
                state[done] = 2
                continue
            field, child = step
            if state.get(child) == 1:
                if child not in reported:
                    reported.add(child)
                    cycle = trail[position[child]:] + [child]
                    yield plan.document.problem(
                        ("groups", index[trail[-1]], field),
                        "组循环包含自身：" + " → ".join(_shorten(cycle)),
                        hint="组的成员不能（直接或间接）包含这个组本身",
                        code="group-cycle",
                    )
            elif child not in state:
                state[child] = 1
                position[child] = len(trail)
                trail.append(child)
                stack.append(edges(child))


def _shorten(cycle: list[str], keep: int = 10) -> list[str]:
    """A cycle thousands of groups long, named by its first and last few groups."""
    if len(cycle) <= 2 * keep:
        return cycle
    return [*cycle[:keep], f"…（共 {len(cycle) - 1} 个组）…", *cycle[-keep:]]


def check_structure(plan: LoadedPlan, today: dt.date) -> Iterator[Problem]:
    """The file's parts agree with its version: version 1 has areas; version 2 declares its
    levels, and every measure sits at the last of them."""
    doc, model = plan.document, plan.model
    if model.version == 1:
        for key in ("structure", "items", "measures"):
            if getattr(model, key) is not None:
                yield doc.problem(
                    (key,),
                    f"{key} 属于 version 2 格式，version 1 的文件不能使用",
                    hint="请把 version 改为 2 并按 README 的 plan.yaml 格式改写，或删去此项",
                    code="format",
                )
        if model.areas is None:
            yield doc.problem(("version",), "version 1 的文件缺少 areas", code="format")
        for p in placed_measures(model):  # version 1 has a 完成时限 column on every row
            if p.measure.deadline is None:
                yield doc.problem(p.path, "缺少必填字段“deadline”", code="schema")
        return
    if model.areas is not None:
        yield doc.problem(
            ("areas",),
            "areas 是 version 1 的写法；version 2 用 structure.levels 和 items",
            hint="请按 README 的 plan.yaml 格式改写，或把 version 改回 1",
            code="format",
        )
    if model.structure is None:
        yield doc.problem(
            ("version",),
            "version 2 的文件须有 structure（层级名称与编号方式）",
            hint="例如 structure: {levels: [{name: 部分}, {name: 事项}]}",
            code="format",
        )
        return
    if model.items is None and model.measures is None:
        yield doc.problem(("version",), "文件中没有任何措施（items 或 measures）", code="format")
    names = [level.name for level in model.structure.levels]
    yield from _section_depths(plan, model.items or [], model.measures or [], 0, (), names)


def _section_depths(
    plan: LoadedPlan,
    sections: list[Section],
    measures: list[Measure],
    depth: int,
    base: tuple[str | int, ...],
    names: list[str],
) -> Iterator[Problem]:
    doc, last = plan.document, len(names) - 1
    if measures and depth != last:
        yield doc.problem(
            (*base, "measures"),
            f"措施（{names[-1]}）应在第 {last + 1} 级，这里在第 {depth + 1} 级",
            hint=f"层级为 {'→'.join(names)}；请检查缩进或 structure.levels",
            code="levels",
        )
    for si, section in enumerate(sections):
        path = (*base, "items", si)
        if depth >= last:
            yield doc.problem(
                path,
                f"“{section.title}”超出了方案的 {len(names)} 级（{'→'.join(names)}）",
                hint="措施写在最后一级之上的条目的 measures 下",
                code="levels",
            )
            continue
        if not section.items and not section.measures:
            yield doc.problem(
                path,
                f"{names[depth]}“{section.title}”下没有内容",
                hint=f"请在其下写 {'items' if depth + 1 < last else 'measures'}",
                code="empty",
            )
        yield from _section_depths(plan, section.items, section.measures, depth + 1, path, names)


def check_numbering(plan: LoadedPlan, today: dt.date) -> Iterator[Problem]:
    """Numbers follow the plan's declaration: version 1 numbers areas, tasks and measures 1..N
    across the plan; version 2 declares global or per-parent numbering per level."""
    if plan.model.areas is not None:
        yield from _numbering_v1(plan)
    elif plan.model.structure is not None:
        yield from _numbering_v2(plan)
    yield from _duplicate_ids(plan)


def _numbering_v2(plan: LoadedPlan) -> Iterator[Problem]:
    """Each level's labels count 1, 2, 3… — across the plan (global) or under each parent."""
    model = plan.model
    assert model.structure is not None
    levels = model.structure.levels
    counters: dict[int, int] = {}  # depth → the last ordinal seen (global levels)

    def visit(
        labels: list[tuple[str | None, int | None, tuple[str | int, ...]]], depth: int, parent: str
    ) -> Iterator[Problem]:
        if depth >= len(levels) or levels[depth].numbering == "none":
            return
        level = levels[depth]
        previous = counters.get(depth, 0) if level.numbering == "global" else 0
        for label, number, path in labels:
            ordinal = number if number is not None else label_ordinal(label)
            if ordinal is None:
                if label is not None:
                    yield plan.document.problem(
                        path + ("label",),
                        f"{level.name}编号“{label}”读不出序号",
                        hint="可写 一、（一）1.（1）① 1.1 等；不按序号编排的一级请声明 numbering: none",
                        code="numbering",
                    )
                continue
            if ordinal != previous + 1:
                scope = "全方案连续编号" if level.numbering == "global" else f"在“{parent}”之下从 1 编号"
                shown = label if label is not None else str(number)
                what = "重复" if ordinal <= previous else "跳号"
                yield plan.document.problem(
                    path + ("label" if number is None else "number",),
                    f"{level.name}序号应为 {previous + 1}，这里是“{shown}”（{what}）",
                    hint=f"本级声明为 {level.numbering}：{scope}",
                    code="numbering",
                )
            previous = ordinal
        if level.numbering == "global":
            counters[depth] = previous

    def walk(sections: list[Section], measures: list[Measure], depth: int,
             base: tuple[str | int, ...], parent: str) -> Iterator[Problem]:
        yield from visit(
            [(s.label, None, (*base, "items", i)) for i, s in enumerate(sections)], depth, parent
        )
        for i, s in enumerate(sections):
            yield from walk(s.items, s.measures, depth + 1, (*base, "items", i),
                            f"{s.label or ''}{s.title}")
        if measures:
            yield from visit(
                [(m.label, m.number, (*base, "measures", i)) for i, m in enumerate(measures)],
                len(levels) - 1,
                parent,
            )

    yield from walk(model.items or [], model.measures or [], 0, (), "方案")


def _duplicate_ids(plan: LoadedPlan) -> Iterator[Problem]:
    """Progress names a measure by its id: two measures may not share one."""
    first: dict[str, tuple[str | int, ...]] = {}
    placed = list(placed_measures(plan.model))
    for p, measure_id in zip(placed, measure_ids(plan.model, placed), strict=True):
        if measure_id not in first:
            first[measure_id] = p.path
            continue
        if plan.model.areas is not None and p.measure.id is None:
            continue  # version 1: the numbering check reports the duplicate number
        line = plan.document.locate(first[measure_id]).line
        key = "id" if p.measure.id is not None else ("label" if p.measure.label else "text")
        yield plan.document.problem(
            p.path + (key,),
            f"措施编号 {measure_id} 重复（第一次在第 {line} 行）",
            hint="进度记录按措施编号（id）指称措施，每个编号只用一次；可写明 id",
            code="duplicate-measure",
        )


def _numbering_v1(plan: LoadedPlan) -> Iterator[Problem]:
    """Areas, tasks and measures are numbered 1..N without gaps; every task has measures."""
    doc, model = plan.document, plan.model
    assert model.areas is not None
    expected_task = 1
    expected_measure: tuple[int, ...] = (1,)
    for ai, area in enumerate(model.areas):
        if area.number != ai + 1:
            yield doc.problem(
                ("areas", ai, "number"),
                f"重点任务序号应为 {ai + 1}，这里是 {area.number}",
                hint="重点任务按 1、2、3… 连续编号",
                code="numbering",
            )
        if not area.tasks:
            yield doc.problem(("areas", ai, "tasks"), f"重点任务 {area.number} 没有具体任务", code="empty")
        for ti, task in enumerate(area.tasks):
            if task.number != expected_task:
                yield doc.problem(
                    ("areas", ai, "tasks", ti, "number"),
                    f"具体任务序号应为 {expected_task}，这里是 {task.number}",
                    hint="具体任务在全方案内按 1、2、3… 连续编号，不重复、不跳号",
                    code="numbering",
                )
            expected_task = task.number + 1
            if not task.measures:
                yield doc.problem(
                    ("areas", ai, "tasks", ti, "measures"),
                    f"具体任务 {task.number}“{task.title}”没有主要措施",
                    hint="每项具体任务至少有一项主要措施",
                    code="empty-task",
                )
            for mi, measure in enumerate(task.measures):
                path = ("areas", ai, "tasks", ti, "measures", mi, "number")
                if measure.number is None:
                    yield doc.problem(path[:-1], "version 1 的措施须有 number（序号）", code="numbering")
                    continue
                problem, expected_measure = _measure_number(
                    plan, path, measure.number, expected_measure
                )
                if problem is not None:
                    yield problem
    for ii, item in enumerate(model.implementation):
        where = ("implementation", ii, "number")
        if item.number is None:
            yield doc.problem(where[:-1], "version 1 的组织实施事项须有 number（序号）", code="numbering")
            continue
        problem, expected_measure = _measure_number(plan, where, item.number, expected_measure)
        if problem is not None:
            yield problem


def _measure_number(
    plan: LoadedPlan, path: tuple[str | int, ...], number: int, expected: tuple[int, ...]
) -> tuple[Problem | None, tuple[int, ...]]:
    """The problem with one measure number, if any, and the numbers the next one may have.

    After a wrong number the next one is accepted both as continuing the sequence it broke
    (the wrong one was a typo: 1, 2, 8, 4) and as continuing from it (a gap: 1, 2, 7, 8), so
    one mistake is one problem, not two.
    """
    slot = expected[0]
    first = plan.measures.get(number)
    if first is not None and first.path != path[:-1]:
        line = plan.document.locate(first.path + ("number",)).line
        message, rule = f"措施序号 {number} 重复（第一次在第 {line} 行）", "每个序号只用一次"
        code, after = "duplicate-measure", (slot + 1, number + 1)
    elif number not in expected:
        message, rule = f"措施序号应为 {slot}，这里是 {number}", "不跳号"
        code, after = "numbering", (number + 1, slot + 1)
    else:
        return None, (number + 1,)
    hint = f"措施在全方案内按 1、2、3… 连续编号，{rule}"
    return plan.document.problem(path, message, hint=hint, code=code), after


def check_units(plan: LoadedPlan, today: dt.date) -> Iterator[Problem]:
    """Every responsible-unit reference is known and agrees with the verbatim 责任单位 text."""
    doc, registry = plan.document, plan.registry
    for measure in plan.measures.values():
        path = measure.path
        refs: set[str] = set()
        for j, ref in enumerate(measure.model.unit_refs):
            found = ref_role_names(ref, registry)  # a name, or one with role words (X牵头)
            if not found:
                yield doc.problem(
                    path + ("unit_refs", j),
                    f"措施 {measure.id}：责任单位“{ref}”不在单位名录中",
                    hint=_unknown_hint(plan, ref),
                    code="unknown-unit",
                )
            else:
                refs.update(c for c, _ in found)
        for field in ("lead", "assist", "responsible"):
            for j, name in enumerate(getattr(measure.model, field) or ()):
                if registry.resolve(name) is None:
                    yield doc.problem(
                        path + (field, j),
                        f"措施 {measure.number}：{ROLE_WORD[field]}单位“{name}”不在单位名录中",
                        hint=_unknown_hint(plan, name),
                        code="unknown-unit",
                    )
                else:
                    refs.add(registry.resolve(name) or name)
        written: set[str] = set()
        # the one reading of unit text (model/roles.py): role words are not unit names
        for piece, _role in text_roles(measure.units_text):
            canonical = registry.resolve(piece)
            if canonical is None:
                yield doc.problem(
                    path + ("units",),
                    f"措施 {measure.id}：责任单位原文中的“{piece}”不在单位名录中",
                    hint=_unknown_hint(plan, piece),
                    code="unknown-unit",
                )
            else:
                written.add(canonical)
        if written and refs and written != refs:
            differ = sorted(written ^ refs)
            yield doc.problem(
                path + ("unit_refs",),
                f"措施 {measure.id}：unit_refs 与责任单位原文不一致（相差：{'、'.join(differ)}）",
                hint="修改责任单位时，请同时修改 units（原文）和 unit_refs",
                code="unit-mismatch",
            )
        for milestone in measure.milestones:
            if milestone.unit_refs is not None and not milestone.units:
                yield doc.problem(
                    path + ("deadline",),
                    f"措施 {measure.id}：节点 {milestone.key or '（无日期）'} 指定的单位都不是本措施的责任单位",
                    hint="括号中的单位须是本措施的责任单位（或其所在组）",
                    code="unit-not-responsible",
                )


def _unknown_hint(plan: LoadedPlan, name: str) -> str:
    _, candidates = plan.registry.find(name)
    if candidates:
        return f"是否指：{'、'.join(candidates[:5])}？也可以在 units 中添加该单位或别名"
    return "请在 units 或 groups 中添加该单位，或在已有单位的 aliases 中加上这个写法"


def check_deadlines(plan: LoadedPlan, today: dt.date) -> Iterator[Problem]:
    """Every 完成时限 can be read (or milestones are explicit) and falls within the plan period."""
    doc = plan.document
    start, end = plan.period
    meta = plan.model.meta
    if meta.period is None:
        yield from _undated_recurrences(plan)
    elif start > end:
        yield doc.problem(
            ("meta", "period", "end"),
            f"实施期结束日期 {end} 早于开始日期 {start}",
            code="bad-period",
        )
        return
    for field, day in (("start", start), ("end", end)) if meta.period is not None else ():
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            yield doc.problem(
                ("meta", "period", field),
                f"实施期的日期 {day} 不在 {EARLIEST_YEAR} 至 {LATEST_YEAR} 年之间",
                hint="请核对年份",
                code="bad-period",
            )
    if meta.period is not None and end > expansion_end(start, end):
        yield doc.problem(
            ("meta", "period", "end"),
            f"实施期 {start} 至 {end} 超过 {MAX_PERIOD_YEARS} 年",
            hint=f"请核对年份；kpzf 只展开实施期开始后 {MAX_PERIOD_YEARS} 年内的周期性节点",
            code="bad-period",
        )
    for measure in plan.measures.values():
        error = measure.deadline_error
        if error is not None:
            yield doc.problem(
                measure.path + ("deadline",),
                f"措施 {measure.id}：无法理解完成时限“{measure.deadline}”：{error.message}",
                hint="请改写为可识别的写法（如“2024年6月底前形成阶段性成果”），"
                "或在该措施下用 milestones 明确写出节点",
                code="bad-deadline",
                offset=error.column,
            )
            continue
        for i, milestone in enumerate(measure.milestones):
            if milestone.due is None or start <= milestone.due <= end:
                continue
            if milestone.source == FROM_TEXT:
                where = measure.path + ("text_deadlines",)
            else:
                where = measure.path + (("milestones", i, "due") if measure.explicit else ("deadline",))
            yield doc.problem(
                where,
                f"措施 {measure.id}：节点日期 {milestone.due} 不在实施期 {start} 至 {end} 内",
                hint="请核对年份，或调整 meta.period",
                code="out-of-period",
            )
    yield from _text_deadlines(plan)
    # Issued (or published) before the period begins is normal: a plan issued in April is
    # carried out from May. Issued after the period ended is a typing mistake.
    for field in ("issued", "published", "effective"):
        day = getattr(meta, field)
        if day is not None and day > end:
            yield doc.problem(
                ("meta", field),
                f"{_META_DATES[field]} {day} 晚于实施期结束日期 {end}",
                hint="请核对年份或 meta.period",
                code="out-of-period",
            )
    yield from _vocabulary(plan)


_META_DATES = {"issued": "印发日期", "published": "发布日期", "effective": "生效起点"}


def _vocabulary(plan: LoadedPlan) -> Iterator[Problem]:
    """The plan's own deadline words: each one usable, and no word given two meanings."""
    meanings: dict[str, str] = {}
    for word, meaning, index in vocabulary_entries(plan.model):
        path = ("deadlines", "words", meaning, index)
        try:
            Vocabulary.of({word: meaning})
        except ValueError as error:
            yield plan.document.problem(path, str(error), code="bad-vocabulary")
            continue
        before = meanings.setdefault(word, meaning)
        if before != meaning:
            yield plan.document.problem(
                path,
                f"期限用语“{word}”已在 {before} 中，不能同时属于 {meaning}",
                hint="一个用语只能有一种含义",
                code="bad-vocabulary",
            )


def _undated_recurrences(plan: LoadedPlan) -> Iterator[Problem]:
    """A plan stating no date at all cannot place a recurring deadline (每年…) in time."""
    if plan.effective_start is not None:
        return
    for measure in plan.measures.values():
        if any(m.recurrence for m in measure.milestones):
            yield plan.document.problem(
                ("meta",),
                f"措施 {measure.id} 有周期性期限，但方案没有实施期、印发或发布日期",
                hint="请在 meta 中写明 period、issued、published 或 effective",
                code="bad-period",
            )
            return


def _text_deadlines(plan: LoadedPlan) -> Iterator[Problem]:
    """text_deadlines: readable, quoted from the measure's own text, their units responsible,
    and never on a day on which the same unit already has a milestone of the measure (progress
    entries name a milestone by its date)."""
    doc, registry = plan.document, plan.registry
    for measure in plan.measures.values():
        where = measure.path + ("text_deadlines",)
        text = normalize_name(measure.text)
        for i, spec in enumerate(measure.model.text_deadlines):
            if normalize_name(spec.phrase) not in text:
                yield doc.problem(
                    where + (i, "phrase"),
                    f"措施 {measure.id}：原文时限“{spec.phrase}”在措施原文（text）中找不到",
                    hint="text_deadlines 只记措施原文中写明的时限，请照录原文的字句",
                    code="text-deadline-not-in-text",
                )
            for j, name in enumerate(spec.units or ()):
                canonical = registry.resolve(name)
                if canonical is None:
                    yield doc.problem(
                        where + (i, "units", j),
                        f"措施 {measure.id}：原文时限的单位“{name}”不在单位名录中",
                        hint=_unknown_hint(plan, name),
                        code="unknown-unit",
                    )
                elif not registry.expand(canonical) & measure.responsible:
                    yield doc.problem(
                        where + (i, "units", j),
                        f"措施 {measure.id}：原文时限的单位“{canonical}”不是本措施的责任单位",
                        hint=f"本措施的责任单位：{measure.units_text}",
                        code="unit-not-responsible",
                    )
        for i, error in measure.text_deadline_errors:
            yield doc.problem(
                where + (i, "phrase"),
                f"措施 {measure.id}：无法理解原文时限“{measure.model.text_deadlines[i].phrase}”："
                f"{error.message}",
                hint="请照录原文中写有日期的那一句，如“每年11月底前报送培训情况”",
                code="bad-deadline",
                offset=error.column,
            )
        seen: dict[tuple[str, str], int] = {}
        for milestone in measure.milestones:
            if milestone.key is None:
                continue
            for unit in milestone.units:
                other = seen.setdefault((milestone.key, unit), milestone.index)
                if other != milestone.index and milestone.source == FROM_TEXT:
                    yield doc.problem(
                        where,
                        f"措施 {measure.id}：原文时限与另一节点同为 {milestone.key}（{unit}）",
                        hint="同一单位同一天只能有一个节点（进度记录按日期指明节点）；"
                        "完成时限栏已有这一天的节点时，不必再写入 text_deadlines",
                        code="duplicate-milestone",
                    )
                    break


def _group_hint(registry: Registry, group: str) -> str:
    members = registry.in_order(registry.expand(group))
    example = f"，例如 {members[0]}" if members else ""
    return f"请为组内每个单位分别记录{example}"


def check_progress(plan: LoadedPlan, today: dt.date) -> Iterator[Problem]:
    """Each progress entry names a real measure, a responsible unit, a milestone and a status."""
    for _, problem in _progress_problems(plan, today):
        yield problem


def new_entry_problems(
    plan: LoadedPlan, entries: Sequence[ProgressEntry], today: dt.date
) -> list[list[Problem]]:
    """What check_progress says of each of `entries` were they appended to the plan's log.

    The same check `validate` and `record` run, on the plan with the entries added; one list
    per entry (empty: accepted), so that a caller can name the row each entry came from.
    """
    model = plan.model.model_copy(update={"progress": [*plan.model.progress, *entries]})
    first = len(plan.model.progress)
    found: list[list[Problem]] = [[] for _ in entries]
    extended = dataclasses.replace(plan, model=model)
    for index, problem in _progress_problems(extended, today, first):
        if index >= first:
            found[index - first].append(problem)
    return found


def _progress_problems(
    plan: LoadedPlan, today: dt.date, new: int | None = None
) -> Iterator[tuple[int, Problem]]:
    """(index in the log, problem) for every entry; `new`: where entries not in the file start."""
    doc, registry = plan.document, plan.registry
    start, _ = plan.period
    granted: dict[tuple[int, str, str | None], dt.date] = {}  # new dates granted earlier in the log
    for i, entry in enumerate(plan.model.progress):
        # Entries appended by new_entry_problems (from `new` on) are not in the file: placed
        # at the list. Every entry is checked: an earlier extension matters to a later one.
        path: tuple[str | int, ...] = (
            plan.progress_path(i) if new is None or i < new else ("progress", i)
        )
        number = plan.number_of(entry.measure)
        measure = None if number is None else plan.measures.get(number)
        if measure is None:
            yield i, doc.problem(
                path + ("measure",),
                f"进度记录引用的措施 {entry.measure} 不存在",
                hint=f"措施序号为 1 至 {max(plan.measures, default=0)}",
                code="unknown-measure",
            )
        unit = registry.resolve(entry.unit)
        if unit is None:
            yield i, doc.problem(
                path + ("unit",),
                f"进度记录中的单位“{entry.unit}”不在单位名录中",
                hint=_unknown_hint(plan, entry.unit),
                code="unknown-unit",
            )
        elif registry.is_group(unit):
            yield i, doc.problem(
                path + ("unit",),
                f"进度记录应由具体单位填写，“{entry.unit}”是一个组",
                hint=_group_hint(registry, unit),
                code="group-progress",
            )
        elif measure is not None and unit not in measure.responsible:
            yield i, doc.problem(
                path + ("unit",),
                f"“{unit}”不是措施 {measure.id} 的责任单位",
                hint=f"措施 {measure.id} 的责任单位：{measure.units_text}",
                code="unit-not-responsible",
            )
        if measure is not None:
            for problem in _progress_milestone(plan, path, entry, measure, unit):
                yield i, problem
            for problem in _extension(plan, path, entry, measure, unit, granted):
                yield i, problem
        if entry.status not in STATUSES:
            yield i, doc.problem(
                path + ("status",),
                f"未知的状态“{entry.status}”",
                hint=f"状态只能是：{'、'.join(STATUSES)}",
                code="bad-status",
            )
        elif entry.status == DELAYED and not entry.note.strip():
            yield i, doc.problem(
                path + ("status",),
                "状态为“延期”时须在 note 中写明原因",
                hint="例如 note: 因机构调整顺延至2025年3月",
                code="delay-without-reason",
            )
        if entry.date < start:
            yield i, doc.problem(
                path + ("date",),
                f"进度日期 {entry.date} 早于实施期开始日期 {start}",
                hint="请核对年份",
                code="bad-progress-date",
            )
        elif entry.date > today:
            yield i, doc.problem(
                path + ("date",),
                f"进度日期 {entry.date} 晚于今天（{today}）",
                hint="进度只能记录已经发生的事；请核对日期",
                code="bad-progress-date",
            )


def _progress_milestone(
    plan: LoadedPlan,
    path: tuple[str | int, ...],
    entry: ProgressEntry,
    measure: ResolvedMeasure,
    unit: str | None,
) -> Iterator[Problem]:
    doc = plan.document
    dated = [m for m in measure.milestones if m.due is not None]
    if entry.milestone is None:
        if len(measure.milestones) > 1:
            keys = "、".join(m.key or "（无日期）" for m in measure.milestones)
            yield doc.problem(
                path,
                f"措施 {measure.id} 有多个节点，进度记录须写明 milestone",
                hint=f"可选节点：{keys}",
                code="missing-milestone",
            )
        return
    key = milestone_key_for(entry, measure)
    milestone = measure.milestone(key)
    if milestone is None:
        keys = "、".join(m.key for m in dated if m.key) or "（该措施没有带日期的节点，请省略 milestone）"
        yield doc.problem(
            path + ("milestone",),
            f"措施 {measure.id} 没有截止日期为 {key} 的节点",
            hint=f"可选节点：{keys}",
            code="unknown-milestone",
        )
    elif unit is not None and unit in measure.responsible and unit not in milestone.units:
        yield doc.problem(
            path + ("unit",),
            f"措施 {measure.id} 的节点 {key} 不适用于“{unit}”",
            hint="该节点只适用于：" + "、".join(plan.registry.in_order(milestone.units)),
            code="unit-not-responsible",
        )


def _extension(
    plan: LoadedPlan,
    path: tuple[str | int, ...],
    entry: ProgressEntry,
    measure: ResolvedMeasure,
    unit: str | None,
    granted: dict[tuple[int, str, str | None], dt.date],
) -> Iterator[Problem]:
    """An approved new date (`until`) belongs to a 延期 entry on a dated milestone, is later than
    the milestone's date and is recorded by the date then in force (the milestone's, or a new
    date granted by an earlier entry: a second extension asked for in time is in time) —
    unless marked approved_late."""
    doc = plan.document
    if entry.until is None:
        if entry.approved_late:
            yield doc.problem(
                path + ("approved_late",),
                "approved_late 只用于批准的延期（带 until 的延期记录）",
                hint="写出批准的新截止日期 until，或删去 approved_late",
                code="approved-late-without-until",
            )
        return
    if entry.status != DELAYED:
        yield doc.problem(
            path + ("until",),
            f"until（批准的新截止日期）只用于状态“延期”，这条记录的状态是“{entry.status}”",
            hint="批准延期时写 status: 延期、until 和理由 note；完成后另记一条“已完成”，延期仍然有效",
            code="until-without-delay",
        )
    key = milestone_key_for(entry, measure)
    milestone = measure.milestone(key) if key is not None else None
    if milestone is None or milestone.due is None:
        if not measure.milestones or all(m.due is None for m in measure.milestones):
            yield doc.problem(
                path + ("until",),
                f"措施 {measure.id} 没有截止日期（{measure.deadline or '无完成时限'}），无从延期",
                hint="删去 until；长期推进的措施只记进度状态",
                code="until-undated",
            )
        return  # an unknown or missing milestone is reported by _progress_milestone
    key_of = (measure.number, unit or entry.unit, milestone.key)
    in_force = granted.get(key_of, milestone.due)
    granted[key_of] = entry.until
    if entry.approved_late:
        return
    if entry.until <= milestone.due:
        yield doc.problem(
            path + ("until",),
            f"批准的新截止日期 {entry.until} 不晚于措施 {measure.id} 节点原定的 {milestone.due}",
            hint="延期的新日期应晚于原截止日期；确属特批的，加 approved_late: true（kpzf record 加 --approved-late）",
            code="until-not-later",
        )
    if due_passed(in_force, entry.date):
        before = "原截止日期" if in_force == milestone.due else "已批准的延期日期"
        yield doc.problem(
            path + ("date",),
            f"延期在节点的{before} {in_force} 过后（{entry.date}）才登记",
            hint="延期应在截止日期前申请并批准；事后补批的，加 approved_late: true（kpzf record 加 --approved-late）",
            code="extension-after-due",
        )


def check_notices(plan: LoadedPlan, today: dt.date) -> Iterator[Problem]:
    """Each 催办 entry names a single unit of the registry, measures that exist and bind that
    unit, and a date within the plan's period and not after today."""
    doc, registry = plan.document, plan.registry
    start, _ = plan.period
    for i, entry in enumerate(plan.model.notices):
        path: tuple[str | int, ...] = ("notices", i)
        unit = registry.resolve(entry.unit)
        if unit is None:
            yield doc.problem(
                path + ("unit",),
                f"催办记录中的单位“{entry.unit}”不在单位名录中",
                hint=_unknown_hint(plan, entry.unit),
                code="unknown-unit",
            )
        elif registry.is_group(unit):
            yield doc.problem(
                path + ("unit",),
                f"催办记录应写具体单位，“{entry.unit}”是一个组",
                hint="督办通知发给具体单位：请为组内每个单位分别记录（kpzf notice --all --log）",
                code="group-notice",
            )
        for j, ref in enumerate(entry.measures):
            number = plan.number_of(ref)
            measure = None if number is None else plan.measures.get(number)
            if measure is None:
                yield doc.problem(
                    path + ("measures", j),
                    f"催办记录引用的措施 {ref} 不存在",
                    hint=f"措施序号为 1 至 {max(plan.measures, default=0)}",
                    code="unknown-measure",
                )
            elif unit is not None and not registry.is_group(unit) and unit not in measure.responsible:
                yield doc.problem(
                    path + ("measures", j),
                    f"“{unit}”不是措施 {measure.id} 的责任单位，不会因它被催办",
                    hint=f"措施 {measure.id} 的责任单位：{measure.units_text}",
                    code="unit-not-responsible",
                )
        if entry.date < start:
            yield doc.problem(
                path + ("date",),
                f"催办日期 {entry.date} 早于实施期开始日期 {start}",
                hint="请核对年份",
                code="bad-notice-date",
            )
        elif entry.date > today:
            yield doc.problem(
                path + ("date",),
                f"催办日期 {entry.date} 晚于今天（{today}）",
                hint="催办记录只记已经发出的通知；请核对日期",
                code="bad-notice-date",
            )


CHECKS: tuple[Check, ...] = (
    check_structure,
    check_registry,
    check_numbering,
    check_units,
    check_deadlines,
    check_progress,
    check_notices,
)


# --------------------------------------------------------------------------- warnings
# What a plan says that its author may not mean: `validate` shows them, --strict makes them
# errors; queries and record never refuse a plan for them.


def _warning(problem: Problem) -> Problem:
    return dataclasses.replace(problem, severity=WARNING)


def _milestone_place(measure: ResolvedMeasure, source: str) -> tuple[str | int, ...]:
    if source == FROM_TEXT:
        return measure.path + ("text_deadlines",)
    return measure.path + (("milestones",) if measure.explicit else ("deadline",))


def warn_milestone_units(plan: LoadedPlan, today: dt.date) -> Iterator[Problem]:
    """A milestone naming a unit outside the measure's units: the milestone does not apply to
    it (and `record` refuses it), which the author may not have meant."""
    registry = plan.registry
    for measure in plan.measures.values():
        for milestone in measure.milestones:
            if milestone.named is None or not milestone.units:
                continue  # no names, or none applies (an error: unit-not-responsible)
            for name in dict.fromkeys(milestone.named):
                canonical = registry.resolve(name)
                if canonical is not None and registry.expand(canonical) & measure.responsible:
                    continue
                what = "不在单位名录中" if canonical is None else "不是本措施的单位"
                yield _warning(plan.document.problem(
                    _milestone_place(measure, milestone.source),
                    f"措施 {measure.number}：节点 {milestone.key or '（无日期）'} 指定的“{name}”"
                    f"{what}，这个节点对它不适用",
                    hint="把该单位加进本措施的 units 和 unit_refs，或从节点中删去它",
                    code="milestone-unit-outside",
                ))


def warn_units_without_milestones(plan: LoadedPlan, today: dt.date) -> Iterator[Problem]:
    """A measure whose milestones name their units, leaving out one of its owing units: that
    unit owes nothing, and `unit` shows the measure as if it had no date."""
    registry = plan.registry
    for measure in plan.measures.values():
        if not any(m.named is not None for m in measure.milestones):
            continue
        covered = frozenset().union(*(m.units for m in measure.milestones))
        left_out = registry.in_order(measure.owners - covered)
        if left_out:
            yield _warning(plan.document.problem(
                _milestone_place(measure, measure.milestones[0].source),
                f"措施 {measure.number}：{'、'.join(left_out)}不在任何节点中，不承担本措施的任何节点",
                hint="在完成时限中为这些单位写出节点，或写一个适用于全部单位的节点",
                code="unit-without-milestone",
            ))


def warn_groups_without_units(plan: LoadedPlan, today: dt.date) -> Iterator[Problem]:
    """A group that stands for no unit at all (members excluded again, or only empty groups):
    a measure naming it binds nobody. (An empty `members` list is an error: empty-group.)"""
    registry = plan.registry
    if next(_group_cycles(plan), None) is not None:
        return  # groups in a cycle stand for nothing: that is the error group-cycle
    for i, group in enumerate(plan.model.groups):
        if not group.members or registry.groups.get(group.name) is not group:
            continue
        if any(registry.resolve(m) is None for m in (*group.members, *group.exclude)):
            continue  # unknown members are reported as errors
        if not registry.expand(group.name):
            yield _warning(plan.document.problem(
                ("groups", i, "members"),
                f"组“{group.name}”不含任何单位（成员被排除，或成员都是空组）",
                hint="检查 members 与 exclude；点名这个组的措施不约束任何单位",
                code="group-without-units",
            ))


def warn_extension_beyond_period(plan: LoadedPlan, today: dt.date) -> Iterator[Problem]:
    """An approved new date after the plan period ends: allowed, but the plan's own 终期评估
    and every report within the period will count the item as extended, never as due."""
    _, end = plan.period
    for i, entry in enumerate(plan.model.progress):
        if entry.until is not None and entry.until > end:
            yield _warning(plan.document.problem(
                plan.progress_path(i) + ("until",),
                f"批准的新截止日期 {entry.until} 晚于方案实施期结束（{end}）",
                hint="实施期内的统计和终期评估都把它算作延期、未到期；请核对日期",
                code="extension-beyond-period",
            ))


WARNINGS: tuple[Check, ...] = (
    warn_milestone_units,
    warn_units_without_milestones,
    warn_groups_without_units,
    warn_extension_beyond_period,
)


def run_warnings(plan: LoadedPlan, today: dt.date) -> list[Problem]:
    """Every warning of a loaded plan, in file order."""
    return sorted((p for check in WARNINGS for p in check(plan, today)), key=Problem.sort_key)


def completed(error: PlanError, today: dt.date) -> PlanError:
    """The same error with every problem of the file: when only some progress entries failed the
    schema (error.partial is the plan without them), the checks of the rest are added."""
    if error.partial is None:
        return error
    problems = dict.fromkeys([*error.problems, *run_checks(error.partial, today)])
    return type(error)(list(problems))  # the same class, so the same exit code


def run_checks(plan: LoadedPlan, today: dt.date) -> list[Problem]:
    """Every problem of a loaded plan, duplicate keys included, in file order."""
    problems = list(plan.document.problems)
    for check in CHECKS:
        problems.extend(check(plan, today))
    return sorted(problems, key=Problem.sort_key)


# One file's verdict (loading, checking and the validated-plan cache) lives in checked.py.
from .checked import Verdict, validate_file  # noqa: E402, F401
