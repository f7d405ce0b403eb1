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
from ..interpreters import Interpreter
from ..model import Question, Questionnaire, QuestionType
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


@dataclass(frozen=True)
class _Reading:
    """The questionnaire the condition's question ids name, and the code systems to cite."""

    questionnaire: Questionnaire
    settings: FhirSettings

    def question(self, atom: Atom) -> Question:
        return self.questionnaire.by_id[atom.question_id]


def branching(condition: Condition, questionnaire: Questionnaire, settings: FhirSettings) -> Branching:
    """enableWhen when it says exactly what the condition says; the FHIRPath expression otherwise."""
    reading = _Reading(questionnaire, settings)
    terms = _terms(condition, reading)
    if terms is not None:
        kind, items = terms
        return Branching(enable_when=tuple(items), behavior="any" if kind == "any" else "all")
    return Branching(expression=fhirpath(condition, questionnaire))


def _term(atom: Atom, operator: str, value: str | int, reading: _Reading) -> dict[str, Any]:
    question = reading.question(atom)
    if question.type is QuestionType.SCALE:
        answer: dict[str, Any] = {"answerInteger": int(value)}
    else:
        answer = {"answerCoding": {"system": reading.settings.code_system(question), "code": str(value)}}
    return {"question": atom.question_id, "operator": operator, **answer}


def _ordered(question: Question, values: frozenset[str]) -> list[str]:
    return [code for code in question.codes if code in values]


def _joined(kind: str, items: list[dict[str, Any]]) -> Terms:
    return ("one" if len(items) == 1 else kind, items)


# enableWhen terms for one atom (negated: the terms of its `not`), or None when R4 cannot say it.
_atom_terms = Interpreter[Terms | None]("fhir_enable_when")
_terms = Interpreter[Terms | None]("fhir_enable_when_group")


@_atom_terms.register(Answered)
def _answered_terms(atom: Answered, reading: _Reading, negated: bool) -> Terms | None:
    return "one", [{"question": atom.question_id, "operator": "exists", "answerBoolean": atom.expected is not negated}]


@_atom_terms.register(Equals)
def _equals_terms(atom: Equals, reading: _Reading, negated: bool) -> Terms | None:
    return "one", [_term(atom, "!=" if negated else "=", atom.value, reading)]


@_atom_terms.register(OneOf, IncludesAny, IncludesAll)
def _codes_terms(atom: OneOf | IncludesAny | IncludesAll, reading: _Reading, negated: bool) -> Terms | None:
    # "any answer is one of these" negates to "no answer is any of these" (all of the !=).
    kind = "all" if isinstance(atom, IncludesAll) is not negated else "any"
    operator = "!=" if negated else "="
    codes = _ordered(reading.question(atom), atom.values)
    return _joined(kind, [_term(atom, operator, code, reading) for code in codes])


@_atom_terms.register(Between)
def _between_terms(atom: Between, reading: _Reading, negated: bool) -> Terms | None:
    if negated:  # false when unanswered, so its negation is true then: R4's < and > would be false
        return None
    bounds = [_term(atom, op, bound, reading) for op, bound in ((">=", atom.low), ("<=", atom.high))
              if bound is not None]
    return _joined("all", bounds)


@_terms.register(Atom)  # each atom through its own case above
def _atom_group(condition: Atom, reading: _Reading) -> Terms | None:
    return _atom_terms(condition, reading, False)


@_terms.register(Not)
def _not_group(condition: Not, reading: _Reading) -> Terms | None:
    return _atom_terms(condition.item, reading, True) if isinstance(condition.item, Atom) else None


@_terms.register(All, Any_)
def _items_group(condition: All | Any_, reading: _Reading) -> Terms | None:
    kind = "all" if isinstance(condition, All) else "any"
    items: list[dict[str, Any]] = []
    for part in condition.items:
        terms = _terms(part, reading)
        if terms is None or terms[0] not in ("one", kind):
            return None
        items.extend(terms[1])
    return _joined(kind, items)


def _values(question_id: str, suffix: str = "") -> str:
    return f"%resource.repeat(item).where(linkId='{question_id}').answer.value{suffix}"


def _codes(values: list[str]) -> str:
    return " | ".join(f"'{code}'" for code in values)


_fhirpath = Interpreter[str]("fhirpath")


def fhirpath(condition: Condition, questionnaire: Questionnaire) -> str:
    """The condition as a FHIRPath boolean over the response being filled in (`%resource`)."""
    return _fhirpath(condition, questionnaire)


@_fhirpath.register(All, Any_)
def _items_path(condition: All | Any_, questionnaire: Questionnaire) -> str:
    joiner = " and " if isinstance(condition, All) else " or "
    return joiner.join(f"({_fhirpath(part, questionnaire)})" for part in condition.items)


@_fhirpath.register(Not)
def _not_path(condition: Not, questionnaire: Questionnaire) -> str:
    return f"({_fhirpath(condition.item, questionnaire)}).not()"


@_fhirpath.register(Answered)
def _answered_path(condition: Answered, questionnaire: Questionnaire) -> str:
    return _values(condition.question_id, ".exists()" if condition.expected else ".empty()")


@_fhirpath.register(Equals)
def _equals_path(condition: Equals, questionnaire: Questionnaire) -> str:
    if questionnaire.by_id[condition.question_id].type is QuestionType.SCALE:
        return f"{_values(condition.question_id)}.where($this = {int(condition.value)}).exists()"
    return f"{_values(condition.question_id, '.code')}.where($this = '{condition.value}').exists()"


@_fhirpath.register(Between)
def _between_path(condition: Between, questionnaire: Questionnaire) -> str:
    tests = [f"$this {op} {bound}" for op, bound in ((">=", condition.low), ("<=", condition.high))
             if bound is not None]
    return f"{_values(condition.question_id)}.where({' and '.join(tests)}).exists()"


@_fhirpath.register(OneOf, IncludesAny)
def _any_code_path(condition: OneOf | IncludesAny, questionnaire: Questionnaire) -> str:
    codes = _ordered(questionnaire.by_id[condition.question_id], condition.values)
    return f"{_values(condition.question_id, '.code')}.intersect({_codes(codes)}).exists()"


@_fhirpath.register(IncludesAll)
def _all_codes_path(condition: IncludesAll, questionnaire: Questionnaire) -> str:
    codes = _ordered(questionnaire.by_id[condition.question_id], condition.values)
    return f"({_codes(codes)}).subsetOf({_values(condition.question_id, '.code')})"
