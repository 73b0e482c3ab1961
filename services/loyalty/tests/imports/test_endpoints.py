"""``POST /businesses/{business_id}/import/balances``: a dry run that reports every bad
row, and an apply that imports each customer's balance once."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from mubayiro.loyalty.models import outbox

PATH = "/businesses/1/import/balances"


@pytest.fixture
def shop(loyalty):
    """Business 1 (rate 1) and business 2, both active."""
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    loyalty.register_business(2, "Harare Butchery", loyalty_rate="1")
    return loyalty


def post(loyalty, text, *, dry_run=None, business_id=1, headers=None, content_type="text/csv"):
    params = {} if dry_run is None else {"dry_run": str(dry_run).lower()}
    return loyalty.client.post(
        f"/businesses/{business_id}/import/balances", params=params,
        content=text.encode() if isinstance(text, str) else text,
        headers={"Content-Type": content_type, **loyalty.business_headers(business_id),
                 **(headers or {})})


GOOD = "phone_number,points,note\n0771234567,120,Stamp card\n+263772000001,0,\n" \
       "+263 77 300 0002,45,\"Paper card, blue\"\n"
BAD = (
    "Phone_Number , Points\n"        # 1: header, any case and spaces
    "0771234567,100\n"               # 2: fine
    "not a phone,5\n"                # 3: bad phone
    "0772000001,1.5\n"               # 4: not a whole number
    "0772000002,-3\n"                # 5: negative
    "+263771234567,7\n"              # 6: the number of line 2 again
    "\n"                             # 7: blank, skipped
    "0772000003\n"                   # 8: one column
    "0772000004,100001\n"            # 9: above the per-transaction limit (100,000)
    "0772000005,abc\n"               # 10: not a number
    "0772000006,+8\n"                # 11: fine ("+8" is 8)
)


def test_dry_run_reports_every_bad_row_and_changes_nothing(shop):
    before = shop.counts()

    resp = post(shop, BAD)  # a dry run unless told otherwise

    assert resp.status_code == 200, resp.text
    report = resp.json()
    assert [(e["line"], e["reason"]) for e in report["errors"]] == [
        (3, "phone_number 'not a phone' is not a valid phone number"),
        (4, "points must be a whole number, not '1.5'"),
        (5, "points must not be negative"),
        (6, "+263771234567 is already on line 2"),
        (8, "expected 2 columns, found 1"),
        (9, "points (100001) are above your business's limit of 100000 per transaction "
            "(the platform's operator sets it)"),
        (10, "points must be a whole number, not 'abc'"),
    ]
    assert {k: report[k] for k in ("dry_run", "rows", "valid", "imported", "already_imported",
                                   "points")} == {
        "dry_run": True, "rows": 9, "valid": 2, "imported": 0, "already_imported": 0,
        "points": 108}
    assert shop.counts() == before


def test_applying_imports_the_valid_rows_once_and_the_same_file_again_changes_nothing(shop):
    first = post(shop, GOOD, dry_run=False)
    balances = shop.balances_match_ledger()
    second = post(shop, GOOD, dry_run=False)
    dry_after = post(shop, GOOD, dry_run=True)

    assert first.status_code == 200, first.text
    assert {k: first.json()[k] for k in ("dry_run", "valid", "imported", "already_imported",
                                         "points")} == {
        "dry_run": False, "valid": 3, "imported": 3, "already_imported": 0, "points": 165}
    assert balances == {"+263771234567": 120, "+263772000001": 0, "+263773000002": 45}
    assert (second.json()["imported"], second.json()["already_imported"]) == (0, 3)
    assert (dry_after.json()["already_imported"], dry_after.json()["points"]) == (3, 0)
    assert shop.balances_match_ledger() == balances
    rows = [r for r in shop.rows("point_transaction")]
    assert [(r.type, r.business_id, r.points, r.reward_description) for r in rows] == [
        ("import", 1, 120, "Stamp card"), ("import", 1, 0, "Imported balance"),
        ("import", 1, 45, "Paper card, blue")]
    assert all(r.idempotency_key.startswith("import:") for r in rows)


def test_a_corrected_file_naming_the_same_phone_does_not_import_it_twice(shop):
    post(shop, "phone_number,points\n0771234567,50\n", dry_run=False)

    resp = post(shop, "phone_number,points\n0771234567,60\n0772000001,10\n", dry_run=False)

    assert (resp.json()["imported"], resp.json()["already_imported"]) == (1, 1)
    assert shop.balances_match_ledger() == {"+263771234567": 50, "+263772000001": 10}


def test_imports_are_per_business_and_add_to_points_earned_elsewhere(shop):
    shop.add_points(2, "+263771234567", "30.00")
    post(shop, "phone_number,points\n0771234567,50\n", dry_run=False)

    other = post(shop, "phone_number,points\n0771234567,20\n", dry_run=False, business_id=2)

    assert other.json()["imported"] == 1
    assert shop.balances_match_ledger() == {"+263771234567": 100}
    # The business now sees its imported customer.
    view = shop.client.get("/businesses/1/customers/0771234567",
                           headers=shop.business_headers(1)).json()
    assert [(t["type"], t["points"]) for t in view["transactions"]] == [("import", 50)]


def test_the_import_event_goes_to_reports_only_in_batches(shop):
    post(shop, "phone_number,points\n" + "".join(f"+26377200{i:04d},{i}\n"
                                                  for i in range(450)), dry_run=False)

    with shop.app.state.database.session(write=False) as s:
        rows = s.execute(select(outbox.c.destination, outbox.c.envelope)
                         .where(outbox.c.event_type == "points.imported")).all()
    assert {d for d, _ in rows} == {"reports"}
    batches = [json.loads(e)["data"] for _, e in rows]
    assert [len(b["rows"]) for b in batches] == [200, 200, 50]
    assert sum(r["points"] for b in batches for r in b["rows"]) == sum(range(450))
    assert batches[0]["business_name"] == "Mazoe Cafe"
    assert set(batches[0]["rows"][0]) == {"transaction_id", "customer_phone_number", "points",
                                          "total_points"}


@pytest.mark.parametrize(("text", "detail"), [
    ("", "The first line must be the header phone_number,points (a note column may follow)"),
    ("phone,points\n0771234567,5\n",
     "The first line must be the header phone_number,points (a note column may follow)"),
    (b"phone_number,points\n\xff\xfe,5\n", "The file is not UTF-8 text"),
])
def test_an_unreadable_file_is_422(shop, text, detail):
    resp = post(shop, text)

    assert resp.status_code == 422
    assert resp.json() == {"detail": detail, "error": "InvalidImportFile"}


def test_the_body_must_be_csv(shop):
    resp = post(shop, '{"phone_number": "0771234567"}', content_type="application/json")

    assert resp.status_code == 422 and resp.json()["error"] == "InvalidImportFile"


def test_a_file_over_the_size_cap_is_413_and_over_the_row_cap_422(start_loyalty):
    loyalty = start_loyalty(import_max_bytes=2048, import_max_rows=5)
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    big = "phone_number,points\n" + "".join(f"+26377200{i:04d},1\n" for i in range(200))

    too_big = post(loyalty, big)
    too_many = post(loyalty, big[:400])

    assert too_big.status_code == 413
    assert too_big.json()["error"] in {"ImportTooLarge", "PayloadTooLarge"}
    assert too_many.status_code == 422
    assert too_many.json() == {"detail": "The file has more than 5 rows: split it",
                               "error": "InvalidImportFile"}


def test_a_file_larger_than_other_requests_may_be_is_accepted(shop):
    # Other routes stop at 64 KiB; the import takes up to import_max_bytes.
    text = "phone_number,points\n" + "".join(f"+26377200{i:04d},1\n" for i in range(5000))
    assert len(text) > 64 * 1024

    resp = post(shop, text, dry_run=False)

    assert resp.status_code == 200 and resp.json()["imported"] == 5000


def test_importing_is_for_owners_of_an_active_business(shop):
    cashier = post(shop, GOOD, dry_run=False,
                   headers=shop.business_headers(1, staff_id=3, staff_role="cashier"))
    other = shop.client.post(PATH, content=GOOD, headers={
        "Content-Type": "text/csv", **shop.business_headers(2)})
    shop.send_event("business.updated", {"business_id": 1, "name": "Mazoe Cafe",
                                         "status": "suspended"})
    suspended = post(shop, GOOD, dry_run=False)

    assert cashier.status_code == 403 and cashier.json()["error"] == "OwnerOnly"
    assert other.status_code == 403
    assert suspended.status_code == 403 and suspended.json()["error"] == "BusinessNotActive"
    assert shop.count("point_transaction") == 0


def test_the_days_award_limit_counts_the_import(shop):
    from mubayiro.loyalty.businesses.service import business_service

    with shop.app.state.database.session() as s:
        business_service.set_award_limits(s, 1, per_transaction=100, per_day=150,
                                          settings=shop.app.state.settings)
    refused = post(shop, "phone_number,points\n0771234567,100\n0772000001,60\n",
                   dry_run=False)

    assert refused.status_code == 429 and refused.json()["error"] == "DailyAwardLimitReached"
    assert shop.count("point_transaction") == 0
    assert post(shop, "phone_number,points\n0771234567,100\n", dry_run=False).json()[
        "imported"] == 1
