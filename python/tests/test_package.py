"""The wheel as installed: it carries the project's license text and says which license."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_wheel_carries_the_projects_license() -> None:
    dist = importlib.metadata.distribution("ivs-participant-token")
    licenses = [f for f in dist.files or [] if f.name == "LICENSE"]
    assert licenses, f"no LICENSE among {dist.files}"
    assert licenses[0].read_text() == (REPO / "LICENSE").read_text()
    assert dist.metadata["License-Expression"] == "Apache-2.0"
