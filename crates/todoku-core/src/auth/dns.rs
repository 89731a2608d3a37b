//! The DNS interface the core asks its questions through.
//!
//! The core never touches the network: it calls a [`Resolver`], which the
//! browser implements with DNS-over-HTTPS over `fetch`, the CLI with a native
//! DoH transport, and tests with [`FixtureResolver`]. [`NullResolver`] is the
//! offline mode: every question fails with [`DnsFailure::Offline`].

use std::collections::BTreeMap;
use std::future::Future;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;

/// Record types the core asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum RecordType {
    /// IPv4 address.
    A,
    /// IPv6 address.
    Aaaa,
    /// Mail exchanger.
    Mx,
    /// Text (SPF, DKIM, DMARC).
    Txt,
    /// Reverse name.
    Ptr,
    /// Alias.
    Cname,
}

impl RecordType {
    /// The IANA type code.
    pub fn code(self) -> u16 {
        match self {
            RecordType::A => 1,
            RecordType::Cname => 5,
            RecordType::Ptr => 12,
            RecordType::Mx => 15,
            RecordType::Txt => 16,
            RecordType::Aaaa => 28,
        }
    }

    /// The mnemonic, e.g. `TXT`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
            RecordType::Mx => "MX",
            RecordType::Txt => "TXT",
            RecordType::Ptr => "PTR",
            RecordType::Cname => "CNAME",
        }
    }
}

/// DNS response codes, with the ones that matter to mail named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Rcode {
    /// The name exists (the answer may still be empty: NODATA).
    NoError,
    /// The domain's DNS failed to answer: a temporary error for SPF/DKIM/DMARC.
    ServFail,
    /// The name does not exist.
    NxDomain,
    /// The server refused the question.
    Refused,
    /// Any other code.
    Other(u16),
}

impl Rcode {
    /// The code for a numeric RCODE.
    pub fn from_code(code: u16) -> Rcode {
        match code {
            0 => Rcode::NoError,
            2 => Rcode::ServFail,
            3 => Rcode::NxDomain,
            5 => Rcode::Refused,
            other => Rcode::Other(other),
        }
    }
}

/// One record from an answer section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "UPPERCASE")]
pub enum DnsRecord {
    /// TXT: the character-strings joined without separator (RFC 7208 3.3).
    Txt {
        /// Time to live, seconds.
        ttl: u32,
        /// Joined text; bytes that are not UTF-8 are replaced.
        text: String,
    },
    /// A.
    A {
        /// Time to live, seconds.
        ttl: u32,
        /// Address.
        addr: Ipv4Addr,
    },
    /// AAAA.
    Aaaa {
        /// Time to live, seconds.
        ttl: u32,
        /// Address.
        addr: Ipv6Addr,
    },
    /// MX.
    Mx {
        /// Time to live, seconds.
        ttl: u32,
        /// Preference.
        preference: u16,
        /// Exchange host.
        exchange: String,
    },
    /// PTR.
    Ptr {
        /// Time to live, seconds.
        ttl: u32,
        /// Target name.
        name: String,
    },
    /// CNAME.
    Cname {
        /// Time to live, seconds.
        ttl: u32,
        /// Target name.
        name: String,
    },
}

/// A resolver's answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DnsAnswer {
    /// Response code.
    pub rcode: Rcode,
    /// Answer-section records (all types the resolver returned, CNAMEs included).
    pub records: Vec<DnsRecord>,
    /// The resolver's DNSSEC "authenticated data" flag.
    pub authenticated: bool,
}

impl DnsAnswer {
    /// An answer with `NOERROR` and these records.
    pub fn records(records: Vec<DnsRecord>) -> DnsAnswer {
        DnsAnswer {
            rcode: Rcode::NoError,
            records,
            authenticated: false,
        }
    }

    /// An answer with this code and no records.
    pub fn rcode(rcode: Rcode) -> DnsAnswer {
        DnsAnswer {
            rcode,
            records: Vec::new(),
            authenticated: false,
        }
    }

    /// The TXT strings in the answer.
    pub fn txt(&self) -> impl Iterator<Item = &str> {
        self.records.iter().filter_map(|r| match r {
            DnsRecord::Txt { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }
}

/// The PTR names among `records`, without their final dot; at most the
/// first ten (RFC 7208 5.5 and the iprev check read no more).
pub fn ptr_names(records: &[DnsRecord]) -> Vec<String> {
    records
        .iter()
        .filter_map(|r| match r {
            DnsRecord::Ptr { name, .. } => Some(name.trim_end_matches('.').to_string()),
            _ => None,
        })
        .take(10)
        .collect()
}

/// Why a question got no DNS answer at all. These are failures of the path to
/// the resolver (or of the resolver itself), not statements about the domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DnsFailure {
    /// Offline mode: no question was sent.
    Offline,
    /// The name cannot be asked (not a valid DNS name).
    InvalidName {
        /// The name as given.
        name: String,
    },
    /// No answer within the time limit.
    Timeout,
    /// The request did not complete (network down, blocked, CORS refused).
    Network {
        /// What the transport said.
        detail: String,
    },
    /// The resolver answered HTTP with a non-success status.
    Http {
        /// HTTP status code (`http_status`: the DNS evidence tags its
        /// outcome `status`, which this must not overwrite).
        #[serde(rename = "http_status")]
        status: u16,
    },
    /// The resolver's reply was not a valid DNS message for the question.
    Malformed {
        /// What was wrong.
        detail: String,
    },
    /// The live checks' overall time limit ran out before this question.
    DeadlineExceeded {
        /// The limit, milliseconds.
        limit_ms: u32,
    },
}

impl DnsFailure {
    /// Why the question got no answer, as a phrase in `lang`.
    pub fn sentence(&self, lang: crate::wording::Lang) -> String {
        use crate::wording::Lang::{En, Ja};
        match (self, lang) {
            (DnsFailure::Offline, En) => "offline mode: no DNS query was made".to_string(),
            (DnsFailure::Offline, Ja) => {
                "オフラインモードのため DNS に問い合わせていません".to_string()
            }
            (DnsFailure::InvalidName { name }, En) => format!("not a valid DNS name: {name:?}"),
            (DnsFailure::InvalidName { name }, Ja) => {
                format!("DNS の名前として正しくありません：{name:?}")
            }
            (DnsFailure::Timeout, En) => "the DNS resolver did not answer in time".to_string(),
            (DnsFailure::Timeout, Ja) => "DNS リゾルバーが時間内に応答しませんでした".to_string(),
            (DnsFailure::Network { detail }, En) => {
                format!("the DNS resolver could not be reached: {detail}")
            }
            (DnsFailure::Network { detail }, Ja) => {
                format!("DNS リゾルバーに接続できませんでした：{detail}")
            }
            (DnsFailure::Http { status }, En) => {
                format!("the DNS resolver answered HTTP status {status}")
            }
            (DnsFailure::Http { status }, Ja) => {
                format!("DNS リゾルバーが HTTP ステータス {status} を返しました")
            }
            (DnsFailure::Malformed { detail }, En) => {
                format!("the DNS resolver's reply was malformed: {detail}")
            }
            (DnsFailure::Malformed { detail }, Ja) => {
                format!("DNS リゾルバーの応答の形式が不正でした：{detail}")
            }
            (DnsFailure::DeadlineExceeded { limit_ms }, En) => format!(
                "the live checks' time limit ({limit_ms} ms) ran out before this question was answered"
            ),
            (DnsFailure::DeadlineExceeded { limit_ms }, Ja) => format!(
                "この問い合わせに応答がある前に、再チェックの制限時間（{limit_ms} ミリ秒）が切れました"
            ),
        }
    }

    /// One of each kind, for tests that every kind reads in both languages.
    pub fn examples() -> [DnsFailure; 7] {
        [
            DnsFailure::Offline,
            DnsFailure::InvalidName {
                name: "a..b".into(),
            },
            DnsFailure::Timeout,
            DnsFailure::Network { detail: "x".into() },
            DnsFailure::Http { status: 403 },
            DnsFailure::Malformed { detail: "x".into() },
            DnsFailure::DeadlineExceeded { limit_ms: 1 },
        ]
    }
}

impl std::fmt::Display for DnsFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.sentence(crate::wording::Lang::En))
    }
}

/// Where the core sends its DNS questions.
///
/// Deliberately without a `Send` bound: in the browser the future holds
/// JavaScript values and runs on the page's single thread.
pub trait Resolver {
    /// Ask for `rtype` records at `name` (no trailing dot needed).
    fn query(
        &self,
        name: &str,
        rtype: RecordType,
    ) -> impl Future<Output = Result<DnsAnswer, DnsFailure>>;

    /// A short label for evidence, e.g. the DoH endpoint's host.
    fn provider(&self) -> String;

    /// How long the last exchange for `name`/`rtype` took, in milliseconds,
    /// when the transport measured it (the core has no clock of its own).
    fn latency_ms(&self, _name: &str, _rtype: RecordType) -> Option<u32> {
        None
    }
}

/// Offline mode: answers every question with [`DnsFailure::Offline`].
#[derive(Debug, Clone, Copy, Default)]
pub struct NullResolver;

impl Resolver for NullResolver {
    async fn query(&self, _name: &str, _rtype: RecordType) -> Result<DnsAnswer, DnsFailure> {
        Err(DnsFailure::Offline)
    }

    fn provider(&self) -> String {
        "offline".to_string()
    }
}

/// In-memory answers for tests. Unknown names answer `NXDOMAIN`.
#[derive(Debug, Clone, Default)]
pub struct FixtureResolver {
    answers: BTreeMap<(String, RecordType), Result<DnsAnswer, DnsFailure>>,
    latencies: BTreeMap<(String, RecordType), u32>,
}

fn normalise(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

impl FixtureResolver {
    /// An empty fixture: every name is NXDOMAIN.
    pub fn new() -> FixtureResolver {
        FixtureResolver::default()
    }

    /// Answer `name`/`rtype` with a TXT record holding `text`.
    pub fn txt(mut self, name: &str, text: &str) -> FixtureResolver {
        let record = DnsRecord::Txt {
            ttl: 300,
            text: text.to_string(),
        };
        self.answers
            .entry((normalise(name), RecordType::Txt))
            .and_modify(|a| {
                if let Ok(answer) = a {
                    answer.records.push(record.clone());
                }
            })
            .or_insert_with(|| Ok(DnsAnswer::records(vec![record])));
        self
    }

    /// Answer `name`/`rtype` with exactly this result.
    pub fn answer(
        mut self,
        name: &str,
        rtype: RecordType,
        result: Result<DnsAnswer, DnsFailure>,
    ) -> FixtureResolver {
        self.answers.insert((normalise(name), rtype), result);
        self
    }

    /// Report that `name`/`rtype` took `ms` milliseconds.
    pub fn latency(mut self, name: &str, rtype: RecordType, ms: u32) -> FixtureResolver {
        self.latencies.insert((normalise(name), rtype), ms);
        self
    }
}

impl Resolver for FixtureResolver {
    async fn query(&self, name: &str, rtype: RecordType) -> Result<DnsAnswer, DnsFailure> {
        let name = normalise(name);
        if let Some(result) = self.answers.get(&(name.clone(), rtype)) {
            return result.clone();
        }
        // A name with records of another type exists: NODATA, not NXDOMAIN.
        let exists = self.answers.keys().any(|(n, _)| *n == name);
        Ok(DnsAnswer::rcode(if exists {
            Rcode::NoError
        } else {
            Rcode::NxDomain
        }))
    }

    fn provider(&self) -> String {
        "fixture".to_string()
    }

    fn latency_ms(&self, name: &str, rtype: RecordType) -> Option<u32> {
        self.latencies.get(&(normalise(name), rtype)).copied()
    }
}
