"""No patient text reads as a verdict: never "eligible", never "(not) a candidate", in English or Spanish."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from questionnaire.i18n import content_strings

ROOT = Path(__file__).resolve().parents[1]
VERDICT = re.compile(r"\b(eligib\w*|candidat\w*|qualif(y|ies|ied)|elegib\w*|cumple los requisitos|apto|apta)\b",
                     re.IGNORECASE)


def test_no_patient_text_reads_as_an_eligibility_decision(content) -> None:
    texts = dict(content_strings(content))
    for language, locale in content.locales.items():
        texts.update({f"{language}:{key}": entry.text for key, entry in locale.strings.items()})
    with (ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        for message in read_po(file):
            for n, text in enumerate([message.id, message.string] if isinstance(message.id, str) else []):
                texts[f"page:{message.id}:{n}"] = str(text)
    assert len(texts) > 600, "every content and page string is read"
    verdicts = {key: match.group(0) for key, text in texts.items() if (match := VERDICT.search(text))}
    assert not verdicts, f"guidance must say what to talk about, never decide: {verdicts}"
    assert VERDICT.search("You may not be a candidate for a pump.") and VERDICT.search("Usted es elegible.")
