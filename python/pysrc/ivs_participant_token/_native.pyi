"""Type hints of the native module (Rust, PyO3)."""

__version__: str
#: The deepest nesting of arrays and objects the reader takes (the constraint table's).
MAX_JSON_DEPTH: int

def verdict_json(
    body: bytes, response: bool = False, operation: str = "CreateParticipantToken"
) -> str:
    """The verdict on a request body, or a 200 response body when ``response``, of
    ``operation`` (``CreateParticipantToken`` or ``CreateStage``; another raises
    ``ValueError``), as the JSON the ``ivs-conformance validate`` command prints."""
    ...
