//! Live re-checks: questions asked through a [`Resolver`] now, not what the
//! receiver recorded then. Each result carries its DNS evidence.

use serde::Serialize;

use crate::dns::{DnsAnswer, DnsFailure, Rcode, RecordType, Resolver};

/// One DNS question and what came back, kept as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DnsEvidence {
    /// The name asked.
    pub name: String,
    /// The type asked.
    pub rtype: RecordType,
    /// Which resolver answered (or failed).
    pub provider: String,
    /// The answer, or why there was none.
    pub outcome: DnsOutcome,
}

/// An answer or a failure to get one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DnsOutcome {
    /// The resolver answered (any rcode).
    Answer(DnsAnswer),
    /// No DNS answer was obtained.
    Failure(DnsFailure),
}

/// What the From domain publishes at `_dmarc.<domain>` right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LiveDmarc {
    /// The From domain checked.
    pub domain: String,
    /// The finding.
    pub result: DmarcLookup,
    /// The DNS question behind it.
    pub evidence: DnsEvidence,
}

/// The outcome of looking up a domain's DMARC record (RFC 7489 6.6.3 step 1-3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum DmarcLookup {
    /// Exactly one record starting with `v=DMARC1`.
    Found {
        /// The record text.
        record: String,
        /// Its `p=` value, if present.
        policy: Option<String>,
    },
    /// No DMARC record at this name (NXDOMAIN, NODATA, or only other TXT records).
    None {
        /// The response code.
        rcode: Rcode,
    },
    /// More than one DMARC record: RFC 7489 says to apply none of them.
    Multiple {
        /// The records found.
        records: Vec<String>,
    },
    /// The domain's DNS failed (SERVFAIL and the like): a temporary error.
    Temperror {
        /// The response code.
        rcode: Rcode,
    },
    /// The check could not be made (offline, resolver unreachable, bad reply).
    Unavailable {
        /// Why.
        failure: DnsFailure,
    },
}

fn is_dmarc_record(text: &str) -> bool {
    let mut tags = text.split(';');
    let first = tags.next().unwrap_or_default();
    match first.split_once('=') {
        Some((k, v)) => k.trim() == "v" && v.trim() == "DMARC1",
        None => false,
    }
}

fn policy_of(record: &str) -> Option<String> {
    record.split(';').find_map(|tag| {
        let (k, v) = tag.split_once('=')?;
        (k.trim() == "p").then(|| v.trim().to_string())
    })
}

/// Look up `_dmarc.<domain>` and classify what is there.
pub async fn check_dmarc<R: Resolver>(domain: &str, resolver: &R) -> LiveDmarc {
    let name = format!("_dmarc.{}", domain.trim_end_matches('.'));
    let outcome = match resolver.query(&name, RecordType::Txt).await {
        Ok(answer) => DnsOutcome::Answer(answer),
        Err(failure) => DnsOutcome::Failure(failure),
    };
    let result = match &outcome {
        DnsOutcome::Failure(failure) => DmarcLookup::Unavailable {
            failure: failure.clone(),
        },
        DnsOutcome::Answer(answer) => classify(answer),
    };
    LiveDmarc {
        domain: domain.to_string(),
        result,
        evidence: DnsEvidence {
            name,
            rtype: RecordType::Txt,
            provider: resolver.provider(),
            outcome,
        },
    }
}

fn classify(answer: &DnsAnswer) -> DmarcLookup {
    match answer.rcode {
        Rcode::NoError | Rcode::NxDomain => {
            let mut found: Vec<String> = answer
                .txt()
                .filter(|t| is_dmarc_record(t))
                .map(str::to_string)
                .collect();
            match found.len() {
                0 => DmarcLookup::None {
                    rcode: answer.rcode,
                },
                1 => {
                    let record = found.remove(0);
                    DmarcLookup::Found {
                        policy: policy_of(&record),
                        record,
                    }
                }
                _ => DmarcLookup::Multiple { records: found },
            }
        }
        rcode => DmarcLookup::Temperror { rcode },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::FixtureResolver;

    fn run(resolver: &FixtureResolver, domain: &str) -> DmarcLookup {
        pollster::block_on(check_dmarc(domain, resolver)).result
    }

    #[test]
    fn finds_the_one_dmarc_record_among_other_txt() {
        let r = FixtureResolver::new()
            .txt("_dmarc.example.com", "google-site-verification=abc")
            .txt(
                "_dmarc.example.com",
                "v=DMARC1; p=reject; rua=mailto:x@example.com",
            );
        assert_eq!(
            run(&r, "Example.com."),
            DmarcLookup::Found {
                record: "v=DMARC1; p=reject; rua=mailto:x@example.com".into(),
                policy: Some("reject".into()),
            }
        );
    }

    #[test]
    fn nxdomain_and_nodata_and_other_txt_are_none() {
        let r = FixtureResolver::new().txt("_dmarc.other.test", "v=spf1 -all");
        assert_eq!(
            run(&r, "missing.test"),
            DmarcLookup::None {
                rcode: Rcode::NxDomain
            }
        );
        assert_eq!(
            run(&r, "other.test"),
            DmarcLookup::None {
                rcode: Rcode::NoError
            }
        );
    }

    #[test]
    fn a_record_must_start_with_the_version_tag() {
        let r = FixtureResolver::new().txt("_dmarc.late.test", "p=none; v=DMARC1");
        assert!(matches!(run(&r, "late.test"), DmarcLookup::None { .. }));
    }

    #[test]
    fn two_records_are_reported_not_chosen_between() {
        let r = FixtureResolver::new()
            .txt("_dmarc.two.test", "v=DMARC1; p=none")
            .txt("_dmarc.two.test", "v=DMARC1; p=reject");
        assert!(
            matches!(run(&r, "two.test"), DmarcLookup::Multiple { records } if records.len() == 2)
        );
    }

    #[test]
    fn servfail_is_temperror_and_transport_failure_is_unavailable() {
        let r = FixtureResolver::new()
            .answer(
                "_dmarc.broken.test",
                RecordType::Txt,
                Ok(DnsAnswer::rcode(Rcode::ServFail)),
            )
            .answer(
                "_dmarc.blocked.test",
                RecordType::Txt,
                Err(DnsFailure::Http { status: 403 }),
            );
        assert_eq!(
            run(&r, "broken.test"),
            DmarcLookup::Temperror {
                rcode: Rcode::ServFail
            }
        );
        assert_eq!(
            run(&r, "blocked.test"),
            DmarcLookup::Unavailable {
                failure: DnsFailure::Http { status: 403 }
            }
        );
    }

    #[test]
    fn offline_resolver_is_unavailable_and_names_itself() {
        let live = pollster::block_on(check_dmarc("example.com", &crate::dns::NullResolver));
        assert_eq!(
            live.result,
            DmarcLookup::Unavailable {
                failure: DnsFailure::Offline
            }
        );
        assert_eq!(live.evidence.provider, "offline");
        assert_eq!(live.evidence.name, "_dmarc.example.com");
    }
}
