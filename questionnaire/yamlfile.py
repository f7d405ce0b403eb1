"""Safe YAML reading for content files: line numbers kept, surprises refused.

Content is data written by people, so the reader is strict: no aliases (no alias bombs),
no duplicate keys, no implicit booleans from `yes`/`no` (they are answer codes here), no
dates turned into objects, a size cap, a node budget, strict UTF-8, a nesting limit, and no
control or bidirectional-override characters in any text. libyaml's parser (PyYAML's C loader)
is used where it is installed: a hostile file is counted and refused in a fraction of a second.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, SequenceNode

from .errors import ContentError, ContentErrors, shorten

MAX_FILE_BYTES = 1_000_000
MAX_RULES_FILE_BYTES = 300_000  # rule and locale files: the largest shipped is a quarter of this
MAX_NODES = 50_000  # values, lists and mappings in one file: 25 times the largest shipped file
MAX_DEPTH = 40
# What YAML itself refuses anywhere in a file (PyYAML's and libyaml's "printable" set).
_NOT_YAML = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
# What no text value may hold, however it got there (a "\\e" escape, a pasted U+202E): C0 and C1
# controls but tab and newline, DEL, and the bidirectional embeddings, overrides and isolates.
_NOT_TEXT = re.compile("[\x00-\x08\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069]")
_SAFE_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present


class LineDict(dict[str, Any]):
    """A mapping read from YAML that remembers the line it starts on (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence read from YAML that remembers the line it starts on (1-based)."""

    line: int = 0


class _ContentLoader(_SAFE_LOADER):
    """(C)SafeLoader with YAML 1.2-style booleans and no timestamps; aliases are refused by `_survey`."""


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
                f"duplicate key '{shorten(key)}' (first on line {result.key_lines[key]})",
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


_NODE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
_END_EVENTS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Refused(Exception):
    """A file refused by the survey, at a 1-based line."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def _survey(text: str, max_nodes: int) -> None:
    """One pass over the parser's events, before anything is built: aliases, nesting and the node budget.

    Iterative, so a hostile file can neither blow the stack nor make the loader build 300,000
    objects before it is refused; raises _Refused at the offending event.
    """
    loader = _ContentLoader(text)
    nodes = depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1 if event.start_mark else 0
            if isinstance(event, yaml.AliasEvent):
                raise _Refused("invalid YAML: aliases are not allowed in content files", line)
            if isinstance(event, _NODE_EVENTS):
                nodes += 1
                if nodes > max_nodes:
                    raise _Refused(f"the file has more than {max_nodes:,} values, lists and mappings; content "
                                   f"files are far smaller (split it, or remove what does not belong)",
                                   line)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _Refused(f"the file is nested more than {MAX_DEPTH} levels deep", line)
            elif isinstance(event, _END_EVENTS):
                depth -= 1
    finally:
        loader.dispose()


def _text_problem(document: Any) -> tuple[int | None, str | None, str] | None:
    """The first text (a value or a key) holding a control or bidi character: (line, id, message)."""
    stack: list[tuple[Any, int | None, str | None, str]] = [(document, getattr(document, "line", None), None, "")]
    while stack:
        node, line, ident, where = stack.pop()
        if isinstance(node, LineDict):
            own = next((node[k] for k in ("id", "slug") if isinstance(node.get(k), str)), None)
            ident = own if own is not None else ident
            for key, value in node.items():
                path = f"{where}/{key}" if where else key
                stack.append((key, node.key_lines.get(key, node.line), ident, f"{path} (key)"))
                stack.append((value, getattr(value, "line", node.key_lines.get(key, node.line)), ident, path))
        elif isinstance(node, LineList):
            stack.extend((item, getattr(item, "line", node.line), ident, f"{where}/{n}")
                         for n, item in enumerate(node))
        elif isinstance(node, str):
            found = _NOT_TEXT.search(node)
            if found:
                return line, ident if ident is not None else shorten(where), (
                    f"{shorten(where)}: the text holds an invisible control character (U+{ord(found.group()):04X}); "
                    f"control and right-to-left override characters can hide or reorder words. Remove it")
    return None


def path_label(path: Path) -> str:
    """A path as people will recognise it in an error: relative to the working directory when inside it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def read_yaml(path: Path, label: str, max_bytes: int = MAX_FILE_BYTES, max_nodes: int = MAX_NODES) -> Any:
    """Read one content file; raise ContentErrors naming `label` (the file) and the line."""

    def fail(message: str, line: int | None = None, ident: str | None = None) -> ContentErrors:
        return ContentErrors([ContentError(label, line, ident, message)])

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror}") from None
    if len(raw) > max_bytes:
        raise fail(f"the file is {len(raw):,} bytes; content files may be at most {max_bytes:,}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(f"the file is not valid UTF-8 (byte {exc.start}); save it as UTF-8", line) from None
    bad = _NOT_YAML.search(text)
    if bad:  # a control character such as NUL, refused before parsing starts
        line = text[: bad.start()].count("\n") + 1
        raise fail(f"invalid YAML: a control character (U+{ord(bad.group()):04X}) is not allowed; remove it", line)
    loader = None
    try:
        _survey(text, max_nodes)
        loader = _ContentLoader(text)
        node = loader.get_single_node()
        document = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        error_line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and problem.startswith("but "):  # "expected a single document ..., but found another"
            problem = f"{exc.context}, {problem}"
        raise fail(f"invalid YAML: {shorten(problem, 200)}", error_line) from None
    except _Refused as exc:
        raise fail(str(exc), exc.line) from None
    except yaml.YAMLError as exc:
        raise fail(f"invalid YAML: {shorten(str(exc), 200)}") from None
    except RecursionError:
        raise fail("the file is nested too deeply to read") from None
    finally:
        if loader is not None:
            loader.dispose()
    found = _text_problem(document)
    if found:
        raise fail(found[2], found[0], found[1])
    return document


def content_files(folder: Path, label: Callable[[Path], str], errors: list[ContentError],
                  also: tuple[str, ...] = ()) -> list[Path]:
    """The `*.yaml` files in `folder`, sorted; anything else there (a .yml, a .YAML, a folder) is an error.

    A rule saved as `.yml` would otherwise never load, and every check would still say OK.
    `also`: other suffixes that belong there (a clinic's logo).
    """
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".yaml" and path.is_file():
            found.append(path)
        elif not (path.suffix.lower() in also and path.is_file()):
            kind = "a folder" if path.is_dir() else "not a .yaml file"
            errors.append(ContentError(label(path), None, None,
                                       f"{kind}: only *.yaml files are read here, so this one would be ignored; "
                                       f"rename it to end in .yaml (lower case) or move it out of {folder.name}/"))
    return found


def read_each(paths: Iterable[Path], label: Callable[[Path], str],
              errors: list[ContentError]) -> Iterator[tuple[Path, str, Any]]:
    """Each readable file's (path, label, document); a file that cannot be read adds its errors and is skipped."""
    for path in paths:
        where = label(path)
        try:
            document = read_yaml(path, where)
        except ContentErrors as exc:
            errors.extend(exc.errors)
            continue
        yield path, where, document
