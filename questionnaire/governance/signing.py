"""What a reviewer signs: each rule and each translated string, fingerprinted by a hash of its text.

A rule's hash covers everything a reviewer reads and signs (level, topic, title, guidance, the
caregiver wording, the condition, the rationale and the references), in a canonical JSON form,
so any later edit to any of those gives another hash and visibly voids the sign-off. A
translation's hash covers the English source text and the translated text together.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..i18n import content_strings
from ..model import Content, Rule

RULE = "rule"
TRANSLATION = "translation"
KINDS = (RULE, TRANSLATION)


def canonical_hash(value: Any) -> str:
    """sha256 of canonical JSON: sorted keys, no spaces, UTF-8, tuples as lists."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rule_signed_text(rule: Rule) -> dict[str, Any]:
    """The rule as a reviewer signs it (analysis.changes.rule_signature, with names for each part)."""
    from ..analysis.changes import condition_key  # the same condition form the change check compares

    signed = {
        "level": rule.level.value, "topic": rule.topic.value, "title": rule.title, "guidance": rule.guidance,
        "caregiver_title": rule.caregiver_title, "caregiver_guidance": rule.caregiver_guidance,
        "condition": condition_key(rule.when), "fallback": rule.fallback, "rationale": rule.rationale,
        "references": [{"title": ref.title, "url": ref.url} for ref in rule.references],
    }
    if rule.questions_to_ask or rule.caregiver_questions_to_ask:  # only then: older sign-offs keep their hash
        signed["questions_to_ask"] = list(rule.questions_to_ask)
        signed["caregiver_questions_to_ask"] = list(rule.caregiver_questions_to_ask)
    return signed


def rule_hash(rule: Rule) -> str:
    return canonical_hash(rule_signed_text(rule))


def translation_hash(english: str, translated: str) -> str:
    return canonical_hash({"english": english, "translated": translated})


@dataclass(frozen=True)
class Signable:
    """One thing a reviewer signs off: a rule, or one string in one language."""

    kind: str
    ident: str  # rule id, or the string key (for example rule.pump-seizure.guidance)
    sha256: str
    language: str | None = None

    @property
    def key(self) -> tuple[str, str | None, str]:
        return (self.kind, self.language, self.ident)

    def __str__(self) -> str:
        return f"rule {self.ident}" if self.kind == RULE else f"{self.language} translation {self.ident}"


def every_rule(content: Content) -> list[Rule]:
    return list(content.ruleset.all_rules)


def rule_items(content: Content) -> Iterator[Signable]:
    for rule in every_rule(content):
        yield Signable(RULE, rule.id, rule_hash(rule))


def translation_items(content: Content, language: str | None = None) -> Iterator[Signable]:
    """Every translated string (optionally of one language); strings with no translation show English."""
    english = content_strings(content)
    for code in sorted(content.locales):
        if language is not None and code != language:
            continue
        strings = content.locales[code].strings
        for key, text in english.items():
            if key in strings:
                yield Signable(TRANSLATION, key, translation_hash(text, strings[key].text), code)


def signable_items(content: Content) -> list[Signable]:
    """Everything a release needs signed: every rule, then every translated string."""
    return [*rule_items(content), *translation_items(content)]
