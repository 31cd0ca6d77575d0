//! Structured logs name every request and never contain a token.

use crate::common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use ivs_reference_server::{spawn, ServerConfig};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn logs_never_contain_a_token() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();
    let server = spawn(ServerConfig::default()).unwrap();
    let body = format!(r#"{{"stageArn":"{}"}}"#, server.stages()[0]);
    let a = common::post(server.url(), &body);
    let token = a.json()["participantToken"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    common::post(server.url(), "{bad");
    server.shutdown();
    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("CreateParticipantToken"), "{logs}");
    assert!(
        logs.contains("status=200") && logs.contains("status=400"),
        "{logs}"
    );
    for part in token.split('.') {
        assert!(!logs.contains(part), "a token part is in the logs");
    }
}
