"""The repository explains itself: its docs exist, link correctly, and point nowhere outside it.

A newcomer has only a clone. So no tracked file may send them to a folder beside the
repository (``../shared``) or to design files that are not in it (``DESIGN.md``,
``STYLE.md``); the documents under ``docs/`` must be there and say something; their
relative links and ``#anchors`` must resolve; and every ``docs/<name>.md`` named anywhere
must exist.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
THIS_FILE = Path(__file__).resolve().relative_to(ROOT).as_posix()
DOCS = ROOT / "docs"

#: The documents a newcomer starts from (docs/README.md indexes them).
CORE_DOCS = ("architecture", "api", "events", "conventions")
#: Below this a "document" is a stub, not an explanation.
MIN_CHARS = 3000

#: A relative path climbing to a folder named ``shared`` (``../shared``, ``../../shared/x``).
SHARED_PATH = re.compile(r"(?:\.\./)+shared\b")
#: Design files that live outside the repository.
OUTSIDE_DOCS = re.compile(r"\b(?:DESIGN|STYLE)\.md\b")
#: A reference to a document under docs/.
DOCS_REFERENCE = re.compile(r"\bdocs/([A-Za-z0-9_-]+\.md)\b")
#: A Markdown link or image target: ``](target)``.
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _tracked_texts() -> list[tuple[str, str]]:
    """(path, text) of every tracked text file that exists in the working tree."""
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    out = []
    for rel in filter(None, listing.split("\0")):
        path = ROOT / rel
        if rel == THIS_FILE or not path.is_file():
            continue  # a file deleted in the working tree is not read by anyone
        data = path.read_bytes()
        if b"\0" in data:
            continue  # binary
        out.append((rel, data.decode("utf-8", errors="replace")))
    return out


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _leaves_repository(rel: str, target: str) -> bool:
    """Whether ``target``, relative to the folder of ``rel``, resolves outside the repo.

    ``../../shared/ui/button`` inside ``admin-ui/src/app/domains/x/feature-y/`` is the
    admin UI's own ``domains/shared`` folder; ``../shared`` from the root is not ours.
    """
    resolved = os.path.normpath(os.path.join(os.path.dirname(rel), target))
    return resolved == ".." or resolved.startswith("../")


def _found(pattern: re.Pattern[str]) -> Iterator[tuple[str, int, re.Match[str]]]:
    """Every match of ``pattern`` in the tracked files: (file, line, match)."""
    for rel, text in _tracked_texts():
        for m in pattern.finditer(text):
            yield rel, _line(text, m.start()), m


def test_no_tracked_file_points_to_the_shared_folder_outside_the_repository():
    hits = [f"{rel}:{line}: {m.group(0)}" for rel, line, m in _found(SHARED_PATH)
            if _leaves_repository(rel, m.group(0))]
    assert hits == [], "references to ../shared (outside the repository):\n" + "\n".join(hits)


def test_no_tracked_file_names_design_files_that_are_not_in_the_repository():
    hits = [f"{rel}:{line}: {m.group(0)}" for rel, line, m in _found(OUTSIDE_DOCS)]
    assert hits == [], "point to docs/*.md instead:\n" + "\n".join(hits)


def test_every_referenced_docs_file_exists():
    missing = [f"{rel}:{line}: docs/{m.group(1)}" for rel, line, m in _found(DOCS_REFERENCE)
               if not (DOCS / m.group(1)).is_file()]
    assert missing == [], "references to documents that do not exist:\n" + "\n".join(missing)


@pytest.mark.parametrize("name", CORE_DOCS)
def test_core_document_exists_and_says_something(name):
    path = DOCS / f"{name}.md"
    assert path.is_file(), f"docs/{name}.md is missing"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# "), f"docs/{name}.md should open with a title"
    assert len(text) >= MIN_CHARS, f"docs/{name}.md has only {len(text)} characters"
    assert text.count("\n## ") >= 3, f"docs/{name}.md should have sections"


def test_docs_index_lists_every_document():
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"\]\(([A-Za-z0-9_-]+\.md)\)", index))
    present = {p.name for p in DOCS.glob("*.md")} - {"README.md"}
    assert present - listed == set(), "docs/README.md does not list these"
    assert listed - present == set(), "docs/README.md lists documents that do not exist"


def _anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    anchors = set()
    for heading in re.findall(r"^#+\s+(.+?)\s*$", markdown, flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


@pytest.mark.parametrize("doc", sorted(p.name for p in DOCS.glob("*.md")))
def test_relative_links_in_docs_resolve(doc):
    path = DOCS / doc
    broken = [
        target
        for target in MARKDOWN_LINK.findall(path.read_text(encoding="utf-8"))
        if not re.match(r"[a-z]+:", target)  # http(s):, mailto: are not checked offline
        and not _resolves(path, target)
    ]
    assert broken == [], f"docs/{doc}: broken links {broken}"


def _resolves(source: Path, target: str) -> bool:
    """Whether a relative link from ``source`` names an existing file (and heading)."""
    file_part, _, anchor = target.partition("#")
    linked = (source.parent / file_part).resolve() if file_part else source
    if not linked.exists():
        return False
    if anchor and linked.suffix == ".md":
        return anchor in _anchors(linked.read_text(encoding="utf-8"))
    return True
