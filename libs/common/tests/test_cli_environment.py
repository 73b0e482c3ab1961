"""A service refuses to start unless its environment is set explicitly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_a_service_without_an_explicit_environment_refuses_to_start(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTS_")}
    env["REPORTS_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "mubayiro.reports"], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1
    assert "set REPORTS_ENVIRONMENT to development, test or production" in done.stderr
    # Nothing was served, nothing was created.
    assert not (tmp_path / "reports.db").exists()
