"""Check Amazon IVS Real-Time CreateParticipantToken and CreateStage bodies against every
documented constraint, with the Rust crate ``ivs-participant-token``, and stop invalid
boto3 calls before they are sent.

>>> import ivs_participant_token as ipt
>>> ipt.check_request({"stageArn": "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234"})["valid"]
True

``check_request`` and ``check_response`` return the verdict as the ``ivs-conformance
validate`` command prints it (``valid``, ``error``, ``message``, ``violations``,
``advisories``, ``effective``, and ``serialization`` for a malformed body), as a dict.
``operation="CreateStage"`` checks a CreateStage body instead (its token configurations
under CreateParticipantToken's very rules). ``install(client)`` makes a boto3/botocore
``ivs-realtime`` client raise ``InvalidRequest`` for an invalid CreateParticipantToken or
CreateStage call before the request is built.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Union

from ._native import MAX_JSON_DEPTH, __version__, verdict_json

__all__ = [
    "Body",
    "InvalidRequest",
    "check_request",
    "check_response",
    "install",
    "EVENT",
    "EVENTS",
    "OPERATIONS",
    "__version__",
]

#: What the check functions accept: the bytes of a body, its text, or the parameters as
#: a dict (encoded as JSON, as botocore sends them).
Body = Union[bytes, bytearray, memoryview, str, Dict[str, Any]]

#: The operations whose bodies the package checks.
OPERATIONS = ("CreateParticipantToken", "CreateStage")

#: The botocore events ``install`` registers on, one per operation.
EVENTS = tuple(f"before-parameter-build.ivs-realtime.{op}" for op in OPERATIONS)

#: The first of ``EVENTS``: CreateParticipantToken's.
EVENT = EVENTS[0]

_HANDLER_ID = "ivs_participant_token.check_request"


def _unencodable(value: Any) -> Any:
    raise TypeError(f"a {type(value).__name__} cannot be sent as JSON")


def _clip(value: Any, depth: int = 1) -> Any:
    """``value`` with every dict or list nested deeper than one level past the reader's
    limit emptied. The reader refuses a body at its first level too deep, and what lies
    beyond that point cannot change where or how, so the verdict is the same; but
    ``json.dumps`` of a 5,000-deep (or cyclic) dict would raise instead of encoding."""
    if isinstance(value, dict):
        if depth > MAX_JSON_DEPTH + 1:
            return {}
        return {k: _clip(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if depth > MAX_JSON_DEPTH + 1:
            return []
        return [_clip(v, depth + 1) for v in value]
    return value


def _encode(body: Body) -> bytes:
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    if isinstance(body, str):
        # A lone surrogate has no UTF-8 form: its bytes are kept as they are, which the
        # reader refuses as invalid UTF-8 (a verdict, as for any malformed body).
        return body.encode("utf-8", "surrogatepass")
    if isinstance(body, dict):
        return json.dumps(_clip(body), default=_unencodable).encode("utf-8")
    raise TypeError(
        f"a body is bytes, str or dict, not {type(body).__name__}"
    )


def check_request(body: Body, operation: str = "CreateParticipantToken") -> Dict[str, Any]:
    """The verdict on a request body of ``operation`` (``CreateParticipantToken`` or
    ``CreateStage``; another raises ``ValueError``). Never raises for bad content (a malformed body is a verdict: a ``str`` with a lone surrogate is invalid
    UTF-8, a dict nested too deep, or in a cycle, is ``tooDeep``); raises ``TypeError``
    for a body of another type or a dict holding a value JSON cannot carry (bytes, a set,
    a key that is not a string or number)."""
    return json.loads(verdict_json(_encode(body), False, operation))


def check_response(body: Body, operation: str = "CreateParticipantToken") -> Dict[str, Any]:
    """The verdict on a 200 response body of ``operation``; a token never appears in it."""
    return json.loads(verdict_json(_encode(body), True, operation))


class InvalidRequest(ValueError):
    """A request that breaks its operation's constraints, stopped before it was sent.
    ``verdict`` is what ``check_request`` returned, ``operation`` the operation's name."""

    def __init__(self, verdict: Dict[str, Any], operation: str = "CreateParticipantToken") -> None:
        self.verdict: Dict[str, Any] = verdict
        self.operation: str = operation
        super().__init__(
            f"{operation} was not sent: {verdict.get('error')}: {verdict.get('message')}"
        )

    @property
    def violations(self) -> List[Dict[str, Any]]:
        """Every failed constraint: ``path`` (a JSON pointer), ``constraint``, ``message``."""
        return list(self.verdict.get("violations", []))


def _check_params(params: Dict[str, Any], model: Any = None, **_: Any) -> None:
    operation = getattr(model, "name", None) or "CreateParticipantToken"
    verdict = check_request(params, operation)
    if not verdict["valid"]:
        raise InvalidRequest(verdict, operation)


def install(client: Any) -> Any:
    """Registers the check on a boto3 or botocore ``ivs-realtime`` client's
    ``before-parameter-build`` events for CreateParticipantToken and CreateStage, so that an
    invalid call raises ``InvalidRequest`` with every violation before the request is
    built. Installing twice registers once. Returns the client."""
    for event, operation in zip(EVENTS, OPERATIONS):
        client.meta.events.register(event, _check_params, unique_id=f"{_HANDLER_ID}.{operation}")
    return client
