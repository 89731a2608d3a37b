//! Decoding an `application/dns-message` answer.

use std::net::{Ipv4Addr, Ipv6Addr};

/// A decoded answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The header's 4-bit response code (RFC 1035 4.1.1).
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

/// A cursor over a DNS message (RFC 1035 4.1), every read bounds-checked.
struct Reader<'a> {
    msg: &'a [u8],
    at: usize,
}

/// Why the bytes are not a DNS message, with where it went wrong.
type WireResult<T> = Result<T, String>;

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> WireResult<&'a [u8]> {
        let bytes = self
            .msg
            .get(self.at..self.at + n)
            .ok_or_else(|| format!("{n} byte(s) needed at offset {}, message ends", self.at))?;
        self.at += n;
        Ok(bytes)
    }

    fn u16(&mut self) -> WireResult<u16> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([
            b.first().copied().unwrap_or_default(),
            b.get(1).copied().unwrap_or_default(),
        ]))
    }

    fn u32(&mut self) -> WireResult<u32> {
        Ok(u32::from(self.u16()?) << 16 | u32::from(self.u16()?))
    }

    /// A domain name, following compression pointers (RFC 1035 4.1.4) only
    /// backwards, so a loop cannot form; rendered with `.` between labels
    /// and `.` or `\` inside a label escaped.
    fn name(&mut self) -> WireResult<String> {
        let mut out = String::new();
        let mut at = self.at;
        // Where reading resumes: after the first pointer, or after the name.
        let mut resume = None;
        let mut total = 0usize;
        loop {
            let len = *self
                .msg
                .get(at)
                .ok_or_else(|| format!("name runs past the end at offset {at}"))?;
            match len {
                0 => {
                    at += 1;
                    break;
                }
                1..=63 => {
                    let label = self
                        .msg
                        .get(at + 1..at + 1 + usize::from(len))
                        .ok_or_else(|| format!("label runs past the end at offset {at}"))?;
                    total += usize::from(len) + 1;
                    if total > 255 {
                        return Err(format!("name longer than 255 bytes at offset {}", self.at));
                    }
                    if !out.is_empty() {
                        out.push('.');
                    }
                    for c in String::from_utf8_lossy(label).chars() {
                        if matches!(c, '.' | '\\') {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                    at += 1 + usize::from(len);
                }
                0xc0..=0xff => {
                    let low = *self
                        .msg
                        .get(at + 1)
                        .ok_or_else(|| format!("pointer runs past the end at offset {at}"))?;
                    let target = usize::from(u16::from_be_bytes([len & 0x3f, low]));
                    if target >= at {
                        return Err(format!(
                            "compression pointer at offset {at} does not point back"
                        ));
                    }
                    resume.get_or_insert(at + 2);
                    at = target;
                }
                _ => return Err(format!("label type 0x{len:02x} at offset {at}")),
            }
        }
        self.at = resume.unwrap_or(at);
        Ok(out)
    }
}

/// One resource record: its owner, TTL and decoded data (the data is read
/// only for the types the checks use).
fn record(r: &mut Reader<'_>) -> WireResult<Record> {
    let name = r.name()?;
    let rtype = r.u16()?;
    let _class = r.u16()?;
    let ttl = r.u32()?;
    let len = usize::from(r.u16()?);
    let start = r.at;
    let rdata = r.take(len)?;
    let mut inner = Reader {
        msg: r.msg,
        at: start,
    };
    let bad = |what: &str| format!("{what} record data of {len} byte(s) at offset {start}");
    // A name that must fill the rest of the record data.
    let name_to_end = |inner: &mut Reader<'_>, what: &str| {
        let name = inner.name()?;
        if inner.at == start + len {
            Ok(trim_dot(&name))
        } else {
            Err(bad(what))
        }
    };
    let data = match rtype {
        1 => {
            let b: [u8; 4] = rdata.try_into().map_err(|_| bad("A"))?;
            RecordData::A(Ipv4Addr::from(b))
        }
        28 => {
            let b: [u8; 16] = rdata.try_into().map_err(|_| bad("AAAA"))?;
            RecordData::Aaaa(Ipv6Addr::from(b))
        }
        16 => {
            // Character-strings joined without a separator (RFC 7208 3.3).
            let mut text = Vec::with_capacity(len);
            let mut rest = rdata;
            while let Some((&n, tail)) = rest.split_first() {
                let chunk = tail.get(..usize::from(n)).ok_or_else(|| bad("TXT"))?;
                text.extend_from_slice(chunk);
                rest = tail.get(usize::from(n)..).unwrap_or_default();
            }
            RecordData::Txt(text)
        }
        15 => {
            let preference = inner.u16()?;
            RecordData::Mx(preference, name_to_end(&mut inner, "MX")?)
        }
        12 => RecordData::Ptr(name_to_end(&mut inner, "PTR")?),
        5 => RecordData::Cname(name_to_end(&mut inner, "CNAME")?),
        other => RecordData::Other(other),
    };
    Ok(Record {
        name: trim_dot(&name),
        ttl,
        data,
    })
}

pub fn decode_response(bytes: &[u8], name: &str, qtype: u16) -> Result<Response, DecodeError> {
    let wire = |detail: String| DecodeError::Wire {
        detail,
        len: bytes.len(),
    };
    let mut r = Reader { msg: bytes, at: 0 };
    let header = r.take(12).map_err(wire)?;
    let word = |i: usize| {
        u16::from_be_bytes([
            header.get(i).copied().unwrap_or_default(),
            header.get(i + 1).copied().unwrap_or_default(),
        ])
    };
    let flags = word(2);
    let (questions, answers, authority, additional) = (word(4), word(6), word(8), word(10));
    let mut question = None;
    for _ in 0..questions {
        let qname = r.name().map_err(wire)?;
        let qt = r.u16().map_err(wire)?;
        let _qclass = r.u16().map_err(wire)?;
        question.get_or_insert((qname, qt));
    }
    let mut records = Vec::new();
    for i in 0..u32::from(answers) + u32::from(authority) + u32::from(additional) {
        let rec = record(&mut r).map_err(wire)?;
        if i < u32::from(answers) {
            records.push(rec);
        }
    }
    if flags & 0x8000 == 0 {
        return Err(DecodeError::NotAResponse);
    }
    let expected = trim_dot(name);
    let matches = question
        .as_ref()
        .is_some_and(|(q, t)| trim_dot(q).eq_ignore_ascii_case(&expected) && *t == qtype);
    if !matches {
        return Err(DecodeError::QuestionMismatch {
            expected,
            got: question.map(|(q, _)| trim_dot(&q)),
        });
    }
    Ok(Response {
        rcode: flags & 0x000f,
        authenticated: flags & 0x0020 != 0,
        truncated: flags & 0x0200 != 0,
        records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use simple_dns::rdata::RData;
    use simple_dns::rdata::TXT;
    use simple_dns::{CLASS, Name, Question, ResourceRecord};
    use simple_dns::{Packet, PacketFlag, QTYPE, TYPE};

    /// A reply (id 0) asking `qname`/`qtype`, built by simple-dns.
    fn reply(qname: &str, qtype: u16) -> Packet<'static> {
        let mut p = Packet::new_reply(0);
        p.questions.push(Question::new(
            Name::new_unchecked(qname).into_owned(),
            QTYPE::TYPE(TYPE::from(qtype)),
            simple_dns::QCLASS::CLASS(CLASS::IN),
            false,
        ));
        p
    }

    fn answer(qname: &str, qtype: u16, build: impl FnOnce(&mut Packet<'static>)) -> Vec<u8> {
        let mut p = reply(qname, qtype);
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

    fn rr(name: &str, rdata: RData<'static>) -> ResourceRecord<'static> {
        ResourceRecord::new(Name::new_unchecked(name).into_owned(), CLASS::IN, 60, rdata)
    }

    #[test]
    fn every_record_type_the_checks_use_decodes_with_and_without_compression() {
        use simple_dns::rdata::{A, AAAA, CNAME, MX, PTR};
        let mut p = reply("mail.example.com", 15);
        p.answers.push(rr(
            "mail.example.com",
            RData::CNAME(CNAME(Name::new_unchecked("mx.example.com").into_owned())),
        ));
        p.answers.push(rr(
            "mx.example.com",
            RData::MX(MX {
                preference: 10,
                exchange: Name::new_unchecked("in1.mx.example.com").into_owned(),
            }),
        ));
        p.answers.push(rr(
            "in1.mx.example.com",
            RData::A(A {
                address: 0xc000_0201,
            }),
        ));
        p.answers.push(rr(
            "in1.mx.example.com",
            RData::AAAA(AAAA {
                address: 0x2001_0db8_0000_0000_0000_0000_0000_0001,
            }),
        ));
        p.answers.push(rr(
            "1.2.0.192.in-addr.arpa",
            RData::PTR(PTR(Name::new_unchecked("in1.mx.example.com").into_owned())),
        ));
        // Authority and additional records are read past, not returned.
        p.name_servers.push(rr(
            "example.com",
            RData::A(A {
                address: 0x7f00_0001,
            }),
        ));
        p.additional_records.push(rr(
            "ns.example.com",
            RData::A(A {
                address: 0x7f00_0002,
            }),
        ));
        let want = vec![
            Record {
                name: "mail.example.com".into(),
                ttl: 60,
                data: RecordData::Cname("mx.example.com".into()),
            },
            Record {
                name: "mx.example.com".into(),
                ttl: 60,
                data: RecordData::Mx(10, "in1.mx.example.com".into()),
            },
            Record {
                name: "in1.mx.example.com".into(),
                ttl: 60,
                data: RecordData::A(Ipv4Addr::new(192, 0, 2, 1)),
            },
            Record {
                name: "in1.mx.example.com".into(),
                ttl: 60,
                data: RecordData::Aaaa("2001:db8::1".parse().unwrap()),
            },
            Record {
                name: "1.2.0.192.in-addr.arpa".into(),
                ttl: 60,
                data: RecordData::Ptr("in1.mx.example.com".into()),
            },
        ];
        let plain = p.build_bytes_vec().unwrap();
        let compressed = p.build_bytes_vec_compressed().unwrap();
        assert!(compressed.len() < plain.len(), "the encoder compressed");
        for wire in [plain, compressed] {
            let r = decode_response(&wire, "MAIL.example.com.", 15).unwrap();
            assert_eq!(r.records, want);
            assert_eq!(r.rcode, 0);
        }
    }

    #[test]
    fn pointers_that_do_not_point_back_and_cut_messages_are_wire_errors() {
        let wire = answer("x.example", 1, |p| {
            p.answers.push(rr(
                "x.example",
                RData::A(simple_dns::rdata::A { address: 1 }),
            ));
        });
        // Every proper prefix is cut somewhere: an error, never a panic.
        for len in 12..wire.len() {
            assert!(
                matches!(
                    decode_response(&wire[..len], "x.example", 1),
                    Err(DecodeError::Wire { .. })
                ),
                "prefix of {len}"
            );
        }
        // The answer's owner as a pointer to itself (offset 27 in this
        // message: header 12 + question 15), then to a later byte.
        let mut looped = wire.clone();
        looped[27] = 0xc0;
        looped[28] = 27;
        let err = decode_response(&looped, "x.example", 1).unwrap_err();
        assert!(err.to_string().contains("does not point back"), "{err}");
        looped[28] = 40;
        assert!(decode_response(&looped, "x.example", 1).is_err());
    }

    #[test]
    fn dots_inside_a_label_are_escaped() {
        let mut wire = answer("x.example", 12, |_| {});
        // One PTR answer whose target label is "a.b" (one label with a dot).
        wire[7] = 1;
        wire.extend_from_slice(&[
            0xc0, 12, 0, 12, 0, 1, 0, 0, 0, 60, 0, 5, 3, b'a', b'.', b'b', 0,
        ]);
        let r = decode_response(&wire, "x.example", 12).unwrap();
        assert_eq!(r.records[0].data, RecordData::Ptr("a\\.b".into()));
    }
}
