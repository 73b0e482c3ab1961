"""Architecture rules that keep the services apart (docs/conventions.md: they meet only over HTTP).

- a service imports only its own package and ``mubayiro.common``;
- ``mubayiro.common`` imports no service;
- nothing outside tests calls ``create_all`` (Alembic creates every table);
- every router's routes are ``SessionRoute`` (one thread hop per request, its sessions
  ended in it: ``mubayiro.common.deps``);
- every service is built from the one root ``Dockerfile`` (docker-compose.yml says how).
"""

import ast
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {p.parent.name: p.parent for p in ROOT.glob("services/*/pyproject.toml")}
PACKAGES["gateway"] = ROOT / "gateway"
#: Python package of each service, where it differs from the folder's name.
PACKAGE_NAMES = {"mcp": "mcp_server"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _sources(folder: Path):
    yield from (folder / "src").rglob("*.py")


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_service_imports_no_other_service(service):
    own = f"mubayiro.{PACKAGE_NAMES.get(service, service)}"
    for path in _sources(PACKAGES[service]):
        for name in _imports(path):
            if name.startswith("mubayiro.") and not (
                name == own or name.startswith(own + ".") or name.startswith("mubayiro.common")
            ):
                pytest.fail(f"{path.relative_to(ROOT)} imports {name}: call the service over HTTP")


def test_common_imports_no_service():
    for path in (ROOT / "libs/common/src").rglob("*.py"):
        for name in _imports(path):
            assert not name.startswith("mubayiro.") or name.startswith("mubayiro.common"), (
                f"{path.relative_to(ROOT)} imports {name}"
            )


def test_every_router_runs_its_routes_in_one_thread_hop():
    routers = 0
    for path in ROOT.glob("*/**/src/**/*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "APIRouter"):
                routers += 1
                route_class = next((k.value for k in node.keywords if k.arg == "route_class"),
                                   None)
                assert isinstance(route_class, ast.Name) and route_class.id == "SessionRoute", (
                    f"{path.relative_to(ROOT)}:{node.lineno}: APIRouter(route_class=SessionRoute)")
    assert routers >= 30


def test_no_create_all_outside_tests():
    for path in ROOT.glob("*/**/src/**/*.py"):
        assert "create_all(" not in path.read_text(), f"{path.relative_to(ROOT)} uses create_all"


def _compose_builds() -> dict[str, dict]:
    """The ``build`` section of each docker-compose.yml service that has one."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return {name: spec["build"] for name, spec in compose["services"].items() if "build" in spec}


def test_every_service_has_migrations_and_an_image():
    """Each service has its Alembic migrations (if it owns data) and an image built from
    the ONE root Dockerfile (target ``service``, ``SERVICE`` = its folder, ``MODULE`` = its
    package where the names differ): no per-service Dockerfile copies."""
    builds = _compose_builds()
    assert (ROOT / "Dockerfile").is_file()
    for name, folder in PACKAGES.items():
        if name == "gateway":
            continue
        assert not (folder / "Dockerfile").exists(), f"{name}: build it from the root Dockerfile"
        build = builds.get(name)
        assert build is not None, f"docker-compose.yml builds no image for {name}"
        assert build.get("context") == "." and build.get("dockerfile", "Dockerfile") == "Dockerfile"
        assert build.get("target") == "service", name
        args = build.get("args", {})
        assert args.get("SERVICE") == name, name
        assert args.get("MODULE", name) == PACKAGE_NAMES.get(name, name), name
        package = folder / "src/mubayiro" / PACKAGE_NAMES.get(name, name)
        if not (package / "models.py").is_file():
            continue  # owns no data (mcp, chatbot): nothing to migrate
        assert (folder / "alembic.ini").is_file(), name
        assert list((folder / "migrations/versions").glob("*.py")), name
