"""The Python functions on every golden case that applies to models: the same verdicts
as the Rust core gives (the `ivs-conformance validate` command, when the binary is at
hand), and the cases' expectations."""

from __future__ import annotations

import json
import subprocess
from typing import Any, Dict

import pytest

import ivs_participant_token as ipt
from conftest import STAGE, body_of, conformance_bin, model_cases

CASES = model_cases()


def test_there_are_cases_to_run() -> None:
    assert len(CASES) > 150, len(CASES)


def _path(v: Any) -> str:
    return v if isinstance(v, str) else v["path"]


def _assert_expectations(verdict: Dict[str, Any], expect: Dict[str, Any], response: bool) -> None:
    if response:
        if "conforms" in expect:
            assert verdict["valid"] == expect["conforms"], verdict
    elif "status" in expect:
        assert (200 if verdict["valid"] else 400) == expect["status"], verdict
    if "errorType" in expect:
        assert verdict["error"] == expect["errorType"], verdict
    if "violations" in expect and verdict.get("violations"):
        # The Python verdict names items as the core does; the cases may name a list's
        # items at the list (AWS's collection form): compare at the list level then.
        got = sorted(v["path"] for v in verdict["violations"])
        want = sorted(_path(v) for v in expect["violations"])
        if got != want:
            assert sorted({p.rsplit("/", 1)[0] if p.rsplit("/", 1)[-1].isdigit() else p for p in got}) == sorted(set(want)), verdict
        for v in expect["violations"]:
            if isinstance(v, dict) and "constraint" in v:
                assert any(
                    g["constraint"] == v["constraint"] and g["path"].startswith(v["path"])
                    for g in verdict["violations"]
                ), (v, verdict)
    if "serialization" in expect:
        ser = verdict["serialization"]
        assert ser["kind"] == expect["serialization"]["kind"], verdict
        if "path" in expect["serialization"]:
            assert ser["path"] == expect["serialization"]["path"], verdict
    if "advisories" in expect and not response:
        assert sorted(a["path"] for a in verdict["advisories"]) == sorted(expect["advisories"]), verdict
    if "effective" in expect and verdict.get("effective") is not None:
        for key, value in expect["effective"].items():
            got = _effective_at(verdict["effective"], key)
            if isinstance(value, list) and isinstance(got, list):
                # Lists are compared as sets, as the Rust runner does (capabilities).
                got, value = sorted(map(json.dumps, got)), sorted(map(json.dumps, value))
            assert got == value, (key, verdict)


def _effective_at(effective: Dict[str, Any], key: str) -> Any:
    """What a case's ``effective`` key names in the verdict's effective request: a member
    of CreateParticipantToken's; for CreateStage's flat keys (``participantTokens`` and
    ``participantTokens/N/member`` of the tokens asked for, ``stage/name``,
    ``stage/tags``), the configurations and members the stage is asked with."""
    configs = effective.get("participantTokenConfigurations") or []
    if key == "participantTokens":
        return len(configs)
    if key.startswith("participantTokens/"):
        _, index, member = key.split("/")
        return configs[int(index)].get(member) if int(index) < len(configs) else None
    if key.startswith("stage/"):
        return effective.get(key.split("/", 1)[1])
    return effective.get(key)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: Dict[str, Any]) -> None:
    response = "response" in case
    message = case["response"] if response else case["request"]
    if response and message.get("status", 200) != 200:
        pytest.skip("an error response: the Python functions check 200 bodies only")
    body = body_of(message)
    operation = case["operation"]
    check_of = ipt.check_response if response else ipt.check_request

    def check(b: Any) -> Dict[str, Any]:
        return check_of(b, operation)

    verdict = check(body)
    _assert_expectations(verdict, case.get("expect", {}), response)
    # bytearray, memoryview and str give the same verdict as bytes.
    assert check(bytearray(body)) == verdict
    assert check(memoryview(body)) == verdict
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        assert check(text) == verdict
    # The Rust CLI gives the same verdict on the same bytes.
    binary = conformance_bin()
    if binary is not None:
        args = [binary, "validate", "--operation", operation] + (["--response"] if response else [])
        out = subprocess.run(args, input=body, capture_output=True, check=False)
        assert json.loads(out.stdout) == verdict


def test_a_dict_is_encoded_as_botocore_sends_it() -> None:
    params = {"stageArn": STAGE, "duration": 20161, "capabilities": ["PUBLISH", "X"]}
    verdict = ipt.check_request(params)
    assert verdict["valid"] is False
    assert [v["path"] for v in verdict["violations"]] == ["/duration", "/capabilities/1"]
    ok = ipt.check_request({"stageArn": STAGE, "attributes": {"k": "v"}})
    assert ok["valid"] is True and ok["effective"]["duration"] == 720


def test_bodies_of_other_types_are_type_errors() -> None:
    with pytest.raises(TypeError):
        ipt.check_request(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="set cannot be sent as JSON"):
        ipt.check_request({"stageArn": STAGE, "capabilities": {"PUBLISH"}})


def test_hostile_bodies_get_verdicts_not_exceptions() -> None:
    # A str with a lone surrogate has no UTF-8 form: invalid UTF-8, as its bytes are.
    verdict = ipt.check_request('{"userId": "\ud800"}')
    assert verdict["serialization"]["kind"] == "invalidUtf8"
    # A dict nested far beyond json.dumps's recursion (and a cyclic one) is too deep,
    # exactly as the same body sent as bytes would be.
    deep: Dict[str, Any] = {}
    inner = deep
    for _ in range(5000):
        inner["a"] = {}
        inner = inner["a"]
    verdict = ipt.check_request(deep)
    assert verdict["serialization"]["kind"] == "tooDeep"
    as_bytes = ipt.check_request(json.dumps(ipt._clip(deep)).encode())
    assert as_bytes == verdict
    cyclic: Dict[str, Any] = {"stageArn": STAGE}
    cyclic["self"] = cyclic
    assert ipt.check_request(cyclic)["serialization"]["kind"] == "tooDeep"
    # Within Python's own limits, clipping changes nothing.
    shallow = {"stageArn": STAGE, "x": [[[[1]]]]}
    assert ipt._clip(shallow) == shallow
    # 200,000 unknown capabilities: a bounded report, the rest counted.
    verdict = ipt.check_request({"stageArn": STAGE, "capabilities": ["x"] * 200_000})
    assert len(verdict["violations"]) == 101
    assert verdict["omitted"]["violations"] == 200_000 - 100
    assert len(json.dumps(verdict)) < 100_000


def test_a_response_verdict_never_carries_the_token() -> None:
    body = json.dumps({"participantToken": {"token": "secret.token.value", "participantId": "x"}})
    verdict = ipt.check_response(body)
    assert verdict["valid"] is False
    assert "secret.token.value" not in json.dumps(verdict)


def test_the_version_is_the_crates() -> None:
    assert ipt.__version__.count(".") == 2


def test_the_module_docstring_example_runs() -> None:
    import doctest

    failures, tried = doctest.testmod(ipt)
    assert tried >= 1 and failures == 0
