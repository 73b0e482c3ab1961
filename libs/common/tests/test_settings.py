"""The one placeholder-secret rule every production check uses, and ServiceSettings'."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mubayiro.common.settings import (
    PLACEHOLDER_SECRETS,
    ServiceSettings,
    dev_client_secret,
    is_placeholder_secret,
)

PLACEHOLDERS = [None, "", "   ", dev_client_secret("loyalty"), "DEV-anything", "changeme",
                " Change-Me ", "SECRET", "placeholder", "xxx"]


@pytest.mark.parametrize("value", PLACEHOLDERS)
def test_placeholders_in_any_case_or_spacing_are_placeholders(value):
    assert is_placeholder_secret(value)


@pytest.mark.parametrize("value", ["x7Qv9-kL2m-Rt84-ZpW1", "developer-chosen-but-long"])
def test_real_looking_secrets_are_not(value):
    assert not is_placeholder_secret(value)


def test_the_list_is_lower_case_so_the_comparison_can_be():
    assert all(p == p.lower() for p in PLACEHOLDER_SECRETS)


@pytest.mark.parametrize("value", [v for v in PLACEHOLDERS if v is not None])
def test_production_service_settings_refuse_a_placeholder_client_secret(value):
    with pytest.raises(ValidationError, match="SERVICE_CLIENT_SECRET"):
        ServiceSettings(_env_file=None, service_name="svc", environment="production",
                        service_client_secret=value)


def test_production_service_settings_take_a_real_client_secret():
    settings = ServiceSettings(_env_file=None, service_name="svc", environment="production",
                               service_client_secret="x7Qv9-kL2m-Rt84-ZpW1")
    assert settings.service_client_secret is not None
