"""How many generated cases the property tests draw: all of them, or a tenth in the quick loop.

`scripts/test --fast` sets QUESTIONNAIRE_TESTS=fast. Every test still runs; Hypothesis tests draw
a tenth of their examples (at least 20), and the OpenAPI contract test skips schemathesis'
coverage phase (which builds every case the schema defines, about 5,700 requests, at collection
time in each worker) while keeping its example and fuzzing phases. The full run, what CI runs,
draws every case. A property the quick loop misses, the full run still finds.
"""

from __future__ import annotations

import os

FAST = os.environ.get("QUESTIONNAIRE_TESTS") == "fast"
FAST_SHARE = 10  # the quick loop draws one example in ten
FAST_MINIMUM = 20


def examples(full: int) -> int:
    """The number of examples a property test draws in this run, for one that draws `full` in the full run."""
    return max(FAST_MINIMUM, full // FAST_SHARE) if FAST else full
