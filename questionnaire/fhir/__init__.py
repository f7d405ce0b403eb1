"""FHIR R4 interchange: the questionnaire as a Questionnaire, answers as a QuestionnaireResponse. No Flask.

Everything here builds or reads plain JSON-ready dicts; no FHIR library is needed at run time.
The tests check every resource built here with the `fhir.resources` R4B models.
"""

from .definition import build_questionnaire
from .response import FHIR_MEDIA_TYPE, answers_from_response, build_response, response_language
from .settings import DEFAULT_CANONICAL, FhirSettings, Publication

__all__ = [
    "DEFAULT_CANONICAL",
    "FHIR_MEDIA_TYPE",
    "FhirSettings",
    "Publication",
    "answers_from_response",
    "build_questionnaire",
    "build_response",
    "response_language",
]
