"""Topics declared in ruleset.yaml (`topics:`), in display order; rules name them by id. No Flask."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import ContentError, did_you_mean, valid_list
from .model import Topic

FALLBACK_TOPIC = "general"  # the fallback rule's topic; the loader checks it is declared like any other

HOW_TO_DECLARE = ("To declare a new topic, add {{id: {id}, label: \"...\"}} at the end of `topics:` in "
                  "ruleset.yaml, and its Spanish label as topic.{id}.label in locales/es.yaml.")


def load_topics(document: Any, label: str, errors: list[ContentError]) -> dict[str, Topic]:
    """The declared topics by id, in file order; a repeated id is an error at its line."""
    topics: dict[str, Topic] = {}
    for raw in document.get("topics", []):
        topic_id = raw["id"]
        if topic_id in topics:
            errors.append(ContentError(label, getattr(raw, "line", None), topic_id,
                                       f"topic '{topic_id}' is declared twice in `topics:`"))
            continue
        topics[topic_id] = Topic(topic_id, raw["label"])
    return topics


def unknown_topic(topic_id: str, topics: Mapping[str, Topic]) -> str:
    """The error for a rule naming a topic that ruleset.yaml does not declare, with how to declare it."""
    return (f"unknown topic '{topic_id}'.{did_you_mean(topic_id, topics)} Declared topics (ruleset.yaml "
            f"`topics:`): {valid_list(topics)}. " + HOW_TO_DECLARE.format(id=topic_id))
