"""libyaml's English parser and reader errors, said in Chinese at the place a person has to fix."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import Problem
from .yaml_rules import Loader, problem_at

DEEP_HINT = "计划文件只需要几层嵌套，请检查是否误输入了大量括号或缩进"
_LAYOUT_HINT = "同一层的字段（或列表项“- ”）必须左对齐，缩进只用空格；也请检查上一行的引号、括号是否成对"


# Characters YAML does not allow in a stream (YAML 1.1 §5.1): C0 controls other than tab and
# line breaks, DEL, C1 controls other than NEL, surrogates and non-characters.
_FORBIDDEN = re.compile(r"[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def reader_problem(shown: str, exc: yaml.reader.ReaderError, text: str) -> Problem:
    """A control character (NUL, ESC …) in otherwise decodable text."""
    # libyaml reports a byte offset, the pure-Python reader a character index: find it ourselves.
    found = _FORBIDDEN.search(text)
    position = found.start() if found else 0
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    char = text[position] if position < len(text) else "\x00"
    return Problem(
        shown,
        line,
        column,
        f"文件含有不允许的控制字符 U+{ord(char):04X}",
        "可能是二进制文件，或从别处复制时带入了不可见字符；请删除该字符，并以 UTF-8 文本保存",
        "encoding",
    )


def _char_at(text: str, mark: Any) -> str:
    if mark is None or not 0 <= mark.index < len(text):
        return ""
    return text[mark.index]


def syntax_problem(shown: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    """libyaml's English parser errors, said in Chinese at the place a person has to fix."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    mark, opened = exc.problem_mark, exc.context_mark
    char = _char_at(text, mark)

    def at(where: Any, message: str, hint: str) -> Problem:
        return problem_at(shown, where if where is not None else mark, message, hint, "yaml-syntax")

    if char == "\t" or "tab" in problem:
        return at(
            mark,
            "YAML 不允许用制表符（Tab）缩进",
            "请把行首的 Tab 换成空格（每级两个空格），可在编辑器中开启“用空格代替 Tab”",
        )
    if "nesting depth" in problem:
        return at(mark, "YAML 嵌套层数过深", DEEP_HINT)
    if "mapping values are not allowed" in problem:
        return at(
            mark,
            "YAML 格式错误：此处不能出现冒号“:”引出的值",
            "如果文字中含有英文冒号，请给整段文字加引号，或改用中文冒号“：”；也请检查上一行的缩进",
        )
    if "end of stream" in problem and "quoted scalar" in context:
        return at(opened, "引号没有闭合：从这里开始的引号直到文件末尾都没有结束", "请补上配对的引号（\" 或 '）")
    if "escape character" in problem:
        return at(
            mark,
            "双引号内的反斜杠“\\”后面不是有效的转义字符",
            "文字中的“\\”请写成“\\\\”，或改用单引号把整段文字括起来",
        )
    for closer, name in (("]", "方括号“[”"), ("}", "花括号“{”")):
        if f"',' or '{closer}'" in problem:
            until = f"（到第 {mark.line + 1} 行第 {mark.column + 1} 列仍未结束）" if mark else ""
            return at(
                opened,
                f"{name}没有闭合，或其中的项之间缺少英文逗号{until}",
                f"请检查是否漏了“{closer}”；各项之间用英文逗号“,”分隔",
            )
    if "alias" in context or "anchor" in context:
        return at(
            opened,
            "以“*”或“&”开头的值会被当作 YAML 别名或锚点，而这里的写法不成立",
            "kpzf 不支持锚点和别名；如果这是以“*”或“&”开头的文字，请加引号",
        )
    if "undefined alias" in problem:
        return at(
            mark,
            "此处的“*”被当作 YAML 别名，但没有对应的锚点（&名称）",
            "kpzf 不支持锚点和别名；如果这是以“*”开头的文字，请加引号",
        )
    if "single document" in context:
        return at(
            mark,
            "文件含有多个 YAML 文档（以“---”分隔）",
            "一个计划文件只能有一个文档；请删除多余的“---”，或把内容合并到一处",
        )
    if "document start" in problem:
        return at(mark, "文档结束标记“...”之后还有内容", "请删除“...”这一行")
    if "cannot start any token" in problem:
        return at(
            mark,
            f"字符“{char}”不能出现在值的开头",
            "以 @、`、%、|、> 等符号开头的文字请加引号",
        )
    if "could not find expected ':'" in problem or "expected key" in problem or (
        "expected <block end>" in problem or "'-' indicator" in problem
    ):
        quote = _open_quote(text, mark)
        if quote is not None:
            start, end = quote
            return at(
                start,
                f"引号没有闭合：从这里开始的引号一直延续到第 {end.line + 1} 行",
                "请补上配对的引号；引号内的文字不能跨行",
            )
        if "could not find expected ':'" in problem:
            # The scanner notices on the next line; the key without its colon is where it began.
            return at(opened, "YAML 格式错误：缺少冒号“:”", "每个字段应写成“字段名: 值”（英文冒号后加空格）")
        if "'-' indicator" in problem:
            return at(mark, "YAML 格式错误：列表中出现了不以“- ”开头的行（缩进不一致）", _LAYOUT_HINT)
        return at(mark, "YAML 格式错误：缩进不一致，此行与上文同一层的内容没有对齐", _LAYOUT_HINT)
    message = f"YAML 格式错误：{problem or context}"
    return at(mark, message, "请检查此处的缩进、冒号和引号")


def _open_quote(text: str, mark: Any) -> tuple[Any, Any] | None:
    """The last quoted scalar spanning lines before `mark`: almost always a quote left open.

    A plan never needs a quoted value that runs over lines, so when the parser trips on the
    layout, an earlier multi-line quoted scalar is the likelier cause than the line it names.
    """
    if mark is None:
        return None
    found = None
    loader = Loader(text)
    try:
        while True:
            token = loader.get_token()
            if token is None or token.start_mark.line > mark.line:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ('"', "'")
                and token.end_mark.line > token.start_mark.line
            ):
                found = (token.start_mark, token.end_mark)
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return found
