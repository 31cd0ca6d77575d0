"""Shared fixtures: the golden cases, and the reference server for the boto3 tests."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
from typing import Any, Dict, Iterator, List

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CASES = pathlib.Path(os.environ.get("IVS_CASES_DIR", ROOT / "conformance" / "cases"))
STAGE = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234"
VARIABLES = {
    "stageArn": STAGE,
    "unknownStageArn": "arn:aws:ivs:us-west-2:123456789012:stage/doesNotExist0",
}


def model_cases() -> List[Dict[str, Any]]:
    """Every case of conformance/cases that applies to models, as the Rust runner loads
    them (sorted by file name, in file order)."""
    out = []
    for path in sorted(CASES.glob("*.json")):
        doc = json.loads(path.read_text())
        default = doc.get("defaults", {}).get("operation", "CreateParticipantToken")
        for case in doc["cases"]:
            if "model" in case["appliesTo"]:
                out.append(dict(case, operation=case.get("operation", default)))
    return out


def substitute(text: str) -> str:
    for name, value in VARIABLES.items():
        text = text.replace("{{" + name + "}}", value)
    return text


def body_of(message: Dict[str, Any]) -> bytes:
    if "bodyHex" in message:
        return bytes.fromhex(substitute(message["bodyHex"]))
    return substitute(message.get("body", "")).encode("utf-8")


def conformance_bin() -> str | None:
    explicit = os.environ.get("IVS_CONFORMANCE_BIN")
    if explicit:
        return explicit
    for profile in ("release", "debug"):
        candidate = ROOT / "target" / profile / "ivs-conformance"
        if candidate.exists():
            return str(candidate)
    return shutil.which("ivs-conformance")


@pytest.fixture(scope="session")
def reference_server() -> Iterator[str]:
    """`ivs-conformance serve` on a free port, with its default stage; its URL."""
    binary = conformance_bin()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("CI must build ivs-conformance (IVS_CONFORMANCE_BIN)")
        pytest.skip("no ivs-conformance binary: build it or set IVS_CONFORMANCE_BIN")
    proc = subprocess.Popen(
        [binary, "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    assert first.startswith("listening on "), first
    try:
        yield first[len("listening on "):]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
