"""Static and local checks of the production deployment (docs/deploy.md).

No Docker engine runs where the tests do, so nothing here builds an image or starts a
container. What can be proved without one is proved:

- ``docker-compose.yml`` follows the Compose specification (its JSON schema, as vendored
  by ``check-jsonschema``; no network at test time), and every service in it has an image
  or a build, a healthcheck and (for the platform's services) a route;
- the services of ``gateway/traefik/dynamic.yml``, ``upstreams.yml``, the web app's
  ``GATEWAY_UPSTREAMS`` and compose are the same set, at the same addresses;
- each service's settings, built from exactly the environment compose gives its container
  plus the image's defaults, pass the production checks and name no local address; every
  variable compose reads from ``.env`` is in ``.env.example`` and the other way round;
- every Dockerfile passes hadolint, and the root one has the stages compose builds;
- the pieces that run inside the containers run here for real: the service entrypoint
  (migrations, then the server, whose ``/healthz`` the image's HEALTHCHECK command asks),
  the PostgreSQL init script (against the local server) and Traefik's start script (with
  the real Traefik binary, both certificate modes).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mubayiro.common.testing import free_port, wait_until

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
TRAEFIK_DIR = ROOT / "gateway" / "traefik"
DEPLOY_DIR = ROOT / "deploy"
PYTHON = sys.executable
BIN = Path(PYTHON).parent

#: Compose services that are infrastructure, not routed platform services.
INFRASTRUCTURE = {"traefik", "postgres"}
#: Settings class of each service (module, class), as the images' entrypoint serves them.
SETTINGS = {
    "auth": ("mubayiro.auth.config", "AuthSettings"),
    "loyalty": ("mubayiro.loyalty.config", "LoyaltySettings"),
    "notifications": ("mubayiro.notifications.config", "NotificationsSettings"),
    "referrals": ("mubayiro.referrals.config", "ReferralsSettings"),
    "reports": ("mubayiro.reports.config", "ReportsSettings"),
    "mcp": ("mubayiro.mcp_server.config", "McpSettings"),
    "chatbot": ("mubayiro.chatbot.config", "ChatbotSettings"),
}

def _load_entrypoint():
    spec = importlib.util.spec_from_file_location("deploy_entrypoint", DEPLOY_DIR / "entrypoint.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: deploy/entrypoint.py, the service images' entrypoint (not a package: loaded by path).
entrypoint = _load_entrypoint()

#: ``${NAME}``, ``${NAME:-default}``, ``${NAME-default}``, ``${NAME:?message}``, ``${NAME?m}``.
_INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def _compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


class MissingVariable(Exception):
    """A ``${NAME:?message}`` whose variable is not set: compose refuses to start."""


def interpolate(value: str, env: Mapping[str, str]) -> str:
    """Substitute variables the way Compose does for the forms docker-compose.yml uses.

    Raises:
        MissingVariable: a required (``?``) variable is unset or empty (``:?``).
    """

    def one(match: re.Match[str]) -> str:
        name, operator, argument = match.group(1), match.group(2), match.group(3)
        current = env.get(name)
        unset = current is None or (current == "" and operator in (":-", ":?"))
        if operator in ("?", ":?") and unset:
            raise MissingVariable(f"{name}: {argument}")
        if operator in ("-", ":-") and unset:
            return argument
        return current or ""

    return _INTERPOLATION.sub(one, value.replace("$$", "\0")).replace("\0", "$")


def _variables_read(text: str) -> set[str]:
    return {m.group(1) for m in _INTERPOLATION.finditer(text)}


def _env_example_names() -> set[str]:
    """Every variable .env.example names, set or shown commented out (``# NAME=``)."""
    pattern = re.compile(r"^#?\s?([A-Z][A-Z0-9_]+)=", re.MULTILINE)
    return set(pattern.findall((ROOT / ".env.example").read_text()))


def _production_env(**overrides: str) -> dict[str, str]:
    """A complete .env as an operator following .env.example would write it."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    env = {
        "PUBLIC_HOST": "loyalty.example.co.zw",
        "AUTH_JWT_PRIVATE_KEY": pem,
        "AUTH_OTP_SECRET": os.urandom(32).hex(),
        "TWILIO_ACCOUNT_SID": "AC" + os.urandom(16).hex(),
        "TWILIO_AUTH_TOKEN": os.urandom(16).hex(),
        "TWILIO_FROM_NUMBER": "+15005550006",
        "POSTGRES_PASSWORD": os.urandom(24).hex(),
        "AUTH_MAIL_FROM": "Mubayiro <no-reply@loyalty.example.co.zw>",
        "AUTH_SMTP_HOST": "smtp.example.co.zw",
    }
    for service in SETTINGS:
        env[f"{service.upper()}_SERVICE_CLIENT_SECRET"] = os.urandom(32).hex()
    env.update(overrides)
    return env


def _container_env(service: str, dotenv: Mapping[str, str]) -> dict[str, str]:
    """The environment compose gives ``service``'s container, interpolated from ``dotenv``."""
    spec = _compose()["services"][service]
    environment = spec.get("environment", {})
    assert isinstance(environment, dict), f"{service}: write environment as a mapping"
    return {name: interpolate(str(value), dotenv) for name, value in environment.items()}


def _dockerfile_stages(path: Path) -> dict[str, list[str]]:
    """The instructions of each named stage of a Dockerfile (continuation lines joined)."""
    text = re.sub(r"\\\n\s*", " ", path.read_text())
    stages: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"FROM\s+\S+(?:\s+AS\s+(\S+))?", line, re.IGNORECASE)
        if match:
            current = stages.setdefault(match.group(1) or f"stage{len(stages)}", [])
        if current is not None:
            current.append(line)
    return stages


# --- Compose: the specification, images, healthchecks, routes --------------------------

def _compose_schema() -> dict:
    vendor = files("check_jsonschema.builtin_schemas.vendor")
    return json.loads(vendor.joinpath("compose-spec.json").read_text())


def test_compose_file_follows_the_compose_specification():
    schema = _compose_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(_compose())]
    assert errors == []


def test_the_schema_check_catches_a_misspelled_key():
    schema = _compose_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    broken = _compose()
    broken["services"]["loyalty"]["healthchek"] = broken["services"]["traefik"]["healthcheck"]
    assert list(validator.iter_errors(broken)), "the schema must refuse unknown keys"


def test_every_compose_service_has_an_image_a_healthcheck_and_a_route():
    services = _compose()["services"]
    stages = _dockerfile_stages(ROOT / "Dockerfile")
    upstreams = _yaml(TRAEFIK_DIR / "upstreams.yml")["http"]["services"]
    for name, spec in services.items():
        assert "image" in spec or "build" in spec, f"{name}: no image and no build"
        if "healthcheck" in spec:
            assert spec["healthcheck"].get("disable") is not True, name
            assert spec["healthcheck"]["test"], name
        else:
            build = spec.get("build")
            assert build, f"{name}: no healthcheck in compose and no image built here"
            target = stages[build["target"]]
            assert any(i.startswith("HEALTHCHECK ") for i in target), (
                f"{name}: Dockerfile target {build['target']} has no HEALTHCHECK"
            )
        if name not in INFRASTRUCTURE:
            assert name in upstreams, f"{name}: not routed (gateway/traefik/upstreams.yml)"


def test_dynamic_yml_upstreams_yml_and_compose_name_the_same_services():
    routers = _yaml(TRAEFIK_DIR / "dynamic.yml")["http"]["routers"]
    routed = {r["service"] for r in routers.values() if "@" not in r["service"]}
    middlewares = _yaml(TRAEFIK_DIR / "dynamic.yml")["http"]["middlewares"]
    routed |= {m["errors"]["service"] for m in middlewares.values() if "errors" in m}
    upstreams = _yaml(TRAEFIK_DIR / "upstreams.yml")["http"]["services"]
    platform = set(_compose()["services"]) - INFRASTRUCTURE
    assert routed == set(upstreams) == platform
    for name, service in upstreams.items():
        assert service["loadBalancer"]["servers"] == [{"url": f"http://{name}:8000"}], name


def test_the_web_apps_readyz_asks_every_service_at_its_compose_address():
    upstreams = _yaml(TRAEFIK_DIR / "upstreams.yml")["http"]["services"]
    readyz = json.loads(_container_env("web", {})["GATEWAY_UPSTREAMS"])
    assert readyz == {
        name: s["loadBalancer"]["servers"][0]["url"] for name, s in upstreams.items()
        if name != "web"
    }


def test_only_traefik_publishes_ports_and_services_with_data_have_their_own_volume():
    compose = _compose()
    for name, spec in compose["services"].items():
        if name != "traefik":
            assert "ports" not in spec, f"{name} must be reached through Traefik only"
    assert compose["services"]["traefik"]["ports"] == ["80:80", "443:443"]
    volumes_seen: dict[str, str] = {}
    for name in SETTINGS:
        owns_data = (ROOT / "services" / name / "alembic.ini").is_file()
        mounts = compose["services"][name].get("volumes", [])
        data = [m for m in mounts if m.endswith(":/data")]
        assert bool(data) == owns_data, f"{name}: a /data volume exactly when it owns data"
        for mount in data:
            volume = mount.split(":")[0]
            assert volume in compose["volumes"], f"{name}: {volume} is not a named volume"
            assert volume not in volumes_seen, f"{name} shares {volume} with {volumes_seen}"
            volumes_seen[volume] = name


def test_traefik_mounts_the_route_files_and_its_start_script():
    traefik = _compose()["services"]["traefik"]
    assert traefik["image"].startswith("traefik:v3")
    mounts = {m.split(":")[1]: m.split(":")[0] for m in traefik["volumes"]}
    assert mounts["/etc/traefik/traefik.yml"] == "./gateway/traefik/traefik.yml"
    assert mounts["/etc/traefik/dynamic/dynamic.yml"] == "./gateway/traefik/dynamic.yml"
    assert mounts["/etc/traefik/dynamic/upstreams.yml"] == "./gateway/traefik/upstreams.yml"
    assert mounts["/etc/traefik/dynamic/tls.yml"] == "./deploy/traefik/tls.yml"
    for source in mounts.values():
        if source.startswith("./"):
            assert (ROOT / source).is_file(), source
    static = _yaml(TRAEFIK_DIR / "traefik.yml")
    assert static["providers"]["file"]["directory"] == "/etc/traefik/dynamic"
    assert "certificatesResolvers" not in static, (
        "deploy/traefik/start.sh appends certificatesResolvers to traefik.yml"
    )


# --- Settings: what compose gives each container is enough in production ---------------

@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_each_service_starts_in_production_on_what_compose_gives_it(service, monkeypatch):
    dotenv = _production_env()
    env = _container_env(service, dotenv)
    entrypoint.apply_container_defaults(service, env)
    for name in list(os.environ):
        if name.startswith((f"{service.upper()}_", "TWILIO_")):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    module, cls = SETTINGS[service]
    settings = getattr(importlib.import_module(module), cls)(_env_file=None)
    assert settings.environment == "production"
    assert (settings.host, settings.port) == ("0.0.0.0", 8000)
    assert settings.sqlalchemy_url.startswith("sqlite:////data/")
    for field, value in settings.model_dump().items():
        if field.endswith("_url") and isinstance(value, str):
            assert "127.0.0.1" not in value and "localhost" not in value, (service, field)
    if service == "auth":
        # Every other service is a client, with the secret that service itself is given.
        assert {k: v.get_secret_value() for k, v in settings.service_clients.items()} == {
            name: dotenv[f"{name.upper()}_SERVICE_CLIENT_SECRET"]
            for name in SETTINGS if name != "auth"
        }


@pytest.mark.parametrize("missing", [
    "PUBLIC_HOST", "AUTH_JWT_PRIVATE_KEY", "AUTH_OTP_SECRET", "LOYALTY_SERVICE_CLIENT_SECRET",
    "CHATBOT_SERVICE_CLIENT_SECRET", "AUTH_SMTP_HOST", "AUTH_MAIL_FROM",
])
def test_compose_refuses_to_start_without_a_required_secret(missing):
    dotenv = _production_env()
    del dotenv[missing]
    with pytest.raises(MissingVariable, match=missing):
        for service in _compose()["services"]:
            _container_env(service, dotenv)


def test_env_example_lists_exactly_the_variables_compose_reads():
    read = _variables_read(COMPOSE_FILE.read_text())
    listed = _env_example_names()
    assert read - listed == set(), "read by docker-compose.yml but not in .env.example"
    assert listed - read == set(), "in .env.example but docker-compose.yml never reads it"


def test_postgres_profile_gives_the_init_script_every_database_url():
    postgres = _compose()["services"]["postgres"]
    assert postgres["profiles"] == ["postgres"]
    assert postgres["image"].startswith("postgres:16")
    owning = {s for s in SETTINGS if (ROOT / "services" / s / "alembic.ini").is_file()}
    urls = {n for n in postgres["environment"] if n.endswith("_DATABASE_URL")}
    assert urls == {f"{s.upper()}_DATABASE_URL" for s in owning}
    script = (DEPLOY_DIR / "postgres" / "init-databases.sh").read_text()
    default = re.search(r'SERVICE_DATABASE_VARIABLES:=([^}]*)\}', script).group(1)
    assert set(default.split()) == urls
    for service in owning:
        assert f"{service.upper()}_DATABASE_URL" in _compose()["services"][service]["environment"]


# --- Dockerfiles ------------------------------------------------------------------------

def _dockerfiles() -> list[Path]:
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*Dockerfile*"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()
    return [ROOT / p for p in listing if (ROOT / p).is_file()]


def test_every_dockerfile_passes_hadolint():
    dockerfiles = _dockerfiles()
    assert ROOT / "Dockerfile" in dockerfiles
    hadolint = BIN / "hadolint"
    for path in dockerfiles:
        result = subprocess.run(
            [str(hadolint), "--no-color", str(path)], capture_output=True, text=True,
            check=False,
        )
        assert result.returncode == 0, f"{path.relative_to(ROOT)}:\n{result.stdout}{result.stderr}"


def test_hadolint_does_fail_a_bad_dockerfile(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python\nRUN apt-get install curl\nCMD python app.py\n")
    result = subprocess.run([str(BIN / "hadolint"), str(bad)], capture_output=True, check=False)
    assert result.returncode != 0


def test_the_final_images_are_slim_unprivileged_and_built_from_the_lock():
    stages = _dockerfile_stages(ROOT / "Dockerfile")
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim", text, re.MULTILINE)
    assert re.search(r"^ARG NODE_IMAGE=node:22", text, re.MULTILINE)
    for target in ("service", "web"):
        instructions = stages[target]
        assert instructions[0].startswith("FROM ${PYTHON_IMAGE} AS"), target
        users = [i for i in instructions if i.startswith("USER ")]
        assert users and users[-1].split()[1].split(":")[0] not in ("0", "root"), target
        # Only files from the build stages: no uv, npm or compiler is ever installed here.
        assert not any(re.match(r"RUN .*\b(uv|pip|npm|apt-get|gcc)\b", i) for i in instructions)
        copies = [i for i in instructions if i.startswith("COPY --from=")]
        assert {c.split()[1].split("=")[1] for c in copies} <= {
            "service-build", "web-build", "sites"}
        assert any(i.startswith("HEALTHCHECK ") and "/healthz" in i for i in instructions)
    for build in ("service-build", "web-build"):
        assert any("uv sync --frozen --no-dev --package" in i for i in stages[build]), build
    assert stages["service"][-1] == 'ENTRYPOINT ["python", "/app/entrypoint.py"]'
    assert stages["web"][-1] == 'CMD ["python", "-m", "mubayiro.gateway", "web"]'
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".git", ".venv", "data", "**/node_modules", "**/dist"):
        assert entry in ignored, f".dockerignore: {entry}"


#: glibc of the images' Debian 12 (bookworm) base: manylinux wheels up to this version run.
BOOKWORM_GLIBC = (2, 36)


def _runs_on_the_images(wheel: str, arch: str) -> bool:
    """Whether a wheel file installs on CPython 3.11, Debian 12, ``arch``."""
    name = wheel.removesuffix(".whl")
    _, _, rest = name.partition("-")
    python, abi, platforms = rest.split("-")[-3:]
    if platforms == "any":
        return python.startswith(("py3", "cp311", "py2.py3"))
    if not (python == "cp311" or abi == "abi3" or (python.startswith("py3") and abi == "none")):
        return False
    for platform in platforms.split("."):
        if platform in (f"manylinux2014_{arch}", f"manylinux1_{arch}", f"manylinux2010_{arch}"):
            return True
        match = re.fullmatch(rf"manylinux_(\d+)_(\d+)_{arch}", platform)
        if match and (int(match.group(1)), int(match.group(2))) <= BOOKWORM_GLIBC:
            return True
    return False


def test_wheel_check_knows_what_runs_on_the_images():
    runs = _runs_on_the_images
    assert runs("psycopg_binary-3.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                "x86_64")
    assert runs("cryptography-46-cp311-abi3-manylinux_2_34_aarch64.whl", "aarch64")
    assert runs("httpx-0.28-py3-none-any.whl", "x86_64")
    assert not runs("x-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", "x86_64")  # another Python
    assert not runs("x-1.0-cp311-cp311-manylinux_2_39_x86_64.whl", "x86_64")  # newer glibc
    assert not runs("x-1.0-cp311-cp311-musllinux_1_2_x86_64.whl", "x86_64")  # Alpine's libc
    assert not runs("x-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", "aarch64")


def test_every_locked_package_installs_from_a_wheel_on_the_images():
    """The build stages have no compiler: a package that would need one fails the build.

    So every package in uv.lock must have a wheel for CPython 3.11 on Debian 12, on both
    x86_64 and aarch64 servers (Windows-only packages such as pywin32 are never installed).
    """
    import tomllib

    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    missing = []
    for package in lock["package"]:
        source = package.get("source", {})
        if {"editable", "virtual", "workspace"} & set(source):
            continue  # the workspace's own members, built by uv from their sources
        wheels = [w["url"].rsplit("/", 1)[-1] for w in package.get("wheels", [])]
        if wheels and all("-win" in w for w in wheels):
            continue
        for arch in ("x86_64", "aarch64"):
            if not any(_runs_on_the_images(w, arch) for w in wheels):
                missing.append(f"{package['name']} {package['version']} ({arch})")
    assert missing == [], "no wheel for the images (the build stage cannot compile)"


# --- The service entrypoint, for real -----------------------------------------------------

def test_entrypoint_migrates_only_services_that_own_data():
    plan = entrypoint.plan
    main = [PYTHON, "-m"]
    assert plan("loyalty", "loyalty", [], app_dir=ROOT) == [
        [*main, "mubayiro.loyalty", "migrate"], [*main, "mubayiro.loyalty", "serve"]]
    assert plan("loyalty", "loyalty", [], app_dir=ROOT, migrate=False) == [
        [*main, "mubayiro.loyalty", "serve"]]
    assert plan("mcp", "mcp_server", [], app_dir=ROOT) == [[*main, "mubayiro.mcp_server", "serve"]]
    assert plan("chatbot", "chatbot", [], app_dir=ROOT) == [[*main, "mubayiro.chatbot", "serve"]]
    assert plan("loyalty", "loyalty", ["outbox", "list"], app_dir=ROOT) == [
        [*main, "mubayiro.loyalty", "outbox", "list"]]
    env = {"LOYALTY_PORT": "9000"}
    entrypoint.apply_container_defaults("loyalty", env)
    assert env == {"LOYALTY_PORT": "9000", "LOYALTY_HOST": "0.0.0.0",
                   "LOYALTY_ENVIRONMENT": "production", "LOYALTY_DATA_DIR": "/data",
                   "LOYALTY_TRUSTED_PROXIES": entrypoint.CONTAINER_DEFAULTS["TRUSTED_PROXIES"]}


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def _healthcheck_command(port: int) -> list[str]:
    """The service image's HEALTHCHECK command, asking ``port`` instead of 8000."""
    line = next(i for i in _dockerfile_stages(ROOT / "Dockerfile")["service"]
                if i.startswith("HEALTHCHECK "))
    command = json.loads(line[line.index("CMD ") + 4:])
    return [PYTHON if part == "python" else part.replace(":8000/", f":{port}/")
            for part in command]


@contextlib.contextmanager
def _running(
    command: list[str], env: dict[str, str], log: Path, *, graceful: bool = True
) -> Iterator[subprocess.Popen]:
    """Run ``command`` (output to ``log``) for the block; stop it after.

    ``graceful=False`` kills it: Traefik drains connections for 10 s on SIGTERM.
    """
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            if graceful:
                process.terminate()
            else:
                process.kill()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_entrypoint_migrates_then_serves_and_the_healthcheck_sees_it(tmp_path):
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
        "MUBAYIRO_SERVICE": "loyalty", "MUBAYIRO_MODULE": "loyalty",
        "MUBAYIRO_APP_DIR": str(ROOT),
        # What compose and the image would set, with a local port and data folder (a
        # production start needs the real auth; the entrypoint's work is the same).
        "LOYALTY_HOST": "127.0.0.1", "LOYALTY_PORT": str(port),
        "LOYALTY_DATA_DIR": str(tmp_path), "LOYALTY_ENVIRONMENT": "test",
    }
    healthcheck = _healthcheck_command(port)
    assert subprocess.run(healthcheck, capture_output=True, check=False).returncode != 0
    with _running([PYTHON, str(DEPLOY_DIR / "entrypoint.py")], env, tmp_path / "log") as proc:
        wait_until(lambda: proc.poll() is not None or _answers(f"http://127.0.0.1:{port}/healthz"),
                   timeout=60, interval=0.1, message="/healthz")
        assert proc.poll() is None, (tmp_path / "log").read_text()
        assert subprocess.run(healthcheck, capture_output=True, check=False).returncode == 0
        with sqlite3.connect(tmp_path / "loyalty.db") as db:
            (revision,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
        heads = {p.name.split("_")[3] for p in
                 (ROOT / "services/loyalty/migrations/versions").glob("*.py")}
        assert revision in heads
        log = (tmp_path / "log").read_text()
        assert log.index("entrypoint: -m mubayiro.loyalty migrate") < log.index("Uvicorn")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as answer:
            assert answer.status == 200


def test_entrypoint_stops_when_the_migration_fails(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
        "MUBAYIRO_SERVICE": "loyalty", "MUBAYIRO_APP_DIR": str(ROOT),
        "LOYALTY_ENVIRONMENT": "test", "LOYALTY_PORT": str(free_port()),
        # Nothing listens on port 1: the migration cannot connect.
        "LOYALTY_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/loyalty",
    }
    result = subprocess.run([PYTHON, str(DEPLOY_DIR / "entrypoint.py")], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0
    assert "migrate failed" in result.stderr
    assert "Uvicorn" not in result.stderr + result.stdout


# --- The PostgreSQL init script, against the local server --------------------------------

def test_postgres_init_script_gives_each_service_its_own_database_and_user():
    psycopg = pytest.importorskip("psycopg")
    from mubayiro.common.testing import POSTGRES_ADMIN_DSN

    if shutil.which("psql") is None:
        if os.environ.get("CI"):
            raise AssertionError("CI needs psql (postgresql-client) for this test")
        pytest.skip("psql is not installed")
    suffix = uuid.uuid4().hex[:8]
    names = {"LOYALTY_DATABASE_URL": f"deploy_loyalty_{suffix}",
             "REPORTS_DATABASE_URL": f"deploy_reports_{suffix}"}
    env = {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": "5432", "POSTGRES_USER": "postgres",
           "AUTH_DATABASE_URL": "",  # SQLite: skipped
           "REFERRALS_DATABASE_URL": "postgresql+psycopg://r:p@db.example.net:5432/r"}
    for variable, name in names.items():
        env[variable] = f"postgresql+psycopg://{name}:{uuid.uuid4().hex}@postgres:5432/{name}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True)
    except psycopg.OperationalError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no PostgreSQL server at 127.0.0.1:5432")
    try:
        result = subprocess.run(["sh", str(DEPLOY_DIR / "postgres" / "init-databases.sh")],
                                env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        assert "REFERRALS_DATABASE_URL does not point at postgres: skipped" in result.stdout
        for name in names.values():
            owner, acl = admin.execute(
                "SELECT pg_get_userbyid(datdba), datacl::text FROM pg_database "
                "WHERE datname = %s", (name,)).fetchone()
            assert owner == name
            # Only the owner holds rights on it: PUBLIC (an empty grantee) may not connect.
            assert all(item.startswith(f"{name}=") for item in acl.strip("{}").split(","))
            with psycopg.connect(host="127.0.0.1", port=5432, user=name, dbname=name,
                                 autocommit=True) as own:
                own.execute("CREATE TABLE ledger (id integer PRIMARY KEY)")
    finally:
        for name in names.values():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'DROP ROLE IF EXISTS "{name}"')
        admin.close()


# --- Traefik's start script, with the real Traefik ---------------------------------------

def _traefik_setup(tmp_path: Path) -> tuple[dict[str, str], int]:
    """The compose layout of Traefik's files under ``tmp_path``, on free local ports."""
    https, http = free_port(), free_port()
    static = (TRAEFIK_DIR / "traefik.yml").read_text()
    static = static.replace('":443"', f'"127.0.0.1:{https}"').replace(
        '":80"', f'"127.0.0.1:{http}"').replace("/etc/traefik/dynamic", str(tmp_path / "dyn"))
    (tmp_path / "traefik.yml").write_text(static)
    (tmp_path / "dyn").mkdir()
    shutil.copy(TRAEFIK_DIR / "dynamic.yml", tmp_path / "dyn")
    shutil.copy(TRAEFIK_DIR / "upstreams.yml", tmp_path / "dyn")
    tls = (DEPLOY_DIR / "traefik" / "tls.yml").read_text()
    (tmp_path / "dyn" / "tls.yml").write_text(
        tls.replace("/etc/traefik/certs", str(tmp_path / "certs")))
    env = {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "HOME": str(tmp_path),
        "STATIC_CONFIG": str(tmp_path / "traefik.yml"),
        "GENERATED_STATIC_CONFIG": str(tmp_path / "generated.yml"),
        "ACME_STORAGE": str(tmp_path / "acme.json"),
        "PUBLIC_HOST": "shop.example.co.zw",
    }
    return env, https


def _served_certificate_subject(port: int) -> str | None:
    result = subprocess.run(
        ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "x.test"],
        input="", capture_output=True, text=True, timeout=10, check=False)
    match = re.search(r"^subject=(.*)$", result.stdout, re.MULTILINE)
    return match.group(1) if match else None


def test_traefik_serves_the_mounted_certificate_files_by_default(tmp_path):
    env, https = _traefik_setup(tmp_path)
    (tmp_path / "certs").mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(tmp_path / "certs/privkey.pem"),
                    "-out", str(tmp_path / "certs/fullchain.pem"),
                    "-subj", "/CN=mounted.example.co.zw"], capture_output=True, check=True)
    script = ["sh", str(DEPLOY_DIR / "traefik" / "start.sh")]
    with _running(script, env, tmp_path / "log", graceful=False) as proc:
        subject = wait_until(
            lambda: proc.poll() is not None or _served_certificate_subject(https),
            timeout=30, interval=0.1, message="TLS")
        assert proc.poll() is None, (tmp_path / "log").read_text()
        wait_until(lambda: "mounted.example.co.zw" in (_served_certificate_subject(https) or ""),
                   timeout=30, interval=0.1, message=f"the mounted certificate (served: {subject})")
    assert not (tmp_path / "generated.yml").exists()


def test_traefik_asks_lets_encrypt_for_the_public_host_when_an_email_is_set(tmp_path):
    env, https = _traefik_setup(tmp_path)
    # An ACME directory that refuses connections: Traefik's attempt shows in its log.
    env.update(LETSENCRYPT_EMAIL="ops@example.co.zw",
               LETSENCRYPT_CA_SERVER=f"https://127.0.0.1:{free_port()}/directory")
    script = ["sh", str(DEPLOY_DIR / "traefik" / "start.sh")]
    log = tmp_path / "log"
    with _running(script, env, log, graceful=False) as proc:
        wait_until(lambda: proc.poll() is not None
                   or 'domains \\"shop.example.co.zw\\"' in log.read_text(),
                   timeout=30, interval=0.1, message="an ACME attempt")
        assert proc.poll() is None, log.read_text()
    generated = _yaml(tmp_path / "generated.yml")
    original = _yaml(tmp_path / "traefik.yml")
    acme = generated.pop("certificatesResolvers")["letsencrypt"]["acme"]
    assert generated == original, "the resolver is added; nothing else changes"
    assert acme["email"] == "ops@example.co.zw" and "tlsChallenge" in acme
    assert acme["storage"] == str(tmp_path / "acme.json")
