"""The report of an instrument import: errors that refuse it, things skipped, notes.

Every finding names where it is (an item key, a spreadsheet row, a sheet) and carries a
stable ``code`` for programs and tests next to its translated message.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Problem:
    """One finding of an import: where (item key, row, sheet), a code for programs, a message."""

    where: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class ImportReport:
    """What an import found and did. ``errors`` refuse the import; ``skipped`` lists what the
    file contains but the platform cannot take (never dropped silently); ``notes`` inform."""

    source: str = ""
    errors: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    key: str = ""
    kind: str = ""
    version_number: int | None = None
    item_count: int = 0
    created_instrument: bool = False
    unchanged: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, where: str, code: str, message) -> None:
        self.errors.append(Problem(where, code, str(message)))

    def skip(self, where: str, code: str, message) -> None:
        self.skipped.append(Problem(where, code, str(message)))

    def note(self, where: str, code: str, message) -> None:
        self.notes.append(Problem(where, code, str(message)))

    def codes(self) -> set[str]:
        return {p.code for p in self.errors + self.skipped + self.notes}
