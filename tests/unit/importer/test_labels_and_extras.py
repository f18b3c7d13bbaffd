"""Label parsing, text tidying, and the message for a missing optional package."""

from __future__ import annotations

import importlib.util

import pytest

from kpzf.errors import UsageError
from kpzf.importer import require_extra
from kpzf.importer.labels import chinese_number, split_label
from kpzf.importer.text import tidy


@pytest.mark.parametrize(
    ("text", "style", "path", "rest"),
    [
        ("（一）全面提升", "（一）", "1", "全面提升"),
        ("(十二) 加快", "（一）", "12", "加快"),
        ("二十三、健全", "一、", "23", "健全"),
        ("1. 坚持党建引领", "1.", "1", "坚持党建引领"),
        ("19．强化权益保障", "1.", "19", "强化权益保障"),
        ("3、加强", "1.", "3", "加强"),
        ("(64) 完善", "（1）", "64", "完善"),
        ("（１）建立", "（1）", "1", "建立"),
        ("②开展", "①", "2", "开展"),
        ("2.3 推进", "1.1", "2.3", "推进"),
        ("1.2.1建立", "1.1", "1.2.1", "建立"),
    ],
)
def test_split_label(text: str, style: str, path: str, rest: str) -> None:
    label = split_label(text)
    assert label is not None and (label.style, label.path, label.rest) == (style, path, rest)


@pytest.mark.parametrize("text", ["2024年6月底前", "2024.12", "一是加强", "市司法局", ""])
def test_not_labels(text: str) -> None:
    assert split_label(text) is None


def test_plain_numbers_only_when_asked() -> None:
    assert split_label("12") is None
    label = split_label(" 12 ", plain=True)
    assert label is not None and label.path == "12"


def test_chinese_numbers() -> None:
    assert [chinese_number(s) for s in ("一", "十", "十二", "二十", "二十三", "一百零五", "甲")] == [1, 10, 12, 20, 23, 105, None]


@pytest.mark.parametrize(
    ("raw", "tidied"),
    [
        ("<p>(5) 在 2024 年 6 月底前率先完成</p>", "（5）在2024年6月底前率先完成"),
        ("形成阶段性成 果, 持续推进", "形成阶段性成果，持续推进"),
        ("各镇(街)、市直 行政执法部门", "各镇（街）、市直行政执法部门"),
        ("达到100%,持续推 进", "达到100%，持续推进"),
        ("ISO 9001 认证，共 1,000 人；10:30 开会", "ISO 9001认证，共1,000人；10:30开会"),
        ("ＡＢＣ１２３ 与&nbsp;x", "ABC123与x"),
    ],
)
def test_tidy(raw: str, tidied: str) -> None:
    assert tidy(raw) == tidied


def test_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "docx" else real(name, *a))
    with pytest.raises(UsageError) as exc:
        require_extra("import")
    assert exc.value.exit_code == 2
    assert exc.value.message == "读取 Word 台账（.docx）需要 python-docx，当前环境没有安装"
    assert exc.value.hint == "请运行：pip install 'kpzf[import]'"
    require_extra("xlsx")  # openpyxl is installed with the test extra


def test_reading_a_docx_without_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    import zipfile

    from kpzf.importer import read_table

    path = tmp_path / "a.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "docx" else real(name, *a))
    with pytest.raises(UsageError) as exc:
        read_table(path)
    assert "kpzf[import]" in exc.value.hint
