"""boto3 and the AWS CLI against the reference server.

Usage: python boto3_client.py ENDPOINT STAGE_ARN
Exits non-zero, saying why, on the first expectation that fails.
"""
import json
import os
import subprocess
import sys
import urllib.request

import boto3
import botocore.exceptions
import jwt  # PyJWT, with cryptography for ES384

endpoint, stage_arn = sys.argv[1:3]
# The key the server publishes, as a client of it would fetch it.
public_key = urllib.request.urlopen(endpoint + "/public-key.pem").read().decode()
session = boto3.session.Session(
    aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", region_name="us-west-2"
)
client = session.client("ivs-realtime", endpoint_url=endpoint)


def check(cond, what):
    if not cond:
        print("FAILED: " + what, file=sys.stderr)
        sys.exit(1)


# A valid call: a token that verifies against the published key.
out = client.create_participant_token(stageArn=stage_arn, userId="bob", duration=30, attributes={"team": "red"})
tok = out["participantToken"]
check(tok["userId"] == "bob" and tok["duration"] == 30, "echoed members: %r" % {k: v for k, v in tok.items() if k != "token"})
check(tok["capabilities"] == ["PUBLISH", "SUBSCRIBE"], "default capabilities")
check(hasattr(tok["expirationTime"], "year"), "expirationTime parsed as a datetime")
claims = jwt.decode(tok["token"], public_key, algorithms=["ES384"])
check(claims["jti"] == tok["participantId"], "jti = participantId")
check(claims["attributes"] == {"team": "red"}, "attributes claim")

# An invalid call surfaces as the modeled ValidationException. botocore checks minimums
# itself, so send a value only the server refuses (over the maximum).
try:
    client.create_participant_token(stageArn=stage_arn, duration=20161)
    check(False, "duration 20161 accepted")
except client.exceptions.ValidationException as e:
    # botocore reads Error.Message from "message"/"Message" only; the model's member
    # exceptionMessage arrives as a modeled member of the response instead.
    check("duration" in e.response.get("exceptionMessage", ""), "exceptionMessage names duration: %r" % e.response)
    check(e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, "status 400")

# An unknown stage is ResourceNotFoundException.
try:
    client.create_participant_token(stageArn="arn:aws:ivs:us-west-2:123456789012:stage/nope")
    check(False, "unknown stage accepted")
except client.exceptions.ResourceNotFoundException:
    pass

# A wrong secret is an authentication error.
bad = boto3.session.Session(
    aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="wrong", region_name="us-west-2"
).client("ivs-realtime", endpoint_url=endpoint)
try:
    bad.create_participant_token(stageArn=stage_arn)
    check(False, "wrong secret accepted")
except botocore.exceptions.ClientError as e:
    check(e.response["Error"]["Code"] == "InvalidSignatureException", "error code %r" % e.response["Error"]["Code"])
    check(e.response["ResponseMetadata"]["HTTPStatusCode"] == 403, "status 403")

# The AWS CLI, with the same endpoint override.
env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret", AWS_DEFAULT_REGION="us-west-2")
aws = os.path.join(os.path.dirname(sys.executable), "aws")
r = subprocess.run(
    [aws, "ivs-realtime", "create-participant-token", "--endpoint-url", endpoint, "--stage-arn", stage_arn,
     "--capabilities", "SUBSCRIBE", "--output", "json"],
    env=env, capture_output=True, text=True,
)
check(r.returncode == 0, "aws cli: " + r.stderr)
cli = json.loads(r.stdout)["participantToken"]
check(cli["capabilities"] == ["SUBSCRIBE"], "cli capabilities")
jwt.decode(cli["token"], public_key, algorithms=["ES384"])
r = subprocess.run(
    [aws, "ivs-realtime", "create-participant-token", "--endpoint-url", endpoint, "--stage-arn", stage_arn,
     "--duration", "20161"],
    env=env, capture_output=True, text=True,
)
check(r.returncode != 0 and "ValidationException" in r.stderr, "aws cli validation: " + r.stderr)
print("boto3 and aws cli: all expectations met")
