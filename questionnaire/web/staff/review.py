"""Read-only review pages for clinical staff under /review: every rule and question in words."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Flask, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from ...analysis import review_due
from ...describe import Describer
from ...governance import SignOffState
from ...model import Content, Level, Rule
from ...readers import readers_by_question
from ..state import governance, settings
from ..state import reviewer_content as content
from . import review_analysis
from .access import check_access, headers

bp = Blueprint("review", __name__, url_prefix="/review")
bp.before_request(check_access)  # public, password (HTTP Basic) or off, as for the clinic tools
bp.after_request(headers)

LEVEL_NAMES = {Level.EMERGENCY: _l("Emergency"), Level.URGENT: _l("Urgent"), Level.DISCUSS: _l("Discuss"),
               Level.INFO: _l("Good to know")}
MAX_FILTER = 200
SIGN_OFF_FILTERS = ("all", "pending", "changed", "signed")


def describer() -> Describer:
    """Connecting words from the page's catalogue, question and answer words from the reviewer's language."""
    return Describer(gettext, content().questionnaire)


def is_overdue(rule: Rule, today: date | None = None) -> bool:
    """True when the rule's last review is more than REVIEW_OVERDUE_MONTHS ago."""
    months = settings().review_overdue_months
    return (today or date.today()) > review_due(rule.reviewed_on, months)


def _all_rules(loaded: Content) -> list[Rule]:
    return list(loaded.ruleset.all_rules)


@bp.context_processor
def review_helpers() -> dict[str, Any]:
    return {"level_name": lambda level: LEVEL_NAMES.get(level, level.value),
            "topic_name": lambda topic: content().ruleset.topic(topic.id).label,  # ruleset.yaml `topics`
            "is_overdue": is_overdue, "describe": describer(), "overdue_months": settings().review_overdue_months,
            "signoff_of": governance().rule_status, "governance": governance()}


def _sign_off_matches(rule: Rule, wanted: str) -> bool:
    status = governance().rule_status(rule.id)
    state = status.state if status is not None else SignOffState.UNSIGNED
    return (wanted == "all" or (wanted == "signed" and state is SignOffState.SIGNED)
            or (wanted == "changed" and state is SignOffState.CHANGED)
            or (wanted == "pending" and state is not SignOffState.SIGNED))


def _matches(rule: Rule, words: list[str], describe: Describer) -> bool:
    condition = describe.sentence(rule.when) if rule.when is not None else ""
    haystack = " ".join((rule.id, rule.title, rule.guidance, rule.level.value, rule.topic.value,
                         str(LEVEL_NAMES.get(rule.level, "")), content().ruleset.topic(rule.topic.id).label,
                         condition, rule.rationale, rule.owner, rule.reviewed_by)).casefold()
    return all(word in haystack for word in words)


@bp.get("/")
def index() -> ResponseReturnValue:
    loaded = content()
    query = request.args.get("q", "")[:MAX_FILTER].strip()
    words = query.casefold().split()
    rules = _all_rules(loaded)
    sign_off = request.args.get("signoff", "all")
    sign_off = sign_off if sign_off in SIGN_OFF_FILTERS else "all"
    shown = [rule for rule in rules if _matches(rule, words, describer()) and _sign_off_matches(rule, sign_off)]
    groups = []
    for level in Level:
        topics = [(topic, [r for r in shown if r.level is level and r.topic == topic]) for topic in loaded.ruleset.topics]
        topics = [(topic, items) for topic, items in topics if items]
        if topics:
            groups.append((level, topics))
    return render_template("review/index.html", groups=groups, query=query, shown=len(shown), total=len(rules),
                           analysis=review_analysis.get(), questionnaire=loaded.questionnaire, sign_off=sign_off,
                           filtered=bool(query) or sign_off != "all")


@bp.get("/rules/<rule_id>")
def rule(rule_id: str) -> ResponseReturnValue:
    loaded = content()
    found = next((r for r in _all_rules(loaded) if r.id == rule_id), None)
    if found is None:
        abort(404)
    read = found.when.question_ids() if found.when is not None else frozenset()
    analysis = review_analysis.get()
    return render_template("review/rule.html", rule=found, analysis=analysis, questionnaire=loaded.questionnaire,
                           reads=[q for q in loaded.questionnaire.questions if q.id in read],
                           scenarios=analysis.scenarios_by_rule.get(found.id, []),
                           findings=analysis.findings_by_rule.get(found.id, []))


@bp.get("/questions/<question_id>")
def question(question_id: str) -> ResponseReturnValue:
    loaded = content()
    found = loaded.questionnaire.by_id.get(question_id)
    if found is None:
        abort(404)
    readers = readers_by_question(loaded)[found.id]
    page = next(p for p in loaded.questionnaire.pages if found in p.questions)
    return render_template("review/question.html", question=found, page=page, readers=readers)


@bp.get("/questionnaire")
def questionnaire() -> ResponseReturnValue:
    return render_template("review/questionnaire.html", questionnaire=content().questionnaire)


@bp.get("/invariants")
def invariants() -> ResponseReturnValue:
    return render_template("review/invariants.html", analysis=review_analysis.get(),
                           questionnaire=content().questionnaire)


@bp.get("/scenarios")
def scenarios() -> ResponseReturnValue:
    return render_template("review/scenarios.html", analysis=review_analysis.get(),
                           questionnaire=content().questionnaire)


@bp.get("/safety-case")
def safety_case() -> ResponseReturnValue:
    analysis = review_analysis.get()
    return render_template("review/safety_case.html", analysis=analysis, safety=review_analysis.safety_case(analysis),
                           rule_ids={rule.id for rule in _all_rules(content())})


def init_app(app: Flask) -> None:
    """Register the pages (REVIEW_ACCESS and the other review settings are checked in settings.py)."""
    app.register_blueprint(bp)
