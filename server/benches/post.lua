-- wrk script: POST a valid CreateParticipantToken request; counts non-2xx answers.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"stageArn":"arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234","userId":"load","capabilities":["PUBLISH","SUBSCRIBE"]}'
