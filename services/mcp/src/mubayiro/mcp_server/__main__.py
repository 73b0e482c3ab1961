"""Command line of the MCP server: ``serve`` (default).

The parsing and serving are shared (:mod:`mubayiro.common.cli`); the server owns no
database, so ``migrate`` has nothing to do.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from mubayiro.common.cli import run_service_cli
from mubayiro.mcp_server.config import McpSettings


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the MCP endpoint and its JSON mirror routes."""
    return run_service_cli(
        "mcp_server", settings_factory=McpSettings, alembic_ini=None, argv=argv
    )


if __name__ == "__main__":
    sys.exit(main())
