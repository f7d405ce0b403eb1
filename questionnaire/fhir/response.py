"""A set of answers as a FHIR R4 QuestionnaireResponse, and back again.

How the guidance travels: as extensions on the QuestionnaireResponse itself (one `guidance`
extension per piece of guidance, in the order shown, and one `ruleset` extension with the rule
set's version, hash and disclaimer). One file stays one resource that any FHIR server accepts
as a QuestionnaireResponse; a receiver that does not know the extensions may ignore them (they
are not modifiers), so the answers still import. A Bundle would make every receiver unpack it
first, and contained resources must be referenced from the response, which R4 gives no element
for. The guidance is a record of what the person was shown, never an input: reading a response
back uses only its answers and evaluates them again with the current rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ..answers import parse_answers
from ..engine import Evaluation
from ..errors import AnswerError, did_you_mean
from ..flow import Flow
from ..model import AnswerValue, Content, Question, QuestionType
from ..perspective import CAREGIVER, SELF, answers_as_caregiver
from .definition import page_link_id
from .settings import FhirSettings

FHIR_MEDIA_TYPE = "application/fhir+json"
READABLE_STATUSES = ("completed", "amended", "in-progress")
MAX_DEPTH = 8
Problems = list[tuple[str | None, str]]


def _answer(question: Question, value: AnswerValue, settings: FhirSettings) -> list[dict[str, Any]]:
    if isinstance(value, int):
        return [{"valueInteger": value}]
    codes = [code for code in question.codes if code in value] if isinstance(value, frozenset) else [value]
    # No `display`: renderers such as LHC-Forms match an answer by code *and* display, so any wording
    # (Spanish, a caregiver's, or English opened in the Spanish view) other than the view's drops it.
    # The code and system say exactly which answer it is; the published CodeSystem has the words.
    return [{"valueCoding": {"system": settings.code_system(question), "code": code}} for code in codes]


def _guidance_extensions(evaluation: Evaluation, settings: FhirSettings) -> list[dict[str, Any]]:
    ruleset = evaluation.content.ruleset
    extensions = [{"url": settings.extension("ruleset"), "extension": [
        {"url": "version", "valueString": ruleset.version},
        {"url": "sha256", "valueString": ruleset.sha256},
        {"url": "disclaimer", "valueString": ruleset.disclaimer},
    ]}]
    for guidance in evaluation.guidance:
        parts = [
            {"url": "rule", "valueString": guidance.rule.id},
            {"url": "level", "valueCode": guidance.level.value},
            {"url": "topic", "valueCode": guidance.rule.topic.value},
            {"url": "title", "valueString": guidance.rule.title},
            {"url": "text", "valueString": guidance.text},
        ]
        parts.extend({"url": "because", "valueString": because.question} for because in guidance.because)
        extensions.append({"url": settings.extension("guidance"), "extension": parts})
    return extensions


def build_response(evaluation: Evaluation, settings: FhirSettings | None = None,
                   authored: datetime | None = None, base: Content | None = None) -> dict[str, Any]:
    """The answers behind an evaluation, worded as the Questionnaire is, with its guidance as extensions.

    `item.text` comes from `base`, the English content the Questionnaire is built from (default: the
    evaluation's own); answers carry code and system only. The person's language is the response's
    `language`, their perspective (self or caregiver) an extension; the guidance stays in the words
    they were shown.
    `completed` when every question shown was answered, `in-progress` for partial answers.
    """
    settings = settings or FhirSettings()
    content = evaluation.content
    worded = (base or content).questionnaire
    items = []
    for page in worded.pages:
        answered = [question for question in page.questions if question.id in evaluation.answers]
        if answered:
            items.append({"linkId": page_link_id(page), "text": page.title, "item": [
                {"linkId": question.id, "text": question.text,
                 "answer": _answer(question, evaluation.answers[question.id], settings)}
                for question in answered]})
    finished = Flow(content.questionnaire, evaluation.answers).first_unanswered() is None
    moment = (authored or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    perspective = CAREGIVER if answers_as_caregiver(content, evaluation.answers) else SELF
    return {
        "resourceType": "QuestionnaireResponse",
        "language": content.language,
        "extension": [{"url": settings.extension("perspective"), "valueCode": perspective},
                      *_guidance_extensions(evaluation, settings)],
        "questionnaire": settings.reference(content.ruleset.version),
        "status": "completed" if finished else "in-progress",
        "authored": moment.isoformat().replace("+00:00", "Z"),
        "item": items,
    }


def response_language(resource: Any, languages: tuple[str, ...]) -> str | None:
    """The response's `language` as one of ours: `es-US` or `es-MX` is `es`; None when absent or unknown."""
    tag = resource.get("language") if isinstance(resource, Mapping) else None
    if not isinstance(tag, str):
        return None
    for candidate in (tag, tag.split("-")[0].split("_")[0].lower()):
        if candidate in languages:
            return candidate
    return None


def answers_from_response(content: Content, resource: Any, settings: FhirSettings | None = None) -> dict[str, AnswerValue]:
    """The answers in a QuestionnaireResponse, checked like any other answers; AnswerError names each problem.

    A response to an older version of our questionnaire is read where its answers still fit.
    """
    settings = settings or FhirSettings()
    if not isinstance(resource, Mapping) or resource.get("resourceType") != "QuestionnaireResponse":
        raise AnswerError([(None, "This is not a FHIR QuestionnaireResponse (its resourceType must be "
                                  "'QuestionnaireResponse').")])
    reference = resource.get("questionnaire")
    if not isinstance(reference, str) or not reference:
        raise AnswerError([(None, f"The response does not say which questionnaire it answers: 'questionnaire' "
                                  f"must be '{settings.reference('<version>')}'.")])
    url, _, version = reference.partition("|")
    if url != settings.canonical:
        raise AnswerError([(None, f"This is a response to another questionnaire ('{url[:200]}'). Only responses "
                                  f"to '{settings.canonical}' can be read here.")])
    status = resource.get("status")
    if status not in READABLE_STATUSES:
        raise AnswerError([(None, f"A response with status '{str(status)[:40]}' cannot be read; the status must be "
                                  f"one of: {', '.join(READABLE_STATUSES)}.")])
    current = content.ruleset.version
    problems: Problems = []
    raw: dict[str, Any] = {}
    _collect(resource.get("item", []), content, settings, raw, problems, depth=0)
    answers: dict[str, AnswerValue] = {}
    more = 0
    try:
        answers = parse_answers(content.questionnaire, raw)
    except AnswerError as exc:
        problems.extend(exc.problems)
        more = exc.more
    if problems:
        if version and version != current:
            problems.insert(0, (None, f"This response was made with version {version[:40]} of the questionnaire; "
                                      f"this is version {current}. These answers no longer fit:"))
        raise AnswerError(problems, more)
    return answers


def _collect(items: Any, content: Content, settings: FhirSettings, raw: dict[str, Any], problems: Problems,
             depth: int) -> None:
    """Walk the response's items (and items nested under answers), gathering answers by linkId."""
    if depth > MAX_DEPTH:
        problems.append((None, f"Items are nested more than {MAX_DEPTH} deep."))
        return
    if not isinstance(items, list):
        problems.append((None, "'item' must be a list of items."))
        return
    by_id = content.questionnaire.by_id
    for item in items:
        link_id = item.get("linkId") if isinstance(item, Mapping) else None
        if not isinstance(link_id, str):
            problems.append((None, "Every item needs a 'linkId' (the question id)."))
            continue
        answers = item.get("answer", [])
        if not isinstance(answers, list) or not all(isinstance(a, Mapping) for a in answers):
            problems.append((link_id[:64], f"'{link_id[:64]}': 'answer' must be a list of answers."))
            continue
        for answer in answers:
            _collect(answer.get("item", []), content, settings, raw, problems, depth + 1)
        _collect(item.get("item", []), content, settings, raw, problems, depth + 1)
        if not answers:
            continue
        question = by_id.get(link_id)
        if question is None:
            problems.append((link_id[:64], f"'{link_id[:64]}' is not a question in version {content.ruleset.version} "
                                           f"of this questionnaire.{did_you_mean(link_id, by_id)}"))
        elif question.id in raw:
            problems.append((question.id, f"'{question.id}' is answered more than once."))
        else:
            try:
                raw[question.id] = _value(question, answers, settings)
            except ValueError as exc:
                problems.append((question.id, str(exc)))


def _value(question: Question, answers: list[Mapping[str, Any]], settings: FhirSettings) -> Any:
    """FHIR answers as the plain value `parse_answers` checks: a code, a list of codes, or a number."""
    qid = question.id
    if question.type is not QuestionType.MULTIPLE and len(answers) > 1:
        raise ValueError(f"'{qid}' takes one answer, not {len(answers)}.")
    if question.type is QuestionType.SCALE:
        value = answers[0].get("valueInteger")
        # JSON has one number type: 0.0 is the integer 0 to JSON Schema (and to the OpenAPI
        # document), so an integral float is accepted here as the plain API does.
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"'{qid}' takes a whole number (valueInteger) from {question.minimum} to {question.maximum}.")
        return value
    system = settings.code_system(question)
    codes = []
    for answer in answers:
        coding = answer.get("valueCoding")
        if not isinstance(coding, Mapping) or not isinstance(coding.get("code"), str):
            raise ValueError(f"'{qid}' takes coded answers (valueCoding with a code).")
        if coding.get("system", system) != system:
            raise ValueError(f"'{qid}': answer code system '{str(coding.get('system'))[:200]}' is not ours "
                             f"(expected '{system}').")
        code = coding["code"]
        codes.append(code)
    return codes if question.type is QuestionType.MULTIPLE else codes[0]
