"""Each content directory loaded once per test session: the real loader, run again only when a byte changes.

Parsing and validating the shipped content takes most of a second, wording it per language and
building each engine a fifth more, and hundreds of tests build an app on it. The loader's results
are frozen dataclasses and an Engine is built once per content and only read after, so one result
can be shared by every test that reads the same files. The key of a load is everything the loader
sees: the directory as given, the working directory (error labels are relative to it) and the name
and bytes of every file and folder under the content directory. A test that edits, adds or removes
a file, or makes one unreadable, gets a fresh load; a load that fails is never kept, so every
error is raised anew. What is built from a loaded Content (its wording in a language, for a
caregiver, its Engine) is kept by the identity of that Content, which the cache keeps alive.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import questionnaire.engine
import questionnaire.governance.state
import questionnaire.i18n
import questionnaire.loader
import questionnaire.perspective
from questionnaire.engine import Engine
from questionnaire.governance import Governance
from questionnaire.model import Content

_real_load_content = questionnaire.loader.load_content
_real_load_governance = questionnaire.governance.state.load_governance
_real_localize = questionnaire.i18n.localize
_real_for_caregiver = questionnaire.perspective.for_caregiver
_contents: dict[tuple[Any, ...], Content] = {}
_derived: dict[tuple[Any, ...], tuple[Content, Any]] = {}  # key -> (the Content it came from, the result)
stats = {"loads": 0, "hits": 0}


def _fingerprint(root: Path) -> str | None:
    """sha256 over the names and bytes of everything under `root`; None when any of it cannot be read."""
    digest = hashlib.sha256()
    try:
        for folder, dirs, files in os.walk(root, onerror=_raise):
            dirs.sort()
            here = Path(folder)
            digest.update(b"D" + here.relative_to(root).as_posix().encode() + b"\0")
            for name in sorted(files):
                digest.update(b"F" + name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def _raise(error: OSError) -> None:
    raise error


def _by_identity(kind: str, content: Content, extra: Any, build: Callable[[], Any]) -> Any:
    """What `build` makes from `content`, once per Content object (kept alive here, so its id stays its own)."""
    key = (kind, id(content), extra)
    cached = _derived.get(key)
    if cached is not None and cached[0] is content:
        return cached[1]
    result = build()
    _derived[key] = (content, result)
    return result


def load_content(directory: Path | str | None = None, legacy_topics: tuple[Any, ...] = ()) -> Content:
    """questionnaire.loader.load_content, once per distinct directory contents (and legacy topics)."""
    root = Path(directory) if directory is not None else questionnaire.loader.DEFAULT_CONTENT_DIR
    fingerprint = _fingerprint(root) if root.is_dir() else None
    if fingerprint is None:
        return _real_load_content(directory, legacy_topics=legacy_topics)
    key = (str(directory), os.getcwd(), fingerprint, legacy_topics)
    if key in _contents:
        stats["hits"] += 1
        return _contents[key]
    stats["loads"] += 1
    _contents[key] = content = _real_load_content(directory, legacy_topics=legacy_topics)
    return content


def load_governance(content_dir: Path | str, content: Content) -> Governance:
    """questionnaire.governance.load_governance, once per directory contents and loaded content."""
    fingerprint = _fingerprint(Path(content_dir)) if Path(content_dir).is_dir() else None
    if fingerprint is None:
        return _real_load_governance(content_dir, content)
    return _by_identity("governance", content, (str(content_dir), os.getcwd(), fingerprint),
                        lambda: _real_load_governance(content_dir, content))


def localize(content: Content, language: str) -> Content:
    return _by_identity("localize", content, language, lambda: _real_localize(content, language))  # type: ignore[no-any-return]


def for_caregiver(content: Content) -> Content:
    return _by_identity("caregiver", content, None, lambda: _real_for_caregiver(content))  # type: ignore[no-any-return]


def engine(content: Content) -> Engine:
    return _by_identity("engine", content, None, lambda: Engine(content))  # type: ignore[no-any-return]


def install() -> None:
    """Point the project's imported modules at the shared versions.

    Loaders everywhere; the wording and the Engine only in the web layer, which builds them
    per app (nothing there checks `isinstance(..., Engine)`; tests that build an Engine
    themselves still get their own).
    """
    everywhere = {_real_load_content: load_content, _real_load_governance: load_governance}
    in_web = {**everywhere, _real_localize: localize, _real_for_caregiver: for_caregiver, Engine: engine}
    for name, module in list(sys.modules.items()):
        top = name.split(".")[0]
        if module is None or not (name == "app" or top in ("questionnaire", "tools", "bench")):
            continue
        swaps = in_web if name.startswith("questionnaire.web") else everywhere
        for attribute, value in list(vars(module).items()):
            if callable(value) and not attribute.startswith("_real_"):
                try:
                    swap = swaps.get(value)
                except TypeError:  # an unhashable callable: not one of ours
                    continue
                if swap is not None:
                    setattr(module, attribute, swap)
