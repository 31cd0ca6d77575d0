"""A first-draft CreateParticipantToken server, faulty on purpose, for the tests that
check how a failing run explains itself (conformance/tests/it/explains.rs).

Its faults, each one mistake an implementer makes:
- json.loads reads the body: NaN, duplicate members and the like pass;
- duration is checked for presence only, never its range;
- stageArn is never held to its pattern: a malformed ARN is looked up, and not found;
- attributes have no limit;
- expirationTime is written without a zone;
- validation messages are free text ("userId is too long");
- tokens are signed HS256 (FAULTY_ALG=none: not signed at all).

Usage: python3 faulty_server.py STAGE_ARN; prints "listening on http://127.0.0.1:PORT".
FAULTY_MESSAGES=aws writes its messages in AWS's form instead (only that changes);
FAULTY_EXPIRATION=zulu writes expirationTime with its zone.
FAULTY_CREATE_STAGE=1 adds a first-draft CreateStage: no limit on configurations, name,
tags or recording configuration, and its tokens in reverse order of their
configurations. Without it, CreateStage is not served (404).

python3 faulty_server.py --proxy URL is another server, faultless but for one thing: it
forwards every request to URL (the reference server) and rewrites the message of each
ValidationException into free text, naming no member.
"""

import base64
import datetime
import hashlib
import hmac
import http.server
import json
import math
import os
import secrets
import sys
import urllib.error
import urllib.request
import uuid

PROXY = sys.argv[2] if sys.argv[1] == "--proxy" else None
STAGE = sys.argv[1]
AWS_MESSAGES = os.environ.get("FAULTY_MESSAGES") == "aws"
ALG = os.environ.get("FAULTY_ALG", "HS256")
SECRET = b"not-a-secret"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(claims):
    header = b64(json.dumps({"alg": ALG, "typ": "JWT"}).encode())
    payload = b64(json.dumps(claims).encode())
    signing_input = f"{header}.{payload}".encode()
    if ALG == "none":
        return f"{header}.{payload}."
    sig = hmac.new(SECRET, signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(sig)}"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes: without this, Nagle's algorithm and the
    # client's delayed acknowledgement hold each answer for some 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def answer(self, status, body, error_type=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if error_type:
            self.send_header("X-Amzn-Errortype", error_type)
        self.end_headers()
        self.wfile.write(data)

    def invalid(self, member, free_text, aws_rule):
        if AWS_MESSAGES:
            message = (
                "1 validation error detected: Value at '/"
                + member
                + "' failed to satisfy constraint: "
                + aws_rule
            )
        else:
            message = free_text
        self.answer(400, {"exceptionMessage": message}, "ValidationException")

    def forward(self, raw):
        request = urllib.request.Request(PROXY + self.path, data=raw, method="POST")
        for name in ("Content-Type", "Authorization", "X-Amz-Date"):
            if self.headers.get(name):
                request.add_header(name, self.headers[name])
        try:
            with urllib.request.urlopen(request) as r:
                status, headers, body = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, headers, body = e.code, e.headers, e.read()
        if headers.get("X-Amzn-Errortype", "").startswith("ValidationException"):
            body = json.dumps({"exceptionMessage": "The request is not valid."}).encode()
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "connection", "date", "server"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def create_stage(self, raw):
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self.answer(400, {"exceptionMessage": "bad JSON"}, "SerializationException")
            return
        if not isinstance(body, dict):
            self.answer(400, {"exceptionMessage": "bad JSON"}, "SerializationException")
            return
        arn = "arn:aws:ivs:us-west-2:123456789012:stage/" + "".join(
            secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(12)
        )
        now = int(datetime.datetime.now(datetime.timezone.utc).timestamp())
        tokens = []
        for config in body.get("participantTokenConfigurations") or []:
            config = config if isinstance(config, dict) else {}
            duration = config.get("duration") or 720
            capabilities = config.get("capabilities")
            if capabilities is None:
                capabilities = ["PUBLISH", "SUBSCRIBE"]
            participant_id = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(12))
            claims = {
                "exp": now + int(duration) * 60,
                "iat": now,
                "jti": participant_id,
                "resource": arn,
                "topic": arn.rsplit("/", 1)[-1],
                "events_url": "wss://global.events.live-video.net",
                "whip_url": "https://global.whip.live-video.net",
                "capabilities": {
                    "allow_publish": "PUBLISH" in capabilities,
                    "allow_subscribe": "SUBSCRIBE" in capabilities,
                },
                "attributes": config.get("attributes") or {},
                "version": "1.0",
            }
            issued = {
                "token": token(claims),
                "participantId": participant_id,
                "duration": duration,
                "capabilities": capabilities,
                "attributes": config.get("attributes") or {},
            }
            if config.get("userId") is not None:
                claims["user_id"] = config["userId"]
                issued["userId"] = config["userId"]
                issued["token"] = token(claims)
            tokens.append(issued)
        # The fault: the tokens in reverse order.
        tokens.reverse()
        stage = {"arn": arn}
        if body.get("name") is not None:
            stage["name"] = body["name"]
        self.answer(200, {"stage": stage, "participantTokens": tokens})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if PROXY:
            self.forward(raw)
            return
        if self.path == "/CreateStage" and os.environ.get("FAULTY_CREATE_STAGE") == "1":
            self.create_stage(raw)
            return
        if self.path == "/DeleteStage" and os.environ.get("FAULTY_CREATE_STAGE") == "1":
            self.answer(200, {})
            return
        if self.path != "/CreateParticipantToken":
            self.answer(404, {"exceptionMessage": "no such route"}, "ResourceNotFoundException")
            return
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self.answer(400, {"exceptionMessage": "bad JSON"}, "SerializationException")
            return
        if not isinstance(body, dict):
            self.answer(400, {"exceptionMessage": "bad JSON"}, "SerializationException")
            return
        arn = body.get("stageArn")
        if not isinstance(arn, str):
            self.invalid("stageArn", "stageArn is required", "Member must not be null")
            return
        user_id = body.get("userId")
        if isinstance(user_id, str) and len(user_id) > 128:
            self.invalid(
                "userId",
                "userId is too long",
                "Member must have length less than or equal to 128",
            )
            return
        capabilities = body.get("capabilities")
        if capabilities is None:
            capabilities = ["PUBLISH", "SUBSCRIBE"]
        if not isinstance(capabilities, list) or any(
            c not in ("PUBLISH", "SUBSCRIBE") for c in capabilities
        ):
            self.invalid(
                "capabilities",
                "capabilities are wrong",
                "Member must satisfy enum value set: [PUBLISH, SUBSCRIBE]",
            )
            return
        if arn != STAGE:
            self.answer(
                404,
                {"exceptionMessage": "Stage not found"},
                "ResourceNotFoundException",
            )
            return
        duration = body.get("duration")
        # The fault: NaN and Infinity (which json.loads reads) pass as the default.
        if duration is None or (isinstance(duration, float) and not math.isfinite(duration)):
            duration = 720
        attributes = body.get("attributes") or {}
        try:
            exp_minutes = int(duration)
        except (TypeError, ValueError):
            self.answer(400, {"exceptionMessage": "bad duration"}, "SerializationException")
            return
        now = int(datetime.datetime.now(datetime.timezone.utc).timestamp())
        exp = now + exp_minutes * 60
        participant_id = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(12))
        claims = {
            "exp": exp,
            "iat": now,
            "jti": participant_id,
            "resource": arn,
            "topic": arn.rsplit("/", 1)[-1],
            "events_url": "wss://global.events.live-video.net",
            "whip_url": "https://global.whip.live-video.net",
            "capabilities": {
                "allow_publish": "PUBLISH" in capabilities,
                "allow_subscribe": "SUBSCRIBE" in capabilities,
            },
            "attributes": attributes,
            "version": "1.0",
        }
        if user_id is not None:
            claims["user_id"] = user_id
        issued = {
            "token": token(claims),
            "participantId": participant_id,
            "duration": duration,
            "capabilities": capabilities,
            "attributes": attributes,
            # The fault: a local date-time, no zone.
            "expirationTime": datetime.datetime.utcfromtimestamp(exp).strftime("%Y-%m-%dT%H:%M:%S")
            + ("Z" if os.environ.get("FAULTY_EXPIRATION") == "zulu" else ""),
        }
        if user_id is not None:
            issued["userId"] = user_id
        self.answer(200, {"participantToken": issued})


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
