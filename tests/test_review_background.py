"""The review pages answer at once on a freshly started app: the rule analysis runs in the background.

With the shipped rule set the proofs take about 40 s on this machine, longer than gunicorn's 30 s
worker timeout, so a review page that waited for them would be killed before it answered.
"""

from __future__ import annotations

import time

from app import create_app
from tests.test_review import text_of

WAIT_AT_MOST = 600  # seconds; the analysis takes about 40 s on an idle 2-core machine


def test_a_reviewer_sees_the_analysis_running_then_its_findings_on_the_same_pages():
    client = create_app({"TESTING": True, "REVIEW_ANALYSIS_WAIT": 0}).test_client()
    began = time.monotonic()
    first = client.get("/review/")
    answered_in = time.monotonic() - began
    assert first.status_code == 200 and answered_in < 10, answered_in
    assert "The rule analysis is running" in text_of(first.data)
    assert "safety checks proven" not in text_of(first.data)
    for path in ("/review/invariants", "/review/scenarios", "/review/safety-case"):  # the same run, not a new one
        page = client.get(path)
        assert page.status_code == 200 and "The rule analysis is running" in text_of(page.data), path
        assert 'href="' + path + '">Check again</a>' in page.get_data(as_text=True), path
    deadline = time.monotonic() + WAIT_AT_MOST
    while "The rule analysis is running" in text_of(client.get("/review/").data):
        assert time.monotonic() < deadline, "the analysis never ended"
        time.sleep(0.1)  # polling a real thread: it ends on its own clock, not one a test can move
    print(f"\nthe background analysis ended after {time.monotonic() - began:.0f} s")
    index = text_of(client.get("/review/").data)
    assert "safety checks proven" in index and "failing" in index
    case = text_of(client.get("/review/safety-case").data)
    assert "The rule analysis is running" not in case and "Clinical safety case" in case
