//! Helpers shared by the server's integration tests.

pub const KEY_ID: &str = "AKIDEXAMPLE";
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// A reference server with one stage that requires SigV4 by one key, allowed everywhere.
pub fn signing_server(stage: &str, key: &str, secret: &str) -> ivs_reference_server::RunningServer {
    ivs_reference_server::spawn(ivs_reference_server::ServerConfig {
        stages: vec![stage.to_owned()],
        access_keys: Some(vec![ivs_reference_server::AccessKey {
            access_key_id: key.into(),
            secret_access_key: secret.into(),
            allowed_stages: None,
        }]),
        ..ivs_reference_server::ServerConfig::default()
    })
    .expect("the server starts")
}

/// The status, headers and body of an answer.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// Sends `body` to `url` with `headers`.
pub fn send(method: &str, url: &str, headers: &[(String, String)], body: &[u8]) -> Answer {
    let mut req = ureq::http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let req = req.body(body.to_vec()).unwrap();
    let mut resp = agent().run(req).expect("the server answers");
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let body = resp.body_mut().read_to_string().unwrap_or_default();
    Answer {
        status,
        headers,
        body,
    }
}

/// POSTs a JSON body to `/CreateParticipantToken`.
pub fn post(base: &str, body: &str) -> Answer {
    let headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    send(
        "POST",
        &format!("{base}/CreateParticipantToken"),
        &headers,
        body.as_bytes(),
    )
}

/// POSTs a JSON body signed with SigV4 (service ivs) by `key`/`secret`, with the
/// conformance kit's signer.
pub fn post_signed(base: &str, body: &str, key: &str, secret: &str, region: &str) -> Answer {
    let url = format!("{base}/CreateParticipantToken");
    let host = base.trim_start_matches("http://").to_owned();
    let mut headers = vec![
        ("content-type".to_owned(), "application/json".to_owned()),
        ("host".to_owned(), host),
    ];
    let signed = ivs_conformance::auth::Signer::new(key, secret, region)
        .sign("POST", &url, &headers, body.as_bytes())
        .expect("the request signs");
    headers.extend(signed);
    send("POST", &url, &headers, body.as_bytes())
}
