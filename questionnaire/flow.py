"""Where a person is in the questionnaire: which pages are shown, what comes next. No Flask."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .answers import is_shown, visible_answers
from .model import Answers, Page, Question, Questionnaire


@dataclass(frozen=True)
class Progress:
    """Step numbers for a page: 'Step 3 of about 9', or 'Step 8 of 8' once every later page is decided.

    The total counts the pages shown now plus the later pages that can still be shown (their
    branching is not decided yet). Why this and not a fixed or growing count: moving on, the step
    always grows by exactly one (the pages before this one are decided by earlier answers), and the
    total can only shrink, when an answer rules a page out; it grows only when the person goes back
    and changes an answer so that more pages apply. "about" says it is an estimate until nothing is
    left undecided, so a total that drops ("of about 10" after "of about 11") is expected, not
    surprising.
    """

    step: int
    total: int
    estimate: bool = False


class Flow:
    """Navigation over a questionnaire for a given set of answers."""

    def __init__(self, questionnaire: Questionnaire, answers: Answers):
        self.questionnaire = questionnaire
        self.answers = visible_answers(questionnaire, answers)

    def shown_questions(self, page: Page) -> tuple[Question, ...]:
        """The questions on a page that branching shows, given the answers so far, with only their shown options."""
        return tuple(_with_shown_options(q, self.answers) for q in page.questions if is_shown(q, self.answers))

    def shown_pages(self) -> list[Page]:
        return [page for page in self.questionnaire.pages if self.shown_questions(page)]

    def _maybe_shown(self) -> tuple[list[Page], bool]:
        """Pages shown now, plus later pages whose branching is not decided yet; and whether any is undecided."""
        decided_hidden: set[str] = set()
        pages = []
        undecided = False
        for page in self.questionnaire.pages:
            counted = False
            for question in page.questions:
                condition = question.show_if
                if condition is None or is_shown(question, self.answers):
                    counted = True
                    continue
                read = condition.question_ids()
                if all(qid in self.answers or qid in decided_hidden for qid in read):
                    decided_hidden.add(question.id)
                else:
                    counted = undecided = True
            if counted:
                pages.append(page)
        return pages, undecided

    def progress(self, page: Page) -> Progress:
        pages, undecided = self._maybe_shown()
        ids = [p.id for p in pages]
        step = ids.index(page.id) + 1 if page.id in ids else 1
        return Progress(step=step, total=len(pages), estimate=undecided)

    def next_page(self, page: Page) -> Page | None:
        pages = self.questionnaire.pages
        index = pages.index(page)
        return next((p for p in pages[index + 1:] if self.shown_questions(p)), None)

    def previous_page(self, page: Page) -> Page | None:
        pages = self.questionnaire.pages
        index = pages.index(page)
        return next((p for p in reversed(pages[:index]) if self.shown_questions(p)), None)

    def first_page(self) -> Page:
        return self.shown_pages()[0]

    def first_unanswered(self) -> Page | None:
        """The first page with a shown question that has no answer yet, if any."""
        for page in self.questionnaire.pages:
            if any(q.id not in self.answers for q in self.shown_questions(page)):
                return page
        return None


def _with_shown_options(question: Question, answers: Answers) -> Question:
    """The question as a form shows it: options whose own show_if fails are left out."""
    hidden = question.hidden_codes(answers)
    if not hidden:
        return question
    return dataclasses.replace(question, options=tuple(o for o in question.options if o.code not in hidden))
