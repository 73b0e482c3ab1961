"""Entrypoint of every service image (the root ``Dockerfile``, target ``service``).

The image is built for one service (``--build-arg SERVICE=loyalty``), which it knows from
``MUBAYIRO_SERVICE`` (the folder under ``services/``) and ``MUBAYIRO_MODULE`` (the Python
package, ``mcp_server`` for ``mcp``). Started without arguments it:

1. fills in the container defaults of the service's settings, unless the environment sets
   them already: ``<PREFIX>_HOST=0.0.0.0``, ``<PREFIX>_PORT=8000`` (the port the image's
   ``HEALTHCHECK`` asks), ``<PREFIX>_ENVIRONMENT=production``, ``<PREFIX>_DATA_DIR=/data``
   (the volume holding the SQLite file) and ``<PREFIX>_TRUSTED_PROXIES`` (private
   networks: the gateway's side of the Compose network), where ``<PREFIX>`` is the
   service's settings prefix (``LOYALTY``, ``MCP``, …);
2. upgrades the service's database to the newest migration (``python -m mubayiro.<module>
   migrate``) when the service owns one (it ships an ``alembic.ini``; mcp and chatbot do
   not), and stops with that command's status if it fails: a server never starts on a
   schema it does not know. ``MUBAYIRO_MIGRATE=0`` skips this step: with several replicas
   the migration runs once, as its own job, before they start (two ``alembic upgrade``
   at once on one PostgreSQL database would race);
3. replaces itself with the server (``python -m mubayiro.<module> serve``), so the server is
   the container's main process and receives its stop signal.

With arguments it runs that command of the service's command line instead, after step 1 and
without migrating: ``docker compose run --rm loyalty migrate`` (a migration job), ``docker
compose run --rm loyalty outbox list`` (dead letters).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, MutableMapping, Sequence
from pathlib import Path

#: The service's source folder in the image (the workspace layout: ``services/<name>``).
APP_DIR = Path(os.environ.get("MUBAYIRO_APP_DIR", "/app"))

#: What a container needs that a developer's machine does not (see the module docstring).
CONTAINER_DEFAULTS = {
    "HOST": "0.0.0.0",
    "PORT": "8000",
    "ENVIRONMENT": "production",
    "DATA_DIR": "/data",
    # Traefik reaches the services over the Compose network (a private address whose
    # exact value Docker picks): X-Forwarded-For is believed from private networks only,
    # so the abuse limits count the client Traefik saw, and a client cannot name its own.
    "TRUSTED_PROXIES": "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,127.0.0.1",
}


def settings_prefix(service: str) -> str:
    """The environment prefix of a service's settings: ``loyalty`` → ``LOYALTY_``."""
    return service.upper().replace("-", "_") + "_"


def apply_container_defaults(service: str, environ: MutableMapping[str, str]) -> None:
    """Set the container defaults of ``service``'s settings that ``environ`` does not set."""
    prefix = settings_prefix(service)
    for name, value in CONTAINER_DEFAULTS.items():
        environ.setdefault(prefix + name, value)


def owns_database(service: str, app_dir: Path = APP_DIR) -> bool:
    """Whether the service has migrations to run (an ``alembic.ini`` in its folder)."""
    return (app_dir / "services" / service / "alembic.ini").is_file()


def plan(
    service: str, module: str, argv: Sequence[str], *, app_dir: Path = APP_DIR,
    migrate: bool = True,
) -> list[list[str]]:
    """The commands to run, in order; the last one replaces this process.

    Without ``argv``: migrate (if asked and the service owns a database), then serve.
    With ``argv``: exactly that command of the service's command line.
    """
    command = [sys.executable, "-m", f"mubayiro.{module}"]
    if argv:
        return [[*command, *argv]]
    steps = [[*command, "migrate"]] if migrate and owns_database(service, app_dir) else []
    return [*steps, [*command, "serve"]]


def main(
    argv: Sequence[str] | None = None, environ: MutableMapping[str, str] | None = None
) -> int:
    """Prepare the environment, run the plan's first steps, then exec its last.

    Returns the failing step's exit status when a step (the migration) fails; on success
    it does not return (the process becomes the server or the command asked for).
    """
    env = os.environ if environ is None else environ
    args = list(sys.argv[1:] if argv is None else argv)
    service, module = _service_and_module(env)
    apply_container_defaults(service, env)
    migrate = env.get("MUBAYIRO_MIGRATE", "1").strip().lower() not in ("0", "false", "no")
    *first, last = plan(service, module, args, migrate=migrate)
    for step in first:
        print(f"entrypoint: {' '.join(step[1:])}", file=sys.stderr, flush=True)
        status = subprocess.run(step, env=dict(env), check=False).returncode
        if status != 0:
            print(f"entrypoint: {step[-1]} failed with status {status}", file=sys.stderr)
            return status
    os.execve(last[0], last, dict(env))  # noqa: S606 (a fixed argv, no shell involved)
    return 0  # not reached: execve replaced this process


def _service_and_module(env: Mapping[str, str]) -> tuple[str, str]:
    service = env.get("MUBAYIRO_SERVICE", "").strip()
    if not service:
        raise SystemExit("entrypoint: MUBAYIRO_SERVICE is not set (the image's build argument)")
    return service, env.get("MUBAYIRO_MODULE", "").strip() or service


if __name__ == "__main__":
    sys.exit(main())
