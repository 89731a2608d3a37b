//! Adapts the native DoH client to the core's `Resolver`.

use std::time::Duration;

use todoku_core::dns::{DnsAnswer, DnsFailure, DnsRecord, Rcode, RecordType, Resolver};
use todoku_doh::RecordData;
use todoku_doh::native::{NativeClient, TransportError};

pub(crate) struct DohResolver {
    client: NativeClient,
}

impl DohResolver {
    pub(crate) fn new(endpoint: &str, timeout: Duration) -> DohResolver {
        DohResolver {
            client: NativeClient::new(endpoint, timeout),
        }
    }
}

impl Resolver for DohResolver {
    async fn query(&self, name: &str, rtype: RecordType) -> Result<DnsAnswer, DnsFailure> {
        match self.client.query(name, rtype.code()) {
            Ok((response, _elapsed)) => Ok(to_core(response)),
            Err(TransportError::Timeout) => Err(DnsFailure::Timeout),
            Err(TransportError::Http(status)) => Err(DnsFailure::Http { status }),
            Err(TransportError::Query(_)) => Err(DnsFailure::InvalidName {
                name: name.to_string(),
            }),
            Err(TransportError::Decode(e)) => Err(DnsFailure::Malformed {
                detail: e.to_string(),
            }),
            Err(other) => Err(DnsFailure::Network {
                detail: other.to_string(),
            }),
        }
    }

    fn provider(&self) -> String {
        self.client.endpoint().to_string()
    }
}

fn to_core(response: todoku_doh::Response) -> DnsAnswer {
    let records = response
        .records
        .into_iter()
        .filter_map(|r| {
            let ttl = r.ttl;
            Some(match r.data {
                RecordData::Txt(bytes) => DnsRecord::Txt {
                    ttl,
                    text: String::from_utf8_lossy(&bytes).into_owned(),
                },
                RecordData::A(addr) => DnsRecord::A { ttl, addr },
                RecordData::Aaaa(addr) => DnsRecord::Aaaa { ttl, addr },
                RecordData::Mx(preference, exchange) => DnsRecord::Mx {
                    ttl,
                    preference,
                    exchange,
                },
                RecordData::Ptr(name) => DnsRecord::Ptr { ttl, name },
                RecordData::Cname(name) => DnsRecord::Cname { ttl, name },
                _ => return None,
            })
        })
        .collect();
    DnsAnswer {
        rcode: Rcode::from_code(response.rcode),
        records,
        authenticated: response.authenticated,
    }
}
