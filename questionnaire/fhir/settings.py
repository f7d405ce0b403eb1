"""The URIs that name our FHIR artefacts, all derived from one canonical URL a deployment can set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Content, Question

DEFAULT_CANONICAL = "https://example.org/fhir/Questionnaire/itb-conversation"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"


@dataclass(frozen=True)
class FhirSettings:
    """Where our Questionnaire, answer code systems and extensions live.

    From `https://host/fhir/Questionnaire/itb-conversation` come code systems
    `https://host/fhir/CodeSystem/itb-conversation-<question id>` (one per question, because the
    same code, such as `pain` or `none`, means different things in different questions) and
    extensions `https://host/fhir/StructureDefinition/itb-conversation-<name>`.
    """

    canonical: str = DEFAULT_CANONICAL

    @property
    def _base_and_name(self) -> tuple[str, str]:
        base, found, name = self.canonical.rstrip("/").rpartition("/Questionnaire/")
        return (base, name) if found and name else (self.canonical.rstrip("/"), "questionnaire")

    @property
    def base(self) -> str:
        """Where the FHIR resources live: the canonical up to `/Questionnaire/`."""
        return self._base_and_name[0]

    @property
    def questionnaire_id(self) -> str:
        """The Questionnaire's logical id: the canonical's last segment (`itb-conversation`)."""
        return self._base_and_name[1]

    def code_system(self, question: Question) -> str:
        base, name = self._base_and_name
        return f"{base}/CodeSystem/{name}-{question.id}"

    def extension(self, suffix: str) -> str:
        base, name = self._base_and_name
        return f"{base}/StructureDefinition/{name}-{suffix}"

    def reference(self, version: str) -> str:
        """The `questionnaire` element of a response: canonical|version."""
        return f"{self.canonical}|{version}"


def translations(content: Content, key: str) -> dict[str, Any] | None:
    """The FHIR translation extension for one content string (`_text`, `_display`), or None.

    Uses every locale the content has, exactly as `i18n.localize` would show it to a person.
    """
    found = []
    for language in sorted(content.locales):
        translation = content.locales[language].strings.get(key)
        if translation is not None:
            found.append({"url": TRANSLATION, "extension": [
                {"url": "lang", "valueCode": language},
                {"url": "content", "valueString": translation.text},
            ]})
    return {"extension": found} if found else None


@dataclass(frozen=True)
class Publication:
    """Who publishes the Questionnaire and when: FHIR metadata a deployment sets, not content."""

    titles: tuple[tuple[str, str], ...] = (("en", "Pump therapy: prepare for your visit"),)  # (language, title)
    publisher: str = "Intrathecal therapy conversation questionnaire (open-source example content)"
    date: str | None = None  # YYYY-MM-DD this version was released
    experimental: bool = True  # example content: not signed off for clinical use
    copyright: str | None = None

    @property
    def title(self) -> str:
        return self.titles[0][1]
