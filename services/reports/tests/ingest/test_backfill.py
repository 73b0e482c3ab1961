"""The backfill: replaying loyalty's ledger converges with the events, however often it runs."""

from __future__ import annotations

import httpx
import pytest

from mubayiro.common.errors import UpstreamError, UpstreamUnavailable
from mubayiro.reports import __main__ as cli
from mubayiro.reports.ingest import backfill as backfill_module
from mubayiro.reports.ingest.backfill import backfill_from_settings
from mubayiro.reports.main import create_app

ANA = "+263771111111"
BEN = "+263772222222"


@pytest.fixture
def ledger(fake_loyalty):
    """Eight ledger rows over two businesses, as loyalty lists them (points signed)."""
    add = fake_loyalty.add
    add(1, "earn", phone=ANA, points=100, at="2026-11-18T09:00:00+00:00")
    add(2, "earn", phone=BEN, points=40, at="2026-11-20T09:00:00+00:00")
    add(3, "redeem", phone=ANA, points=-30, at="2026-11-20T17:00:00+00:00")
    add(4, "earn", business_id=2, phone=BEN, points=999, at="2026-11-20T10:00:00+00:00")
    add(5, "referral_bonus", phone=BEN, points=50, at="2026-11-22T12:00:00+00:00")
    add(6, "earn", phone=ANA, points=0, at="2026-11-22T13:00:00+00:00", amount="0.40")
    add(7, "redeem", business_id=2, phone=BEN, points=-500, at="2026-11-23T10:00:00+00:00")
    add(9, "earn", phone=BEN, points=70, at="2026-11-24T08:00:00+00:00")
    return fake_loyalty


def _run(make_settings, fake, **kw):
    lines: list[str] = []
    report = backfill_from_settings(make_settings(), transport=fake.transport(),
                                    out=lines.append, **kw)
    return report, lines


def _summary(client, headers):
    response = client.get("/reports/summary", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_backfill_pages_through_the_ledger_with_a_service_token(
    client, ledger, make_settings, business_headers
):
    report, lines = _run(make_settings, ledger, page_size=3)

    assert ledger.ledger_calls == [(0, 3), (3, 3), (6, 3)]
    assert ledger.token_requests == 1
    assert (report.pages, report.read, report.applied, report.already_counted) == (3, 8, 8, 0)
    assert report.facts_held == 8
    assert lines[0] == "backfill: reading loyalty's ledger after id 0, 3 per page"
    assert lines[1] == ("backfill: page 1: ids 1..3: 3 new, 0 already counted, 0 skipped "
                        "(total read 3)")
    assert lines[-1].startswith("backfill: done: 8 transactions read in 3 pages, 8 new")
    one = _summary(client, business_headers(1))
    assert (one["total_points_issued"], one["total_redemptions"], one["customer_count"]) == (
        260, {"count": 1, "points": 30}, 2)
    assert one["top_customers"][0] == {
        "phone_number": BEN, "points_earned": 160, "transaction_count": 3}
    two = _summary(client, business_headers(2))
    assert (two["total_points_issued"], two["total_redemptions"]) == (
        999, {"count": 1, "points": 500})


def test_backfill_stops_on_an_empty_page_when_the_cursor_never_ends(
    client, ledger, make_settings
):
    ledger.end_with_null = False

    report, _ = _run(make_settings, ledger, page_size=4)

    assert ledger.ledger_calls == [(0, 4), (4, 4), (9, 4)]
    assert report.applied == 8


def test_second_backfill_changes_nothing(client, ledger, make_settings, snapshot):
    _run(make_settings, ledger, page_size=5)
    before = snapshot(client.app)

    report, lines = _run(make_settings, ledger, page_size=5)

    assert snapshot(client.app) == before
    assert (report.applied, report.already_counted) == (0, 8)
    assert "0 new, 8 already counted" in lines[-1]


def test_events_then_backfill_count_each_transaction_once(
    client, events, ledger, make_settings, business_headers
):
    # Live traffic delivered three of the transactions before the backfill ran.
    events.send(
        client,
        events.earned(1, phone=ANA, points=100, at="2026-11-18T09:00:00+00:00"),
        events.redeemed(3, phone=ANA, points=30, at="2026-11-20T17:00:00+00:00"),
        events.bonus(5, phone=BEN, points=50, at="2026-11-22T12:00:00+00:00"),
    )

    report, _ = _run(make_settings, ledger, page_size=3)

    assert (report.applied, report.already_counted) == (5, 3)
    one = _summary(client, business_headers(1))
    assert (one["total_points_issued"], one["total_redemptions"], one["customer_count"]) == (
        260, {"count": 1, "points": 30}, 2)


def test_backfill_then_events_count_each_transaction_once(
    client, events, ledger, make_settings, snapshot
):
    _run(make_settings, ledger, page_size=100)
    before = snapshot(client.app)

    # Loyalty's outbox delivers the same transactions late (reports was down).
    events.send(
        client,
        events.earned(2, phone=BEN, points=40, at="2026-11-20T09:00:00+00:00"),
        events.redeemed(7, business_id=2, phone=BEN, points=500,
                        at="2026-11-23T10:00:00+00:00"),
    )

    assert snapshot(client.app) == before


def test_events_and_backfill_build_the_same_read_model(
    client, events, ledger, make_settings, snapshot, keys, tmp_path_factory, migrated_template
):
    """A database fed only by events equals one fed only by the backfill."""
    # Events in another order than the ledger's, each delivered twice.
    for row in reversed(ledger.ledger):
        envelope = events.from_ledger_row(row)
        events.send(client, envelope, envelope)
    from_events = snapshot(client.app)

    other = tmp_path_factory.mktemp("backfilled")
    (other / "reports.db").write_bytes(migrated_template.read_bytes())
    backfill_from_settings(make_settings(data_dir=other), transport=ledger.transport(),
                           out=lambda _line: None)

    backfilled_app = create_app(make_settings(data_dir=other), token_verifier=keys.verifier())
    assert snapshot(backfilled_app) == from_events
    backfilled_app.state.database.dispose()


def test_backfill_while_events_arrive_counts_everything_once(
    client, events, ledger, make_settings, business_headers
):
    """Events land between two pages: some the backfill has yet to read, one it has read,
    and one new transaction loyalty wrote after the backfill started."""
    ledger.add(10, "earn", phone=ANA, points=7, at="2026-11-24T12:00:00+00:00")
    handler = ledger.handler

    def handler_with_live_traffic(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/internal/ledger" and request.url.params["after_id"] == "3":
            events.send(
                client,
                events.earned(2, phone=BEN, points=40, at="2026-11-20T09:00:00+00:00"),
                events.earned(9, phone=BEN, points=70, at="2026-11-24T08:00:00+00:00"),
                events.earned(10, phone=ANA, points=7, at="2026-11-24T12:00:00+00:00"),
            )
        return handler(request)

    ledger.handler = handler_with_live_traffic  # type: ignore[method-assign]
    report, _ = _run(make_settings, ledger, page_size=3)

    assert report.read == 9
    assert report.applied + report.already_counted == 9
    assert report.already_counted == 2  # ids 9 and 10 arrived as events first
    summary = _summary(client, business_headers(1))
    assert summary["total_points_issued"] == 267
    assert summary["customer_count"] == 2


def test_backfill_resumes_after_an_id(client, ledger, make_settings):
    report, lines = _run(make_settings, ledger, page_size=10, after_id=5)

    assert ledger.ledger_calls == [(5, 10)]
    assert report.applied == 3
    assert lines[0].startswith("backfill: reading loyalty's ledger after id 5")


def test_backfill_skips_transaction_types_it_does_not_count(client, ledger, make_settings):
    ledger.add(12, "adjustment", phone=ANA, points=-3)

    report, lines = _run(make_settings, ledger, page_size=100)

    assert (report.applied, report.skipped) == (8, 1)
    assert "1 skipped (unknown type)" in lines[-1]


def test_backfill_counts_refunds_expiries_and_imports(client, ledger, make_settings,
                                                     business_headers, events):
    ledger.add(12, "reversal", phone=ANA, points=-4, shortfall=3)
    ledger.add(13, "reversal", phone=ANA, points=6)
    ledger.add(14, "expire", phone=ANA, points=-2)
    ledger.add(15, "import", phone="+263773333333", points=70)
    # One of them arrived as an event first: counted once all the same.
    events.send(client, events.expired(14, phone=ANA, points=2))

    report, _lines = _run(make_settings, ledger, page_size=3)

    assert (report.applied, report.already_counted, report.skipped) == (11, 1, 0)
    after = _summary(client, business_headers(1))
    assert after["total_reversals"] == {"count": 2, "points_reversed": 4, "shortfall": 3,
                                        "points_given_back": 6}
    assert (after["total_points_expired"], after["total_points_imported"]) == (2, 70)
    # Refunds are shown beside points issued, never taken from it; a customer's points
    # earned are net of them (Ana: 100 + 0 earned, 4 taken back).
    assert after["total_points_issued"] == 260
    assert {c["phone_number"]: c["points_earned"] for c in after["top_customers"]} == {
        BEN: 160, ANA: 96, "+263773333333": 0}
    assert after["customer_count"] == 3
    assert after["net_points"] == sum(row["points"] for row in ledger.ledger
                                      if row["business_id"] == 1)


@pytest.mark.parametrize(("row", "problem"), [
    ({"type": "redeem", "points": 30}, "wrong sign"),
    ({"type": "earn", "points": -1}, "wrong sign"),
    ({"type": "referral_bonus", "points": 0}, "wrong sign"),
    ({"type": "expire", "points": 0}, "wrong sign"),
    ({"type": "import", "points": -4}, "wrong sign"),
    ({"type": "reversal", "points": 5, "shortfall": 2}, "wrong sign"),
    ({"type": "reversal", "points": -5, "shortfall": -1}, "shortfall"),
    ({"customer_phone_number": "12345"}, "customer_phone_number"),
    ({"timestamp": "soon"}, "timestamp"),
    ({"business_id": None}, "business_id"),
])
def test_ledger_row_breaking_the_contract_stops_the_backfill(
    client, ledger, make_settings, count_rows, row, problem
):
    ledger.ledger[4].update(row)

    with pytest.raises(UpstreamError, match=problem):
        _run(make_settings, ledger, page_size=4)

    # The first page was applied and committed; a fixed re-run completes the rest.
    assert count_rows(client.app, "report_transaction") == 4


def test_ledger_out_of_order_is_refused(client, ledger, make_settings):
    ledger.ledger[1], ledger.ledger[2] = ledger.ledger[2], ledger.ledger[1]

    with pytest.raises(UpstreamError, match="ascending id order"):
        _run(make_settings, ledger, page_size=100)


def test_cursor_that_does_not_move_is_refused(client, ledger, make_settings):
    handler = ledger.handler

    def stuck(request: httpx.Request) -> httpx.Response:
        response = handler(request)
        if request.url.path == "/internal/ledger":
            body = response.json()
            return httpx.Response(200, json={**body, "next_after_id": 0})
        return response

    ledger.handler = stuck  # type: ignore[method-assign]
    with pytest.raises(UpstreamError, match="did not move forward"):
        _run(make_settings, ledger, page_size=3)


def test_loyalty_down_is_reported_and_a_rerun_completes(
    client, ledger, make_settings, business_headers, count_rows
):
    ledger.fail_after_id = 3
    with pytest.raises(UpstreamUnavailable):
        _run(make_settings, ledger, page_size=3)
    assert count_rows(client.app, "report_transaction") == 3

    ledger.fail_after_id = None
    report, _ = _run(make_settings, ledger, page_size=3)

    assert (report.applied, report.already_counted) == (5, 3)
    assert _summary(client, business_headers(1))["total_points_issued"] == 260


def test_loyalty_refusing_the_token_is_an_upstream_error(client, ledger, make_settings):
    handler = ledger.handler

    def refuse(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/internal/ledger":
            return httpx.Response(403, json={"detail": "no", "error": "Forbidden"})
        return handler(request)

    ledger.handler = refuse  # type: ignore[method-assign]
    with pytest.raises(UpstreamError, match="refused the ledger page"):
        _run(make_settings, ledger, page_size=3)


def test_backfill_command_prints_progress(monkeypatch, capsys, ledger, make_settings):
    monkeypatch.setattr(cli, "ReportsSettings", lambda: make_settings())
    real = backfill_module.backfill_from_settings
    monkeypatch.setattr(
        backfill_module, "backfill_from_settings",
        lambda settings, **kw: real(settings, transport=ledger.transport(), **kw),
    )

    cli.main(["backfill", "--page-size", "5"])

    out = capsys.readouterr().out.splitlines()
    assert out[0] == "backfill: reading loyalty's ledger after id 0, 5 per page"
    assert out[1].startswith("backfill: page 1: ids 1..5: 5 new")
    assert out[-1].startswith("backfill: done: 8 transactions read in 2 pages, 8 new")
    assert ledger.ledger_calls == [(0, 5), (5, 5)]


def test_backfill_command_exits_1_when_loyalty_is_down(
    monkeypatch, capsys, ledger, make_settings
):
    ledger.fail_after_id = 0
    monkeypatch.setattr(cli, "ReportsSettings", lambda: make_settings())
    real = backfill_module.backfill_from_settings
    monkeypatch.setattr(
        backfill_module, "backfill_from_settings",
        lambda settings, **kw: real(settings, transport=ledger.transport(), **kw),
    )

    with pytest.raises(SystemExit) as exit_info:
        cli.main(["backfill"])

    assert exit_info.value.code == 1
    assert "backfill: failed: UpstreamUnavailable" in capsys.readouterr().err
