"""Mutated copies of the shipped plan.yaml, for property tests (hypothesis strategies).

Shared by tests/unit/test_properties.py (no command crashes on them) and
tests/unit/io/test_read_events.py (both YAML readers agree on them).
"""

from __future__ import annotations

from dataclasses import dataclass

from conftest import PLAN
from hypothesis import strategies as st

# plan.yaml has no progress yet; give it some (valid on TODAY) so the progress checks are mutated too.
PROGRESS = """progress:
  - {measure: 1, unit: 市公安局, milestone: "2024-12-31", status: 已完成, date: "2024-06-20", note: 开公〔2024〕12号}
  - {measure: 5, unit: 公安, milestone: "2024-06-30", status: 已完成, date: "2024-06-28"}
  - measure: 39
    unit: 赤坎镇
    milestone: "2024-12-31"
    status: 推进中
    date: "2024-05-10"
  - measure: 65
    unit: 市司法局
    status: 延期
    date: "2024-06-30"
    note: 因机构调整顺延
"""
PLAN_TEXT = PLAN.read_text(encoding="utf-8").replace("progress: []\n", PROGRESS)
PLAN_LINES = PLAN_TEXT.splitlines(keepends=True)

# Values that YAML 1.1 or kpzf read in surprising ways, besides random text, numbers and dates.
TRICKY = [
    "", "~", "null", "yes", "no", "on", "off", "true", "010", "0x1F", "0b101", "1:30", "1_000",
    "1e3", "1.5", ".inf", ".nan", "-", "&a", "*a", "&a [1]", "!!python/object/apply:os.system [ls]",
    "!include x.yaml", "!!binary aGk=", "!!set {a}", "[", "]", "{", "}", "[1, 2]", "{a: 1}", '"',
    "'", "|", ">", "- x", "a: b", ": ", "#", "---", "...", "\t", "\\", "@x", "`x`", "%YAML 1.1",
    "2023-02-29", "2024-1-5", "2024-13-01", "2024-06-30T12:00:00", "9999-12-31", "0001-01-01",
    "2024年2月30日前", "2024年13月底前", "每年", "长期推进", "<<: *a", "? x", "市公安局", "各镇（街）",
    "已完成", "延期", "\u00a0", "\ufeff", "\u2028", "\x85", "\U0001F600",
]

SCALARS = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=12),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.dates().map(str),
    st.dates().map(lambda d: f'"{d.year}-{d.month}-{d.day}"'),
)


@dataclass(frozen=True)
class Mutation:
    kind: str
    where: int  # taken modulo the number of candidate lines when applied
    other: int
    value: str

    def apply(self, lines: list[str]) -> list[str]:
        if not lines:
            return lines
        # Mostly hit lines with content: the plan has many comment lines that change nothing.
        content = [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
        i = content[self.where % len(content)] if content else self.where % len(lines)
        j = self.other % len(lines)
        line = lines[i]
        body = line.rstrip("\n")
        indent = len(body) - len(body.lstrip(" "))
        out = list(lines)
        if self.kind == "delete":
            del out[i]
        elif self.kind == "duplicate":
            out.insert(i, line)
        elif self.kind == "swap":
            out[i], out[j] = out[j], out[i]
        elif self.kind == "indent":
            delta = self.other % 9 - 4  # -4 … +4 spaces
            out[i] = " " * max(0, indent + delta) + body.lstrip(" ") + "\n"
        elif self.kind == "tab":
            out[i] = "\t" + line.lstrip(" ")
        elif self.kind == "replace":
            # The value after "key: " (or after "- "), else the whole line's content.
            cut = body.find(": ")
            if cut < 0 and body.lstrip().startswith("- "):
                cut = indent
            start = cut + 2 if cut >= 0 else indent
            out[i] = body[:start] + self.value + "\n"
        elif self.kind == "insert":
            at = self.other % (len(body) + 1)
            out[i] = body[:at] + self.value + body[at:] + "\n"
        elif self.kind == "truncate":
            text = "".join(lines)
            return [text[: self.other % (len(text) + 1)]]
        return out


MUTATIONS = st.builds(
    Mutation,
    kind=st.sampled_from(
        ["delete", "duplicate", "swap", "indent", "tab", "replace", "replace", "replace", "insert",
         "truncate"]
    ),
    where=st.integers(min_value=0, max_value=10**6),
    other=st.integers(min_value=0, max_value=10**7),
    # Any character a UTF-8 file can hold (a lone surrogate cannot even be written).
    value=st.one_of(SCALARS, st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=6)),
)


def mutate(mutations: list[Mutation]) -> str:
    lines = list(PLAN_LINES)
    for mutation in mutations:
        lines = mutation.apply(lines)
    return "".join(lines)
