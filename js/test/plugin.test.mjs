// The plugin with the real @aws-sdk/client-ivs-realtime: an invalid call throws with every
// violation while a listening socket accepts nothing; a valid one gets a token from
// `ivs-conformance serve`; another command passes through; `checkResponses` catches a
// non-conforming 200 of a fake server.
import { spawn } from "node:child_process";
import { createServer as createHttpServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { CreateParticipantTokenCommand, GetStageCommand, IVSRealTimeClient } from "@aws-sdk/client-ivs-realtime";
import { InconsistentResponseError, InvalidRequestError, validateBeforeSend } from "../dist/esm/index.js";
import { cli } from "./cli.mjs";

const ARN = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

let serve;
let serveUrl;

before(async () => {
  serve = spawn(cli(), ["serve", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  serveUrl = await new Promise((resolve, reject) => {
    let text = "";
    serve.stdout.on("data", (d) => {
      text += d;
      const m = /listening on (http:\/\/\S+)/.exec(text);
      if (m) resolve(m[1]);
    });
    serve.on("exit", (code) => reject(new Error(`serve exited with ${code}`)));
  });
});

after(() => serve?.kill());

function client(endpoint, options) {
  const c = new IVSRealTimeClient({ region: "us-west-2", endpoint, credentials, maxAttempts: 1 });
  c.middlewareStack.use(validateBeforeSend(options));
  return c;
}

test("an invalid call throws every violation and nothing reaches the socket", async () => {
  let connections = 0;
  const sock = createTcpServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise((r) => sock.listen(0, "127.0.0.1", r));
  const c = client(`http://127.0.0.1:${sock.address().port}`);
  const input = { stageArn: "arn:aws:ivs:us-west-2:123456789012:channel/x", duration: 0, userId: "😀".repeat(129), capabilities: ["PUBLISH", "ADMIN"] };
  await assert.rejects(c.send(new CreateParticipantTokenCommand(input)), (e) => {
    assert.ok(e instanceof InvalidRequestError && e instanceof Error);
    assert.equal(e.name, "InvalidRequestError");
    assert.deepEqual(
      e.violations.map((v) => [v.path, v.constraint]),
      [["/stageArn", "pattern"], ["/duration", "range"], ["/userId", "length"], ["/capabilities/1", "enum"]],
    );
    assert.equal(e.verdict.error, "ValidationException");
    assert.match(e.message, /^ValidationException: 4 validation errors detected: /);
    return true;
  });
  sock.close();
  assert.equal(connections, 0, "the invalid call reached the socket");
});

test("128 emoji are a valid userId, and a valid call gets a token from the reference server", async () => {
  const c = client(serveUrl, { checkResponses: true });
  const out = await c.send(new CreateParticipantTokenCommand({ stageArn: ARN, userId: "😀".repeat(128), duration: 20160 }));
  assert.equal(typeof out.participantToken.token, "string");
  assert.equal(out.participantToken.duration, 20160);
});

test("installing twice keeps one middleware", () => {
  const c = new IVSRealTimeClient({ region: "us-west-2", credentials });
  c.middlewareStack.use(validateBeforeSend());
  c.middlewareStack.use(validateBeforeSend());
  const names = c.middlewareStack.identify().filter((n) => n.startsWith("ivsParticipantTokenValidateBeforeSend"));
  assert.equal(names.length, 1, names.join(", "));
  assert.match(names[0], /initialize/);
});

test("another command passes through untouched", async () => {
  const c = client(serveUrl);
  // GetStage is not checked by the plugin: it reaches the reference server as it is,
  // and is answered (the stage, or ResourceNotFoundException for another ARN).
  const got = await c.send(new GetStageCommand({ arn: ARN }));
  assert.equal(got.stage?.arn, ARN);
  await assert.rejects(c.send(new GetStageCommand({ arn: ARN.replace("abcdABCD1234", "nope") })), (e) => {
    assert.notEqual(e.name, "InvalidRequestError");
    assert.equal(e.$metadata?.httpStatusCode, 404, String(e));
    return true;
  });
});

test("checkResponses catches a token whose claims disagree with the request", async () => {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const iat = 1795000000;
  const claims = {
    exp: iat + 720 * 60, iat, jti: "p1", resource: "arn:aws:ivs:us-west-2:123456789012:stage/OTHER", topic: "OTHER",
    events_url: "wss://x", whip_url: "https://x", capabilities: { allow_publish: true, allow_subscribe: true }, attributes: {}, version: "1.0",
  };
  const token = `${b64({ alg: "KMS", typ: "JWT" })}.${b64(claims)}.c2ln`;
  const body = {
    participantToken: {
      participantId: "p1", token, duration: 720, capabilities: ["PUBLISH", "SUBSCRIBE"], attributes: {},
      expirationTime: new Date((iat + 720 * 60) * 1000).toISOString().replace(".000", ""),
    },
  };
  const fake = createHttpServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise((r) => fake.listen(0, "127.0.0.1", r));
  const c = client(`http://127.0.0.1:${fake.address().port}`, { checkResponses: true });
  await assert.rejects(c.send(new CreateParticipantTokenCommand({ stageArn: ARN })), (e) => {
    assert.ok(e instanceof InconsistentResponseError);
    assert.equal(e.verdict.valid, true);
    assert.deepEqual(e.inconsistencies, ["resource = stageArn", "topic = the stage id"]);
    return true;
  });
  fake.close();
});

test("checkResponses catches a non-conforming 200", async () => {
  const fake = createHttpServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ participantToken: { participantId: "has space", token: "", expirationTime: "2026-11-24T07:04:31Z" } }));
    });
  });
  await new Promise((r) => fake.listen(0, "127.0.0.1", r));
  const c = client(`http://127.0.0.1:${fake.address().port}`, { checkResponses: true });
  await assert.rejects(c.send(new CreateParticipantTokenCommand({ stageArn: ARN })), (e) => {
    assert.ok(e instanceof InconsistentResponseError);
    assert.equal(e.name, "InconsistentResponseError");
    assert.deepEqual(
      e.verdict.violations.map((v) => [v.path, v.constraint]),
      [["/participantToken/participantId", "pattern"], ["/participantToken/token", "length"]],
    );
    return true;
  });
  // Without the option the same answer is given back.
  const plain = client(`http://127.0.0.1:${fake.address().port}`);
  const out = await plain.send(new CreateParticipantTokenCommand({ stageArn: ARN }));
  assert.equal(out.participantToken.participantId, "has space");
  fake.close();
});
