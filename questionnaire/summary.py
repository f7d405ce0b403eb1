"""What the results page says first, and the "For your clinician" box on its printout.

Flask-free: built from an Evaluation (answers already pruned by branching, words already in the
person's language and perspective). Which answers the clinician box shows, under which clinical
label, is content (`clinician.yaml`), read and checked at start-up like the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ContentError, ContentErrors, did_you_mean
from .model import Level, Questionnaire, SummaryRow, Topic
from .schema_errors import schema_errors
from .yamlfile import read_yaml

if TYPE_CHECKING:  # the engine is not needed to load the rows
    from .engine import Evaluation

CLINICIAN_FILE = "clinician.yaml"
ROW_ID = {"type": "string", "pattern": "^[a-z][a-z0-9-]{0,63}$"}
CLINICIAN_SCHEMA = {
    "type": "object", "required": ["rows"], "additionalProperties": False,
    "properties": {"rows": {"type": "array", "minItems": 1, "maxItems": 30, "items": {
        "type": "object", "required": ["id", "label", "questions"], "additionalProperties": False,
        "properties": {"id": ROW_ID, "label": {"type": "string", "minLength": 1, "maxLength": 80},
                       "questions": {"type": "array", "minItems": 1, "maxItems": 10,
                                     "items": {"type": "string", "minLength": 1, "maxLength": 64}}}}}},
}


@dataclass(frozen=True)
class Counts:
    """How many items the results hold at each level: the 2-3 lines a person reads first."""

    now: int  # emergency: call now
    today: int  # urgent: contact the team today
    talk: int  # discuss: bring up at the next appointment
    know: int  # info: good to know


@dataclass(frozen=True)
class ClinicianLine:
    """One line of the clinician box: a clinical label and the answers behind it, in words."""

    label: str
    answers: tuple[str, ...]


def counts(evaluation: Evaluation) -> Counts:
    by_level = {level: len(items) for level, items in evaluation.by_level()}
    return Counts(*(by_level.get(level, 0) for level in (Level.EMERGENCY, Level.URGENT, Level.DISCUSS, Level.INFO)))


def questions_to_ask(evaluation: Evaluation) -> tuple[str, ...]:
    """The questions of every rule that applies, highest level first, each once."""
    seen: dict[str, None] = {}
    for _, items in evaluation.by_level():
        for guidance in items:
            seen.update(dict.fromkeys(guidance.rule.questions_to_ask))
    return tuple(seen)


def topics_raised(evaluation: Evaluation) -> tuple[Topic, ...]:
    """The topics of the items to act on or talk about (not the "good to know" ones), highest level first, once each."""
    return tuple(dict.fromkeys(g.rule.topic for g in evaluation.guidance if g.level is not Level.INFO))


def clinician_lines(evaluation: Evaluation) -> tuple[ClinicianLine, ...]:
    """Each clinician row with at least one answer shown, its answers in the person's language."""
    content = evaluation.content
    by_id = content.questionnaire.by_id
    lines = []
    for row in content.clinician_summary:
        answers = tuple(by_id[qid].describe_answer(evaluation.answers[qid])
                        for qid in row.questions if qid in evaluation.answers)
        if answers:
            lines.append(ClinicianLine(row.label, answers))  # localize() already put the label in its language
    return tuple(lines)


def load_clinician_rows(root: Path, questionnaire: Questionnaire, label: Callable[[Path], str],
                        errors: list[ContentError]) -> tuple[SummaryRow, ...]:
    """The rows of the clinician box from `root/clinician.yaml`; none when the content has no such file."""
    path = root / CLINICIAN_FILE
    if not path.is_file():
        return ()
    where = label(path)
    try:
        document = read_yaml(path, where)
    except ContentErrors as exc:
        errors.extend(exc.errors)
        return ()
    problems = schema_errors(document, CLINICIAN_SCHEMA, where)
    errors.extend(problems)
    if problems:
        return ()
    rows: list[SummaryRow] = []
    before = len(errors)
    for raw in document["rows"]:
        for qid in raw["questions"]:
            if qid not in questionnaire.by_id:
                errors.append(ContentError(where, raw.line, raw["id"], f"unknown question '{qid}'"
                                           + did_you_mean(qid, questionnaire.by_id)))
        if raw["id"] in {row.id for row in rows}:
            errors.append(ContentError(where, raw.line, raw["id"], "this row id is used twice"))
        rows.append(SummaryRow(raw["id"], raw["label"], tuple(raw["questions"])))
    return tuple(rows) if len(errors) == before else ()


def _css_string(text: str) -> str:
    return '"' + re.sub(r"\s+", " ", text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def print_margins_css(form_name: str, made_on: str, page_of: str) -> str:
    """The printout's page margins: the form's name and the date on top, "Page N of M" below, on every page.

    `page_of` is the translated "Page {page} of {pages}"; CSS paged media fills in the numbers."""
    numbers = " ".join(part if part in ("{page}", "{pages}") else _css_string(part)
                       for part in re.split(r"(\{pages?\})", page_of) if part)
    numbers = numbers.replace("{pages}", "counter(pages)").replace("{page}", "counter(page)")
    return ("@page { margin: 16mm 12mm 14mm; "
            f"@top-left {{ content: {_css_string(form_name)}; }} "
            f"@top-right {{ content: {_css_string(made_on)}; }} "
            f"@bottom-right {{ content: {numbers}; }} }}\n")
