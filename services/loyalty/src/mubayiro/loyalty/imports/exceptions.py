"""Errors of balance imports."""

from __future__ import annotations

from mubayiro.common.errors import InvalidInput, PayloadTooLarge


class ImportTooLarge(PayloadTooLarge):
    """The file is larger than ``LOYALTY_IMPORT_MAX_BYTES`` (413)."""

    default_detail = "The file is too large to import in one go: split it"


class InvalidImportFile(InvalidInput):
    """The file as a whole cannot be read: not CSV text, no header, too many rows (422).

    A bad *row* is not this error: it is reported with its line in the answer.
    """

    default_detail = "The file is not a CSV with a phone_number,points header"
