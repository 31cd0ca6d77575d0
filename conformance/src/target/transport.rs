//! Sending one request over HTTP and bringing back the answer as it came.

use std::time::Duration;

use crate::auth::Signer;
use crate::target::SendRequest;

/// The most of an answer's body that is read (a server that streams forever is cut off).
const MAX_ANSWER_BYTES: u64 = 16 * 1024 * 1024;

/// One endpoint: a base URL and, optionally, credentials.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The base URL, such as `https://ivsrealtime.us-west-2.amazonaws.com`.
    pub url: String,
    /// Credentials to sign with, if any.
    pub signer: Option<Signer>,
}

impl Endpoint {
    /// An endpoint whose requests are not signed.
    pub fn plain(url: &str) -> Endpoint {
        Endpoint {
            url: url.to_owned(),
            signer: None,
        }
    }
}

/// An answer as it came: status, headers, body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawAnswer {
    /// The status code.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// An HTTP client with a bound on each exchange.
#[derive(Debug, Clone)]
pub struct Transport {
    agent: ureq::Agent,
}

impl Transport {
    /// A client that gives up on one exchange after `timeout` and never follows a
    /// redirect: a 3xx is the target's answer, judged as such, and a signed request
    /// (its `Authorization`, `X-Amz-Date`, `X-Amz-Security-Token` and `Host`) is never
    /// sent anywhere but the endpoint it was signed for.
    pub fn new(timeout: Duration) -> Transport {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_global(Some(timeout))
            .build()
            .into();
        Transport { agent }
    }

    /// Sends `request` to `endpoint` (signed when it has credentials) and returns the
    /// raw answer; an error names the URL.
    pub fn exchange(
        &self,
        endpoint: &Endpoint,
        request: &SendRequest,
    ) -> Result<RawAnswer, String> {
        let url = format!("{}{}", endpoint.url.trim_end_matches('/'), request.path);
        let mut headers = request.headers.clone();
        if let Some(signer) = &endpoint.signer {
            let host = url
                .split("://")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .unwrap_or_default()
                .to_owned();
            if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
                headers.push(("host".to_owned(), host));
            }
            let signed = signer.sign(&request.method, &url, &headers, &request.body)?;
            headers.extend(signed);
        }
        let mut builder = ureq::http::Request::builder()
            .method(request.method.as_str())
            .uri(&url);
        for (k, v) in &headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let http = builder
            .body(request.body.clone())
            .map_err(|e| format!("{url}: {e}"))?;
        let mut response = self.agent.run(http).map_err(|e| format!("{url}: {e}"))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_vec()
            .map_err(|e| format!("{url}: reading the body: {e}"))?;
        Ok(RawAnswer {
            status,
            headers,
            body,
        })
    }
}
