"""JSON Schemas for the shape of content files; meaning is checked afterwards by the loader."""

from __future__ import annotations

from typing import Any

TEXT: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 2000}
QUESTION_ID = {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,63}$"}
PAGE_ID = {"type": "string", "pattern": "^[a-z][a-z0-9-]{0,63}$"}
RULE_ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,79}$"}
CODE = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_]{0,63}$"}
DATE = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
SCALE_NUMBER = {"type": "integer", "minimum": -1000, "maximum": 1000}

OPTION = {
    "type": "object",
    "required": ["code", "label"],
    "additionalProperties": False,
    "properties": {"code": CODE, "label": TEXT, "caregiver_label": TEXT, "group": CODE, "show_if": {"type": "object"}},
}

OPTION_GROUP = {
    "type": "object",
    "required": ["id", "label"],
    "additionalProperties": False,
    "properties": {"id": CODE, "label": TEXT, "caregiver_label": TEXT},
}

QUESTION = {
    "type": "object",
    "required": ["id", "type", "text"],
    "additionalProperties": False,
    "properties": {
        "id": QUESTION_ID,
        "type": {"enum": ["single", "multiple", "scale"]},
        "text": TEXT,
        "help": TEXT,
        "caregiver_text": TEXT,
        "caregiver_help": TEXT,
        "show_if": {"type": "object"},
        "options": {"type": "array", "minItems": 2, "maxItems": 50, "items": OPTION},
        "groups": {"type": "array", "minItems": 1, "maxItems": 20, "items": OPTION_GROUP},
        "min": SCALE_NUMBER,
        "max": SCALE_NUMBER,
        "labels": {
            "type": "object",
            "propertyNames": {"pattern": "^-?[0-9]{1,4}$"},
            "additionalProperties": TEXT,
        },
    },
    "if": {"properties": {"type": {"const": "scale"}}},
    "then": {"required": ["min", "max"], "not": {"required": ["options"]}},
    "else": {"required": ["options"], "allOf": [
        {"not": {"required": ["min"]}},
        {"not": {"required": ["max"]}},
        {"not": {"required": ["labels"]}},
    ]},
    "dependentRequired": {"groups": ["options"]},
}

QUESTIONS_FILE = {
    "type": "object",
    "required": ["pages"],
    "additionalProperties": False,
    "properties": {
        "pages": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "items": {
                "type": "object",
                "required": ["id", "title", "questions"],
                "additionalProperties": False,
                "properties": {
                    "id": PAGE_ID,
                    "title": TEXT,
                    "caregiver_title": TEXT,
                    "questions": {"type": "array", "minItems": 1, "maxItems": 50, "items": QUESTION},
                },
            },
        },
        # Which answer means someone answers for another person: the caregiver_* wording is then used.
        "perspective": {
            "type": "object",
            "required": ["question", "code"],
            "additionalProperties": False,
            "properties": {"question": QUESTION_ID, "code": CODE},
        },
    },
}

REFERENCE = {
    "type": "object",
    "required": ["title"],
    "additionalProperties": False,
    "properties": {"title": TEXT, "url": {"type": "string", "pattern": "^https?://[^\\s]+$"}},
}

LEVELS = ["emergency", "urgent", "discuss", "info"]
# Topics are declared in ruleset.yaml (`topics:`); the loader checks each rule's topic against them.
TOPIC_ID = {"type": "string", "pattern": "^[a-z][a-z0-9-]{0,63}$"}
TOPIC = {
    "type": "object",
    "required": ["id", "label"],
    "additionalProperties": False,
    "properties": {"id": TOPIC_ID, "label": TEXT},
}

# A rule's "Questions to ask": a few short questions, each one line on the results.
QUESTIONS_TO_ASK = {"type": "array", "minItems": 1, "maxItems": 5, "items": {**TEXT, "maxLength": 160}}

RULE = {
    "type": "object",
    "required": [
        "id", "level", "topic", "title", "guidance", "rationale", "references",
        "owner", "reviewed_by", "reviewed_on",
    ],
    "additionalProperties": False,
    "properties": {
        "id": RULE_ID,
        "level": {"enum": LEVELS},
        "topic": TOPIC_ID,
        "title": TEXT,
        "guidance": TEXT,
        "caregiver_title": TEXT,
        "caregiver_guidance": TEXT,
        "questions_to_ask": QUESTIONS_TO_ASK,
        "caregiver_questions_to_ask": QUESTIONS_TO_ASK,
        "when": {"type": "object"},
        "fallback": {"type": "boolean"},
        # Place within the level, so content (not file order) puts a firm caution first: rules with an
        # `order` come before rules without one, smallest first; ties and the rest keep authored order.
        "order": {"type": "integer", "minimum": 1, "maximum": 999},
        "rationale": TEXT,
        "references": {"type": "array", "maxItems": 30, "items": REFERENCE},
        "owner": TEXT,
        "reviewed_by": TEXT,
        "reviewed_on": DATE,
    },
}

RULES_FILE = {
    "type": "object",
    "required": ["rules"],
    "additionalProperties": False,
    # Each rule is checked against RULE on its own, so one broken rule does not hide the others.
    "properties": {"rules": {"type": "array", "minItems": 1, "maxItems": 20000, "items": {"type": "object"}}},
}

LOCALE_FILE = {
    "type": "object",
    "required": ["language", "name", "strings"],
    "additionalProperties": False,
    "properties": {
        "language": {"type": "string", "pattern": "^[a-z]{2}$"},
        "name": TEXT,
        "strings": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z]+\\.[A-Za-z0-9_.-]+$"},
            "additionalProperties": {
                "type": "object",
                "required": ["text", "source"],
                "additionalProperties": False,
                "properties": {"text": TEXT, "source": {"type": "string", "pattern": "^[0-9a-f]{12}$"}},
            },
        },
    },
}

RULESET_FILE = {
    "type": "object",
    "required": ["version", "disclaimer"],  # and `topics`: required by the loader (see load_content)
    "additionalProperties": False,
    "properties": {
        "version": {"type": "string", "pattern": "^[0-9A-Za-z][0-9A-Za-z.+-]{0,39}$"},
        "disclaimer": TEXT,
        # What guidance is about, in display order; each rule names one by id.
        "topics": {"type": "array", "minItems": 1, "maxItems": 200, "items": TOPIC},
        # Levels shown at once in the flow; the loader checks each is a level (with the line).
        "interrupt": {"type": "array", "maxItems": len(LEVELS), "uniqueItems": True, "items": {"type": "string"}},
    },
}

# Information pages (content/pages/<id>.yaml): sections of text blocks, rendered by one generic template.
IPDAS_CRITERIA = [  # Joseph-Williams et al. 2014: six qualifying, then six certifying criteria
    "condition", "decision", "options", "positive-features", "negative-features", "living-with",
    "equal-detail", "citations", "review-date", "update-policy", "evidence-certainty", "funding",
]
SECTION_ID = {"type": "string", "pattern": "^[a-z][a-z0-9-]{0,40}$"}
TEXT_LIST = {"type": "array", "minItems": 1, "maxItems": 40, "items": TEXT}
SIDE = {"type": "object", "required": ["heading", "items"], "additionalProperties": False,
        "properties": {"heading": TEXT, "items": TEXT_LIST}}
OPTION_FIELDS = ["what", "helps", "downsides", "living", "evidence"]
INFO_BLOCK = {
    "type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": False,
    "properties": {
        "text": TEXT,
        "list": TEXT_LIST,
        "steps": {"type": "array", "minItems": 2, "maxItems": 20, "items": {
            "type": "object", "required": ["title", "text"], "additionalProperties": False,
            "properties": {"title": TEXT, "text": TEXT}}},
        "figure": {"type": "object", "required": ["image", "alt", "key"], "additionalProperties": False,
                   "properties": {"image": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,60}\\.svg$"},
                                  "alt": TEXT, "key": TEXT_LIST}},
        # Benefits and risks side by side: the loader checks they take about the same space.
        "balance": {"type": "object", "required": ["benefits", "risks"], "additionalProperties": False,
                    "properties": {"benefits": SIDE, "risks": SIDE}},
        # Every option answers the same questions, so none is described in less detail.
        "options": {"type": "object", "required": ["labels", "items"], "additionalProperties": False, "properties": {
            "labels": {"type": "object", "required": OPTION_FIELDS, "additionalProperties": False,
                       "properties": {name: TEXT for name in OPTION_FIELDS}},
            "items": {"type": "array", "minItems": 2, "maxItems": 20, "items": {
                "type": "object", "required": ["id", "name", *OPTION_FIELDS], "additionalProperties": False,
                "properties": {"id": SECTION_ID, "name": TEXT, **{name: TEXT for name in OPTION_FIELDS}}}}}},
        "sources": {"const": True},  # the page's reference list
        "facts": {"const": True},  # who wrote it, when it was reviewed, how often, who paid
    },
}
INFO_PAGE_FILE = {
    "type": "object",
    "required": ["id", "title", "written_by", "funding", "last_reviewed", "review_every_months",
                 "sections", "references"],
    "additionalProperties": False,
    "properties": {
        "id": SECTION_ID,
        "title": TEXT,
        "standard": {"enum": ["ipdas"]},  # the loader checks every criterion is met by a section
        "written_by": TEXT,
        "funding": TEXT,
        "last_reviewed": DATE,
        "review_every_months": {"type": "integer", "minimum": 1, "maximum": 36},
        # Absent until a named clinician has checked the page: it then shows as "pending clinical review".
        "clinical_review": {"type": "object", "required": ["by", "on"], "additionalProperties": False,
                            "properties": {"by": TEXT, "on": DATE}},
        "notes_for_reviewers": TEXT_LIST,  # not shown to patients
        "sections": {"type": "array", "minItems": 1, "maxItems": 30, "items": {
            "type": "object", "required": ["id", "heading", "blocks"], "additionalProperties": False,
            "properties": {
                "id": SECTION_ID, "heading": TEXT,
                "ipdas": {"type": "array", "uniqueItems": True, "items": {"enum": IPDAS_CRITERIA}},
                "sources": {"type": "array", "uniqueItems": True, "items": SECTION_ID},  # reference ids
                "blocks": {"type": "array", "minItems": 1, "maxItems": 30, "items": INFO_BLOCK},
            }}},
        "references": {"type": "array", "minItems": 1, "maxItems": 60, "items": {
            "type": "object", "required": ["id", "title", "url"], "additionalProperties": False,
            "properties": {"id": SECTION_ID, "title": TEXT, "url": {"type": "string", "pattern": "^https://[^\\s]+$"},
                           "maker": {"type": "boolean"}}}},  # maker: written by a company that sells pumps or drugs
    },
}
