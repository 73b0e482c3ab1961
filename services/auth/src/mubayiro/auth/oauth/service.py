"""Client authentication for the OAuth2 client-credentials grant.

Clients are the platform's services, configured in ``AuthSettings.service_clients``
(no table). Secrets are compared with :func:`hmac.compare_digest`, and an unknown
client is compared against a placeholder, so the answer's timing tells nothing about
which client ids exist.
"""

from __future__ import annotations

import hmac

from pydantic import SecretStr

from mubayiro.auth.oauth.exceptions import InvalidClient

_PLACEHOLDER = b"\x00" * 32


class ClientService:
    """Authenticates service clients."""

    def authenticate(
        self, clients: dict[str, SecretStr], client_id: str, client_secret: str
    ) -> str:
        """Return ``client_id`` when ``client_secret`` is its secret.

        Raises:
            InvalidClient: unknown client or wrong secret (one answer for both).
        """
        known = clients.get(client_id)
        expected = known.get_secret_value().encode() if known is not None else _PLACEHOLDER
        matches = hmac.compare_digest(client_secret.encode(), expected)
        if known is None or not matches:
            raise InvalidClient()
        return client_id


client_service = ClientService()
