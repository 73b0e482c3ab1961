"""Static types: mypy, strict, over ``libs/common``, the gateway and every service's ``src``.

The configuration (strictness, the pydantic plugin, which folders, which untyped
third-party packages are tolerated) is ``[tool.mypy]`` in the root ``pyproject.toml``;
this test only runs it, so ``make test`` fails on a type error like on any other.
mypy keeps its incremental cache in ``.mypy_cache`` (git-ignored): a run after a small
change rechecks only what the change touches.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_strict_passes():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--show-error-codes"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, (
        f"mypy found type errors (exit {result.returncode}):\n{result.stdout}{result.stderr}"
    )
