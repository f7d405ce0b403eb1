"""Exact reasoning over the finite answer space: is a condition ever true, and for how many answer sets?

Every question is either unanswered or has one of finitely many answers, and a question hidden
by `show_if` is always unanswered (as in the web flow). A condition only tells apart the codes
and thresholds it names, so each question is searched over an abstraction: the named codes, one
stand-in for all the others (with its weight), and scale intervals cut at the named thresholds.
A `multiple` answer is "unanswered", "none" alone, or a non-empty set searched code by code.
The search runs in questionnaire order, evaluates the condition three-valued on each partial
answer set and prunes as soon as the outcome is decided. Nothing here is approximate.

`satisfy` first splits the condition into an `or` of smaller parts (`split`): each is searched over
only the questions it reads, and a part that tests one question in a way no answer can pass is
dropped unsearched. `domains` holds the abstraction and the three-valued truth, `search` the search.
"""

from .domains import FALSE, NONE_ALONE, SOME, TRUE, UNANSWERED, Domain, Multi, build_domain, full_size, truth
from .search import (
    Problem,
    SearchBudgetExceeded,
    closure,
    count,
    equivalent,
    implies,
    satisfy,
    total,
    weighted_samples,
)

__all__ = [
    "FALSE", "NONE_ALONE", "SOME", "TRUE", "UNANSWERED", "Domain", "Multi", "Problem", "SearchBudgetExceeded",
    "build_domain", "closure", "count", "equivalent", "full_size", "implies", "satisfy", "total", "truth",
    "weighted_samples",
]
