"""FHIRPath for the tests, each expression parsed once per session (fhirpathpy's own `compile`).

`fhirpathpy.evaluate` parses its expression on every call, and parsing (an ANTLR grammar in pure
Python) is three quarters of its time; the branching tests ask the same few dozen expressions of
hundreds of responses. Same results as `evaluate`: `compile` is fhirpathpy's documented way to
evaluate one expression on many resources.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from fhirpathpy import compile as compile_fhirpath
from fhirpathpy import evaluate
from fhirpathpy.models import models


@cache
def _compiled(expression: str) -> Callable[..., list[Any]]:
    return compile_fhirpath(expression, models["r4"])


def fhirpath_r4(resource: Any, expression: str | dict[str, str], context: dict[str, Any] | None = None) -> list[Any]:
    """`expression` evaluated on `resource` with the R4 model, as fhirpathpy.evaluate would.

    An expression with a `base` ({"base": ..., "expression": ...}) goes to evaluate itself, uncached."""
    if isinstance(expression, dict):
        return evaluate(resource, expression, context or {}, models["r4"])
    return _compiled(expression)(resource, context or {})
