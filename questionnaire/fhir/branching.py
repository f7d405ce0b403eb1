"""Our `show_if` conditions as FHIR branching: `enableWhen` where R4 can say it exactly, FHIRPath otherwise.

R4 `enableWhen` is a flat list joined by one `enableBehavior` (all or any). It can say: equals a
coding or a number, `exists`, `>=`/`<=` on a number, and `!=` ("no answer equals", true when
unanswered, which is what our `not` means). Anything nested deeper, or `not` around a numeric
range (our range is false when unanswered, so its negation is true then; `<`/`>` would be false),
becomes the SDC `enableWhenExpression` in FHIRPath instead. The two are never given together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..conditions import All, Answered, Any_, Atom, Between, Condition, Equals, IncludesAll, IncludesAny, Not, OneOf
from ..model import Question, QuestionType
from .settings import FhirSettings

ENABLE_WHEN_EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"

# How a flat list of enableWhen terms is joined: "one" fits either "all" or "any".
Terms = tuple[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Branching:
    """What goes on a Questionnaire item for one condition."""

    enable_when: tuple[dict[str, Any], ...] = ()
    behavior: str = "all"
    expression: str | None = None

    def apply(self, item: dict[str, Any]) -> None:
        if self.enable_when:
            item["enableWhen"] = list(self.enable_when)
            if len(self.enable_when) > 1:
                item["enableBehavior"] = self.behavior
        elif self.expression is not None:
            item.setdefault("extension", []).append({"url": ENABLE_WHEN_EXPRESSION, "valueExpression": {
                "language": "text/fhirpath", "expression": self.expression}})


def branching(condition: Condition, settings: FhirSettings) -> Branching:
    """enableWhen when it says exactly what the condition says; the FHIRPath expression otherwise."""
    terms = _terms(condition, settings)
    if terms is not None:
        kind, items = terms
        return Branching(enable_when=tuple(items), behavior="any" if kind == "any" else "all")
    return Branching(expression=fhirpath(condition))


def _answer(question: Question, value: str | int, settings: FhirSettings) -> dict[str, Any]:
    if question.type is QuestionType.SCALE:
        return {"answerInteger": int(value)}
    return {"answerCoding": {"system": settings.code_system(question), "code": str(value)}}


def _term(atom: Atom, operator: str, value: str | int, settings: FhirSettings) -> dict[str, Any]:
    return {"question": atom.question.id, "operator": operator, **_answer(atom.question, value, settings)}


def _ordered(atom: Atom, values: frozenset[str]) -> list[str]:
    return [code for code in atom.question.codes if code in values]


def _joined(kind: str, items: list[dict[str, Any]]) -> Terms:
    return ("one" if len(items) == 1 else kind, items)


def _atom_terms(atom: Atom, settings: FhirSettings, negated: bool) -> Terms | None:
    question = atom.question.id
    if isinstance(atom, Answered):
        return "one", [{"question": question, "operator": "exists", "answerBoolean": atom.expected is not negated}]
    operator = "!=" if negated else "="
    if isinstance(atom, Equals):
        return "one", [_term(atom, operator, atom.value, settings)]
    if isinstance(atom, OneOf | IncludesAny | IncludesAll):
        # "any answer is one of these" negates to "no answer is any of these" (all of the !=).
        kind = "all" if isinstance(atom, IncludesAll) is not negated else "any"
        return _joined(kind, [_term(atom, operator, code, settings) for code in _ordered(atom, atom.values)])
    if isinstance(atom, Between) and not negated:
        bounds = [_term(atom, op, bound, settings) for op, bound in ((">=", atom.low), ("<=", atom.high))
                  if bound is not None]
        return _joined("all", bounds)
    return None


def _terms(condition: Condition, settings: FhirSettings) -> Terms | None:
    if isinstance(condition, Atom):
        return _atom_terms(condition, settings, negated=False)
    if isinstance(condition, Not):
        return _atom_terms(condition.item, settings, negated=True) if isinstance(condition.item, Atom) else None
    if isinstance(condition, All | Any_):
        kind = "all" if isinstance(condition, All) else "any"
        items: list[dict[str, Any]] = []
        for part in condition.items:
            terms = _terms(part, settings)
            if terms is None or terms[0] not in ("one", kind):
                return None
            items.extend(terms[1])
        return _joined(kind, items)
    return None


def _values(question_id: str, suffix: str = "") -> str:
    return f"%resource.repeat(item).where(linkId='{question_id}').answer.value{suffix}"


def _codes(values: list[str]) -> str:
    return " | ".join(f"'{code}'" for code in values)


def fhirpath(condition: Condition) -> str:
    """The condition as a FHIRPath boolean over the response being filled in (`%resource`)."""
    if isinstance(condition, All | Any_):
        joiner = " and " if isinstance(condition, All) else " or "
        return joiner.join(f"({fhirpath(part)})" for part in condition.items)
    if isinstance(condition, Not):
        return f"({fhirpath(condition.item)}).not()"
    if not isinstance(condition, Atom):
        raise TypeError(f"no FHIRPath for condition {condition!r}")
    question = condition.question
    if isinstance(condition, Answered):
        return _values(question.id, ".exists()" if condition.expected else ".empty()")
    if question.type is QuestionType.SCALE:
        numbers = _values(question.id)
        if isinstance(condition, Equals):
            return f"{numbers}.where($this = {int(condition.value)}).exists()"
        if isinstance(condition, Between):
            tests = [f"$this {op} {bound}" for op, bound in ((">=", condition.low), ("<=", condition.high))
                     if bound is not None]
            return f"{numbers}.where({' and '.join(tests)}).exists()"
    codes = _values(question.id, ".code")
    if isinstance(condition, Equals):
        return f"{codes}.where($this = '{condition.value}').exists()"
    if isinstance(condition, OneOf | IncludesAny):
        return f"{codes}.intersect({_codes(_ordered(condition, condition.values))}).exists()"
    if isinstance(condition, IncludesAll):
        return f"({_codes(_ordered(condition, condition.values))}).subsetOf({codes})"
    raise TypeError(f"no FHIRPath for condition {condition!r}")
