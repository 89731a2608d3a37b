//! Decoding an `application/dns-message` answer.

use simple_dns::rdata::RData;
use simple_dns::{Packet, PacketFlag, QTYPE, TYPE};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A decoded DNS answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The response code (extended with EDNS, if present).
    pub rcode: u16,
    /// The resolver's DNSSEC "authenticated data" flag.
    pub authenticated: bool,
    /// The TC flag (should never be set over HTTPS).
    pub truncated: bool,
    /// Answer-section records.
    pub records: Vec<Record>,
}

/// One answer-section record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Owner name, without trailing dot.
    pub name: String,
    /// Time to live, seconds.
    pub ttl: u32,
    /// The data.
    pub data: RecordData,
}

/// Record data of the types Todoku uses; anything else is kept as its type code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordData {
    /// IPv4 address.
    A(Ipv4Addr),
    /// IPv6 address.
    Aaaa(Ipv6Addr),
    /// TXT: the character-strings concatenated, as raw bytes.
    Txt(Vec<u8>),
    /// MX preference and exchange.
    Mx(u16, String),
    /// PTR target.
    Ptr(String),
    /// CNAME target.
    Cname(String),
    /// Another type, by code.
    Other(u16),
}

/// Why an answer could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// Not a DNS message at all.
    Wire {
        /// Parser detail.
        detail: String,
        /// Number of bytes received.
        len: usize,
    },
    /// A DNS message, but not a response.
    NotAResponse,
    /// A response to a different question.
    QuestionMismatch {
        /// Name asked.
        expected: String,
        /// Name answered, if any.
        got: Option<String>,
    },
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Wire { detail, len } => {
                write!(f, "{len} bytes that are not a DNS message ({detail})")
            }
            DecodeError::NotAResponse => f.write_str("a DNS query came back, not a response"),
            DecodeError::QuestionMismatch { expected, got } => match got {
                Some(got) => write!(f, "answer for {got:?}, expected {expected:?}"),
                None => write!(f, "answer without a question, expected {expected:?}"),
            },
        }
    }
}

impl std::error::Error for DecodeError {}

fn trim_dot(name: &str) -> String {
    name.trim_end_matches('.').to_string()
}

fn record_data(rdata: &RData<'_>) -> RecordData {
    match rdata {
        RData::A(a) => RecordData::A(Ipv4Addr::from(a.address)),
        RData::AAAA(a) => RecordData::Aaaa(Ipv6Addr::from(a.address)),
        RData::TXT(txt) => RecordData::Txt(match String::try_from(txt.clone()) {
            Ok(s) => s.into_bytes(),
            Err(e) => e.into_bytes(),
        }),
        RData::MX(mx) => RecordData::Mx(mx.preference, trim_dot(&mx.exchange.to_string())),
        RData::PTR(ptr) => RecordData::Ptr(trim_dot(&ptr.0.to_string())),
        RData::CNAME(c) => RecordData::Cname(trim_dot(&c.0.to_string())),
        other => RecordData::Other(u16::from(other.type_code())),
    }
}

/// Decode `bytes` as the answer to `name`/`qtype`, checking that it is a
/// response to that question.
pub fn decode_response(bytes: &[u8], name: &str, qtype: u16) -> Result<Response, DecodeError> {
    let packet = Packet::parse(bytes).map_err(|e| DecodeError::Wire {
        detail: e.to_string(),
        len: bytes.len(),
    })?;
    if !packet.has_flags(PacketFlag::RESPONSE) {
        return Err(DecodeError::NotAResponse);
    }
    let expected = trim_dot(name);
    let question = packet.questions.first();
    let matches = question.is_some_and(|q| {
        trim_dot(&q.qname.to_string()).eq_ignore_ascii_case(&expected)
            && q.qtype == QTYPE::TYPE(TYPE::from(qtype))
    });
    if !matches {
        return Err(DecodeError::QuestionMismatch {
            expected,
            got: question.map(|q| trim_dot(&q.qname.to_string())),
        });
    }
    let records = packet
        .answers
        .iter()
        .map(|rr| Record {
            name: trim_dot(&rr.name.to_string()),
            ttl: rr.ttl,
            data: record_data(&rr.rdata),
        })
        .collect();
    Ok(Response {
        rcode: packet.rcode() as u16,
        authenticated: packet.has_flags(PacketFlag::AUTHENTIC_DATA),
        truncated: packet.has_flags(PacketFlag::TRUNCATION),
        records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use simple_dns::rdata::TXT;
    use simple_dns::{CLASS, Name, Question, ResourceRecord};

    fn answer(qname: &str, qtype: u16, build: impl FnOnce(&mut Packet<'static>)) -> Vec<u8> {
        let mut p = Packet::new_reply(0);
        p.questions.push(Question::new(
            Name::new_unchecked(qname).into_owned(),
            QTYPE::TYPE(TYPE::from(qtype)),
            simple_dns::QCLASS::CLASS(CLASS::IN),
            false,
        ));
        build(&mut p);
        p.build_bytes_vec().unwrap()
    }

    #[test]
    fn txt_strings_are_joined_without_separator() {
        let wire = answer("_dmarc.example.com", 16, |p| {
            let txt = TXT::new()
                .with_string("v=DMARC1; p=re")
                .unwrap()
                .with_string("ject")
                .unwrap()
                .into_owned();
            p.answers.push(ResourceRecord::new(
                Name::new_unchecked("_dmarc.example.com").into_owned(),
                CLASS::IN,
                300,
                RData::TXT(txt),
            ));
            p.set_flags(PacketFlag::AUTHENTIC_DATA);
        });
        let r = decode_response(&wire, "_DMARC.example.com.", 16).unwrap();
        assert_eq!(r.rcode, 0);
        assert!(r.authenticated);
        assert_eq!(r.records.len(), 1);
        assert_eq!(r.records[0].ttl, 300);
        assert_eq!(
            r.records[0].data,
            RecordData::Txt(b"v=DMARC1; p=reject".to_vec())
        );
    }

    #[test]
    fn nxdomain_rcode_is_reported() {
        let wire = answer("nope.example", 16, |p| {
            *p.rcode_mut() = simple_dns::RCODE::NameError
        });
        let r = decode_response(&wire, "nope.example", 16).unwrap();
        assert_eq!(r.rcode, 3);
        assert!(r.records.is_empty());
    }

    #[test]
    fn answer_to_another_question_is_rejected() {
        let wire = answer("other.example", 16, |_| {});
        let err = decode_response(&wire, "asked.example", 16).unwrap_err();
        assert_eq!(
            err,
            DecodeError::QuestionMismatch {
                expected: "asked.example".into(),
                got: Some("other.example".into())
            }
        );
        let wire = answer("asked.example", 1, |_| {});
        assert!(decode_response(&wire, "asked.example", 16).is_err());
    }

    #[test]
    fn garbage_and_queries_are_rejected() {
        let err = decode_response(b"<html>blocked</html>", "x.example", 16).unwrap_err();
        assert!(err.to_string().contains("20 bytes"), "{err}");
        let query = crate::encode_query("x.example", 16).unwrap();
        assert_eq!(
            decode_response(&query, "x.example", 16),
            Err(DecodeError::NotAResponse)
        );
        for len in 0..12 {
            assert!(decode_response(&vec![0xff; len], "x.example", 16).is_err());
        }
    }
}
