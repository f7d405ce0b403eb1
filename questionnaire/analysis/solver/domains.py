"""The solver's abstraction of answers: states no code can equal, per-question domains, three-valued truth."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ...conditions import All, Any_, Atom, Condition, IncludesAll, IncludesAny, Not
from ...interpreters import Interpreter
from ...model import NONE_CODE, Question, QuestionType


class _State:
    """A solver state that no answer code can equal: codes are strings, states are these objects.

    A string such as "unanswered" would share the namespace of answer codes, and a question whose
    code is spelt the same would be taken for unanswered (a working rule reported "never fires",
    a broken invariant reported proven). Compared by identity only.
    """

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


UNANSWERED = _State("unanswered")
NONE_ALONE = _State("none alone")  # a multiple answer that is exactly the code none
SOME = _State("some")  # a multiple answer with at least one code other than none
TRUE: Condition = All(())
FALSE: Condition = Any_(())


@dataclass(frozen=True)
class Domain:
    """One question's abstract answers: `values` as (value, weight); multiple: named codes and the rest."""

    question: Question
    values: tuple[tuple[Any, int], ...] = ()  # single/scale: code or (low, high) interval
    codes: tuple[str, ...] = ()  # multiple: named non-none codes, searched one by one
    other: str | None = None  # a stand-in for every other non-none code
    other_count: int = 0
    # Named codes that no atom tells apart (each is only ever read by the same `includes_any`
    # atoms) are searched as one bit, "some of them", kept under the first: its size by code,
    # and where each of the others is kept. Exact, and it keeps long code lists from multiplying.
    sizes: Mapping[str, int] = field(default_factory=dict)
    kept_under: Mapping[str, str] = field(default_factory=dict)

    @property
    def full_size(self) -> int:
        """How many concrete answers the question has, counting "unanswered"."""
        q = self.question
        if q.type is QuestionType.SCALE:
            return len(q.values) + 1
        if q.type is QuestionType.SINGLE:
            return len(q.codes) + 1
        plain = len([c for c in q.codes if c != NONE_CODE])
        return (2**plain - 1) + (1 if NONE_CODE in q.codes else 0) + 1


def build_domain(question: Question, atoms: Iterable[Atom]) -> Domain:
    """The abstraction of one question that keeps apart everything `atoms` can tell apart (their codes and cuts)."""
    named: set[str] = set()
    cuts: set[int] = set()
    readers: dict[str, set[Any]] = {}  # multiple: which atoms read each code ((None, code): one that tells it apart)
    for atom in atoms:
        if atom.question_id == question.id:
            named |= atom.named_codes
            cuts |= atom.cuts
            key = (IncludesAny, atom.values) if isinstance(atom, IncludesAny) else None
            for code in atom.named_codes:
                readers.setdefault(str(code), set()).add(key if key is not None else (None, code))
    for option in question.options:  # searched apart, on their own bit: they may be hidden
        if option.show_if is not None:
            named.add(option.code)
            readers.setdefault(option.code, set()).add((None, option.code))
    if question.type is QuestionType.SCALE:
        low, high = question.minimum or 0, question.maximum or 0
        points = sorted({low, *(c for c in cuts if low < c <= high)})
        bounds = [*points, high + 1]
        intervals = tuple(((a, b - 1), b - a) for a, b in zip(bounds, bounds[1:], strict=False))
        return Domain(question, values=intervals)
    if question.type is QuestionType.SINGLE:  # "none" is an ordinary code of a single question
        rest = [c for c in question.codes if c not in named]
        values = tuple((c, 1) for c in question.codes if c in named)
        if rest:
            values += ((rest[0], len(rest)),)
        return Domain(question, values=values)
    rest = [c for c in question.codes if c not in named and c != NONE_CODE]  # multiple: none alone is a state
    first: dict[frozenset[Any], str] = {}
    kept_under: dict[str, str] = {}
    sizes: dict[str, int] = {}
    for code in (c for c in question.codes if c in named and c != NONE_CODE):
        keeper = first.setdefault(frozenset(readers.get(code, ())), code)
        sizes[keeper] = sizes.get(keeper, 0) + 1
        if keeper != code:
            kept_under[code] = keeper
    return Domain(question, codes=tuple(sizes), other=rest[0] if rest else None, other_count=len(rest),
                  sizes=sizes, kept_under=kept_under)


@dataclass
class Multi:
    """A multiple answer while it is being decided: state, then one bit per searched code."""

    state: _State
    bits: dict[str, bool]
    domain: Domain

    def chosen(self) -> frozenset[str]:
        if self.state is NONE_ALONE:
            return frozenset({NONE_CODE})
        return frozenset(code for code, on in self.bits.items() if on)


_truth = Interpreter[bool | None]("solver")
_on_multiple = Interpreter[bool | None]("solver_multiple")


def truth(condition: Condition, assignment: dict[str, Any]) -> bool | None:
    """Three-valued truth on a partial answer set: None while undecided."""
    return _truth(condition, assignment)


def _kleene(items: tuple[Condition, ...], assignment: dict[str, Any], decisive: bool) -> bool | None:
    """Kleene `and` (decisive False) or `or` (decisive True): one decisive item decides, else None if any is."""
    result: bool | None = not decisive
    for item in items:
        value = _truth(item, assignment)
        if value is decisive:
            return decisive
        if value is None:
            result = None
    return result


@_truth.register(All)
def _all(condition: All, assignment: dict[str, Any]) -> bool | None:
    return _kleene(condition.items, assignment, False)


@_truth.register(Any_)
def _any(condition: Any_, assignment: dict[str, Any]) -> bool | None:
    return _kleene(condition.items, assignment, True)


@_truth.register(Not)
def _not(condition: Not, assignment: dict[str, Any]) -> bool | None:
    inner = _truth(condition.item, assignment)
    return None if inner is None else not inner


@_truth.register(Atom)  # a decided single or scale answer: every atom tests itself (Atom.test)
def _atom(atom: Atom, assignment: dict[str, Any]) -> bool | None:
    current = assignment.get(atom.question_id)
    if current is None:
        return None
    if isinstance(current, Multi):
        return _on_multiple(atom, current)
    if current is UNANSWERED:
        return atom.test(None)
    if isinstance(current, tuple):  # a scale interval: every point agrees, so test its low end
        return atom.test(current[0])
    return atom.test(current)


@_on_multiple.register(Atom)
def _multi_decided(atom: Atom, multi: Multi) -> bool | None:
    """Any test on a multiple answer, decided once the bits of every code it names are known."""
    if multi.state is UNANSWERED:
        return atom.test(None)
    if multi.state is NONE_ALONE:
        return atom.test(frozenset({NONE_CODE}))
    kept_under = multi.domain.kept_under  # codes read alike share one bit (build_domain)
    known = {code: multi.bits.get(kept_under.get(code, code)) for code in atom.named_codes - {NONE_CODE}}
    if any(on is None for on in known.values()):
        return None
    # SOME: at least one code is chosen, and codes the atom does not name cannot change its truth.
    chosen = frozenset(code for code, on in known.items() if on)
    return atom.test(chosen or frozenset({multi.domain.other or ""}))


def _multi_state(atom: IncludesAny | IncludesAll, multi: Multi) -> bool | None:
    if multi.state is UNANSWERED:
        return False
    if multi.state is NONE_ALONE:
        return NONE_CODE in atom.values if isinstance(atom, IncludesAny) else atom.values == {NONE_CODE}
    return None


@_on_multiple.register(IncludesAny)
def _multi_includes_any(atom: IncludesAny, multi: Multi) -> bool | None:
    """True as soon as one named code is chosen, false once all of them are not (prunes early)."""
    if multi.state is not SOME:
        return _multi_state(atom, multi)
    kept_under = multi.domain.kept_under
    known = [multi.bits.get(kept_under.get(code, code)) for code in atom.values - {NONE_CODE}]
    if any(k is True for k in known):
        return True
    return False if all(k is False for k in known) else None


@_on_multiple.register(IncludesAll)
def _multi_includes_all(atom: IncludesAll, multi: Multi) -> bool | None:
    """False as soon as one named code is not chosen (or none is named), true once all of them are."""
    if multi.state is not SOME:
        return _multi_state(atom, multi)
    if NONE_CODE in atom.values:
        return False
    known = [multi.bits.get(multi.domain.kept_under.get(code, code)) for code in atom.values]
    if any(k is False for k in known):
        return False
    return True if all(k is True for k in known) else None


def full_size(question: Question) -> int:
    """How many concrete answers a question has, counting "unanswered"."""
    return build_domain(question, ()).full_size
