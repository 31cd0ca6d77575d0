//! Validation speed against baselines measured in the same run and group, so the report
//! reads as ratios: the floor, serde_json merely reading the bytes
//! (`from_slice::<IgnoredAny>`); plain typed serde_json (no validation at all);
//! `serde_json::Value` + jsonschema-rs with the schema generated from the same constraint
//! table; and the `regex` crate for the stage ARN pattern. Ours is `check_request`, the one
//! entry point (strict reading into the model, then every constraint). Throughput is in
//! bytes of body.
//!
//! `cargo bench --bench validation`; `-- --quick` for a short run.

use std::hint::black_box;

mod common;

use common::{invalid, maximal, response, typical, PlainRequest, PlainResponse, ARN};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ivs_participant_token::constraints::STAGE_ARN_PATTERN;
use ivs_participant_token::schema::{request_schema, response_schema};
use ivs_participant_token::{
    check_request, check_response, parse_request, ErrorKind, ServiceError,
};
use serde::de::IgnoredAny;

fn request_parse_validate(c: &mut Criterion) {
    let schema = jsonschema::validator_for(&request_schema()).unwrap();
    let mut g = c.benchmark_group("request_parse_validate");
    for (name, body) in [
        ("typical", typical()),
        ("maximal", maximal()),
        ("invalid", invalid()),
    ] {
        let bytes = body.as_bytes();
        let valid = name != "invalid";
        assert_eq!(
            check_request(bytes).unwrap().report.is_valid(),
            valid,
            "{name}"
        );
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::new("ours", name), bytes, |b, bytes| {
            b.iter(|| {
                let checked = check_request(black_box(bytes)).unwrap();
                black_box(checked.report.violations.len())
            })
        });
        g.bench_with_input(
            BenchmarkId::new("serde_ignored", name),
            bytes,
            |b, bytes| {
                b.iter(|| {
                    black_box(serde_json::from_slice::<IgnoredAny>(black_box(bytes)).unwrap())
                })
            },
        );
        g.bench_with_input(BenchmarkId::new("serde_plain", name), bytes, |b, bytes| {
            b.iter(|| black_box(serde_json::from_slice::<PlainRequest>(black_box(bytes)).unwrap()))
        });
        g.bench_with_input(
            BenchmarkId::new("value_jsonschema", name),
            bytes,
            |b, bytes| {
                b.iter(|| {
                    let v: serde_json::Value = serde_json::from_slice(black_box(bytes)).unwrap();
                    if valid {
                        black_box(schema.is_valid(&v));
                    } else {
                        // Every violation with its location, as ours reports every
                        // violation with its path (neither renders a message here).
                        black_box(schema.iter_errors(&v).count());
                    }
                })
            },
        );
    }
    g.finish();
}

fn validate_only(c: &mut Criterion) {
    let mut g = c.benchmark_group("validate_only");
    let request = parse_request(typical().as_bytes()).unwrap().value;
    g.bench_function("ours/typical", |b| {
        b.iter(|| black_box(black_box(&request).validate()))
    });
    g.finish();
}

fn response_parse_validate(c: &mut Criterion) {
    let schema = jsonschema::validator_for(&response_schema()).unwrap();
    let body = response();
    let bytes = body.as_bytes();
    assert!(check_response(bytes).unwrap().report.is_valid());
    let mut g = c.benchmark_group("response_parse_validate");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("ours", |b| {
        b.iter(|| black_box(check_response(black_box(bytes)).unwrap().report.is_valid()))
    });
    g.bench_function("serde_ignored", |b| {
        b.iter(|| black_box(serde_json::from_slice::<IgnoredAny>(black_box(bytes)).unwrap()))
    });
    g.bench_function("serde_plain", |b| {
        b.iter(|| black_box(serde_json::from_slice::<PlainResponse>(black_box(bytes)).unwrap()))
    });
    g.bench_function("value_jsonschema", |b| {
        b.iter(|| {
            let v: serde_json::Value = serde_json::from_slice(black_box(bytes)).unwrap();
            black_box(schema.is_valid(&v))
        })
    });
    g.finish();
}

fn stage_arn(c: &mut Criterion) {
    let re = regex::Regex::new(STAGE_ARN_PATTERN.text).unwrap();
    let mut g = c.benchmark_group("stage_arn");
    g.throughput(Throughput::Bytes(ARN.len() as u64));
    g.bench_function("ours", |b| {
        b.iter(|| black_box((STAGE_ARN_PATTERN.matches)(black_box(ARN))))
    });
    g.bench_function("regex", |b| {
        b.iter(|| black_box(re.is_match(black_box(ARN))))
    });
    g.finish();
}

fn error_wire(c: &mut Criterion) {
    let e = ServiceError::new(
        ErrorKind::ResourceNotFound,
        "Stage not found: arn:aws:ivs:us-west-2:123456789012:stage/x",
    );
    let http = e.to_http();
    let mut g = c.benchmark_group("error_wire");
    g.bench_function("write", |b| b.iter(|| black_box(black_box(&e).to_http())));
    g.bench_function("read", |b| {
        b.iter(|| {
            black_box(ServiceError::from_http(
                black_box(http.status),
                black_box(http.error_type()),
                black_box(http.body.as_bytes()),
            ))
        })
    });
    g.finish();
}

fn token(c: &mut Criterion) {
    use ivs_participant_token::token::{mint, verify, MintParams, PrivateKey};
    let key = PrivateKey::from_pem(include_str!("../tests/data/p384-pkcs8.pem")).unwrap();
    let request = parse_request(typical().as_bytes()).unwrap().value;
    let request = ivs_participant_token::ValidRequest::new(request).unwrap();
    let params = MintParams {
        kid: "arn:aws:ivs:us-west-2:123456789012:public-key/abcdABCD1234",
        events_url: "wss://global.events.live-video.net",
        whip_url: "https://global.whip.live-video.net",
        now: 1_795_460_671,
        participant_id: Some("AbCdEfGh1234".into()),
    };
    let issued = mint(&request, &key, &params).unwrap();
    let token = issued.token.unwrap().expose().to_owned();
    let public = key.public_key();
    let mut g = c.benchmark_group("token");
    g.bench_function("mint_es384", |b| {
        b.iter(|| black_box(mint(black_box(&request), &key, &params).unwrap()))
    });
    g.bench_function("verify_es384", |b| {
        b.iter(|| black_box(verify(black_box(&token), &public, 1_795_460_700).unwrap()))
    });
    g.finish();
}

criterion_group!(
    benches,
    token,
    request_parse_validate,
    validate_only,
    response_parse_validate,
    stage_arn,
    error_wire
);
criterion_main!(benches);
