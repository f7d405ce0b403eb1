"""Where the content stands: what is signed off against its current text, what changed since, what is released."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, ContentErrors
from ..model import Content
from .records import Release, SignOff, load_releases, load_signoffs
from .signing import RULE, Signable, signable_items


class SignOffState(enum.Enum):
    SIGNED = "signed"
    CHANGED = "changed-since-sign-off"
    UNSIGNED = "unsigned"


@dataclass(frozen=True)
class ItemStatus:
    """One rule or translation: its state, the sign-off that covers its current text, or the last one it had."""

    item: Signable
    state: SignOffState
    signoff: SignOff | None  # the matching record when signed, else the latest (now void) record, if any

    @property
    def signed(self) -> bool:
        return self.state is SignOffState.SIGNED

    def __str__(self) -> str:
        if self.state is SignOffState.CHANGED and self.signoff is not None:
            return (f"{self.item}: changed since sign-off by {self.signoff.reviewer} on "
                    f"{self.signoff.signed_on.isoformat()}")
        return f"{self.item}: {'signed off' if self.signed else 'not signed off'}"


@dataclass(frozen=True)
class Governance:
    """The sign-off and release records of one content directory, read against the content they name."""

    content_dir: Path
    signoffs: tuple[SignOff, ...]
    releases: tuple[Release, ...]
    statuses: tuple[ItemStatus, ...]
    sha256: str

    @property
    def release(self) -> Release | None:
        """The approved release whose hash is this content's hash, or None: the content is a draft."""
        return next((r for r in reversed(self.releases) if r.sha256 == self.sha256), None)

    @property
    def pending(self) -> list[ItemStatus]:
        """Everything not signed off against its current text, changed first."""
        waiting = [status for status in self.statuses if not status.signed]
        return sorted(waiting, key=lambda s: s.state is not SignOffState.CHANGED)

    def rules(self) -> list[ItemStatus]:
        return [status for status in self.statuses if status.item.kind == RULE]

    def translations(self) -> list[ItemStatus]:
        return [status for status in self.statuses if status.item.kind != RULE]

    def rule_status(self, rule_id: str) -> ItemStatus | None:
        return next((s for s in self.statuses if s.item.kind == RULE and s.item.ident == rule_id), None)

    def summary(self) -> str:
        """One line for people: how much is signed."""
        rules, translations = self.rules(), self.translations()
        return (f"{sum(s.signed for s in rules)} of {len(rules)} rules and {sum(s.signed for s in translations)} of "
                f"{len(translations)} translations signed off against their current text")


def _status(item: Signable, records: list[SignOff]) -> ItemStatus:
    matching = [record for record in records if record.sha256 == item.sha256]
    if matching:
        return ItemStatus(item, SignOffState.SIGNED, matching[-1])
    if records:
        return ItemStatus(item, SignOffState.CHANGED, records[-1])
    return ItemStatus(item, SignOffState.UNSIGNED, None)


def load_governance(content_dir: Path | str, content: Content) -> Governance:
    """Read signoffs.yaml and releases.yaml beside the content; ContentErrors name file, line and id."""
    directory = Path(content_dir)
    errors: list[ContentError] = []
    signoffs = load_signoffs(directory, content, errors)
    releases = load_releases(directory, errors)
    if errors:
        raise ContentErrors(errors)
    by_key: dict[tuple[str, str | None, str], list[SignOff]] = {}
    for record in signoffs:
        by_key.setdefault(record.key, []).append(record)
    statuses = tuple(_status(item, by_key.get(item.key, [])) for item in signable_items(content))
    return Governance(content_dir=directory, signoffs=signoffs, releases=releases, statuses=statuses,
                      sha256=content.ruleset.sha256)


def unreleased_message(governance: Governance, limit: int = 20) -> str:
    """Why this content is not an approved release, for the start-up refusal."""
    pending = governance.pending
    lines = [f"Cannot start: REQUIRE_SIGNED_CONTENT is set and this content (hash {governance.sha256[:12]}) is not an "
             f"approved release in {governance.content_dir / 'releases.yaml'}.",
             f"{governance.summary()}."]
    if pending:
        lines.append("Not signed off against the current text:")
        lines += [f"  {status}" for status in pending[:limit]]
        if len(pending) > limit:
            lines.append(f"  ... and {len(pending) - limit} more")
        lines.append("Have each signed off (flask rules sign-off), then approved (flask rules release).")
    else:
        lines.append("Everything is signed off: the clinical safety officer can approve it with flask rules release.")
    return "\n".join(lines)
