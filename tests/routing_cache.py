"""URL builders compiled once per test session, not once per app.

Werkzeug compiles a small Python function for each URL rule to build its URLs (`url_for`): it
writes an AST, compiles it and execs it, for every rule of every app. Each test builds its own
app, so about 17 ms of the 25 ms an app costs a test went into compiling the same ~37 builders
again. The builder's code depends only on the rule's own parts (its path pieces, its defaults,
whether unknown arguments are appended), and Werkzeug binds it to each rule object
(`__get__(rule)`), reading that rule's converters when it runs; so the unbound function is shared
by every rule with the same parts. Test-only, on Werkzeug's pinned 3.x internals: if a Werkzeug
upgrade changes `_compile_builder`, every `url_for` in the suite would show it at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing.rules import Rule

_real_compile_builder = Rule._compile_builder
_builders: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}


def _compile_builder(rule: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
    defaults = rule.defaults or {}
    key = (rule.rule, rule.subdomain, rule.host, tuple(rule._trace), append_unknown,
           tuple(sorted((str(k), repr(v)) for k, v in defaults.items())),
           tuple((name, type(converter).__name__) for name, converter in sorted(rule._converters.items())))
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _real_compile_builder(rule, append_unknown)
    return builder


def install() -> None:
    Rule._compile_builder = _compile_builder  # type: ignore[method-assign]
