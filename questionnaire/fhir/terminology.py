"""What the resources cite, published: one CodeSystem per question, and our extensions' StructureDefinitions.

One code system per question (not one with value sets) because the same code (`pain`, `none`)
means different things in different questions, and every saved file already carries these
systems. A code system's canonical holds the question id, which may have an underscore; FHIR
ids may not, so its logical `id` spells it with a hyphen (question ids never hold one).
"""

from __future__ import annotations

from typing import Any

from ..model import Content, Question, QuestionType
from ..model.text import prefix_of, text_key
from .settings import FhirSettings, Publication

FHIR_VERSION = "4.0.1"
EXTENSION_BASE = "http://hl7.org/fhir/StructureDefinition/Extension"
# Our extensions: (suffix, title, where it goes, definition, parts or the value type).
# A part is (name, value type, max cardinality, definition).
EXTENSIONS: tuple[tuple[str, str, str, str, tuple[tuple[str, str, str, str], ...] | str], ...] = (
    ("perspective", "Who answered", "QuestionnaireResponse",
     "'self' when the person answered for themselves, 'caregiver' when someone answered for the person "
     "they care for; the guidance in the response is worded for that reader.", "code"),
    ("ruleset", "Rule set that made the guidance", "QuestionnaireResponse",
     "The version and content hash of the rule set that produced the guidance, and its disclaimer.", (
         ("version", "string", "1", "The rule set version (ruleset.yaml)."),
         ("sha256", "string", "1", "SHA-256 of the rule files, so a printout can be traced to exact rules."),
         ("disclaimer", "string", "1", "The disclaimer shown with the guidance."))),
    ("guidance", "One piece of guidance shown", "QuestionnaireResponse",
     "One piece of guidance, in the order shown, in the words the person saw. A record, never an input: "
     "reading a response evaluates its answers again with the current rules.", (
         ("rule", "string", "1", "The id of the rule that fired."),
         ("level", "code", "1", "emergency, urgent, discuss or info."),
         ("topic", "code", "1", "What the guidance is about."),
         ("title", "string", "1", "The title shown."),
         ("text", "string", "1", "The guidance shown."),
         ("because", "string", "*", "The id of a question whose answer led to it."))),
)


def _camel(*parts: str) -> str:
    return "".join(word.capitalize() for part in parts for word in part.replace("_", "-").split("-"))


def code_system_id(settings: FhirSettings, question: Question) -> str:
    return settings.code_system(question).rsplit("/", 1)[1].replace("_", "-")


def coded_questions(content: Content) -> list[Question]:
    return [q for q in content.questionnaire.questions if q.type is not QuestionType.SCALE]


def _common(content: Content, publication: Publication) -> dict[str, Any]:
    common: dict[str, Any] = {"version": content.ruleset.version, "status": "active",
                              "experimental": publication.experimental, "publisher": publication.publisher}
    if publication.date:
        common["date"] = publication.date
    return common


def build_code_system(content: Content, question: Question, settings: FhirSettings,
                      publication: Publication) -> dict[str, Any]:
    """The answer codes of one question, English display, every locale's wording as a designation."""
    concepts = []
    for option in question.options:
        concept: dict[str, Any] = {"code": option.code, "display": option.label}
        designations = [{"language": language, "value": locale.strings[key].text}
                        for language, locale in sorted(content.locales.items())
                        if (key := text_key(option, "label", prefix_of(question))) in locale.strings]
        if designations:
            concept["designation"] = designations
        concepts.append(concept)
    return {"resourceType": "CodeSystem", "id": code_system_id(settings, question),
            "url": settings.code_system(question), **_common(content, publication),
            "name": _camel(settings.questionnaire_id, question.id),
            "title": f"Answers to '{question.id}': {question.text}", "caseSensitive": True,
            "content": "complete", "count": len(concepts), "concept": concepts}


def _element(path: str, element_id: str | None = None, **rest: Any) -> dict[str, Any]:
    return {"id": element_id or path, "path": path, **rest}


def _differential(url: str, definition: str, value: tuple[tuple[str, str, str, str], ...] | str,
                  repeats: bool) -> list[dict[str, Any]]:
    elements = [_element("Extension", short=definition[:80], definition=definition, min=0,
                         max="*" if repeats else "1")]
    if isinstance(value, str):
        elements += [_element("Extension.extension", max="0"), _element("Extension.url", fixedUri=url),
                     _element("Extension.value[x]", min=1, type=[{"code": value}])]
        return elements
    elements.append(_element("Extension.extension", slicing={
        "discriminator": [{"type": "value", "path": "url"}], "rules": "open"}))
    for name, kind, most, meaning in value:
        slice_id = f"Extension.extension:{name}"
        elements += [
            _element("Extension.extension", slice_id, sliceName=name, short=meaning[:80], definition=meaning,
                     min=1 if most == "1" else 0, max=most),
            _element("Extension.extension.extension", f"{slice_id}.extension", max="0"),
            _element("Extension.extension.url", f"{slice_id}.url", fixedUri=name),
            _element("Extension.extension.value[x]", f"{slice_id}.value[x]", min=1, type=[{"code": kind}]),
        ]
    elements += [_element("Extension.url", fixedUri=url), _element("Extension.value[x]", max="0")]
    return elements


def build_structure_definitions(content: Content, settings: FhirSettings,
                                publication: Publication) -> dict[str, dict[str, Any]]:
    """Every extension our resources carry, by logical id."""
    found = {}
    for suffix, title, context, definition, value in EXTENSIONS:
        url = settings.extension(suffix)
        resource_id = url.rsplit("/", 1)[1]
        found[resource_id] = {
            "resourceType": "StructureDefinition", "id": resource_id, "url": url, **_common(content, publication),
            "name": _camel(settings.questionnaire_id, suffix), "title": title, "description": definition,
            "fhirVersion": FHIR_VERSION, "kind": "complex-type", "abstract": False,
            "context": [{"type": "element", "expression": context}], "type": "Extension",
            "baseDefinition": EXTENSION_BASE, "derivation": "constraint",
            "differential": {"element": _differential(url, definition, value, repeats=suffix == "guidance")},
        }
    return found


def build_evaluate_operation(content: Content, settings: FhirSettings, publication: Publication) -> dict[str, Any]:
    """The `$evaluate` operation: post a QuestionnaireResponse, get it back with the guidance as extensions."""
    resource_id = f"{settings.questionnaire_id}-evaluate"
    return {
        "resourceType": "OperationDefinition", "id": resource_id,
        "url": f"{settings.base}/OperationDefinition/{resource_id}", **_common(content, publication),
        "name": _camel(settings.questionnaire_id, "evaluate"), "title": "Guidance for a set of answers",
        "kind": "operation", "code": "evaluate", "resource": ["QuestionnaireResponse"],
        "system": False, "type": True, "instance": False, "affectsState": False,
        "description": "Reads the answers in a QuestionnaireResponse to this Questionnaire and returns the "
                       "response again with the guidance as extensions. Nothing is stored.",
        "parameter": [
            {"name": "resource", "use": "in", "min": 1, "max": "1", "type": "QuestionnaireResponse",
             "documentation": "The answers (posted as the body)."},
            {"name": "return", "use": "out", "min": 1, "max": "1", "type": "QuestionnaireResponse",
             "documentation": "The answers with the guidance, in the response's language."},
        ],
    }
