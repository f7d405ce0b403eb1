"""Safe YAML reading for content files: line numbers kept, surprises refused.

Content is data written by people, so the reader is strict: no aliases (no alias bombs),
no duplicate keys, no implicit booleans from `yes`/`no` (they are answer codes here), no
dates turned into objects, a size cap, strict UTF-8 and a nesting limit.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from .errors import ContentError, ContentErrors

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40


class LineDict(dict[str, Any]):
    """A mapping read from YAML that remembers the line it starts on (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence read from YAML that remembers the line it starts on (1-based)."""

    line: int = 0


class _ContentLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-style booleans, no timestamps and no aliases."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                "aliases are not allowed in content files", event.start_mark
            )
        return super().compose_node(parent, index)


# Only `true` and `false` are booleans; `yes`, `no`, `on`, `off` stay strings.
_ContentLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _ContentLoader.yaml_implicit_resolvers.setdefault(_first, []).append(
        ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"))
    )


def _construct_mapping(loader: _ContentLoader, node: MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int):
            raise yaml.MarkedYAMLError(
                "keys must be plain text", key_node.start_mark, None, None
            )
        key = str(key)
        if key in result:
            raise yaml.MarkedYAMLError(
                f"duplicate key '{key}' (first on line {result.key_lines[key]})",
                key_node.start_mark,
            )
        result.key_lines[key] = key_node.start_mark.line + 1
        result[key] = loader.construct_object(value_node, deep=True)
    return result


def _construct_sequence(loader: _ContentLoader, node: SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


_ContentLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_ContentLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def _depth(node: Node, limit: int) -> int:
    """Measure nesting without recursion so a hostile file cannot blow the stack."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        if isinstance(current, MappingNode):
            stack.extend((child, level + 1) for pair in current.value for child in pair)
        elif isinstance(current, SequenceNode):
            stack.extend((child, level + 1) for child in current.value)
    return deepest


def read_yaml(path: Path, label: str) -> Any:
    """Read one content file; raise ContentErrors naming `label` (the file) and the line."""

    def fail(message: str, line: int | None = None) -> ContentErrors:
        return ContentErrors([ContentError(label, line, None, message)])

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise fail(f"the file is {len(raw):,} bytes; content files may be at most {MAX_FILE_BYTES:,}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(f"the file is not valid UTF-8 (byte {exc.start}); save it as UTF-8", line) from None
    try:
        loader = _ContentLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character such as NUL, found before parsing starts
        line = text[: exc.position].count("\n") + 1
        raise fail(f"invalid YAML: a control character (U+{ord(text[exc.position]):04X}) is not allowed; "
                   f"remove it", line) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _depth(node, MAX_DEPTH) > MAX_DEPTH:
            raise fail(f"the file is nested more than {MAX_DEPTH} levels deep", node.start_mark.line + 1)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        error_line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and problem.startswith("but "):  # "expected a single document ..., but found another"
            problem = f"{exc.context}, {problem}"
        raise fail(f"invalid YAML: {problem}", error_line) from None
    except yaml.YAMLError as exc:
        raise fail(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise fail("the file is nested too deeply to read") from None
    finally:
        loader.dispose()
