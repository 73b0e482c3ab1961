"""The local certificate authority and server certificate of the development gateway.

On first run a private CA and a certificate for ``localhost``, ``127.0.0.1`` and ``::1``
signed by it are made with ``trustme`` and written to ``<data_dir>/gateway/``:
``ca.pem`` (what clients trust: ``curl --cacert data/gateway/ca.pem ...``), ``server.pem``
(the server certificate followed by the CA, the chain uvicorn sends) and ``server.key``
(readable by the owner only). Later runs reuse them, so a CA once trusted stays trusted.

The CA's private key is never written: nobody, this gateway included, can sign another
certificate with it, so trusting ``ca.pem`` cannot be abused. The price is that when the
server certificate nears its end (it lasts 800 days, under the 825 days Apple platforms
accept) both are made again and the new ``ca.pem`` has to be trusted again.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import trustme
from cryptography import x509

logger = logging.getLogger(__name__)

SERVER_NAMES = ("localhost", "127.0.0.1", "::1")
CERT_LIFETIME = dt.timedelta(days=800)
#: Certificates closer to their end than this are made again at start.
RENEW_BEFORE = dt.timedelta(days=30)


@dataclass(frozen=True)
class CertificatePaths:
    """Where the gateway's certificate files are."""

    ca: Path
    chain: Path
    key: Path


def certificate_paths(directory: Path) -> CertificatePaths:
    """The file names inside ``directory``."""
    return CertificatePaths(
        directory / "ca.pem", directory / "server.pem", directory / "server.key"
    )


def _usable(paths: CertificatePaths) -> bool:
    if not (paths.ca.is_file() and paths.chain.is_file() and paths.key.is_file()):
        return False
    try:
        cert = x509.load_pem_x509_certificate(paths.chain.read_bytes())
    except ValueError:
        logger.warning("gateway certificate %s is unreadable; making a new one", paths.chain)
        return False
    if cert.not_valid_after_utc - dt.datetime.now(dt.UTC) < RENEW_BEFORE:
        logger.warning("gateway certificate %s expires soon; making a new one", paths.chain)
        return False
    return True


def ensure_certificates(directory: Path) -> CertificatePaths:
    """Return the CA, chain and key in ``directory``, creating them when missing or expiring.

    Raises:
        OSError: the folder or the files cannot be written.
    """
    paths = certificate_paths(directory)
    if _usable(paths):
        return paths
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)  # trustme takes naive UTC times
    ca = trustme.CA(organization_name="Mubayiro development CA")
    # ca.pem is removed first and written last: its presence says the set is complete,
    # so a crash halfway leaves no mismatched key and certificate to be reused.
    paths.ca.unlink(missing_ok=True)
    server = ca.issue_cert(
        *SERVER_NAMES,
        organization_name="Mubayiro development gateway",
        not_before=now - dt.timedelta(days=1),
        not_after=now + CERT_LIFETIME,
    )
    _write(paths.key, server.private_key_pem.bytes(), mode=0o600)
    _write(paths.chain, b"".join(pem.bytes() for pem in server.cert_chain_pems), mode=0o644)
    _write(paths.ca, ca.cert_pem.bytes(), mode=0o644)
    logger.info("created a local CA and server certificate in %s", directory)
    return paths


def _write(path: Path, data: bytes, *, mode: int) -> None:
    # Write to a temporary name, then rename, so a crash never leaves half a file behind.
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, mode)
    tmp.replace(path)
