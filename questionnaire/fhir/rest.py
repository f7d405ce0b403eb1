"""The read-only FHIR REST surface as resources: the CapabilityStatement, search Bundles and OperationOutcomes."""

from __future__ import annotations

from typing import Any

from ..model import Content
from .definition import page_link_id
from .settings import FhirSettings, Publication
from .terminology import FHIR_VERSION, build_evaluate_operation

FHIR_JSON = "application/fhir+json"
# HTTP status to OperationOutcome issue type (R4 issue-type codes).
ISSUE_TYPES = {400: "invalid", 404: "not-found", 405: "not-supported", 406: "not-supported", 412: "conflict",
               413: "too-costly", 415: "not-supported", 422: "processing"}
Problem = tuple[str | None, str]  # (question id or None, message)


def item_expression(content: Content, question_id: str | None) -> list[str]:
    """Where a problem is, as a FHIRPath into the QuestionnaireResponse: its page's item, then the question's."""
    if question_id is None:
        return []
    question = content.questionnaire.by_id.get(question_id)
    if question is None:
        return [f"QuestionnaireResponse.repeat(item).where(linkId = '{question_id[:64]}')"]
    page = next(page for page in content.questionnaire.pages if question in page.questions)
    return [f"QuestionnaireResponse.item.where(linkId = '{page_link_id(page)}').item.where(linkId = '{question.id}')"]


def operation_outcome(status: int, problems: list[Problem], content: Content | None = None) -> dict[str, Any]:
    """One `error` issue per problem, with `expression` pointing at the item where there is one."""
    code = ISSUE_TYPES.get(status, "exception" if status >= 500 else "processing")
    issues = []
    for question, message in problems or [(None, "The request failed.")]:
        issue: dict[str, Any] = {"severity": "error", "code": code, "diagnostics": message}
        expression = item_expression(content, question) if content is not None else []
        if expression:
            issue["expression"] = expression
        issues.append(issue)
    return {"resourceType": "OperationOutcome", "issue": issues}


def searchset(self_url: str, matches: list[tuple[str, dict[str, Any]]], ignored: list[str]) -> dict[str, Any]:
    """A searchset Bundle of (fullUrl, resource); parameters we do not support are named in an outcome entry."""
    entries: list[dict[str, Any]] = [{"fullUrl": full_url, "resource": resource, "search": {"mode": "match"}}
                                     for full_url, resource in matches]
    if ignored:
        entries.append({"resource": {"resourceType": "OperationOutcome", "issue": [
            {"severity": "warning", "code": "not-supported",
             "diagnostics": f"Search parameter '{name[:40]}' is not supported and was ignored."} for name in ignored]},
            "search": {"mode": "outcome"}})
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "searchset", "total": len(matches),
                              "link": [{"relation": "self", "url": self_url}]}
    if entries:
        bundle["entry"] = entries
    return bundle


def capability_statement(content: Content, settings: FhirSettings, publication: Publication, date: str,
                         base_url: str, software_version: str) -> dict[str, Any]:
    """What this server does: read and search the Questionnaire, read its terminology, `$evaluate` answers."""
    operation = build_evaluate_operation(content, settings, publication)
    read = [{"code": "read"}]
    return {
        "resourceType": "CapabilityStatement", "status": "active", "date": date,
        "experimental": publication.experimental, "publisher": publication.publisher,
        "kind": "instance", "fhirVersion": FHIR_VERSION, "format": [FHIR_JSON, "json"],
        "software": {"name": "Pump therapy conversation questionnaire", "version": software_version},
        "implementation": {"description": "Read-only: the questionnaire, its terminology and guidance for "
                                          "posted answers. Nothing is stored.", "url": base_url},
        "rest": [{
            "mode": "server",
            "security": {"cors": True, "description": "No authentication and no cookies: every resource is public, "
                                                      "and posted answers are evaluated and forgotten."},
            "resource": [
                {"type": "Questionnaire", "interaction": [{"code": "read"}, {"code": "search-type"}],
                 "searchParam": [{"name": "url", "type": "uri"}, {"name": "version", "type": "token"},
                                 {"name": "_id", "type": "token"}]},
                {"type": "QuestionnaireResponse", "operation": [{"name": "evaluate", "definition": operation["url"]}]},
                {"type": "CodeSystem", "interaction": read},
                {"type": "StructureDefinition", "interaction": read},
                {"type": "OperationDefinition", "interaction": read},
            ],
        }],
    }
