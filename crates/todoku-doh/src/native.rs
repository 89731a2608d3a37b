//! A blocking DoH transport for native programs (the CLI), over `ureq`.

use std::time::{Duration, Instant};

use crate::{ACCEPT, DecodeError, QueryError, Response, decode_response, encode_query, get_url};

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
    /// each query is given its own timeout.
    pub fn new(endpoint: &str) -> NativeClient {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
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
        if !(200..300).contains(&status) {
            return Err(TransportError::Http(status));
        }
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
