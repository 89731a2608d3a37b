//! Rejections decoded: the SMTP replies in a bounce (`550-5.7.26 …`,
//! `421 4.7.0 [TSS04] …`) named, explained and tied to the finding whose fix
//! applies. The codes are the receivers' published ones (Gmail's sender
//! guidelines, Outlook.com's high-volume rules, Yahoo's [TSSxx] deferrals)
//! and the IANA enhanced status codes for authentication (RFC 7372, 8617).

use serde::Serialize;

use crate::Span;

/// One SMTP reply found in a bounce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BounceCode {
    /// The three-digit reply, e.g. 550.
    pub reply: Option<u16>,
    /// The enhanced status code, e.g. `5.7.26`.
    pub enhanced: String,
    /// Yahoo's bracketed reason, e.g. `TSS04`.
    pub tag: Option<String>,
    /// The receiver the text names: `gmail`, `outlook`, `yahoo`, or none.
    pub provider: Option<String>,
    /// 4xx: deferred, the sender retries; 5xx: refused for good.
    pub temporary: bool,
    /// What the receiver objected to.
    pub meaning: String,
    /// What to change.
    pub fix: String,
    /// The finding whose fix applies, when the report can show one.
    pub finding: Option<&'static str>,
    /// The line it was found on.
    pub span: Span,
}

impl BounceCode {
    /// `550 5.7.26 [TSS04]`: the reply, the code and any bracketed reason.
    pub fn label(&self) -> String {
        format!(
            "{}{}{}",
            self.reply.map(|r| format!("{r} ")).unwrap_or_default(),
            self.enhanced,
            self.tag
                .as_deref()
                .map(|t| format!(" [{t}]"))
                .unwrap_or_default()
        )
    }
}

struct Known {
    provider: Option<&'static str>,
    code: &'static str,
    meaning: &'static str,
    fix: &'static str,
    finding: Option<&'static str>,
}

const KNOWN: &[Known] = &[
    Known {
        provider: Some("gmail"),
        code: "x.7.23",
        meaning: "Gmail: the sending IP has no PTR record, or the PTR name does not resolve back to the IP.",
        fix: "Ask the owner of the IP (hosting provider or ISP) for a PTR record naming the server, and give that name an A/AAAA record with the same IP.",
        finding: Some("iprev.missing"),
    },
    Known {
        provider: Some("gmail"),
        code: "x.7.25",
        meaning: "Gmail: the sending IP has no PTR record, or the PTR name does not resolve back to the IP.",
        fix: "Ask the owner of the IP (hosting provider or ISP) for a PTR record naming the server, and give that name an A/AAAA record with the same IP.",
        finding: Some("iprev.missing"),
    },
    Known {
        provider: Some("gmail"),
        code: "x.7.26",
        meaning: "Gmail: the message is unauthenticated: neither SPF nor DKIM passed, or it failed the From domain's DMARC policy.",
        fix: "Make SPF and DKIM pass for the sending server, with at least one aligned with the From domain.",
        finding: Some("dmarc.fail"),
    },
    Known {
        provider: Some("gmail"),
        code: "x.7.27",
        meaning: "Gmail: SPF did not pass for this message.",
        fix: "List the sending server in the envelope domain's SPF record (its IP or its provider's include).",
        finding: Some("spf.fail"),
    },
    Known {
        provider: Some("gmail"),
        code: "x.7.28",
        meaning: "Gmail: an unusual rate of mail or of spam complaints from this sender; it is rate-limited.",
        fix: "Cannot be told from the headers: slow down, check Postmaster Tools' spam rate (keep it under 0.3%, ideally 0.1%), and send only to people who asked.",
        finding: None,
    },
    Known {
        provider: Some("gmail"),
        code: "x.7.29",
        meaning: "Gmail: the message was not sent over TLS.",
        fix: "Enable STARTTLS on the sending server (Postfix `smtp_tls_security_level = may`).",
        finding: Some("tls.not_used"),
    },
    Known {
        provider: Some("gmail"),
        code: "x.7.30",
        meaning: "Gmail: DKIM did not pass for this message.",
        fix: "Sign with DKIM and publish the selector's key; check the signature survives (no changes after signing).",
        finding: Some("dkim.fail"),
    },
    Known {
        provider: Some("gmail"),
        code: "x.7.31",
        meaning: "Gmail: the sending domain has no DMARC record (bulk senders need one).",
        fix: "Publish `_dmarc.<domain>` TXT `v=DMARC1; p=none; rua=mailto:…` at least.",
        finding: Some("dmarc.missing"),
    },
    Known {
        provider: Some("gmail"),
        code: "x.7.32",
        meaning: "Gmail: the From domain is not aligned with the domain SPF or DKIM authenticated.",
        fix: "Sign DKIM with the From domain (custom DKIM at the sending service) or use a Return-Path under it.",
        finding: Some("dmarc.not_aligned"),
    },
    Known {
        provider: Some("gmail"),
        code: "x.7.40",
        meaning: "Gmail: the sending domain has no DMARC record (bulk senders need one).",
        fix: "Publish `_dmarc.<domain>` TXT `v=DMARC1; p=none; rua=mailto:…` at least.",
        finding: Some("dmarc.missing"),
    },
    Known {
        provider: Some("gmail"),
        code: "x.7.0",
        meaning: "Gmail deferred or refused the message as suspicious (often unauthenticated mail from an IP with little reputation).",
        fix: "Authenticate (SPF, DKIM, DMARC), fix reverse DNS, and send less from a new IP until it has a reputation.",
        finding: None,
    },
    Known {
        provider: Some("gmail"),
        code: "x.7.1",
        meaning: "Gmail refused the message by policy (spam content, a blocked sender, or an authentication failure the text names).",
        fix: "Read the rest of the reply; check the authentication results and the sending IP's reputation.",
        finding: None,
    },
    Known {
        provider: Some("outlook"),
        code: "x.7.515",
        meaning: "Outlook.com: the sending domain does not meet the required authentication level (high-volume senders need SPF, DKIM and DMARC passing).",
        fix: "Make SPF and DKIM pass and publish DMARC (at least p=none) aligned with the From domain.",
        finding: Some("dmarc.fail"),
    },
    Known {
        provider: Some("yahoo"),
        code: "x.7.9",
        meaning: "Yahoo: not accepted for policy reasons (often failed authentication or DMARC).",
        fix: "Make SPF and DKIM pass, aligned with From, and publish DMARC.",
        finding: Some("dmarc.fail"),
    },
    Known {
        provider: None,
        code: "x.7.20",
        meaning: "No passing DKIM signature was found (RFC 7372).",
        fix: "Sign with DKIM and publish the key.",
        finding: Some("dkim.none"),
    },
    Known {
        provider: None,
        code: "x.7.21",
        meaning: "No acceptable DKIM signature was found (RFC 7372): the signatures fail or use a weak key or hash.",
        fix: "Sign with rsa-sha256 and a 2048-bit key, and make sure the signature verifies.",
        finding: Some("dkim.fail"),
    },
    Known {
        provider: None,
        code: "x.7.22",
        meaning: "No valid DKIM signature by the author's domain (RFC 7372).",
        fix: "Sign DKIM with the From domain.",
        finding: Some("dmarc.not_aligned"),
    },
    Known {
        provider: None,
        code: "x.7.23",
        meaning: "SPF validation failed (RFC 7372).",
        fix: "List the sending server in the envelope domain's SPF record.",
        finding: Some("spf.fail"),
    },
    Known {
        provider: None,
        code: "x.7.24",
        meaning: "SPF could not be evaluated (RFC 7372): the record is broken or the DNS failed.",
        fix: "Fix the SPF record's syntax and stay under 10 DNS lookups.",
        finding: Some("spf.permerror"),
    },
    Known {
        provider: None,
        code: "x.7.25",
        meaning: "Reverse DNS validation failed (RFC 7372).",
        fix: "Set a PTR record for the sending IP that resolves back to it.",
        finding: Some("iprev.missing"),
    },
    Known {
        provider: None,
        code: "x.7.26",
        meaning: "Several authentication checks failed (RFC 7372).",
        fix: "Make SPF and DKIM pass, aligned with From.",
        finding: Some("dmarc.fail"),
    },
    Known {
        provider: None,
        code: "x.7.29",
        meaning: "ARC validation failed (RFC 8617).",
        fix: "The forwarder's ARC chain is broken: the forwarder should seal correctly, or the sender rely on aligned DKIM.",
        finding: Some("arc.fail"),
    },
];

/// Yahoo's bracketed reasons.
const YAHOO_TAGS: &[(&str, &str, &str)] = &[
    (
        "TSS04",
        "Yahoo: deferred because of unexpected volume or user complaints from this IP.",
        "Slow down and reduce complaints (remove inactive recipients, honour unsubscribes); Yahoo retries later.",
    ),
    (
        "TSS09",
        "Yahoo: all mail from this IP is deferred permanently after sustained complaints or volume.",
        "Stop and clean the list; contact Yahoo's sender support once complaint rates are down.",
    ),
    (
        "TSS11",
        "Yahoo: deferred because of user complaints.",
        "Reduce complaints: confirm subscriptions and add one-click unsubscribe.",
    ),
];

fn provider_of(text: &str) -> Option<&'static str> {
    let t = text.to_ascii_lowercase();
    if t.contains("gsmtp") || t.contains("google.com") || t.contains("gmail") {
        Some("gmail")
    } else if t.contains("outlook.com") || t.contains("hotmail") || t.contains("protection.outlook")
    {
        Some("outlook")
    } else if t.contains("yahoo") || t.contains("[tss") {
        Some("yahoo")
    } else {
        None
    }
}

/// `c.s.d` with each part numeric (1-3 digits), class 2, 4 or 5.
fn enhanced_at(bytes: &[u8], at: usize) -> Option<(String, usize)> {
    let class = *bytes.get(at)?;
    if !matches!(class, b'2' | b'4' | b'5') || bytes.get(at + 1) != Some(&b'.') {
        return None;
    }
    let mut end = at + 2;
    let mut parts = 0;
    loop {
        let start = end;
        while bytes.get(end).is_some_and(u8::is_ascii_digit) && end - start < 3 {
            end += 1;
        }
        if end == start {
            return None;
        }
        parts += 1;
        if parts == 2 {
            break;
        }
        if bytes.get(end) != Some(&b'.') {
            return None;
        }
        end += 1;
    }
    if bytes
        .get(end)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.')
    {
        return None;
    }
    let text = std::str::from_utf8(bytes.get(at..end)?).ok()?.to_string();
    Some((text, end))
}

/// Every SMTP reply with an enhanced status code in `input`.
pub fn decode(input: &[u8]) -> Vec<BounceCode> {
    let mut out = Vec::new();
    // A reply spread over lines names its receiver once (`- gsmtp` at the end).
    // Looked up once, on the first code found: most inputs have none.
    let mut whole: Option<Option<&'static str>> = None;
    let mut line_start = 0;
    for line in split_lines(input) {
        // A code is `c.s.d`: try the byte before each dot.
        let mut i = 0;
        while let Some(dot) = line
            .get(i + 1..)
            .and_then(|rest| memchr::memchr(b'.', rest))
        {
            let at = i + dot;
            let boundary = at == 0 || !line.get(at - 1).is_some_and(u8::is_ascii_alphanumeric);
            let Some((enhanced, end)) = boundary.then(|| enhanced_at(line, at)).flatten() else {
                i = at + 1;
                continue;
            };
            let reply = (at >= 4)
                .then(|| line.get(at - 4..at - 1))
                .flatten()
                .filter(|r| {
                    r.iter().all(u8::is_ascii_digit)
                        && matches!(line.get(at - 1), Some(b' ' | b'-'))
                })
                .and_then(|r| std::str::from_utf8(r).ok()?.parse().ok());
            let dup = out
                .iter()
                .any(|c: &BounceCode| c.enhanced == enhanced && c.span.start == line_start);
            if !dup {
                let whole =
                    *whole.get_or_insert_with(|| provider_of(&String::from_utf8_lossy(input)));
                out.push(explain(
                    &String::from_utf8_lossy(line),
                    whole,
                    reply,
                    &enhanced,
                    Span {
                        start: line_start,
                        end: line_start + line.len(),
                    },
                ));
            }
            i = end;
        }
        line_start += line.len() + 1;
    }
    // Replies are often repeated line by line (550-5.7.26 …, 550 5.7.26 …).
    out.dedup_by(|b, a| a.enhanced == b.enhanced && a.reply == b.reply);
    out
}

/// The pieces of `input` between line feeds, as `split` gives them (a last
/// empty piece after a final `\n`), found with memchr: a pasted .eml can be
/// tens of megabytes.
fn split_lines(input: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(input);
    std::iter::from_fn(move || {
        let r = rest?;
        match memchr::memchr(b'\n', r) {
            Some(i) => {
                rest = r.get(i + 1..);
                Some(r.get(..i).unwrap_or_default())
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

fn explain(
    line: &str,
    whole: Option<&'static str>,
    reply: Option<u16>,
    enhanced: &str,
    span: Span,
) -> BounceCode {
    let provider = provider_of(line).or(whole);
    let generic = format!("x{}", enhanced.get(1..).unwrap_or_default());
    let known = KNOWN
        .iter()
        .find(|k| k.code == generic && k.provider.is_some() && k.provider == provider)
        .or_else(|| {
            KNOWN
                .iter()
                .find(|k| k.code == generic && k.provider.is_none())
        });
    let tag = line
        .split('[')
        .nth(1)
        .and_then(|t| t.split(']').next())
        .filter(|t| t.starts_with("TSS") || t.starts_with("BL") || t.starts_with("PH"))
        .map(str::to_string);
    let yahoo = tag
        .as_deref()
        .and_then(|t| YAHOO_TAGS.iter().find(|(name, _, _)| *name == t));
    let temporary = enhanced.starts_with('4') || reply.is_some_and(|r| (400..500).contains(&r));
    let (meaning, fix, finding) = match (yahoo, known) {
        (Some((_, meaning, fix)), _) => ((*meaning).to_string(), (*fix).to_string(), None),
        (None, Some(k)) => (k.meaning.to_string(), k.fix.to_string(), k.finding),
        (None, None) => (
            format!(
                "{} status {enhanced}: not one of the authentication codes Todoku knows; the reply text says why.",
                if temporary {
                    "A temporary"
                } else {
                    "A permanent"
                }
            ),
            "Read the reply text; the findings below show what the headers say.".to_string(),
            None,
        ),
    };
    BounceCode {
        reply,
        enhanced: enhanced.to_string(),
        tag,
        provider: provider.map(str::to_string),
        temporary,
        meaning,
        fix,
        finding,
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_like_split() {
        for input in [
            &b""[..],
            b"\n",
            b"a",
            b"a\n",
            b"a\nb",
            b"\n\na\n\n",
            b"550 5.7.1\r\nx",
        ] {
            let ours: Vec<&[u8]> = split_lines(input).collect();
            let std: Vec<&[u8]> = input.split(|&b| b == b'\n').collect();
            assert_eq!(ours, std, "{input:?}");
        }
    }

    #[test]
    fn gmail_multi_line_dmarc_rejection_is_one_code() {
        let text = "550-5.7.26 Unauthenticated email from shop.test is not accepted due to\r\n550-5.7.26 domain's DMARC policy. Please contact the administrator of\r\n550 5.7.26 shop.test domain. a1si123 - gsmtp\r\n";
        let codes = decode(text.as_bytes());
        assert_eq!(codes.len(), 1, "{codes:?}");
        let c = &codes[0];
        assert_eq!(c.reply, Some(550));
        assert_eq!(c.enhanced, "5.7.26");
        assert!(!c.temporary);
        assert_eq!(c.finding, Some("dmarc.fail"));
        assert_eq!(c.span.start, 0);
    }

    #[test]
    fn gmail_codes_name_the_requirement() {
        for (text, finding, temporary) in [
            (
                "421-4.7.23 ... PTR record ... - gsmtp",
                "iprev.missing",
                true,
            ),
            ("421-4.7.27 ... SPF ... - gsmtp", "spf.fail", true),
            ("550-5.7.30 ... DKIM ... - gsmtp", "dkim.fail", false),
            (
                "421-4.7.32 ... aligned ... - gsmtp",
                "dmarc.not_aligned",
                true,
            ),
            ("550 5.7.40 ... DMARC ... gsmtp", "dmarc.missing", false),
            ("421-4.7.29 ... TLS ... gsmtp", "tls.not_used", true),
        ] {
            let c = &decode(text.as_bytes())[0];
            assert_eq!(c.provider.as_deref(), Some("gmail"));
            assert_eq!(c.finding, Some(finding), "{text}");
            assert_eq!(c.temporary, temporary, "{text}");
        }
    }

    #[test]
    fn outlook_yahoo_and_unknown_codes() {
        let o = &decode(b"550 5.7.515 Access denied, sending domain shop.test doesn't meet the required authentication level. [x.prod.protection.outlook.com]")[0];
        assert_eq!(o.provider.as_deref(), Some("outlook"));
        assert!(o.meaning.starts_with("Outlook.com"));
        let y = &decode(b"421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes")[0];
        assert_eq!(y.tag.as_deref(), Some("TSS04"));
        assert!(y.meaning.starts_with("Yahoo: deferred"));
        assert!(y.temporary);
        let u = &decode(b"554 5.1.1 <nobody@example.net>: Recipient address rejected")[0];
        assert_eq!(u.finding, None);
        assert!(u.meaning.contains("5.1.1"));
    }

    #[test]
    fn version_numbers_and_ips_are_not_codes() {
        assert!(decode(b"Postfix 3.5.17 on 192.0.2.25, TLS1.2").is_empty());
        assert!(decode(b"id 15.20.8000.10").is_empty());
    }
}
