"""Fixtures every test suite of the repository may use (pytest finds this file first).

``keys``: the RSA key test tokens are signed with, made once per run (RSA key generation
is slow). A suite that needs auth's own ``kid`` for it (loyalty and the chatbot, which
run the real auth app) overrides the fixture in its ``conftest.py``.
"""

from __future__ import annotations

import pytest

from mubayiro.common.testing import CachingKeys


@pytest.fixture(scope="session")
def keys() -> CachingKeys:
    """The signing key every test token is made with."""
    return CachingKeys()
