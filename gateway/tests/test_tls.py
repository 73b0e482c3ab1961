"""The local CA and server certificate: made once, reused, renewed when ending or broken."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import stat
from pathlib import Path

import trustme
from cryptography import x509

from mubayiro.gateway.tls import ensure_certificates


def test_first_run_creates_ca_chain_and_private_key(tmp_path: Path) -> None:
    paths = ensure_certificates(tmp_path / "gateway")
    assert stat.S_IMODE(paths.key.stat().st_mode) == 0o600
    cert = x509.load_pem_x509_certificate(paths.chain.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert set(names.get_values_for_type(x509.IPAddress)) == {
        ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"),
    }
    lifetime = cert.not_valid_after_utc - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=790) < lifetime <= dt.timedelta(days=825)
    # The chain and key load as a server identity, and the CA verifies the chain.
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(paths.chain, paths.key)
    ca = x509.load_pem_x509_certificate(paths.ca.read_bytes())
    cert.verify_directly_issued_by(ca)


def test_later_runs_reuse_the_same_files(tmp_path: Path) -> None:
    first = ensure_certificates(tmp_path)
    before = {p: p.read_bytes() for p in (first.ca, first.chain, first.key)}
    second = ensure_certificates(tmp_path)
    assert second == first
    assert {p: p.read_bytes() for p in before} == before


def test_an_incomplete_set_is_made_again(tmp_path: Path) -> None:
    first = ensure_certificates(tmp_path)
    old_ca = first.ca.read_bytes()
    first.ca.unlink()
    second = ensure_certificates(tmp_path)
    assert second.ca.read_bytes() != old_ca


def test_a_certificate_near_its_end_is_renewed(tmp_path: Path) -> None:
    paths = ensure_certificates(tmp_path)
    ca = trustme.CA()
    soon = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=5)
    ending = ca.issue_cert("localhost", not_after=soon)
    paths.chain.write_bytes(ending.cert_chain_pems[0].bytes())
    renewed = ensure_certificates(tmp_path)
    cert = x509.load_pem_x509_certificate(renewed.chain.read_bytes())
    assert cert.not_valid_after_utc - dt.datetime.now(dt.UTC) > dt.timedelta(days=700)


def test_an_unreadable_certificate_is_replaced(tmp_path: Path) -> None:
    paths = ensure_certificates(tmp_path)
    paths.chain.write_text("not a certificate")
    ensure_certificates(tmp_path)
    x509.load_pem_x509_certificate(paths.chain.read_bytes())
