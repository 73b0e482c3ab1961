"""The admin UI and customer portal builds, served as files in development.

In production ``portal`` and ``admin`` are small web-server containers behind Traefik; in
development the gateway serves their build folders itself, after the routers'
middlewares ran (so the admin UI sees paths with ``/admin`` stripped, as its container
would). The admin UI is a single-page app: an unknown path that looks like a page (no
file extension) gets ``index.html`` so the Angular router can take it; a missing asset
stays a 404. Until a folder has been built, a small page says what the platform is and
where its API docs are.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from mubayiro.common.errors import error_body
from mubayiro.gateway.routes import Target


class StaticSite:
    """One build folder served at the path the routers leave."""

    def __init__(self, name: str, directory: Path, *, spa: bool, build_hint: str,
                 docs_services: Sequence[str]):
        self.name = name
        self.directory = directory
        self.spa = spa
        self.build_hint = build_hint
        self.docs_services = tuple(docs_services)
        # check_dir=False: the folder may be built while the gateway runs.
        self.files = StaticFiles(directory=directory, html=True, check_dir=False)

    @property
    def built(self) -> bool:
        """Whether the folder holds a build (an ``index.html``)."""
        return (self.directory / "index.html").is_file()

    async def __call__(self, scope: Scope, receive: Receive, send: Send, target: Target) -> None:
        """Answer ``target`` (already through the router's middlewares) from the folder."""
        response = await self._response(scope, target)
        await response(scope, receive, send)

    async def _response(self, scope: Scope, target: Target) -> Response:
        if target.method not in ("GET", "HEAD"):
            return JSONResponse(
                error_body("Method Not Allowed", "MethodNotAllowed"),
                status_code=405,
                headers={"Allow": "GET, HEAD"},
            )
        if not self.built:
            if self.spa or target.path in ("/", "/index.html"):
                return HTMLResponse(self.placeholder())
            return _not_found()
        # StaticFiles reads the path below root_path; giving it the full public path
        # (prefix included) keeps the redirects it makes for folders correct.
        prefix = target.stripped_prefix
        sub_scope = {
            **scope,
            "path": prefix + target.path,
            "raw_path": (prefix + target.raw_path).encode("ascii"),
            "root_path": prefix,
        }
        try:
            return await self.files.get_response(self.files.get_path(sub_scope), sub_scope)
        except HTTPException as exc:
            if exc.status_code == 404 and self.spa and _looks_like_page(target.path):
                return FileResponse(
                    self.directory / "index.html", headers={"Cache-Control": "no-cache"}
                )
            if exc.status_code == 404:
                return _not_found()
            return JSONResponse(error_body(str(exc.detail), "HTTPError"),
                                status_code=exc.status_code, headers=exc.headers)

    def placeholder(self) -> str:
        """The page shown until the folder has been built."""
        what = "admin app" if self.spa else "customer portal"
        links = "\n".join(
            f'      <li><a href="/docs/{html.escape(s)}">/docs/{html.escape(s)}</a></li>'
            for s in self.docs_services
        )
        return _PLACEHOLDER.format(
            what=html.escape(what),
            folder=html.escape(str(self.directory)),
            hint=html.escape(self.build_hint),
            links=links,
        )


def _looks_like_page(path: str) -> bool:
    # `/customers/42` is a page of the app; `/main-3f2a.js` is a file that is not there.
    return "." not in path.rsplit("/", 1)[-1]


def _not_found() -> JSONResponse:
    return JSONResponse(error_body("Not Found", "NotFound"), status_code=404)


_PLACEHOLDER = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Mubayiro loyalty platform</title>
  <style>
    body {{ font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto;
           padding: 0 1rem; line-height: 1.5; color: #1f2937; }}
    h1 {{ color: #065f46; }}
    code {{ background: #f3f4f6; padding: 0.1rem 0.3rem; border-radius: 0.2rem; }}
  </style>
</head>
<body>
  <h1>Mubayiro</h1>
  <p><em>Mubayiro</em> (Shona for "reward") is a coalition loyalty platform: many small
     businesses, one points balance per customer, identified by phone number alone.
     Businesses award and redeem points; customers check them on the web, by SMS or by
     chatting with an assistant.</p>
  <p>The gateway is running, but the {what} has not been built yet
     (<code>{folder}</code> is missing). Build it with <code>{hint}</code>.</p>
  <h2>Meanwhile</h2>
  <ul>
    <li><a href="/healthz">/healthz</a> &mdash; the gateway is alive</li>
    <li><a href="/readyz">/readyz</a> &mdash; is every service ready?</li>
  </ul>
  <p>API documentation of each service:</p>
  <ul>
{links}
  </ul>
</body>
</html>
"""
