//! Decoding an `application/dns-message` answer and keeping only the records
//! that answer the question asked.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The media type a DoH answer must carry (RFC 8484 6).
pub const MEDIA_TYPE: &str = crate::ACCEPT;

/// How many CNAMEs are followed from the question name before the answer is
/// given up as a chain too long to be a real one.
pub const MAX_CNAME_CHAIN: usize = 8;

/// Longest piece of server-supplied text (a media type) quoted in an error.
const QUOTE_MAX: usize = 80;

/// A decoded answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The header's 4-bit response code (RFC 1035 4.1.1).
    pub rcode: u16,
    /// The resolver's DNSSEC "authenticated data" flag.
    pub authenticated: bool,
    /// The answer-section records that answer the question: the CNAMEs
    /// followed from the question name, in chain order, then the records of
    /// the asked type owned by the name the chain ends at.
    pub records: Vec<Record>,
    /// Answer-section records left out because they answer something else
    /// (another owner, type or class, or a CNAME off the chain).
    pub ignored: usize,
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
    /// The question section does not echo the question as asked: not
    /// exactly one question, or another type or class.
    QuestionSection {
        /// What differs.
        detail: String,
    },
    /// The message ID is not 0, the ID every query is sent with (RFC 8484 4.1).
    WrongId {
        /// The ID received.
        id: u16,
    },
    /// The TC flag is set: the answer is partial and is not used.
    Truncated,
    /// The CNAMEs from the question name lead back to a name already on the chain.
    CnameLoop {
        /// The name reached a second time.
        name: String,
    },
    /// More than [`MAX_CNAME_CHAIN`] CNAMEs from the question name.
    CnameChainTooLong {
        /// The limit.
        limit: usize,
    },
    /// The HTTP answer is not `application/dns-message` (an HTML block page,
    /// a JSON API answer…).
    MediaType {
        /// The `Content-Type` received (cut short), if there was one.
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
            DecodeError::QuestionSection { detail } => {
                write!(f, "the answer does not repeat the question asked: {detail}")
            }
            DecodeError::WrongId { id } => {
                write!(f, "answer with message ID {id}, not 0 as sent")
            }
            DecodeError::Truncated => {
                f.write_str("truncated answer (TC flag set); a partial answer is not used")
            }
            DecodeError::CnameLoop { name } => {
                write!(f, "the CNAME chain loops back to {name:?}")
            }
            DecodeError::CnameChainTooLong { limit } => {
                write!(f, "a CNAME chain longer than {limit} links")
            }
            DecodeError::MediaType { got: Some(got) } => {
                write!(f, "the answer is {got:?}, not {MEDIA_TYPE}")
            }
            DecodeError::MediaType { got: None } => {
                write!(f, "the answer has no Content-Type, not {MEDIA_TYPE}")
            }
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

/// One resource record as read: its type and class beside the record.
struct Read {
    record: Record,
    rtype: u16,
    class: u16,
}

/// One resource record: its owner, type, class, TTL and decoded data (the
/// data is read only for the types the checks use).
fn record(r: &mut Reader<'_>) -> WireResult<Read> {
    let name = r.name()?;
    let rtype = r.u16()?;
    let class = r.u16()?;
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
    Ok(Read {
        record: Record {
            name: trim_dot(&name),
            ttl,
            data,
        },
        rtype,
        class,
    })
}

/// Class IN.
const CLASS_IN: u16 = 1;
/// CNAME type code.
const TYPE_CNAME: u16 = 5;

/// Whether a `Content-Type` header value is `application/dns-message`
/// (parameters and case aside); the transports call this before decoding.
///
/// ```
/// use todoku_doh::check_media_type;
/// assert!(check_media_type(Some("application/dns-message")).is_ok());
/// assert!(check_media_type(Some("Application/DNS-Message; charset=x")).is_ok());
/// assert!(check_media_type(Some("application/dns-json")).is_err());
/// assert!(check_media_type(None).is_err());
/// ```
pub fn check_media_type(content_type: Option<&str>) -> Result<(), DecodeError> {
    let essence = content_type.map(|c| c.split(';').next().unwrap_or_default().trim());
    if essence.is_some_and(|e| e.eq_ignore_ascii_case(MEDIA_TYPE)) {
        return Ok(());
    }
    Err(DecodeError::MediaType {
        got: content_type.map(|c| c.chars().take(QUOTE_MAX).collect()),
    })
}

/// Decode `bytes` as the answer to `name`/`qtype` (sent with ID 0, class IN).
///
/// The answer must be a complete response (TC clear) with ID 0 whose
/// question section is that question. Of its answer records, only those
/// that answer the question are kept: the CNAMEs followed from `name` (at
/// most [`MAX_CNAME_CHAIN`], no loop), then the records of type `qtype` owned
/// by the name the chain ends at, class IN, owners compared without regard
/// to ASCII case. The others are counted in [`Response::ignored`].
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
    let (id, flags) = (word(0), word(2));
    let is_response = flags & 0x8000 != 0;
    let truncated = flags & 0x0200 != 0;
    let (questions, answers, authority, additional) = (word(4), word(6), word(8), word(10));
    let mut sections = || -> WireResult<_> {
        let mut question = None;
        for _ in 0..questions {
            let qname = r.name()?;
            let qt = r.u16()?;
            let qclass = r.u16()?;
            question.get_or_insert((qname, qt, qclass));
        }
        let mut records = Vec::new();
        for i in 0..u32::from(answers) + u32::from(authority) + u32::from(additional) {
            let rec = record(&mut r)?;
            if i < u32::from(answers) {
                records.push(rec);
            }
        }
        Ok((question, records))
    };
    let (question, records) = match sections() {
        Ok(read) => read,
        // A partial answer may well be cut mid-record: say it was partial.
        Err(_) if is_response && truncated => return Err(DecodeError::Truncated),
        Err(detail) => return Err(wire(detail)),
    };
    if !is_response {
        return Err(DecodeError::NotAResponse);
    }
    if truncated {
        return Err(DecodeError::Truncated);
    }
    if id != 0 {
        return Err(DecodeError::WrongId { id });
    }
    let expected = trim_dot(name);
    let Some((qname, qt, qclass)) = question else {
        return Err(DecodeError::QuestionMismatch {
            expected,
            got: None,
        });
    };
    let qname = trim_dot(&qname);
    if !qname.eq_ignore_ascii_case(&expected) {
        return Err(DecodeError::QuestionMismatch {
            expected,
            got: Some(qname),
        });
    }
    let detail = if questions != 1 {
        Some(format!("{questions} questions instead of one"))
    } else if qt != qtype {
        Some(format!("type {qt} instead of {qtype}"))
    } else if qclass != CLASS_IN {
        Some(format!("class {qclass} instead of IN"))
    } else {
        None
    };
    if let Some(detail) = detail {
        return Err(DecodeError::QuestionSection { detail });
    }
    let total = records.len();
    let kept = answering(records, expected, qtype)?;
    Ok(Response {
        rcode: flags & 0x000f,
        authenticated: flags & 0x0020 != 0,
        ignored: total - kept.len(),
        records: kept,
    })
}

/// The records that answer `name`/`qtype`: the CNAME chain from `name`, then
/// the `qtype` records at its end.
fn answering(mut records: Vec<Read>, name: String, qtype: u16) -> Result<Vec<Record>, DecodeError> {
    records.retain(|r| r.class == CLASS_IN);
    let owned_by = |r: &Read, owner: &str| r.record.name.eq_ignore_ascii_case(owner);
    let mut kept = Vec::new();
    let mut owner = name;
    let mut visited = vec![owner.to_ascii_lowercase()];
    // Asked for the CNAME itself, the answer is the CNAME: nothing to follow.
    let follow = qtype != TYPE_CNAME;
    while let Some(at) = records
        .iter()
        .position(|r| follow && r.rtype == TYPE_CNAME && owned_by(r, &owner))
    {
        // A second CNAME at one owner (not allowed, RFC 2181 10.1) stays
        // behind with the ignored records.
        let link = records.remove(at).record;
        let RecordData::Cname(target) = &link.data else {
            break;
        };
        if visited.len() > MAX_CNAME_CHAIN {
            return Err(DecodeError::CnameChainTooLong {
                limit: MAX_CNAME_CHAIN,
            });
        }
        let target = target.clone();
        if visited.contains(&target.to_ascii_lowercase()) {
            return Err(DecodeError::CnameLoop { name: target });
        }
        visited.push(target.to_ascii_lowercase());
        kept.push(link);
        owner = target;
    }
    // In answer order, of the asked type, at the end of the chain.
    kept.extend(
        records
            .into_iter()
            .filter(|r| r.rtype == qtype && owned_by(r, &owner))
            .map(|r| r.record),
    );
    Ok(kept)
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

    fn txt(text: &str) -> RData<'static> {
        RData::TXT(TXT::new().with_string(text).unwrap().into_owned())
    }

    fn record(name: &str, data: RecordData) -> Record {
        Record {
            name: name.into(),
            ttl: 60,
            data,
        }
    }

    #[test]
    fn every_record_type_the_checks_use_decodes_with_and_without_compression() {
        use simple_dns::rdata::{A, AAAA, CNAME, MX, PTR};
        let mx = "mx.example.com";
        let host = "in1.mx.example.com";
        let cases: Vec<(&str, u16, Vec<ResourceRecord<'static>>, Vec<Record>)> = vec![
            (
                "mail.example.com",
                15,
                vec![
                    rr(
                        "mail.example.com",
                        RData::CNAME(CNAME(Name::new_unchecked(mx).into_owned())),
                    ),
                    rr(
                        mx,
                        RData::MX(MX {
                            preference: 10,
                            exchange: Name::new_unchecked(host).into_owned(),
                        }),
                    ),
                ],
                vec![
                    record("mail.example.com", RecordData::Cname(mx.into())),
                    record(mx, RecordData::Mx(10, host.into())),
                ],
            ),
            (
                host,
                1,
                vec![rr(
                    host,
                    RData::A(A {
                        address: 0xc000_0201,
                    }),
                )],
                vec![record(host, RecordData::A(Ipv4Addr::new(192, 0, 2, 1)))],
            ),
            (
                host,
                28,
                vec![rr(
                    host,
                    RData::AAAA(AAAA {
                        address: 0x2001_0db8_0000_0000_0000_0000_0000_0001,
                    }),
                )],
                vec![record(
                    host,
                    RecordData::Aaaa("2001:db8::1".parse().unwrap()),
                )],
            ),
            (
                "1.2.0.192.in-addr.arpa",
                12,
                vec![rr(
                    "1.2.0.192.in-addr.arpa",
                    RData::PTR(PTR(Name::new_unchecked(host).into_owned())),
                )],
                vec![record(
                    "1.2.0.192.in-addr.arpa",
                    RecordData::Ptr(host.into()),
                )],
            ),
        ];
        for (qname, qtype, answers, want) in cases {
            let mut p = reply(qname, qtype);
            p.answers = answers;
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
            let plain = p.build_bytes_vec().unwrap();
            let compressed = p.build_bytes_vec_compressed().unwrap();
            assert!(compressed.len() < plain.len(), "the encoder compressed");
            for wire in [plain, compressed] {
                let asked = format!("{}.", qname.to_ascii_uppercase());
                let r = decode_response(&wire, &asked, qtype).unwrap();
                assert_eq!(r.records, want, "{qname}/{qtype}");
                assert_eq!(r.rcode, 0);
                assert_eq!(r.ignored, 0);
            }
        }
    }

    /// Regression (issue 19, item 7): a TXT owned by another name was taken
    /// as the answer (an SPF record for the asked domain).
    #[test]
    fn records_owned_by_another_name_are_ignored() {
        let wire = answer("example.com", 16, |p| {
            p.answers.push(rr("attacker.example", txt("v=spf1 +all")));
            p.answers.push(rr("sub.example.com", txt("v=spf1 +all")));
            p.answers.push(rr("EXAMPLE.com", txt("v=spf1 -all")));
        });
        let r = decode_response(&wire, "example.com", 16).unwrap();
        assert_eq!(
            r.records,
            [record(
                "EXAMPLE.com",
                RecordData::Txt(b"v=spf1 -all".to_vec())
            )]
        );
        assert_eq!(r.ignored, 2);
        // With only the stranger's record, there is no answer at all.
        let wire = answer("example.com", 16, |p| {
            p.answers.push(rr("attacker.example", txt("v=spf1 +all")));
        });
        let r = decode_response(&wire, "example.com", 16).unwrap();
        assert_eq!(r.records, []);
        assert_eq!(r.ignored, 1);
    }

    #[test]
    fn records_of_another_type_or_class_are_ignored() {
        let wire = answer("example.com", 16, |p| {
            p.answers.push(rr(
                "example.com",
                RData::A(simple_dns::rdata::A { address: 1 }),
            ));
            p.answers.push(ResourceRecord::new(
                Name::new_unchecked("example.com").into_owned(),
                CLASS::CH,
                60,
                txt("v=spf1 +all"),
            ));
            p.answers.push(rr("example.com", txt("v=spf1 -all")));
        });
        let r = decode_response(&wire, "example.com", 16).unwrap();
        assert_eq!(
            r.records,
            [record(
                "example.com",
                RecordData::Txt(b"v=spf1 -all".to_vec())
            )]
        );
        assert_eq!(r.ignored, 2);
    }

    fn cname(owner: &str, target: &str) -> ResourceRecord<'static> {
        rr(
            owner,
            RData::CNAME(simple_dns::rdata::CNAME(
                Name::new_unchecked(target).into_owned(),
            )),
        )
    }

    #[test]
    fn a_cname_chain_from_the_question_name_is_followed() {
        let wire = answer("_dmarc.shop.example", 16, |p| {
            // Out of order on purpose, with a record off the chain.
            p.answers
                .push(rr("b.dmarc.example", txt("v=DMARC1; p=reject")));
            p.answers.push(cname("a.dmarc.example", "B.dmarc.example"));
            p.answers
                .push(rr("a.dmarc.example", txt("v=DMARC1; p=none")));
            p.answers
                .push(cname("_dmarc.shop.example", "a.dmarc.example"));
            p.answers
                .push(cname("elsewhere.example", "b.dmarc.example"));
        });
        let r = decode_response(&wire, "_dmarc.shop.example", 16).unwrap();
        assert_eq!(
            r.records,
            [
                record(
                    "_dmarc.shop.example",
                    RecordData::Cname("a.dmarc.example".into())
                ),
                record(
                    "a.dmarc.example",
                    RecordData::Cname("B.dmarc.example".into())
                ),
                record(
                    "b.dmarc.example",
                    RecordData::Txt(b"v=DMARC1; p=reject".to_vec())
                ),
            ]
        );
        // The TXT at a (beside its CNAME) and the CNAME off the chain.
        assert_eq!(r.ignored, 2);
    }

    #[test]
    fn a_cname_loop_is_an_error() {
        let wire = answer("a.loop.example", 16, |p| {
            p.answers.push(cname("a.loop.example", "b.loop.example"));
            p.answers.push(cname("b.loop.example", "A.LOOP.example"));
            p.answers.push(rr("a.loop.example", txt("v=spf1 +all")));
        });
        assert_eq!(
            decode_response(&wire, "a.loop.example", 16),
            Err(DecodeError::CnameLoop {
                name: "A.LOOP.example".into()
            })
        );
    }

    #[test]
    fn a_cname_chain_longer_than_the_limit_is_an_error() {
        let chain = |links: usize| {
            answer("n0.example", 16, |p| {
                for i in 0..links {
                    p.answers.push(cname(
                        &format!("n{i}.example"),
                        &format!("n{}.example", i + 1),
                    ));
                }
                p.answers
                    .push(rr(&format!("n{links}.example"), txt("v=spf1 -all")));
            })
        };
        let r = decode_response(&chain(MAX_CNAME_CHAIN), "n0.example", 16).unwrap();
        assert_eq!(r.records.len(), MAX_CNAME_CHAIN + 1);
        assert_eq!(
            r.records.last().map(|r| &r.data),
            Some(&RecordData::Txt(b"v=spf1 -all".to_vec()))
        );
        assert_eq!(
            decode_response(&chain(MAX_CNAME_CHAIN + 1), "n0.example", 16),
            Err(DecodeError::CnameChainTooLong {
                limit: MAX_CNAME_CHAIN
            })
        );
    }

    #[test]
    fn asking_for_the_cname_itself_does_not_follow_it() {
        let wire = answer("www.example", 5, |p| {
            p.answers.push(cname("www.example", "cdn.example"));
            p.answers.push(cname("cdn.example", "edge.example"));
        });
        let r = decode_response(&wire, "www.example", 5).unwrap();
        assert_eq!(
            r.records,
            [record(
                "www.example",
                RecordData::Cname("cdn.example".into())
            )]
        );
        assert_eq!(r.ignored, 1);
    }

    /// Regression (issue 19, item 7): a truncated answer was used as if whole.
    #[test]
    fn a_truncated_answer_is_an_error_not_a_partial_answer() {
        let wire = answer("example.com", 16, |p| {
            p.answers.push(rr("example.com", txt("v=spf1 -all")));
            p.set_flags(PacketFlag::TRUNCATION);
        });
        assert_eq!(
            decode_response(&wire, "example.com", 16),
            Err(DecodeError::Truncated)
        );
        // Cut in the middle of the record, as a truncated answer may be.
        let cut = &wire[..wire.len() - 3];
        assert_eq!(
            decode_response(cut, "example.com", 16),
            Err(DecodeError::Truncated)
        );
    }

    /// Regression (issue 19, item 7): the response ID was not checked.
    #[test]
    fn an_answer_with_another_id_is_rejected() {
        let mut p = Packet::new_reply(0x1234);
        p.questions = reply("example.com", 16).questions;
        p.answers.push(rr("example.com", txt("v=spf1 -all")));
        let wire = p.build_bytes_vec().unwrap();
        assert_eq!(
            decode_response(&wire, "example.com", 16),
            Err(DecodeError::WrongId { id: 0x1234 })
        );
    }

    /// Regression (issue 19, item 7): only the first question's name and
    /// type were compared.
    #[test]
    fn a_question_section_that_does_not_echo_the_question_is_rejected() {
        // Two questions, the first one right.
        let mut p = reply("example.com", 16);
        p.questions.extend(reply("attacker.example", 16).questions);
        let err = decode_response(&p.build_bytes_vec().unwrap(), "example.com", 16).unwrap_err();
        assert!(
            matches!(&err, DecodeError::QuestionSection { detail } if detail.contains("2 questions")),
            "{err}"
        );
        // Class CH instead of IN.
        let mut p = Packet::new_reply(0);
        p.questions.push(Question::new(
            Name::new_unchecked("example.com").into_owned(),
            QTYPE::TYPE(TYPE::TXT),
            simple_dns::QCLASS::CLASS(CLASS::CH),
            false,
        ));
        let err = decode_response(&p.build_bytes_vec().unwrap(), "example.com", 16).unwrap_err();
        assert!(
            matches!(&err, DecodeError::QuestionSection { detail } if detail.contains("class 3")),
            "{err}"
        );
        // Another type.
        let wire = answer("example.com", 1, |_| {});
        let err = decode_response(&wire, "example.com", 16).unwrap_err();
        assert!(
            matches!(&err, DecodeError::QuestionSection { detail } if detail.contains("type 1")),
            "{err}"
        );
        // No question at all.
        let mut p = Packet::new_reply(0);
        p.answers.push(rr("example.com", txt("v=spf1 -all")));
        assert_eq!(
            decode_response(&p.build_bytes_vec().unwrap(), "example.com", 16),
            Err(DecodeError::QuestionMismatch {
                expected: "example.com".into(),
                got: None
            })
        );
    }

    #[test]
    fn only_application_dns_message_is_accepted() {
        for good in [
            "application/dns-message",
            "APPLICATION/DNS-MESSAGE",
            " application/dns-message ; charset=binary",
        ] {
            assert_eq!(check_media_type(Some(good)), Ok(()), "{good}");
        }
        for bad in [
            "application/dns-json",
            "application/json",
            "text/html; charset=utf-8",
            "",
            "application/dns-messagex",
        ] {
            let err = check_media_type(Some(bad)).unwrap_err();
            assert_eq!(
                err,
                DecodeError::MediaType {
                    got: Some(bad.into())
                }
            );
            assert!(
                err.to_string().contains("not application/dns-message"),
                "{err}"
            );
        }
        assert_eq!(
            check_media_type(None),
            Err(DecodeError::MediaType { got: None })
        );
        // A long header is quoted cut short.
        let long = format!("text/html; x={}", "y".repeat(10_000));
        let err = check_media_type(Some(&long)).unwrap_err();
        assert!(err.to_string().len() < 200, "{err}");
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
