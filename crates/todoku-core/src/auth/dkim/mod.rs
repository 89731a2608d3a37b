//! DKIM verification (RFC 6376, RFC 8301, RFC 8463) against live DNS.
//!
//! The header signature (`b=`) is checked from the header fields alone, so a
//! pasted header block is enough to prove the signed headers are intact; the
//! body hash (`bh=`) is checked too when the input carries the body.

pub mod canon;
pub mod key;

use serde::Serialize;

use crate::auth::dns::{Rcode, RecordType, Resolver};
use crate::auth::lookup::Lookups;
use crate::header::dkim_sig::{self, DkimSignature};
use crate::input::message::{RawField, RawMessage};
use crate::span::Span;
use key::{Hash, KeyRecord, KeyType};

/// A DKIM result (RFC 8601 section 2.7.1 words), plus `unavailable` for a
/// check the resolver could not be asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum DkimResult {
    /// The signature verifies.
    Pass,
    /// The signature or body hash does not verify, or the key is too weak.
    Fail,
    /// The signature cannot be processed as written (missing tags, bad key...).
    PermError,
    /// The key could not be fetched because the domain's DNS failed.
    TempError,
    /// Not a DKIM result: the check could not be made here (the resolver
    /// could not be asked, the key is larger than this verifier handles, or
    /// the signature was past the limit re-checked live; the reason says which).
    Unavailable,
}

impl DkimResult {
    /// The result word.
    pub fn as_str(self) -> &'static str {
        match self {
            DkimResult::Pass => "pass",
            DkimResult::Fail => "fail",
            DkimResult::PermError => "permerror",
            DkimResult::TempError => "temperror",
            DkimResult::Unavailable => "unavailable",
        }
    }
}

/// What became of the body hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BodyCheck {
    /// The body hashes to `bh=`.
    Matches,
    /// The body does not hash to `bh=`: it was changed after signing.
    Differs,
    /// Only headers were given; `bh=` could not be checked.
    NoBody,
    /// The check stopped before the body.
    NotChecked,
}

/// What became of the public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum KeyStatus {
    /// The check stopped before asking for the key.
    NotFetched,
    /// Nothing is published at `s._domainkey.d`.
    Missing,
    /// A record is there but is not a usable key record.
    Invalid,
    /// The key is revoked (empty `p=`).
    Revoked,
    /// The domain's DNS failed (SERVFAIL and the like).
    DnsError,
    /// The resolver could not be asked.
    Unavailable,
    /// A key was found (it may still not fit the signature).
    Found,
    /// A well-formed RSA key larger than this verifier handles (over 4096
    /// bits for the built-in one): the signature was not checked here,
    /// which says nothing against the key.
    TooLarge,
}

/// One DKIM-Signature re-verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DkimCheck {
    /// The result word.
    pub result: DkimResult,
    /// `d=`.
    pub domain: Option<String>,
    /// `s=`.
    pub selector: Option<String>,
    /// `a=`.
    pub algorithm: Option<String>,
    /// Why the result is not `pass`, quoting the cause.
    pub reason: Option<String>,
    /// Whether `b=` verified over the signed headers (`None`: not reached).
    pub header_signature: Option<bool>,
    /// The body hash.
    pub body: BodyCheck,
    /// What became of the key.
    pub key_status: KeyStatus,
    /// The key record text, as found.
    pub key_record: Option<String>,
    /// The parsed key.
    pub key: Option<KeyRecord>,
    /// Things that verify but deserve attention (weak hash, short key, t=y, l=, expiry).
    pub warnings: Vec<String>,
    /// The signature field in the input.
    pub span: Span,
}

impl DkimCheck {
    /// A check of `sig` not yet made: permerror until verification says otherwise.
    pub fn unverified(sig: &DkimSignature, span: Span) -> DkimCheck {
        DkimCheck {
            result: DkimResult::PermError,
            domain: sig.domain.clone(),
            selector: sig.selector.clone(),
            algorithm: sig.algorithm.clone(),
            reason: None,
            header_signature: None,
            body: BodyCheck::NotChecked,
            key_status: KeyStatus::NotFetched,
            key_record: None,
            key: None,
            warnings: Vec::new(),
            span,
        }
    }

    /// A signature past [`MAX_LIVE_SIGNATURES`]: not re-checked, so
    /// `unavailable` (no claim that it fails), saying why.
    pub fn not_rechecked(sig: &DkimSignature, span: Span) -> DkimCheck {
        let mut check = DkimCheck::unverified(sig, span);
        check.result = DkimResult::Unavailable;
        check.reason = Some(format!(
            "not re-checked: limit of {MAX_LIVE_SIGNATURES} signatures (those aligned with From first, then top first)"
        ));
        check
    }

    /// Whether this is a signature left out by [`MAX_LIVE_SIGNATURES`]
    /// (the only `unavailable` that never reached the key).
    pub fn is_not_rechecked(&self) -> bool {
        self.result == DkimResult::Unavailable && self.key_status == KeyStatus::NotFetched
    }
}

/// At most this many DKIM-Signature fields are re-checked live. Each costs
/// a key query: without a limit, a message carrying hundreds of signatures
/// spends the live checks' time limit on them, and the checks that decide
/// delivery (DMARC, iprev) come back unavailable (issue 19 item 5).
pub const MAX_LIVE_SIGNATURES: usize = 8;

/// Which signatures are re-checked live, given each one's `d=` in header
/// order: at most [`MAX_LIVE_SIGNATURES`], first those whose `d=` likely
/// aligns with the From domain (the ones DMARC can pass on), then the rest,
/// top first.
pub fn chosen_for_live(domains: &[Option<&str>], from_domain: Option<&str>) -> Vec<bool> {
    let aligned = |d: Option<&str>| likely_aligned(d, from_domain);
    let mut chosen = vec![false; domains.len()];
    let mut left = MAX_LIVE_SIGNATURES;
    for want_aligned in [true, false] {
        for (slot, domain) in chosen.iter_mut().zip(domains) {
            if left == 0 {
                return chosen;
            }
            if !*slot && aligned(*domain) == want_aligned {
                *slot = true;
                left -= 1;
            }
        }
    }
    chosen
}

/// Verify the DKIM-Signatures in the message, all at once, returned top
/// first: of the first [`dkim_sig::MAX_DKIM_SIGNATURES`] (the ones the
/// report lists), the ones [`chosen_for_live`] picks against `from_domain`;
/// the rest are [`DkimCheck::not_rechecked`], asking nothing. `spans` holds
/// where each listed signature is in the input, in the same order (an empty
/// span for any not given).
pub async fn check_all<R: Resolver>(
    message: &RawMessage<'_>,
    spans: &[Span],
    dns: &Lookups<'_, R>,
    now: i64,
    from_domain: Option<&str>,
) -> Vec<DkimCheck> {
    let chosen = chosen_fields(message, from_domain);
    let pending = message
        .fields()
        .filter(|field| field.name.eq_ignore_ascii_case("DKIM-Signature"))
        .enumerate()
        .filter(|(index, _)| *index < dkim_sig::MAX_DKIM_SIGNATURES || chosen.contains(index))
        .map(|(index, field)| {
            let span = spans
                .get(index)
                .copied()
                .unwrap_or(Span { start: 0, end: 0 });
            let chosen = chosen.contains(&index);
            async move {
                let sig = parse_field(&field, span, Kind::Dkim);
                if chosen {
                    check_parsed(message, &field, &sig, span, dns, now, Kind::Dkim).await
                } else {
                    DkimCheck::not_rechecked(&sig, span)
                }
            }
        })
        .collect();
    crate::auth::lookup::join_all(pending).await
}

/// Whether a signature's `d=` likely aligns with the From domain.
fn likely_aligned(domain: Option<&str>, from_domain: Option<&str>) -> bool {
    domain
        .zip(from_domain)
        .is_some_and(|(d, from)| crate::header::text::likely_aligned(d, from))
}

/// Which DKIM-Signature fields are re-checked live, by their place among
/// the message's DKIM-Signature fields (0 the topmost): the choice of
/// [`chosen_for_live`], made over every signature however many there are
/// (one read at a time, none kept), so an aligned signature below a flood of
/// others is still re-checked.
pub fn chosen_fields(message: &RawMessage<'_>, from_domain: Option<&str>) -> Vec<usize> {
    let mut aligned = Vec::new();
    let mut others = Vec::new();
    let signatures = message
        .fields()
        .filter(|field| field.name.eq_ignore_ascii_case("DKIM-Signature"))
        .enumerate();
    for (index, field) in signatures {
        if aligned.len() == MAX_LIVE_SIGNATURES {
            break;
        }
        let sig = parse_field(&field, Span { start: 0, end: 0 }, Kind::Dkim);
        if likely_aligned(sig.domain.as_deref(), from_domain) {
            aligned.push(index);
        } else if others.len() < MAX_LIVE_SIGNATURES {
            others.push(index);
        }
    }
    let room = MAX_LIVE_SIGNATURES - aligned.len();
    aligned.extend(others.into_iter().take(room));
    aligned.sort_unstable();
    aligned
}

fn parse_field(field: &RawField<'_>, span: Span, kind: Kind) -> DkimSignature {
    let bytes = field.value();
    let value = crate::header::text::lossy_cow(&bytes);
    let required = match kind {
        Kind::Dkim => dkim_sig::DKIM_REQUIRED,
        Kind::ArcMessage => dkim_sig::AMS_REQUIRED,
    };
    dkim_sig::parse_with(&value, span, required)
}

/// Verify one signature field of the given kind.
pub async fn check_one<R: Resolver>(
    message: &RawMessage<'_>,
    field: &RawField<'_>,
    span: Span,
    dns: &Lookups<'_, R>,
    now: i64,
    kind: Kind,
) -> DkimCheck {
    let sig = parse_field(field, span, kind);
    check_parsed(message, field, &sig, span, dns, now, kind).await
}

async fn check_parsed<R: Resolver>(
    message: &RawMessage<'_>,
    field: &RawField<'_>,
    sig: &DkimSignature,
    span: Span,
    dns: &Lookups<'_, R>,
    now: i64,
    kind: Kind,
) -> DkimCheck {
    let mut check = DkimCheck::unverified(sig, span);
    match verify(message, field, sig, dns, now, kind, &mut check).await {
        Ok(()) => {
            check.result = DkimResult::Pass;
            check.reason = None;
        }
        Err((result, reason)) => {
            check.result = result;
            check.reason = Some(reason);
        }
    }
    check
}

/// A result other than pass, and why.
pub type Failed = (DkimResult, String);

pub(crate) fn perm(reason: impl Into<String>) -> Failed {
    (DkimResult::PermError, reason.into())
}

/// Which kind of signature is being verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// DKIM-Signature (RFC 6376).
    Dkim,
    /// ARC-Message-Signature (RFC 8617 4.1.2): `i=` is the instance, not an
    /// identity; only SHA-256; must not sign ARC-Seal.
    ArcMessage,
}

impl Kind {
    /// The header field name.
    pub fn field_name(self) -> &'static str {
        match self {
            Kind::Dkim => "DKIM-Signature",
            Kind::ArcMessage => "ARC-Message-Signature",
        }
    }

    fn who(self) -> &'static str {
        match self {
            Kind::Dkim => "dkim",
            Kind::ArcMessage => "arc",
        }
    }
}

async fn verify<R: Resolver>(
    message: &RawMessage<'_>,
    field: &RawField<'_>,
    sig: &DkimSignature,
    dns: &Lookups<'_, R>,
    now: i64,
    kind: Kind,
    check: &mut DkimCheck,
) -> Result<(), Failed> {
    let is_dkim = kind == Kind::Dkim;
    let tags = tags(sig, kind, now, check)?;
    let domain = &tags.domain;
    let wanted = Wanted {
        selector: sig.selector.as_deref().unwrap_or_default(),
        domain,
        key_type: tags.key_type,
        hash: tags.hash,
        who: kind.who(),
    };
    let key = fetch_key(dns, &wanted, check).await?;
    if key.strict_identity
        && is_dkim
        && let Some(identity) = &sig.identity
        && !identity
            .to_ascii_lowercase()
            .ends_with(&format!("@{domain}"))
    {
        return Err(perm(format!(
            "the key at {} has t=s, so i= must be exactly d={domain}",
            wanted.name()
        )));
    }

    // The header signature.
    let input = canon::header_input(message, &sig.headers, field, tags.header_canon);
    let valid = verify_signature(dns, &wanted, &key, &input, &tags.signature, check).await?;
    check.header_signature = Some(valid);
    if !valid {
        return Err((
            DkimResult::Fail,
            "the signature (b=) does not verify: a signed header was changed, or the key does not match".to_string(),
        ));
    }

    body_matches(
        message.body.as_deref(),
        sig,
        tags.body_canon,
        tags.hash,
        &tags.body_hash,
        check,
    )
}

/// A signature's tags, checked (RFC 6376 3.2, 3.5, 6.1.1; RFC 8617 4.1.2
/// for an ARC-Message-Signature): what verifying it needs, or why it is a
/// permerror. Warnings (SHA-1, expiry, l=) go into `check`.
fn tags(sig: &DkimSignature, kind: Kind, now: i64, check: &mut DkimCheck) -> Result<Tags, Failed> {
    let is_dkim = kind == Kind::Dkim;
    // Tags (RFC 6376 3.2 and 6.1.1): a malformed tag list invalidates the signature.
    if let Some(problem) = sig.problems.first() {
        return Err(perm(problem.clone()));
    }
    if is_dkim && sig.version.as_deref() != Some("1") {
        return Err(perm(format!(
            "unsupported version v={}",
            sig.version.as_deref().unwrap_or_default()
        )));
    }
    let a = sig.algorithm.as_deref().unwrap_or_default();
    let (key_type, hash) =
        key::algorithm(a).ok_or_else(|| perm(format!("unknown algorithm a={a}")))?;
    if hash == Hash::Sha1 {
        if !is_dkim {
            return Err(perm(
                "ARC allows only SHA-256 signatures (RFC 8617 4.1.2), not a=rsa-sha1",
            ));
        }
        check.warnings.push(
            "rsa-sha1 is obsolete (RFC 8301); many receivers no longer accept it: sign with rsa-sha256"
                .to_string(),
        );
    }
    // Without c=, DKIM means simple/simple (RFC 6376 3.5); the ARC
    // implementations (dkimpy, the ValiMail suite) read relaxed/relaxed.
    let c = sig.canonicalization.as_deref().or(match kind {
        Kind::Dkim => None,
        Kind::ArcMessage => Some("relaxed/relaxed"),
    });
    let (header_canon, body_canon) = canon::parse_c(c).ok_or_else(|| {
        perm(format!(
            "unknown canonicalization c={}",
            sig.canonicalization.as_deref().unwrap_or_default()
        ))
    })?;
    if is_dkim && sig.signed_count("from") == 0 {
        return Err(perm("h= does not include From, which RFC 6376 requires"));
    }
    if !is_dkim && sig.signed_count("arc-seal") > 0 {
        return Err(perm(
            "h= includes ARC-Seal, which an ARC-Message-Signature must not sign (RFC 8617 4.1.2)",
        ));
    }
    let domain = sig.domain.clone().unwrap_or_default();
    if is_dkim && let Some(identity) = &sig.identity {
        let i_domain = identity
            .rsplit_once('@')
            .map_or(identity.as_str(), |(_, d)| d)
            .trim_end_matches('.')
            .to_ascii_lowercase();
        if !crate::header::text::within(&i_domain, &domain) {
            return Err(perm(format!("i={identity} is not within d={domain}")));
        }
    }
    if let Some(expires) = sig.expires {
        if sig.timestamp.is_some_and(|t| t > expires) {
            return Err(perm(format!("x={expires} is before t=")));
        }
        if expires < now {
            check.warnings.push(format!(
                "the signature expired at {expires} (x=); receivers that check after that treat it as invalid"
            ));
        }
    }
    if let Some(length) = sig.body_length {
        check.warnings.push(format!(
            "l={length} signs only part of the body: anyone can append content that still verifies"
        ));
    }
    let signature =
        base64(sig.signature.as_deref()).ok_or_else(|| perm("b= is not valid base64"))?;
    let body_hash =
        base64(sig.body_hash.as_deref()).ok_or_else(|| perm("bh= is not valid base64"))?;
    Ok(Tags {
        key_type,
        hash,
        header_canon,
        body_canon,
        domain,
        signature,
        body_hash,
    })
}

/// What verifying a signature needs from its tags.
#[derive(Debug)]
struct Tags {
    key_type: KeyType,
    hash: Hash,
    header_canon: canon::Canon,
    body_canon: canon::Canon,
    /// `d=`.
    domain: String,
    /// `b=` and `bh=`, decoded.
    signature: Vec<u8>,
    body_hash: Vec<u8>,
}

/// Whether the body (`None`: a pasted header block) hashes to `body_hash`
/// under the signature's canonicalization and `l=`; the outcome goes into
/// `check.body`.
fn body_matches(
    body: Option<&[u8]>,
    sig: &DkimSignature,
    body_canon: canon::Canon,
    hash: Hash,
    body_hash: &[u8],
    check: &mut DkimCheck,
) -> Result<(), Failed> {
    let Some(body) = body else {
        check.body = BodyCheck::NoBody;
        return Ok(());
    };
    let mut canonical = canon::body(body, body_canon);
    if let Some(length) = sig.body_length {
        let length = usize::try_from(length).unwrap_or(usize::MAX);
        if length > canonical.len() {
            return Err(perm(format!(
                "l={length} is longer than the body ({} bytes)",
                canonical.len()
            )));
        }
        canonical.truncate(length);
    }
    if hash.digest(&canonical) == body_hash {
        check.body = BodyCheck::Matches;
        Ok(())
    } else {
        check.body = BodyCheck::Differs;
        Err((
            DkimResult::Fail,
            "the body hash (bh=) does not match: the body was changed after signing".to_string(),
        ))
    }
}

/// The key a signature asks for.
#[derive(Debug)]
pub struct Wanted<'a> {
    /// `s=`.
    pub selector: &'a str,
    /// `d=`.
    pub domain: &'a str,
    /// From `a=`.
    pub key_type: KeyType,
    /// From `a=`.
    pub hash: Hash,
    /// The check asking, for the evidence.
    pub who: &'static str,
}

impl Wanted<'_> {
    /// `selector._domainkey.domain`.
    pub fn name(&self) -> String {
        format!("{}._domainkey.{}", self.selector, self.domain)
    }
}

/// Fetch and vet the key at `s._domainkey.d` (RFC 6376 6.1.2, RFC 8301):
/// missing, revoked, wrong type or hash, not for email and RSA keys under
/// 1024 bits are failures; t=y and keys under 2048 bits are warnings. The
/// record text and parsed key are kept in `check`.
pub async fn fetch_key<R: Resolver>(
    dns: &Lookups<'_, R>,
    wanted: &Wanted<'_>,
    check: &mut DkimCheck,
) -> Result<KeyRecord, Failed> {
    let name = wanted.name();
    let answer = match dns.query(&name, RecordType::Txt, 1, wanted.who).await {
        Ok(answer) => answer,
        Err(failure) => {
            check.key_status = KeyStatus::Unavailable;
            return Err((DkimResult::Unavailable, failure.to_string()));
        }
    };
    match answer.rcode {
        Rcode::NoError | Rcode::NxDomain => {}
        rcode => {
            check.key_status = KeyStatus::DnsError;
            return Err((
                DkimResult::TempError,
                format!("DNS error {rcode:?} looking up the key at {name}"),
            ));
        }
    }
    let texts: Vec<&str> = answer.txt().collect();
    if texts.is_empty() {
        check.key_status = KeyStatus::Missing;
        return Err(perm(format!("no key published at {name}")));
    }
    check.key_status = KeyStatus::Invalid;
    let mut parsed = Err(String::new());
    for text in &texts {
        parsed = key::parse(text);
        check.key_record = Some((*text).to_string());
        if parsed.is_ok() {
            break;
        }
    }
    let key = parsed.map_err(|e| perm(format!("the key record at {name} is invalid: {e}")))?;
    check.key = Some(key.clone());
    if key.revoked {
        check.key_status = KeyStatus::Revoked;
        return Err(perm(format!("the key at {name} is revoked (empty p=)")));
    }
    check.key_status = KeyStatus::Found;
    if key.key_type != wanted.key_type {
        return Err(perm(format!(
            "the signature's a= needs a {} key but the key at {name} is k={}",
            key_type_name(wanted.key_type),
            key_type_name(key.key_type)
        )));
    }
    if !key.hashes.is_empty() && !key.hashes.iter().any(|h| h == wanted.hash.name()) {
        return Err(perm(format!(
            "the key at {name} allows only h={}",
            key.hashes.join(":")
        )));
    }
    if !key.for_email {
        return Err(perm(format!("the key at {name} is not for email (s=)")));
    }
    if key.testing {
        check.warnings.push(format!(
            "the key at {name} says t=y (testing): receivers may ignore this signature"
        ));
    }
    if key.key_type == KeyType::Rsa && key.bits < 1024 {
        return Err((
            DkimResult::Fail,
            format!(
                "the key at {name} is {} bits; RFC 8301 says keys under 1024 bits are not valid",
                key.bits
            ),
        ));
    }
    if key.key_type == KeyType::Rsa && key.bits < 2048 {
        check.warnings.push(format!(
            "the key at {name} is {} bits; 2048 is the current recommendation",
            key.bits
        ));
    }
    Ok(key)
}

/// Verify `signature` over `data` with `key`, unless the key is larger than
/// the verifier handles: then the check is not made (`unavailable`, key
/// status `too_large`), since the receiver's verifier may well handle it.
pub(crate) async fn verify_signature<R: Resolver>(
    dns: &Lookups<'_, R>,
    wanted: &Wanted<'_>,
    key: &KeyRecord,
    data: &[u8],
    signature: &[u8],
    check: &mut DkimCheck,
) -> Result<bool, Failed> {
    let max = dns.signatures().max_rsa_bits();
    if key.key_type == KeyType::Rsa && key.bits > max {
        check.key_status = KeyStatus::TooLarge;
        return Err((
            DkimResult::Unavailable,
            format!(
                "the key at {} is an RSA key of {} bits; Todoku verifies RSA keys up to {max} bits, so it did not check this signature (larger keys are allowed, and the receiver may well have verified it)",
                wanted.name(),
                key.bits
            ),
        ));
    }
    key::verify(dns.signatures(), key, wanted.hash, data, signature)
        .await
        .map_err(perm)
}

fn key_type_name(key_type: KeyType) -> &'static str {
    match key_type {
        KeyType::Rsa => "rsa",
        KeyType::Ed25519 => "ed25519",
    }
}

/// A tag's base64 value decoded (a missing tag reads as empty).
fn base64(value: Option<&str>) -> Option<Vec<u8>> {
    crate::header::base64::decode(value.unwrap_or_default().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::dns::FixtureResolver;

    const KEY: &str = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    fn message(sig: &str) -> RawMessage<'static> {
        crate::input::message::split(
            format!("DKIM-Signature: {sig}\nFrom: a@football.example.com\nSubject: hi\n\nbody\n")
                .as_bytes(),
        )
        .into_owned()
    }

    fn run(m: &RawMessage<'_>, r: &FixtureResolver) -> DkimCheck {
        let lookups = Lookups::new(r);
        pollster::block_on(check_all(m, &[], &lookups, 0, None)).remove(0)
    }

    #[test]
    fn live_signatures_are_bounded_aligned_first_then_top_first() {
        let mut domains: Vec<Option<&str>> = vec![Some("esp.test"); 20];
        domains.insert(3, None);
        domains.push(Some("mail.shop.test"));
        domains.push(Some("shop.test"));
        let chosen = chosen_for_live(&domains, Some("shop.test"));
        assert_eq!(chosen.iter().filter(|c| **c).count(), MAX_LIVE_SIGNATURES);
        let picked: Vec<usize> = (0..chosen.len()).filter(|&i| chosen[i]).collect();
        // The two aligned ones (last), then the first six others in header
        // order (index 3 has no d= and is one of them).
        assert_eq!(picked, [0, 1, 2, 3, 4, 5, 21, 22]);
        // Without a From domain: the first ones, top first.
        let chosen = chosen_for_live(&domains, None);
        assert!(chosen[..MAX_LIVE_SIGNATURES].iter().all(|c| *c));
        assert!(!chosen[MAX_LIVE_SIGNATURES..].iter().any(|c| *c));
        // Fewer than the limit: all of them.
        assert_eq!(chosen_for_live(&domains[..2], None), [true, true]);
    }

    #[test]
    fn missing_tags_and_missing_from_are_permerrors() {
        let r = FixtureResolver::new();
        let c = run(
            &message("v=1; a=rsa-sha256; d=x.test; s=s; h=subject; bh=AA==; b=AA=="),
            &r,
        );
        assert_eq!(c.result, DkimResult::PermError);
        assert!(c.reason.unwrap().contains("From"));
        let c = run(
            &message("v=1; a=rsa-sha256; d=x.test; h=from; bh=AA==; b=AA=="),
            &r,
        );
        assert!(c.reason.unwrap().contains("s= is missing"));
    }

    #[test]
    fn key_lookup_outcomes() {
        let m = message(
            "v=1; a=ed25519-sha256; d=football.example.com; s=brisbane; h=from; bh=AA==; b=AA==",
        );
        let none = FixtureResolver::new();
        let c = run(&m, &none);
        assert_eq!(c.result, DkimResult::PermError);
        assert_eq!(c.key_status, KeyStatus::Missing);
        assert!(c.reason.unwrap().contains("no key published"));
        let servfail = FixtureResolver::new().answer(
            "brisbane._domainkey.football.example.com",
            RecordType::Txt,
            Ok(crate::auth::dns::DnsAnswer::rcode(Rcode::ServFail)),
        );
        assert_eq!(run(&m, &servfail).result, DkimResult::TempError);
        assert_eq!(run(&m, &servfail).key_status, KeyStatus::DnsError);
        let revoked =
            FixtureResolver::new().txt("brisbane._domainkey.football.example.com", "v=DKIM1; p=");
        assert!(run(&m, &revoked).reason.unwrap().contains("revoked"));
        assert_eq!(run(&m, &revoked).key_status, KeyStatus::Revoked);
        let good = FixtureResolver::new().txt("brisbane._domainkey.football.example.com", KEY);
        let c = run(&m, &good);
        assert_eq!(c.result, DkimResult::Fail);
        assert_eq!(c.header_signature, Some(false));
    }
}
