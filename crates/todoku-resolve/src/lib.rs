//! The one adapter from a decoded DNS-over-HTTPS answer (`todoku-doh`, which
//! knows no email) to the core's DNS types (`todoku-core`, which knows no
//! transport). The page's `fetch` resolver and the CLI's native resolver both
//! answer the core's questions through [`answer`] and key their timings with
//! [`latency_key`].

use todoku_core::auth::dns::{DnsAnswer, DnsRecord, Rcode, RecordType};
use todoku_doh::{RecordData, Response};

/// The core's view of a DoH response: the records the core reads (TXT, A,
/// AAAA, MX, PTR, CNAME; others are dropped), the RCODE and the AD bit.
/// TXT strings are joined and read as UTF-8 with replacement characters.
pub fn answer(response: Response) -> DnsAnswer {
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

/// The key a resolver files a question's timing under: the name without its
/// trailing dot, lower-cased, and the type, so `Example.com.` and
/// `example.com` are one question.
pub fn latency_key(name: &str, rtype: RecordType) -> (String, RecordType) {
    (name.trim_end_matches('.').to_ascii_lowercase(), rtype)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;
    use todoku_doh::Record;

    fn record(data: RecordData) -> Record {
        Record {
            name: "example.com".into(),
            ttl: 300,
            data,
        }
    }

    #[test]
    fn records_the_core_reads_are_kept_and_others_dropped() {
        let response = Response {
            rcode: 3,
            authenticated: true,
            ignored: 0,
            records: vec![
                record(RecordData::Txt(b"v=spf1 \xff -all".to_vec())),
                record(RecordData::A(Ipv4Addr::new(192, 0, 2, 1))),
                record(RecordData::Other(99)),
                record(RecordData::Mx(10, "mx.example.com".into())),
            ],
        };
        let got = answer(response);
        assert_eq!(got.rcode, Rcode::from_code(3));
        assert!(got.authenticated);
        assert_eq!(
            got.records.len(),
            3,
            "type 99 is dropped: {:?}",
            got.records
        );
        assert!(matches!(
            &got.records[0],
            DnsRecord::Txt { ttl: 300, text } if text == "v=spf1 \u{fffd} -all"
        ));
        assert!(matches!(
            got.records[2],
            DnsRecord::Mx { preference: 10, .. }
        ));
    }

    #[test]
    fn one_question_whatever_its_case_or_final_dot() {
        assert_eq!(
            latency_key("Example.COM.", RecordType::Txt),
            latency_key("example.com", RecordType::Txt)
        );
        assert_ne!(
            latency_key("example.com", RecordType::Txt),
            latency_key("example.com", RecordType::A)
        );
    }
}
