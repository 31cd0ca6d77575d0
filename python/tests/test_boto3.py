"""boto3 with `install`: invalid parameters never leave the process, with every violation
in the exception; valid ones get a token from the reference server."""

from __future__ import annotations

import socket
from typing import Iterator, Tuple

import pytest

import ivs_participant_token as ipt
from conftest import STAGE

boto3 = pytest.importorskip("boto3", reason="boto3 is not installed in this venv")


def _client(endpoint: str):
    return boto3.client(
        "ivs-realtime",
        endpoint_url=endpoint,
        region_name="us-west-2",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=boto3.session.Config(retries={"max_attempts": 1}),
    )


@pytest.fixture()
def nobody() -> Iterator[Tuple[socket.socket, str]]:
    """A listening socket that the calls under test must never reach."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    try:
        yield sock, f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


def _assert_unreached(sock: socket.socket) -> None:
    with pytest.raises(BlockingIOError):
        sock.accept()


def test_invalid_parameters_never_reach_the_network(nobody) -> None:
    sock, url = nobody
    client = ipt.install(_client(url))
    with pytest.raises(ipt.InvalidRequest) as caught:
        client.create_participant_token(
            stageArn=STAGE,
            duration=20161,
            capabilities=["PUBLISH", "SUBSCRIBE", "PUBLISH"],
            attributes={"k": "x" * 2048},
        )
    paths = [v["path"] for v in caught.value.violations]
    assert paths == ["/duration", "/attributes", "/capabilities"]
    assert caught.value.verdict["error"] == "ValidationException"
    assert str(caught.value).startswith("CreateParticipantToken was not sent: ValidationException")
    _assert_unreached(sock)


def test_installing_twice_registers_once(nobody) -> None:
    from botocore.hooks import HierarchicalEmitter
    from types import SimpleNamespace

    stub = SimpleNamespace(meta=SimpleNamespace(events=HierarchicalEmitter()))
    ipt.install(ipt.install(stub))
    answered = stub.meta.events.emit(ipt.EVENT, params={"stageArn": STAGE})
    assert [handler for handler, _ in answered] == [ipt._check_params]
    with pytest.raises(ipt.InvalidRequest):
        stub.meta.events.emit(ipt.EVENT, params={"stageArn": "not-an-arn"})
    # And on a real client, the one handler refuses before anything is sent.
    sock, url = nobody
    client = ipt.install(ipt.install(_client(url)))
    with pytest.raises(ipt.InvalidRequest) as caught:
        client.create_participant_token(stageArn="not-an-arn")
    assert [v["path"] for v in caught.value.violations] == ["/stageArn"]
    _assert_unreached(sock)


def test_other_operations_pass_through(reference_server: str) -> None:
    client = ipt.install(_client(reference_server))
    # GetStage is not checked here: it is sent, and answered, as it is.
    assert client.get_stage(arn=STAGE)["stage"]["arn"] == STAGE
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_stage(arn=STAGE.replace("abcdABCD1234", "nope"))


def test_an_invalid_create_stage_never_reaches_the_network(nobody) -> None:
    sock, url = nobody
    client = ipt.install(_client(url))
    with pytest.raises(ipt.InvalidRequest) as caught:
        client.create_stage(
            name="my room",
            participantTokenConfigurations=[{}, {"duration": 0, "userId": "u" * 129}],
        )
    paths = [v["path"] for v in caught.value.violations]
    assert paths == [
        "/name",
        "/participantTokenConfigurations/1/duration",
        "/participantTokenConfigurations/1/userId",
    ], paths
    assert caught.value.operation == "CreateStage"
    assert str(caught.value).startswith("CreateStage was not sent: ValidationException")
    _assert_unreached(sock)


def test_a_valid_create_stage_gets_its_stage_and_tokens(reference_server: str) -> None:
    client = ipt.install(_client(reference_server))
    created = client.create_stage(
        name="room-1", participantTokenConfigurations=[{"userId": "alice"}, {}]
    )
    tokens = created["participantTokens"]
    assert [t.get("userId") for t in tokens] == ["alice", None]
    body = {
        "stage": created["stage"],
        "participantTokens": [
            {**t, "expirationTime": t["expirationTime"].isoformat()} for t in tokens
        ],
    }
    verdict = ipt.check_response(body, "CreateStage")
    assert verdict["valid"], verdict
    client.delete_stage(arn=created["stage"]["arn"])


def test_an_unknown_operation_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="no operation"):
        ipt.check_request({}, "DeleteEverything")


def test_the_error_text_is_where_readme_says(reference_server: str) -> None:
    """README's emulator section: boto3 keeps the model's `exceptionMessage` at the top of
    the error response, and its `Error.Message` stays empty."""
    client = _client(reference_server)
    unknown = STAGE.replace("abcdABCD1234", "nope")
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.create_participant_token(stageArn=unknown)
    response = caught.value.response
    assert response["exceptionMessage"] == f"Stage not found: {unknown}"
    assert response["Error"]["Message"] == ""


def test_valid_parameters_get_a_token(reference_server: str) -> None:
    client = ipt.install(_client(reference_server))
    token = client.create_participant_token(
        stageArn=STAGE, userId="alice", capabilities=[]
    )["participantToken"]
    assert len(token["participantId"]) == 12
    assert token["capabilities"] == [] or "capabilities" not in token
    verdict = ipt.check_response(
        {"participantToken": {**token, "expirationTime": token["expirationTime"].isoformat()}}
    )
    assert verdict["valid"], verdict


def test_the_readme_example_runs_as_written(capsys) -> None:
    from conftest import ROOT

    readme = (ROOT / "python" / "README.md").read_text()
    block = readme.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(block, "python/README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in printed] == ["/duration", "/capabilities"], printed
