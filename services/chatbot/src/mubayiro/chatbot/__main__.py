"""Command line of the chatbot: ``serve`` (default); it owns no database.

The parsing and serving are shared: see :mod:`mubayiro.common.cli`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from mubayiro.chatbot.config import ChatbotSettings
from mubayiro.common.cli import run_service_cli


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the chat API."""
    return run_service_cli(
        "chatbot", settings_factory=ChatbotSettings, alembic_ini=None, argv=argv
    )


if __name__ == "__main__":
    sys.exit(main())
