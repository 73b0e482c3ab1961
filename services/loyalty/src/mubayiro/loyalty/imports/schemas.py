"""Bodies of the balance import: the parsed file and the report the route answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, Field


class ImportRowError(BaseModel):
    """A row that will not be imported, and why."""

    line: int = Field(description="The line of the file (the header is line 1).")
    reason: str


class ImportReport(BaseModel):
    """What a dry run would do, or what applying did."""

    dry_run: bool
    rows: int = Field(description="Data rows read (the header and blank lines not counted).")
    valid: int = Field(description="Rows without an error.")
    imported: int = Field(description="Rows written now (always 0 in a dry run).")
    already_imported: int = Field(
        description="Valid rows whose customer already has an imported balance at your "
        "business: left as they are (a file applied twice imports once).")
    points: int = Field(description="Points the valid, not yet imported rows carry.")
    errors: list[ImportRowError]


@dataclass(frozen=True)
class BalanceRow:
    """A valid row of the file."""

    line: int
    phone_number: str
    points: int
    note: str | None


@dataclass
class ParsedFile:
    """The file read: its valid rows, its bad ones, and its fingerprint."""

    digest: str
    rows: int = 0
    valid: list[BalanceRow] = field(default_factory=list)
    errors: list[ImportRowError] = field(default_factory=list)
