//! Adapts the native DoH client to the core's `Resolver`, within a time
//! budget (per query and overall) and timing every exchange.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use todoku_core::auth::dns::{DnsAnswer, DnsFailure, RecordType, Resolver};
use todoku_doh::Budget;
use todoku_doh::native::{NativeClient, TransportError};

pub(crate) struct DohResolver {
    client: NativeClient,
    budget: Budget,
    started: Instant,
    latencies: RefCell<BTreeMap<(String, RecordType), u32>>,
}

impl DohResolver {
    pub(crate) fn new(endpoint: &str, budget: Budget) -> DohResolver {
        DohResolver {
            client: NativeClient::new(endpoint),
            budget,
            started: Instant::now(),
            latencies: RefCell::new(BTreeMap::new()),
        }
    }
}

fn millis(d: Duration) -> u32 {
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX)
}

impl Resolver for DohResolver {
    async fn query(&self, name: &str, rtype: RecordType) -> Result<DnsAnswer, DnsFailure> {
        let elapsed = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let Some(allowed) = self.budget.allowance(elapsed) else {
            return Err(DnsFailure::DeadlineExceeded {
                limit_ms: self.budget.total_ms,
            });
        };
        let asked = Instant::now();
        let outcome = self.client.query(
            name,
            rtype.code(),
            Duration::from_millis(u64::from(allowed)),
        );
        self.latencies.borrow_mut().insert(
            todoku_resolve::latency_key(name, rtype),
            millis(asked.elapsed()),
        );
        match outcome {
            Ok((response, _elapsed)) => Ok(todoku_resolve::answer(response)),
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

    fn latency_ms(&self, name: &str, rtype: RecordType) -> Option<u32> {
        self.latencies
            .borrow()
            .get(&todoku_resolve::latency_key(name, rtype))
            .copied()
    }

    fn provider(&self) -> String {
        self.client.endpoint().to_string()
    }
}
