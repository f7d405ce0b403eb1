"""Change discipline: compare rules with an earlier git revision of the same content directory."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..conditions import All, Any_, Atom, Condition, Not
from ..errors import ContentErrors
from ..interpreters import Interpreter
from ..loader import load_content
from ..model import Content, Rule
from .findings import CHANGED_WITHOUT_REVIEW, Finding


class GitUnavailable(RuntimeError):
    """Not in a git checkout, git missing, or the revision does not exist."""


def condition_key(condition: Condition | None) -> Any:
    """A comparable, content-independent form of a condition (as signed: keep its shape stable)."""
    return None if condition is None else _key(condition)


_key = Interpreter[Any]("changes")


@_key.register(All, Any_)
def _items_key(condition: All | Any_) -> Any:
    return (type(condition).__name__, tuple(_key(item) for item in condition.items))


@_key.register(Not)
def _not_key(condition: Not) -> Any:
    return ("Not", _key(condition.item))


@_key.register(Atom)  # every atom says what it compares with (Atom.detail)
def _atom_key(condition: Atom) -> Any:
    return (type(condition).__name__, condition.question_id, condition.detail)


def rule_signature(rule: Rule) -> tuple[Any, ...]:
    """Everything about a rule that a reviewer signs off, except the review record itself."""
    return (rule.level, rule.topic, rule.title, rule.guidance, condition_key(rule.when), rule.rationale,
            rule.references, rule.fallback, rule.caregiver_title, rule.caregiver_guidance,
            rule.questions_to_ask, rule.caregiver_questions_to_ask)


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitUnavailable(str(exc)) from None
    if done.returncode != 0:
        raise GitUnavailable(done.stderr.decode(errors="replace").strip() or f"git {args[0]} failed")
    return done.stdout


@contextmanager
def content_at_revision(revision: str, content_dir: Path) -> Iterator[Path]:
    """Extract `content_dir` as it was at `revision` into a temporary directory (git archive)."""
    folder = Path(content_dir).resolve()
    top = Path(_git(["rev-parse", "--show-toplevel"], folder).decode().strip())
    _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], top)
    relative = folder.relative_to(top).as_posix()
    archive = _git(["archive", "--format=tar", revision, "--", relative], top)
    with tempfile.TemporaryDirectory(prefix="rules-") as temporary:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(temporary, filter="data")
        yield Path(temporary) / relative


def default_base(content_dir: Path) -> str:
    """HEAD while the content has uncommitted edits; otherwise the commit before HEAD."""
    folder = Path(content_dir).resolve()
    dirty = _git(["status", "--porcelain", "--", "."], folder).strip()
    return "HEAD" if dirty else "HEAD~1"


def change_findings(content: Content, content_dir: Path, base: str | None = None) -> list[Finding]:
    """Rules whose content changed since `base` while `reviewed_on` stayed the same; [] outside git."""
    try:
        revision = base or default_base(content_dir)
        with content_at_revision(revision, content_dir) as old_dir:
            try:
                old = load_content(old_dir)
            except ContentErrors:
                return []  # the old revision had no valid rule set to compare with
    except GitUnavailable:
        return []
    before = {rule.id: rule for rule in old.ruleset.all_rules}
    findings = []
    for rule in content.ruleset.all_rules:
        previous = before.get(rule.id)
        if previous is None or rule_signature(previous) == rule_signature(rule):
            continue
        if previous.reviewed_on == rule.reviewed_on:
            findings.append(Finding(rule.id, "warning", CHANGED_WITHOUT_REVIEW,
                                    f"its content changed since {revision} but reviewed_on is still "
                                    f"{rule.reviewed_on.isoformat()}; have it reviewed and update reviewed_on "
                                    f"and reviewed_by"))
    return findings
