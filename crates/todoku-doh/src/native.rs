//! A blocking DoH transport for native programs (the CLI), over `ureq`.

use std::time::{Duration, Instant};

use crate::{
    ACCEPT, DecodeError, QueryError, Response, check_media_type, decode_response, encode_query,
    get_url,
};

/// Longest `Location` quoted in an error.
const LOCATION_MAX: usize = 200;

/// Why a native DoH exchange failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum TransportError {
    /// The name could not be encoded.
    Query(QueryError),
    /// No answer within the timeout.
    Timeout,
    /// Connection or TLS failure.
    Network(String),
    /// The server answered with a non-2xx HTTP status.
    Http(u16),
    /// The server redirected the question elsewhere. Redirects are not
    /// followed: the answer would come from a server other than the one
    /// chosen (and named in the evidence).
    Redirect {
        /// The 3xx status.
        status: u16,
        /// The `Location` header (cut short), if any.
        location: Option<String>,
    },
    /// The body was not a usable DNS answer.
    Decode(DecodeError),
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransportError::Query(e) => e.fmt(f),
            TransportError::Timeout => f.write_str("timed out"),
            TransportError::Network(e) => write!(f, "network error: {e}"),
            TransportError::Http(s) => write!(f, "HTTP status {s}"),
            TransportError::Redirect { status, location } => {
                write!(f, "HTTP status {status}, a redirect")?;
                if let Some(location) = location {
                    write!(f, " to {location:?}")?;
                }
                f.write_str(" (redirects are not followed)")
            }
            TransportError::Decode(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for TransportError {}

/// A DoH endpoint reached with a blocking HTTP client.
#[derive(Debug)]
pub struct NativeClient {
    endpoint: String,
    agent: ureq::Agent,
}

impl NativeClient {
    /// A client for `endpoint` (e.g. `https://cloudflare-dns.com/dns-query`);
    /// each query is given its own timeout. Redirects are not followed.
    pub fn new(endpoint: &str) -> NativeClient {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .new_agent();
        NativeClient {
            endpoint: endpoint.to_string(),
            agent,
        }
    }

    /// The endpoint URL.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Ask `name`/`qtype`, giving up after `timeout`; returns the answer and
    /// how long it took.
    pub fn query(
        &self,
        name: &str,
        qtype: u16,
        timeout: Duration,
    ) -> Result<(Response, Duration), TransportError> {
        let wire = encode_query(name, qtype).map_err(TransportError::Query)?;
        let url = get_url(&self.endpoint, &wire);
        let started = Instant::now();
        let mut reply = self
            .agent
            .get(&url)
            .config()
            .timeout_global(Some(timeout))
            .build()
            .header("Accept", ACCEPT)
            .call()
            .map_err(|e| match e {
                ureq::Error::Timeout(_) => TransportError::Timeout,
                other => TransportError::Network(other.to_string()),
            })?;
        let status = reply.status().as_u16();
        // 304 (not modified) and 300 (multiple choices) answer nothing a
        // DoH GET asks; every other 3xx sends the question elsewhere.
        if matches!(status, 301 | 302 | 303 | 305 | 307 | 308) {
            let location = reply.headers().get("location").map(|l| {
                String::from_utf8_lossy(l.as_bytes())
                    .chars()
                    .take(LOCATION_MAX)
                    .collect()
            });
            return Err(TransportError::Redirect { status, location });
        }
        if !(200..300).contains(&status) {
            return Err(TransportError::Http(status));
        }
        let content_type = reply
            .headers()
            .get("content-type")
            .map(|c| String::from_utf8_lossy(c.as_bytes()).into_owned());
        check_media_type(content_type.as_deref()).map_err(TransportError::Decode)?;
        let body = reply
            .body_mut()
            .with_config()
            .limit(1 << 20)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::Timeout(_) => TransportError::Timeout,
                other => TransportError::Network(other.to_string()),
            })?;
        let response = decode_response(&body, name, qtype).map_err(TransportError::Decode)?;
        Ok((response, started.elapsed()))
    }
}
