"""The route table, read from Traefik's dynamic configuration (``gateway/traefik/dynamic.yml``).

The development gateway must route exactly as Traefik does in production, so it reads the
same file and re-implements the part of Traefik it uses:

- **Rules**: ``Path(`/x`)`` (the path equals ``/x``), ``PathPrefix(`/x`)`` (the path starts
  with ``/x`` — a plain string prefix, as in Traefik) and ``||`` between them. Anything
  else is refused at load time, so a rule the dev gateway cannot follow fails loudly
  instead of routing differently.
- **Priority**: routers are tried highest priority first; a router without ``priority``
  (or with 0) gets the length of its rule, as in Traefik. Traefik leaves the order of equal
  priorities unspecified; here ties go by router name, so the order is at least stable.
- **Middlewares**: ``stripPrefix``, ``replacePath``, ``redirectRegex`` and ``chain``, plus
  ``errors`` on the ``noop@internal`` guard (see :class:`ErrorPage`).
- **Services**: ``loadBalancer.servers[].url``, and the built-in ``noop@internal`` and
  ``ping@internal``.

Only routers on the ``websecure`` entry point are loaded (the HTTP entry point only
redirects, see ``traefik.yml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

NOOP_SERVICE = "noop@internal"
PING_SERVICE = "ping@internal"
INTERNAL_SERVICES = frozenset({NOOP_SERVICE, PING_SERVICE})
#: Characters left as they are when a rewritten path is percent-encoded again (RFC 3986 pchar).
PATH_SAFE = "/!$&'()*+,;=:@-._~"


class RouteConfigError(ValueError):
    """The dynamic configuration uses something the dev gateway does not implement, or is wrong."""


# --- Rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Matcher:
    """One ``Path`` or ``PathPrefix`` matcher."""

    kind: str
    value: str

    def matches(self, path: str) -> bool:
        """Whether the (decoded, normalised) request path matches."""
        if self.kind == "Path":
            return path == self.value
        return path.startswith(self.value)


@dataclass(frozen=True)
class Rule:
    """A router rule: matchers joined by ``||`` (any one matching is enough)."""

    text: str
    matchers: tuple[Matcher, ...]

    def matches(self, path: str) -> bool:
        """Whether any of the rule's matchers matches ``path``."""
        return any(m.matches(path) for m in self.matchers)


_MATCHER = re.compile(r"\s*([A-Za-z]+)\(\s*(`[^`]*`|\"[^\"]*\")\s*\)\s*")
_OR = re.compile(r"\|\|")
SUPPORTED_MATCHERS = ("Path", "PathPrefix")


def parse_rule(text: str) -> Rule:
    """Parse a Traefik rule made of ``Path``/``PathPrefix`` matchers joined by ``||``.

    Raises:
        RouteConfigError: the rule uses another matcher or operator, or is malformed.
    """
    matchers: list[Matcher] = []
    pos = 0
    while True:
        found = _MATCHER.match(text, pos)
        if not found:
            raise RouteConfigError(
                f"cannot parse rule {text!r} at position {pos}: the dev gateway understands "
                f"only {' and '.join(SUPPORTED_MATCHERS)} joined by ||"
            )
        kind, quoted = found.group(1), found.group(2)
        if kind not in SUPPORTED_MATCHERS:
            raise RouteConfigError(f"rule {text!r}: matcher {kind} is not supported")
        value = quoted[1:-1]
        if not value.startswith("/"):
            raise RouteConfigError(f"rule {text!r}: {kind} value {value!r} must start with /")
        matchers.append(Matcher(kind, value))
        pos = found.end()
        if pos == len(text):
            return Rule(text, tuple(matchers))
        operator = _OR.match(text, pos)
        if not operator:
            raise RouteConfigError(
                f"cannot parse rule {text!r} at position {pos}: expected || (the only "
                "operator the dev gateway supports)"
            )
        pos = operator.end()


# --- Middlewares ---------------------------------------------------------------------------


@dataclass
class Target:
    """A request on its way to a service, as middlewares rewrite it.

    ``path`` is decoded (what rules match); ``raw_path`` is what is sent upstream. A
    middleware that changes the path sets both.
    """

    method: str
    scheme: str
    host: str
    path: str
    raw_path: str
    query: str = ""
    #: Headers middlewares add to the upstream request (X-Forwarded-Prefix, X-Replaced-Path).
    headers: list[tuple[str, str]] = field(default_factory=list)
    #: The prefix stripPrefix removed, if any (for redirects built by the static sites).
    stripped_prefix: str = ""

    def set_path(self, path: str) -> None:
        """Replace the path (both forms)."""
        self.path = path
        self.raw_path = quote(path, safe=PATH_SAFE)

    @property
    def url(self) -> str:
        """The full request URL, as Traefik's redirectRegex matches it."""
        query = f"?{self.query}" if self.query else ""
        return f"{self.scheme}://{self.host}{self.raw_path}{query}"


@dataclass(frozen=True)
class Redirect:
    """The answer of a redirect middleware."""

    location: str
    status_code: int


@dataclass(frozen=True)
class StripPrefix:
    """Removes the first matching prefix from the path (Traefik ``stripPrefix``)."""

    prefixes: tuple[str, ...]

    def apply(self, target: Target) -> Redirect | None:
        """Strip the prefix and tell the service which one (``X-Forwarded-Prefix``)."""
        for prefix in self.prefixes:
            if target.path.startswith(prefix):
                rest = target.path[len(prefix):]
                target.set_path(rest if rest.startswith("/") else "/" + rest)
                target.headers.append(("x-forwarded-prefix", prefix))
                target.stripped_prefix = prefix
                break
        return None


@dataclass(frozen=True)
class ReplacePath:
    """Replaces the whole path (Traefik ``replacePath``), keeping the old one in a header."""

    path: str

    def apply(self, target: Target) -> Redirect | None:
        """Replace the path; the original goes upstream as ``X-Replaced-Path``."""
        target.headers.append(("x-replaced-path", target.path))
        target.set_path(self.path)
        return None


_GO_TEMPLATE = re.compile(r"\$\$|\$\{(\w+)\}|\$(\w+)")


def expand_go_template(template: str, match: re.Match[str]) -> str:
    """Expand a Go ``regexp`` replacement (``$1``, ``${1}``, ``${name}``, ``$$``) for ``match``.

    As in Go, a group that does not exist or did not take part expands to nothing.
    """

    def one(ref: re.Match[str]) -> str:
        if ref.group(0) == "$$":
            return "$"
        name = ref.group(1) or ref.group(2)
        try:
            value = match.group(int(name) if name.isdigit() else name)
        except IndexError:  # no such group (by number or by name)
            return ""
        return value or ""

    return _GO_TEMPLATE.sub(one, template)


@dataclass(frozen=True)
class RedirectRegex:
    """Redirects when the full URL matches ``regex`` (Traefik ``redirectRegex``).

    Status codes as Traefik's: permanent → 301 for GET, 308 otherwise; temporary → 302 for
    GET, 307 otherwise. A replacement equal to the original URL does not redirect.
    """

    regex: re.Pattern[str]
    replacement: str
    permanent: bool = False

    def apply(self, target: Target) -> Redirect | None:
        """Answer with a redirect when the URL matches, else let the request through."""
        url = target.url
        if not self.regex.search(url):
            return None
        location = self.regex.sub(lambda m: expand_go_template(self.replacement, m), url)
        if location == url:
            return None
        if self.permanent:
            status = 301 if target.method == "GET" else 308
        else:
            status = 302 if target.method == "GET" else 307
        return Redirect(location, status)


@dataclass(frozen=True)
class ErrorPage:
    """Traefik's ``errors`` middleware, accepted only on routers to ``noop@internal``.

    In production it turns the guard's 418 into a 404 with a JSON body from a service;
    the dev gateway answers such routers with its own JSON 404 directly, so the middleware
    has nothing to do here. On any other router it would change answers in a way the dev
    gateway does not copy, so the loader refuses it there.
    """

    service: str

    def apply(self, target: Target) -> Redirect | None:
        """Nothing to do in development (see the class docstring)."""
        return None


Middleware = StripPrefix | ReplacePath | RedirectRegex | ErrorPage


# --- Routers and the table -----------------------------------------------------------------


@dataclass(frozen=True)
class Router:
    """One Traefik router: a rule, its priority, its middlewares and its service."""

    name: str
    rule: Rule
    priority: int
    service: str
    middlewares: tuple[Middleware, ...] = ()

    def apply_middlewares(self, target: Target) -> Redirect | None:
        """Run the middlewares in order; the first redirect ends the request."""
        for middleware in self.middlewares:
            redirect = middleware.apply(target)
            if redirect is not None:
                return redirect
        return None


@dataclass(frozen=True)
class RouteTable:
    """Routers in the order they are tried, and the services' server URLs."""

    routers: tuple[Router, ...]
    services: Mapping[str, tuple[str, ...]]

    def match(self, path: str) -> Router | None:
        """The router that takes ``path`` (decoded and normalised), if any."""
        for router in self.routers:
            if router.rule.matches(path):
                return router
        return None

    @property
    def service_names(self) -> set[str]:
        """The services routers point at (including ``@internal`` ones)."""
        return {r.service for r in self.routers}


def _service_name(name: str) -> str:
    # Same-provider references may carry the provider suffix (`auth@file`).
    return name.removesuffix("@file")


def _parse_middleware(name: str, spec: Any) -> Middleware | list[str]:
    """One middleware, or the names a chain refers to."""
    if not isinstance(spec, dict) or len(spec) != 1:
        raise RouteConfigError(f"middleware {name}: expected exactly one middleware type")
    kind, options = next(iter(spec.items()))
    options = options or {}
    try:
        if kind == "stripPrefix":
            return StripPrefix(tuple(options["prefixes"]))
        if kind == "replacePath":
            return ReplacePath(options["path"])
        if kind == "redirectRegex":
            return RedirectRegex(
                re.compile(options["regex"]),
                options["replacement"],
                bool(options.get("permanent", False)),
            )
        if kind == "errors":
            return ErrorPage(_service_name(options["service"]))
        if kind == "chain":
            return [str(n) for n in options["middlewares"]]
    except (KeyError, TypeError, re.error) as exc:
        raise RouteConfigError(f"middleware {name} ({kind}): invalid options: {exc}") from exc
    raise RouteConfigError(
        f"middleware {name}: type {kind} is not supported by the dev gateway "
        "(stripPrefix, replacePath, redirectRegex, chain, errors)"
    )


def _resolve(
    name: str, raw: Mapping[str, Middleware | list[str]], seen: tuple[str, ...] = ()
) -> list[Middleware]:
    name = name.removesuffix("@file")
    if name in seen:
        raise RouteConfigError(f"middleware chain loops: {' → '.join((*seen, name))}")
    if name not in raw:
        raise RouteConfigError(f"middleware {name} is not defined")
    item = raw[name]
    if isinstance(item, list):
        out: list[Middleware] = []
        for inner in item:
            out.extend(_resolve(inner, raw, (*seen, name)))
        return out
    return [item]


def _parse_services(specs: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    services: dict[str, tuple[str, ...]] = {}
    for name, spec in specs.items():
        try:
            urls = tuple(server["url"] for server in spec["loadBalancer"]["servers"])
        except (KeyError, TypeError) as exc:
            raise RouteConfigError(
                f"service {name}: only loadBalancer.servers[].url services are supported"
            ) from exc
        if not urls:
            raise RouteConfigError(f"service {name} has no servers")
        services[name] = urls
    return services


def _on_entry_point(spec: Mapping[str, Any], entry_point: str) -> bool:
    # A router without entryPoints listens on every entry point (Traefik's default).
    points: Iterable[str] | None = spec.get("entryPoints")
    return points is None or entry_point in points


def build_route_table(config: Mapping[str, Any], *, entry_point: str = "websecure") -> RouteTable:
    """Build the table from a parsed dynamic configuration.

    Raises:
        RouteConfigError: something the dev gateway does not implement, an undefined
            service or middleware, or a malformed router.
    """
    http = (config or {}).get("http") or {}
    services = _parse_services(http.get("services") or {})
    raw_middlewares = {
        name: _parse_middleware(name, spec)
        for name, spec in (http.get("middlewares") or {}).items()
    }
    routers: list[Router] = []
    for name, spec in (http.get("routers") or {}).items():
        if not isinstance(spec, dict) or "rule" not in spec or "service" not in spec:
            raise RouteConfigError(f"router {name}: needs a rule and a service")
        if not _on_entry_point(spec, entry_point):
            continue
        try:
            rule = parse_rule(str(spec["rule"]))
        except RouteConfigError as exc:
            raise RouteConfigError(f"router {name}: {exc}") from exc
        service = _service_name(str(spec["service"]))
        if service not in services and service not in INTERNAL_SERVICES:
            raise RouteConfigError(f"router {name}: service {service} is not defined")
        middlewares: list[Middleware] = []
        for middleware_name in spec.get("middlewares") or []:
            middlewares.extend(_resolve(str(middleware_name), raw_middlewares))
        for middleware in middlewares:
            if isinstance(middleware, ErrorPage):
                if service != NOOP_SERVICE:
                    raise RouteConfigError(
                        f"router {name}: the dev gateway supports the errors middleware "
                        f"only on routers to {NOOP_SERVICE}"
                    )
                if middleware.service not in services:
                    raise RouteConfigError(
                        f"router {name}: errors service {middleware.service} is not defined"
                    )
        # Traefik: priority 0 (or none) means "the length of the rule".
        priority = int(spec.get("priority") or 0) or len(rule.text)
        routers.append(Router(name, rule, priority, service, tuple(middlewares)))
    routers.sort(key=lambda r: (-r.priority, r.name))
    return RouteTable(tuple(routers), services)


def load_route_table(path: Path, *, entry_point: str = "websecure") -> RouteTable:
    """Read ``dynamic.yml`` and build the table.

    Raises:
        RouteConfigError: see :func:`build_route_table`; also for unreadable YAML.
        OSError: the file cannot be read.
    """
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RouteConfigError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(config, dict):
        raise RouteConfigError(f"{path}: expected a mapping at the top level")
    return build_route_table(config, entry_point=entry_point)
