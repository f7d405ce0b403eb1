"""The hazard log (DCB0129 style): hazards, their risk before and after controls, and each control's evidence.

Risk is read from the 5x5 matrix below (severity x likelihood, 1 acceptable ... 5 unacceptable),
never written by hand, so a changed severity or likelihood always gives the matching risk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ContentError, ContentErrors, did_you_mean, valid_list
from ..yamlfile import path_label, read_yaml

HAZARDS_FILE = Path("safety") / "hazards.yaml"
SEVERITIES = ("minor", "significant", "considerable", "major", "catastrophic")
LIKELIHOODS = ("very-low", "low", "medium", "high", "very-high")
EVIDENCE_KINDS = ("invariant", "scenario", "test")
# Rows: likelihood very-low ... very-high; columns: severity minor ... catastrophic. The matrix in common
# DCB0129/DCB0160 use (NHS England's clinical risk management guidance), for the safety officer to confirm.
MATRIX = ((1, 1, 2, 2, 3),
          (1, 2, 2, 3, 4),
          (2, 2, 3, 3, 4),
          (2, 3, 3, 4, 5),
          (3, 4, 4, 5, 5))
RISK_MEANING = {1: "acceptable", 2: "acceptable where further reduction is impractical",
                3: "undesirable: accepted only with the safety officer's written justification",
                4: "unacceptable: must be reduced", 5: "unacceptable: must be reduced"}
_HAZARD_KEYS = ("id", "title", "description", "cause", "effect", "harm", "before", "after", "controls", "residual")
_CONTROL_KEYS = ("description", "rules", "evidence")
_DOCUMENT_KEYS = ("intended_use", "hazards", "open_items")


def risk(severity: str, likelihood: str) -> int:
    """The matrix cell for a severity and a likelihood: 1 (acceptable) to 5 (unacceptable)."""
    return MATRIX[LIKELIHOODS.index(likelihood)][SEVERITIES.index(severity)]


@dataclass(frozen=True)
class Rating:
    severity: str
    likelihood: str

    @property
    def risk(self) -> int:
        return risk(self.severity, self.likelihood)


@dataclass(frozen=True)
class Evidence:
    """One link to a check the project runs: an invariant id, a scenario name or a pytest node id."""

    kind: str
    ref: str
    line: int


@dataclass(frozen=True)
class Control:
    description: str
    evidence: tuple[Evidence, ...]
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hazard:
    id: str
    title: str
    description: str
    cause: str
    effect: str
    harm: str
    before: Rating
    after: Rating
    controls: tuple[Control, ...]
    residual: str
    file: str
    line: int


@dataclass(frozen=True)
class HazardLog:
    intended_use: str
    hazards: tuple[Hazard, ...]
    open_items: tuple[str, ...]
    file: str



def load_hazard_log(content_dir: Path) -> HazardLog | None:
    """Read safety/hazards.yaml (None when there is none); ContentErrors name file, line and hazard id."""
    path = Path(content_dir) / HAZARDS_FILE
    if not path.is_file():
        return None
    label = path_label(path)
    document = read_yaml(path, label)
    errors: list[ContentError] = []
    if not isinstance(document, Mapping) or not isinstance(document.get("hazards"), list):
        raise ContentErrors([ContentError(label, 1, None, "the hazard log has 'intended_use', 'hazards' (a list) "
                                                          "and 'open_items'")])
    _keys(document, _DOCUMENT_KEYS, label, None, errors)
    hazards, seen = [], set()
    for raw in document["hazards"]:
        hazard = _hazard(raw, label, errors)
        if hazard is not None:
            if hazard.id in seen:
                errors.append(ContentError(label, hazard.line, hazard.id, "duplicate hazard id"))
            seen.add(hazard.id)
            hazards.append(hazard)
    open_items = document.get("open_items", [])
    if not isinstance(open_items, list) or not all(isinstance(item, str) for item in open_items):
        errors.append(ContentError(label, getattr(open_items, "line", 1), None, "open_items is a list of sentences"))
    if errors:
        raise ContentErrors(errors)
    return HazardLog(intended_use=str(document.get("intended_use", "")).strip(), hazards=tuple(hazards),
                     open_items=tuple(open_items), file=label)


def _keys(raw: Mapping[str, Any], valid: tuple[str, ...], label: str, ident: str | None,
          errors: list[ContentError]) -> None:
    key_lines: dict[str, int] = getattr(raw, "key_lines", {})
    for key in raw:
        if key not in valid:
            errors.append(ContentError(label, key_lines.get(key, getattr(raw, "line", None)), ident,
                                       f"unknown key '{key}'. Valid keys: {valid_list(valid)}.{did_you_mean(key, valid)}"))


def _hazard(raw: Any, label: str, errors: list[ContentError]) -> Hazard | None:
    line = getattr(raw, "line", None)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        errors.append(ContentError(label, line, None, f"each hazard needs: {valid_list(_HAZARD_KEYS)}"))
        return None
    ident, before = raw["id"], len(errors)

    def error(message: str) -> None:
        errors.append(ContentError(label, line, ident, message))

    _keys(raw, _HAZARD_KEYS, label, ident, errors)
    for key in ("title", "description", "cause", "effect", "harm", "residual"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            error(f"'{key}' must say in words what it is")
    ratings = [_rating(raw.get(key), key, error) for key in ("before", "after")]
    controls = [_control(item, label, ident, errors) for item in raw.get("controls") or []]
    if not controls:
        error("a hazard needs at least one control, each with evidence")
    if ratings[0] and ratings[1] and ratings[1].risk > ratings[0].risk:
        error(f"the risk after controls ({ratings[1].risk}) is higher than before ({ratings[0].risk})")
    if len(errors) > before or not ratings[0] or not ratings[1] or None in controls:
        return None
    return Hazard(id=ident, title=raw["title"].strip(), description=raw["description"].strip(),
                  cause=raw["cause"].strip(), effect=raw["effect"].strip(), harm=raw["harm"].strip(),
                  before=ratings[0], after=ratings[1], controls=tuple(c for c in controls if c is not None),
                  residual=raw["residual"].strip(), file=label, line=line or 1)


def _rating(raw: Any, key: str, error: Any) -> Rating | None:
    if not isinstance(raw, Mapping) or set(raw) != {"severity", "likelihood"}:
        error(f"'{key}' is {{severity: ..., likelihood: ...}}")
        return None
    for name, valid in (("severity", SEVERITIES), ("likelihood", LIKELIHOODS)):
        if raw[name] not in valid:
            error(f"{key}/{name} {raw[name]!r} is not valid. Valid: {valid_list(valid)}.{did_you_mean(raw[name], valid)}")
            return None
    return Rating(severity=raw["severity"], likelihood=raw["likelihood"])


def _control(raw: Any, label: str, ident: str, errors: list[ContentError]) -> Control | None:
    line = getattr(raw, "line", None)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("description"), str):
        errors.append(ContentError(label, line, ident, "each control needs a 'description' and 'evidence'"))
        return None
    _keys(raw, _CONTROL_KEYS, label, ident, errors)
    evidence = []
    for item in raw.get("evidence") or []:
        item_line = getattr(item, "line", line)
        if not isinstance(item, Mapping) or len(item) != 1 or next(iter(item)) not in EVIDENCE_KINDS \
                or not isinstance(next(iter(item.values())), str):
            errors.append(ContentError(label, item_line, ident, f"each evidence entry is one of "
                                                                f"{valid_list(f'{k}: ...' for k in EVIDENCE_KINDS)}"))
            continue
        kind, ref = next(iter(item.items()))
        evidence.append(Evidence(kind=kind, ref=ref.strip(), line=item_line or 1))
    if not evidence:
        errors.append(ContentError(label, line, ident, f"the control '{raw['description'][:60]}' has no evidence"))
        return None
    rules = raw.get("rules", [])
    if not isinstance(rules, list) or not all(isinstance(rule, str) for rule in rules):
        errors.append(ContentError(label, line, ident, "a control's 'rules' is a list of rule ids"))
        return None
    return Control(description=raw["description"].strip(), evidence=tuple(evidence), rules=tuple(rules))
