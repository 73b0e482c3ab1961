"""Dependencies of the balance import: the CSV file, read from the request's body."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mubayiro.loyalty.deps import SettingsDep
from mubayiro.loyalty.imports.exceptions import ImportTooLarge, InvalidImportFile

#: The import route's path, for the request size limit lifted on it (``main``).
IMPORT_PATH_PATTERN = r"/businesses/[0-9]+/import/balances"


async def csv_file(request: Request, settings: SettingsDep) -> bytes:
    """The body as bytes, when it is ``text/csv`` within ``import_max_bytes``.

    Raises:
        InvalidImportFile: the body is not ``text/csv`` (422).
        ImportTooLarge: the body is larger than ``import_max_bytes`` (413).
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "text/csv":
        raise InvalidImportFile("Send the file as the body, with Content-Type: text/csv")
    data = await request.body()
    if len(data) > settings.import_max_bytes:
        raise ImportTooLarge(
            f"The file is {len(data)} bytes; at most {settings.import_max_bytes} can be "
            "imported in one go: split it")
    return data


CsvFile = Annotated[bytes, Depends(csv_file)]
