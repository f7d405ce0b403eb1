"""docs/architecture.md names every module in one line: the map a newcomer reads stays whole."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAP = ROOT / "docs" / "architecture.md"


def modules() -> list[str]:
    return ["app.py", *sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "questionnaire").rglob("*.py"))]


def test_every_module_has_its_line_in_the_architecture_map():
    text = MAP.read_text(encoding="utf-8")
    missing = [module for module in modules() if f"- `{module}`:" not in text]
    assert missing == [], f"add a line '- `<module>`: what it is for' to docs/architecture.md for: {missing}"


def test_the_map_names_no_module_that_is_gone():
    text = MAP.read_text(encoding="utf-8")
    lines = [line.split("`")[1] for line in text.splitlines() if line.startswith("- `")]
    named = [module for module in lines if module.endswith(".py")]
    gone = [module for module in named if not (ROOT / module).is_file()]
    assert named and gone == [], f"docs/architecture.md names modules that no longer exist: {gone}"
