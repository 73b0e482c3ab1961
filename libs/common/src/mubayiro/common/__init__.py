"""Mechanics shared by every Mubayiro service.

Nothing here knows about loyalty, businesses or SMS: it holds settings, database
plumbing, the error shape, token checks, phone numbers, money, the HTTP client for
peers, the transactional outbox and the event consumer, logging and health routes.
Domain models and rules live in the services (see docs/conventions.md).
"""

import sys

# httpx imports its command-line client (``httpx._main``: click, rich, pygments) when those
# are installed, as they are beside the test tools: 6 MB more resident in every process that
# imports httpx, for a client no service runs. None in sys.modules makes that import fail, and
# httpx then goes without it, as it does in the production image (no test tools there).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
