"""Machine faces: the JSON API (/api/v1) and its OpenAPI document, FHIR downloads and resume, the FHIR server."""
