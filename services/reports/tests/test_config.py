"""Settings of the reports service and its command line."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mubayiro.reports import __main__ as cli
from mubayiro.reports.config import ReportsSettings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No REPORTS_* variables from the developer's shell, no ``.env``."""
    import os

    for name in list(os.environ):
        if name.upper().startswith("REPORTS_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_development_defaults():
    settings = ReportsSettings()

    assert settings.service_name == "reports"
    assert (settings.host, settings.port) == ("127.0.0.1", 8105)
    assert settings.loyalty_url == "http://127.0.0.1:8102"
    assert settings.service_client_id == "reports"
    assert settings.service_client_secret.get_secret_value() == "dev-secret-reports"
    assert settings.backfill_page_size == 1000
    assert settings.sqlalchemy_url.endswith("data/reports.db")


def test_settings_come_from_reports_variables(monkeypatch):
    monkeypatch.setenv("REPORTS_LOYALTY_URL", "http://loyalty:8000")
    monkeypatch.setenv("REPORTS_BACKFILL_PAGE_SIZE", "250")
    monkeypatch.setenv("REPORTS_DATABASE_URL", "postgresql+psycopg://u@db/reports")

    settings = ReportsSettings()

    assert settings.loyalty_url == "http://loyalty:8000"
    assert settings.backfill_page_size == 250
    assert settings.sqlalchemy_url == "postgresql+psycopg://u@db/reports"


@pytest.mark.parametrize("size", [0, 5001])
def test_backfill_page_size_is_bounded(size):
    with pytest.raises(ValidationError, match="backfill_page_size"):
        ReportsSettings(backfill_page_size=size)


def test_production_needs_a_real_client_secret():
    with pytest.raises(ValidationError, match="SERVICE_CLIENT_SECRET"):
        ReportsSettings(environment="production")


@pytest.mark.parametrize("command", ["serve", "migrate"])
def test_serve_and_migrate_are_the_shared_command_line(monkeypatch, command):
    calls = []
    monkeypatch.setattr(cli, "run_service_cli", lambda service, **kw: calls.append((service, kw)))

    cli.main([command])

    [(service, kw)] = calls
    assert service == "reports"
    assert kw["argv"] == [command]
    assert kw["alembic_ini"].name == "alembic.ini"


def test_serve_is_the_default(monkeypatch):
    calls = []
    monkeypatch.setattr(cli, "run_service_cli", lambda service, **kw: calls.append(kw["argv"]))

    cli.main([])

    assert calls == [["serve"]]


def test_migrate_creates_the_database(monkeypatch, tmp_path):
    monkeypatch.setenv("REPORTS_DATA_DIR", str(tmp_path / "data"))

    cli.main(["migrate"])

    assert (tmp_path / "data" / "reports.db").is_file()


@pytest.mark.parametrize("args", [["backfill", "--page-size", "0"],
                                  ["backfill", "--page-size", "x"],
                                  ["backfill", "--after-id", "-1"],
                                  ["rebuild"]])
def test_bad_command_lines_are_refused(args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(args)

    assert exit_info.value.code == 2
