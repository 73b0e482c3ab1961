"""axe-core in the browser tests: WCAG 2.1 AA on the page shown, every violation listed.

Both web apps' Content-Security-Policies allow scripts from their own origin only, so an
inline ``<script>`` would be refused; axe's source is given to ``add_script_tag`` as a file
of the page's own origin instead: the request for it is answered in the browser (a
Playwright route, there only while the tag loads) and never reaches the gateway.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

#: The rules axe runs: WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def assert_accessible(page: Page, *, axe_js: Path, script_url: str, where: str) -> None:
    """Run axe on ``page``; fail listing every violation.

    ``axe_js`` is the app's own ``node_modules/axe-core/axe.min.js`` (its ``npm ci``
    installs it); ``script_url`` is an unused address of the page's origin to serve it at.
    """
    assert axe_js.exists(), f"axe-core is missing: npm ci in {axe_js.parents[2]}"
    if not page.evaluate("typeof window.axe === 'object'"):
        page.route(script_url, lambda route: route.fulfill(
            path=str(axe_js), content_type="text/javascript"))
        try:
            page.add_script_tag(url=script_url)
        finally:
            page.unroute(script_url)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
            f"    {' '.join(node['target'])}: {node['failureSummary']}"
            for node in v["nodes"])
        for v in result["violations"]
    ]
    assert not problems, f"axe on {where}:\n" + "\n".join(problems)
