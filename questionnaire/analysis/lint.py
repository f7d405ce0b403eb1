"""Lint a rule set: logic decided exactly over the answer space, plus references, review dates and wording."""

from __future__ import annotations

import itertools
import random
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from ..answers import visible_answers
from ..conditions import All, Answered, Not
from ..describe import Describer
from ..model import (
    EMERGENCY_NUMBER_PLACEHOLDER,
    NONE_CODE,
    Answers,
    AnswerValue,
    Content,
    Level,
    Questionnaire,
    QuestionType,
    Rule,
)
from . import solver
from .findings import (
    ALWAYS_FIRES,
    CALL_NOW_BELOW_URGENT,
    DUPLICATE_GUIDANCE,
    EQUIVALENT_CONDITIONS,
    MISSING_REFERENCE,
    MISSING_TRANSLATION,
    NEVER_FIRES,
    READING_GRADE,
    REVIEW_OVERDUE,
    STALE_TRANSLATION,
    Finding,
)

REVIEW_MONTHS = 12
MAX_READING_GRADE = 8.0
FINGERPRINT_SAMPLES = 256


def lint(content: Content, content_dir: Path | None = None, today: date | None = None,
         review_months: int = REVIEW_MONTHS, max_grade: float = MAX_READING_GRADE) -> list[Finding]:
    """Every finding for a rule set, errors first; `content_dir` enables the git change check."""
    rules = list(content.ruleset.rules)
    every = [*rules, *([content.ruleset.fallback] if content.ruleset.fallback else [])]
    findings = [*logic_findings(content.questionnaire, rules), *reference_findings(every),
                *review_findings(every, today or date.today(), review_months), *reading_findings(every, max_grade),
                *duplicate_findings(every), *translation_findings(content), *call_now_findings(every)]
    if content_dir is not None:
        from .changes import change_findings  # git is only needed here

        findings.extend(change_findings(content, content_dir))
    return sorted(findings, key=lambda f: f.severity != "error")


def logic_findings(questionnaire: Questionnaire, rules: Iterable[Rule]) -> list[Finding]:
    """Rules that can never or always fire, and equivalent conditions at different levels."""
    findings: list[Finding] = []
    live: list[Rule] = []
    for rule in rules:
        if rule.when is None:
            continue
        if solver.satisfy(questionnaire, rule.when) is None:
            findings.append(Finding(rule.id, "error", NEVER_FIRES, _never_message(questionnaire, rule)))
            continue
        example = solver.satisfy(questionnaire, Not(rule.when))
        if example is None:
            findings.append(Finding(rule.id, "error", ALWAYS_FIRES,
                                    "its condition is true for every possible set of answers, even when nothing "
                                    "is answered, so it would show to everyone; narrow it, or make it the "
                                    "fallback rule"))
            continue
        live.append(rule)
    findings.extend(_equivalent_pairs(questionnaire, live))
    return findings


def _never_message(questionnaire: Questionnaire, rule: Rule) -> str:
    assert rule.when is not None
    if solver.satisfy(questionnaire, rule.when, branching=False) is None:
        return "its condition contradicts itself: no set of answers can make it true"
    read = [q for q in questionnaire.questions if q.id in rule.when.question_ids()]
    for first, second in itertools.combinations(read, 2):
        both = All((Answered(first), Answered(second)))
        if solver.satisfy(questionnaire, both) is None:
            return (f"it can never be true with the questionnaire's branching: it needs answers to "
                    f"'{first.id}' and '{second.id}', which are never shown together")
    for question in read:
        if question.show_if is not None and solver.satisfy(
                questionnaire, All((rule.when, question.show_if)), branching=False) is None:
            return (f"it can never be true with the questionnaire's branching: it needs an answer to "
                    f"'{question.id}', which is only asked when the person "
                    f"{Describer().sentence(question.show_if)}, and the rest of the condition rules that out")
    gated = ", ".join(f"'{q.id}'" for q in read if q.show_if is not None)
    return (f"it can never be true with the questionnaire's branching: the answers it needs are hidden "
            f"whenever the rest of it holds (branching questions: {gated or 'none'})")


def _equivalent_pairs(questionnaire: Questionnaire, rules: list[Rule]) -> list[Finding]:
    """Group rules by their truth on a fixed sample, then decide equivalence exactly within groups."""
    samples = sample_answer_sets(questionnaire, FINGERPRINT_SAMPLES)
    groups: dict[tuple[bool, ...], list[Rule]] = defaultdict(list)
    for rule in rules:
        assert rule.when is not None
        predicate = rule.when.predicate
        groups[tuple(predicate(answers) for answers in samples)].append(rule)
    findings = []
    for group in groups.values():
        for first, second in itertools.combinations(group, 2):
            if first.level is second.level:
                continue
            assert first.when is not None and second.when is not None
            if solver.equivalent(questionnaire, first.when, second.when):
                # A warning, not an error: a lower-level companion note ("what to expect") can be deliberate.
                findings.append(Finding(second.id, "warning", EQUIVALENT_CONDITIONS,
                                        f"its condition shows it for exactly the same answers as '{first.id}', "
                                        f"but at level {second.level.value} instead of {first.level.value}; "
                                        f"check that both levels are meant (a companion note is fine; the same "
                                        f"advice at two levels is not)"))
    return findings


def sample_answer_sets(questionnaire: Questionnaire, size: int, seed: int = 20261124) -> list[Answers]:
    """A fixed pseudo-random sample of answer sets after branching (the same every run)."""
    chooser = random.Random(seed)
    samples: list[Answers] = []
    for _ in range(size):
        raw: dict[str, AnswerValue] = {}
        for question in questionnaire.questions:
            if chooser.random() < 0.15:
                continue
            if question.type is QuestionType.SCALE:
                raw[question.id] = chooser.choice(question.values)
            elif question.type is QuestionType.SINGLE:
                raw[question.id] = chooser.choice(question.codes)
            else:
                plain = [c for c in question.codes if c != NONE_CODE]
                chosen = frozenset(c for c in plain if chooser.random() < 0.3)
                if NONE_CODE in question.codes and (not chosen or chooser.random() < 0.1):
                    chosen = frozenset({NONE_CODE})
                raw[question.id] = chosen or frozenset(plain[:1])
        samples.append(visible_answers(questionnaire, raw))
    return samples


def reference_findings(rules: Iterable[Rule]) -> list[Finding]:
    return [Finding(rule.id, "error", MISSING_REFERENCE,
                    f"{rule.level.value} rules need at least one reference with a title (a source for the advice)")
            for rule in rules
            if rule.level in (Level.EMERGENCY, Level.URGENT)
            and not any(reference.title.strip() for reference in rule.references)]


def review_due(reviewed_on: date, months: int) -> date:
    """The date a review made on `reviewed_on` runs out (the same day `months` later)."""
    year, month = divmod(reviewed_on.month - 1 + months, 12)
    day = reviewed_on.day
    while True:  # 31 January + 1 month is the last day of February
        try:
            return date(reviewed_on.year + year, month + 1, day)
        except ValueError:
            day -= 1


def is_overdue(rule: Rule, today: date, months: int = REVIEW_MONTHS) -> bool:
    return today > review_due(rule.reviewed_on, months)


def review_findings(rules: Iterable[Rule], today: date, months: int) -> list[Finding]:
    return [Finding(rule.id, "warning", REVIEW_OVERDUE,
                    f"last reviewed on {rule.reviewed_on.isoformat()}, more than {months} months ago; "
                    f"a clinician should review it again")
            for rule in rules if is_overdue(rule, today, months)]


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade of patient-facing text (textstat 0.7.3: works offline)."""
    import textstat

    return float(textstat.flesch_kincaid_grade(text.replace(EMERGENCY_NUMBER_PLACEHOLDER, "911")))


def reading_findings(rules: Iterable[Rule], max_grade: float) -> list[Finding]:
    findings = []
    for rule in rules:
        grade = reading_grade(rule.guidance)
        if grade > max_grade:
            findings.append(Finding(rule.id, "warning", READING_GRADE,
                                    f"its guidance reads at grade {grade:.1f}, above grade {max_grade:g}; "
                                    f"use shorter sentences and shorter words"))
    return findings


def translation_findings(content: Content) -> list[Finding]:
    """Translations made from English that has since changed (errors: they may say old advice), and gaps."""
    from ..i18n import missing, stale

    findings = []
    for language in sorted(content.locales):
        findings += [Finding(_rule_of(key), "error", STALE_TRANSLATION,
                             f"the {language} text of {key} was translated from English that has since changed; "
                             f"update it (tools/i18n.py skeleton {language})") for key in stale(content, language)]
        findings += [Finding(_rule_of(key), "warning", MISSING_TRANSLATION,
                             f"{key} has no {language} translation; English is shown instead")
                     for key in missing(content, language)]
    return findings


def _rule_of(key: str) -> str | None:
    """The rule id in a key like 'rule.<id>.guidance', or None for questions and the disclaimer."""
    parts = key.split(".")
    return parts[1] if parts[0] == "rule" else None


# "Call {emergency_number} now" (or "... right away", "at once", "immediately") in one sentence.
_CALL_NOW = re.compile(r"\bcall\b[^.!?]{0,80}" + re.escape(EMERGENCY_NUMBER_PLACEHOLDER)
                       + r"[^.!?]{0,60}?\b(now|right away|at once|immediately|straight away)\b", re.IGNORECASE)


def call_now_findings(rules: Iterable[Rule]) -> list[Finding]:
    """Discuss and info cards that tell people to call the emergency number now (errors).

    The results page heads them "bring this up at your next visit": an instruction to call now
    would contradict that heading and could be read too late. Emergency advice belongs in an
    emergency rule, which fires when the sign is reported; a discuss card may teach the signs
    ("if you ever notice ..., call {emergency_number}") but not tell anyone to act now.
    """
    findings = []
    for rule in rules:
        if rule.level not in (Level.DISCUSS, Level.INFO):
            continue
        for key, text in (("guidance", rule.guidance), ("caregiver_guidance", rule.caregiver_guidance)):
            match = _CALL_NOW.search(text or "")
            if match:
                findings.append(Finding(rule.id, "error", CALL_NOW_BELOW_URGENT,
                                        f"its {key} says {match.group(0)!r} at level {rule.level.value}; an "
                                        f"instruction to call the emergency number now belongs in an emergency "
                                        f"rule. Teach the signs instead (\"if you ever notice ..., call "
                                        f"{EMERGENCY_NUMBER_PLACEHOLDER}\") or raise the level"))
                break
    return findings


def _normalise(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def duplicate_findings(rules: Iterable[Rule]) -> list[Finding]:
    first: dict[str, str] = {}
    findings = []
    for rule in rules:
        key = _normalise(rule.guidance)
        if key in first:
            findings.append(Finding(rule.id, "warning", DUPLICATE_GUIDANCE,
                                    f"its guidance is the same text as '{first[key]}'; merge the two rules "
                                    f"or say what is different"))
        else:
            first[key] = rule.id
    return findings
