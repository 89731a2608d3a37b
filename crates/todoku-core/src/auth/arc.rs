//! ARC chain validation (RFC 8617 5.2) against live DNS.
//!
//! The chain's structure is checked first (one AAR, AMS and AS per instance,
//! instances 1..N without gaps, `cv=` none then pass); then the newest
//! ARC-Message-Signature with the DKIM verifier (header-only when there is no
//! body, like DKIM), the older ones for `oldest-pass`, and every ARC-Seal over
//! the ARC sets it covers. RFC 8617 5.2.1 makes every error, DNS failures
//! included, a `fail`; a resolver that could not be asked at all gives
//! `unavailable` instead, since that says nothing about the chain.

use serde::Serialize;

use crate::auth::dkim::key::{self, Hash};
use crate::auth::dkim::{self, DkimCheck, DkimResult, Failed, Kind, Wanted, canon, perm};
use crate::auth::dns::Resolver;
use crate::auth::lookup::{Lookups, join_all};
use crate::header::dkim_sig::{self, DkimSignature};
use crate::input::message::{RawField, RawMessage};
use crate::span::Span;

/// The most ARC sets a message may carry (RFC 8617 5.2 step 1).
const MAX_SETS: u32 = 50;

/// The chain validation status (RFC 8617 4.4), plus `unavailable` for a
/// check the resolver could not be asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ArcResult {
    /// No ARC sets.
    None,
    /// The chain is intact.
    Pass,
    /// The chain is malformed or a signature does not verify.
    Fail,
    /// Not an ARC result: the resolver could not be asked.
    Unavailable,
}

impl ArcResult {
    /// The result word.
    pub fn as_str(self) -> &'static str {
        match self {
            ArcResult::None => "none",
            ArcResult::Pass => "pass",
            ArcResult::Fail => "fail",
            ArcResult::Unavailable => "unavailable",
        }
    }
}

/// One ARC set re-verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ArcSetCheck {
    /// `i=`.
    pub instance: u32,
    /// The seal's `cv=` as written.
    pub cv: Option<String>,
    /// The ARC-Seal's signature over the sets up to this one.
    pub seal: DkimCheck,
    /// The ARC-Message-Signature, verified like a DKIM signature.
    pub message_signature: DkimCheck,
}

/// The whole chain re-verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ArcCheck {
    /// The chain validation status.
    pub result: ArcResult,
    /// Why it is not `pass` or `none`, quoting the cause.
    pub reason: Option<String>,
    /// N, the highest instance (0 without ARC headers).
    pub instances: u32,
    /// The oldest instance whose ARC-Message-Signature still verifies, or 0
    /// when all do (RFC 8617 5.2 step 5); absent when not reached.
    pub oldest_pass: Option<u32>,
    /// Every set, newest first; empty when the structure already failed.
    pub sets: Vec<ArcSetCheck>,
}

impl ArcCheck {
    /// One line for people: the cause when it is not `pass`, otherwise who
    /// sealed and whether every hop's message signature still verifies.
    pub fn summary(&self) -> String {
        if let Some(reason) = &self.reason {
            return reason.clone();
        }
        if self.result == ArcResult::None {
            return "no ARC headers".to_string();
        }
        let sealers: Vec<String> = self
            .sets
            .iter()
            .rev()
            .map(|s| {
                format!(
                    "i={} d={}",
                    s.instance,
                    s.seal.domain.as_deref().unwrap_or("?")
                )
            })
            .collect();
        let oldest = match self.oldest_pass {
            Some(0) => "every hop's message signature still verifies".to_string(),
            Some(i) => format!(
                "message signatures older than i={i} no longer verify: the message was changed before that hop"
            ),
            None => String::new(),
        };
        format!(
            "{} set(s) sealed by {}; {oldest}",
            self.instances,
            sealers.join(", ")
        )
    }

    fn stop(result: ArcResult, instances: u32, reason: impl Into<String>) -> ArcCheck {
        ArcCheck {
            result,
            reason: Some(reason.into()),
            instances,
            oldest_pass: None,
            sets: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Results,
    Signature,
    Seal,
}

impl Part {
    fn of(name: &str) -> Option<Part> {
        [
            ("arc-authentication-results", Part::Results),
            ("arc-message-signature", Part::Signature),
            ("arc-seal", Part::Seal),
        ]
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, part)| part)
    }

    /// Its place in [`Chain::counts`].
    fn index(self) -> usize {
        match self {
            Part::Results => 0,
            Part::Signature => 1,
            Part::Seal => 2,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Part::Results => "ARC-Authentication-Results",
            Part::Signature => "ARC-Message-Signature",
            Part::Seal => "ARC-Seal",
        }
    }
}

/// One ARC header field with its instance.
#[derive(Debug)]
struct Member<'m> {
    part: Part,
    instance: u32,
    field: RawField<'m>,
}

/// The instance of an ARC-Authentication-Results: the value must start with
/// `i=<digits>;` (RFC 8617 4.1.1).
fn results_instance(value: &str) -> Result<u32, String> {
    let bad = || {
        format!(
            "ARC-Authentication-Results does not start with \"i=<number>;\": {:?}",
            quote(value)
        )
    };
    let rest = value.trim_start().strip_prefix('i').ok_or_else(bad)?;
    let rest = rest.trim_start().strip_prefix('=').ok_or_else(bad)?;
    let (number, _) = rest.split_once(';').ok_or_else(bad)?;
    parse_instance(number.trim()).ok_or_else(bad)
}

fn parse_instance(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|&i| i >= 1)
}

/// The start of a header value for messages, at most 60 characters.
fn quote(value: &str) -> String {
    let squeezed = crate::header::text::single_spaced(value);
    match squeezed.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", squeezed.get(..cut).unwrap_or_default()),
        None => squeezed,
    }
}

fn tags_of(part: Part, field: &RawField<'_>) -> DkimSignature {
    let bytes = field.value();
    let value = crate::header::text::lossy_cow(&bytes);
    let required = match part {
        Part::Seal => dkim_sig::SEAL_REQUIRED,
        _ => dkim_sig::AMS_REQUIRED,
    };
    dkim_sig::parse_with(&value, Span { start: 0, end: 0 }, required)
}

/// The ARC headers of a message, as the chain checks need them: the first
/// header of each part per instance up to [`MAX_SETS`], and counts of the
/// rest (a message of a million ARC headers costs no list of them; issue
/// 19 item 3).
struct Chain<'m> {
    /// The first header of each part per instance, in message order.
    members: Vec<Member<'m>>,
    /// Per instance 0 to [`MAX_SETS`], how many headers of each part
    /// ([`Part::index`]) name it.
    counts: Vec<[usize; 3]>,
    /// Per instance 0 to [`MAX_SETS`], whether a seal of it says `cv=fail`.
    cv_fail: Vec<bool>,
    /// The highest instance any header names.
    n: u32,
}

fn collect<'a>(message: &'a RawMessage<'_>) -> Result<Chain<'a>, String> {
    let slots = MAX_SETS as usize + 1;
    let mut chain = Chain {
        members: Vec::new(),
        counts: vec![[0; 3]; slots],
        cv_fail: vec![false; slots],
        n: 0,
    };
    for field in message.fields() {
        let Some(part) = Part::of(&field.name) else {
            continue;
        };
        let (instance, cv) = match part {
            Part::Results => (
                results_instance(&crate::header::text::lossy_cow(&field.value()))?,
                None,
            ),
            Part::Signature | Part::Seal => {
                let tags = tags_of(part, &field);
                let instance = tags
                    .identity
                    .as_deref()
                    .and_then(|i| parse_instance(i.trim()))
                    .ok_or_else(|| {
                        format!(
                            "{} has no valid instance (i={})",
                            part.name(),
                            tags.identity.as_deref().unwrap_or("missing")
                        )
                    })?;
                (instance, tags.cv)
            }
        };
        chain.n = chain.n.max(instance);
        let Some(count) = chain
            .counts
            .get_mut(instance as usize)
            .and_then(|c| c.get_mut(part.index()))
        else {
            continue;
        };
        *count += 1;
        if part == Part::Seal
            && cv.is_some_and(|cv| cv.eq_ignore_ascii_case("fail"))
            && let Some(fail) = chain.cv_fail.get_mut(instance as usize)
        {
            *fail = true;
        }
        if *count == 1 {
            chain.members.push(Member {
                part,
                instance,
                field,
            });
        }
    }
    Ok(chain)
}

fn find<'a, 'm>(members: &'a [Member<'m>], part: Part, instance: u32) -> Option<&'a Member<'m>> {
    members
        .iter()
        .find(|m| m.part == part && m.instance == instance)
}

/// RFC 8617 5.2 steps 2 and 3: the newest seal's `cv=`, one of each header
/// per instance, no gaps, `cv=none` at 1 and `cv=pass` above.
fn structure(chain: &Chain<'_>, n: u32) -> Result<(), String> {
    let members = chain.members.as_slice();
    let cv_of = |instance: u32| {
        find(members, Part::Seal, instance).and_then(|m| tags_of(Part::Seal, &m.field).cv)
    };
    if chain.cv_fail.get(n as usize).copied().unwrap_or_default() {
        return Err(format!(
            "the newest ARC-Seal (i={n}) says cv=fail: an intermediary already found the chain broken"
        ));
    }
    for instance in 1..=n {
        for part in [Part::Results, Part::Signature, Part::Seal] {
            let count = chain
                .counts
                .get(instance as usize)
                .and_then(|c| c.get(part.index()))
                .copied()
                .unwrap_or_default();
            if count != 1 {
                return Err(format!(
                    "ARC set i={instance} has {count} {} header fields; exactly one is required",
                    part.name()
                ));
            }
        }
        let expected = if instance == 1 { "none" } else { "pass" };
        let cv = cv_of(instance).unwrap_or_default();
        if !cv.eq_ignore_ascii_case(expected) {
            return Err(format!(
                "the ARC-Seal i={instance} says cv={cv}; it must say cv={expected}"
            ));
        }
    }
    Ok(())
}

/// The seal's hash input: every set from 1 to `instance`, each as AAR, AMS,
/// AS in relaxed form, the sealed AS itself without its `b=` value and final
/// CRLF (RFC 8617 5.1.1).
fn seal_input(members: &[Member<'_>], instance: u32) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 1..=instance {
        for part in [Part::Results, Part::Signature, Part::Seal] {
            let Some(member) = find(members, part, i) else {
                continue;
            };
            if part == Part::Seal && i == instance {
                canon::header(
                    &canon::without_b(member.field.raw),
                    canon::Canon::Relaxed,
                    &mut out,
                );
            } else {
                canon::header(member.field.raw, canon::Canon::Relaxed, &mut out);
            }
        }
    }
    if out.ends_with(b"\r\n") {
        out.truncate(out.len() - 2);
    }
    out
}

async fn verify_seal<R: Resolver>(
    members: &[Member<'_>],
    seal: &Member<'_>,
    dns: &Lookups<'_, R>,
    check: &mut DkimCheck,
) -> Result<(), Failed> {
    let sig = tags_of(Part::Seal, &seal.field);
    if let Some(problem) = sig.problems.first() {
        return Err(perm(problem.clone()));
    }
    if sig.tag_names.iter().any(|t| t == "h") {
        return Err(perm(
            "the ARC-Seal has an h= tag, which RFC 8617 4.1.3 forbids",
        ));
    }
    let a = sig.algorithm.as_deref().unwrap_or_default();
    let (key_type, hash) = key::algorithm(a)
        .filter(|(_, hash)| *hash == Hash::Sha256)
        .ok_or_else(|| perm(format!("ARC seals must use SHA-256; a={a} is not allowed")))?;
    let signature =
        crate::header::base64::decode(sig.signature.as_deref().unwrap_or_default().as_bytes())
            .ok_or_else(|| perm("b= is not valid base64"))?;
    let wanted = Wanted {
        selector: sig.selector.as_deref().unwrap_or_default(),
        domain: sig.domain.as_deref().unwrap_or_default(),
        key_type,
        hash,
        who: "arc",
    };
    let key = dkim::fetch_key(dns, &wanted, check).await?;
    let input = seal_input(members, seal.instance);
    let valid = dkim::verify_signature(dns, &wanted, &key, &input, &signature, check).await?;
    check.header_signature = Some(valid);
    if valid {
        Ok(())
    } else {
        Err((
            DkimResult::Fail,
            "the seal (b=) does not verify: an ARC header was changed, or the key does not match"
                .to_string(),
        ))
    }
}

async fn check_seal<R: Resolver>(
    members: &[Member<'_>],
    seal: &Member<'_>,
    dns: &Lookups<'_, R>,
) -> DkimCheck {
    let mut check =
        DkimCheck::unverified(&tags_of(Part::Seal, &seal.field), Span { start: 0, end: 0 });
    match verify_seal(members, seal, dns, &mut check).await {
        Ok(()) => check.result = DkimResult::Pass,
        Err((result, reason)) => {
            check.result = result;
            check.reason = Some(reason);
        }
    }
    check
}

/// What a failed signature makes of the chain: a resolver that could not be
/// asked leaves it unknown, anything else fails it (RFC 8617 5.2.1).
fn chain_result(result: DkimResult) -> ArcResult {
    match result {
        DkimResult::Pass => ArcResult::Pass,
        DkimResult::Unavailable => ArcResult::Unavailable,
        _ => ArcResult::Fail,
    }
}

/// Validate the message's ARC chain.
pub async fn check<R: Resolver>(
    message: &RawMessage<'_>,
    dns: &Lookups<'_, R>,
    now: i64,
) -> ArcCheck {
    let chain = match collect(message) {
        Ok(chain) => chain,
        Err(reason) => return ArcCheck::stop(ArcResult::Fail, 0, reason),
    };
    let n = chain.n;
    if n == 0 {
        return ArcCheck {
            result: ArcResult::None,
            reason: None,
            instances: 0,
            oldest_pass: None,
            sets: Vec::new(),
        };
    }
    if n > MAX_SETS {
        return ArcCheck::stop(
            ArcResult::Fail,
            n,
            format!("{n} ARC sets; at most {MAX_SETS} are allowed"),
        );
    }
    if let Err(reason) = structure(&chain, n) {
        return ArcCheck::stop(ArcResult::Fail, n, reason);
    }
    let members = chain.members;

    // Every signature at once: each set's AMS and AS (the structure check
    // guarantees exactly one of each per instance).
    let newest_first: Vec<(&Member<'_>, &Member<'_>)> = (1..=n)
        .rev()
        .filter_map(|i| {
            Some((
                find(&members, Part::Signature, i)?,
                find(&members, Part::Seal, i)?,
            ))
        })
        .collect();
    let signatures = join_all(
        newest_first
            .iter()
            .map(|(ams, _)| {
                dkim::check_one(
                    message,
                    &ams.field,
                    Span { start: 0, end: 0 },
                    dns,
                    now,
                    Kind::ArcMessage,
                )
            })
            .collect(),
    );
    let seals = join_all(
        newest_first
            .iter()
            .map(|(_, seal)| check_seal(&members, seal, dns))
            .collect(),
    );
    let (signatures, seals) = crate::auth::lookup::join2(signatures, seals).await;
    let sets: Vec<ArcSetCheck> = newest_first
        .iter()
        .zip(signatures.into_iter().zip(seals))
        .map(
            |((_, seal_member), (message_signature, seal))| ArcSetCheck {
                instance: seal_member.instance,
                cv: tags_of(Part::Seal, &seal_member.field).cv,
                seal,
                message_signature,
            },
        )
        .collect();

    let mut out = ArcCheck {
        result: ArcResult::Pass,
        reason: None,
        instances: n,
        oldest_pass: None,
        sets,
    };
    // Step 4: the newest AMS decides.
    if let Some(newest) = out.sets.first()
        && newest.message_signature.result != DkimResult::Pass
    {
        out.result = chain_result(newest.message_signature.result);
        out.reason = Some(format!(
            "the newest ARC-Message-Signature (i={n}) is {}: {}",
            newest.message_signature.result.as_str(),
            newest
                .message_signature
                .reason
                .as_deref()
                .unwrap_or_default()
        ));
        return out;
    }
    // Step 5: oldest-pass, walking down from N-1.
    out.oldest_pass = Some(
        out.sets
            .iter()
            .skip(1)
            .find(|s| s.message_signature.result != DkimResult::Pass)
            .map_or(0, |s| s.instance + 1),
    );
    // Step 6: every seal, newest first.
    if let Some(broken) = out.sets.iter().find(|s| s.seal.result != DkimResult::Pass) {
        out.result = chain_result(broken.seal.result);
        out.reason = Some(format!(
            "the ARC-Seal i={} is {}: {}",
            broken.instance,
            broken.seal.result.as_str(),
            broken.seal.reason.as_deref().unwrap_or_default()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::dns::FixtureResolver;

    fn run(text: &str) -> ArcCheck {
        let message = crate::input::message::split(text.as_bytes());
        let resolver = FixtureResolver::new();
        let lookups = Lookups::new(&resolver);
        pollster::block_on(check(&message, &lookups, 0))
    }

    const SEAL1: &str = "ARC-Seal: i=1; a=rsa-sha256; cv=none; d=x.test; s=s; b=AA==\n";
    const AMS1: &str =
        "ARC-Message-Signature: i=1; a=rsa-sha256; d=x.test; s=s; h=from; bh=AA==; b=AA==\n";
    const AAR1: &str = "ARC-Authentication-Results: i=1; mx.x.test; spf=pass\n";

    #[test]
    fn no_arc_headers_is_none() {
        let c = run("From: a@x.test\n\nbody\n");
        assert_eq!(c.result, ArcResult::None);
        assert_eq!(c.instances, 0);
    }

    #[test]
    fn structure_errors_fail_before_any_lookup_and_say_why() {
        let missing_aar = run(&format!("{SEAL1}{AMS1}From: a@x.test\n"));
        assert_eq!(missing_aar.result, ArcResult::Fail);
        assert!(
            missing_aar
                .reason
                .unwrap()
                .contains("i=1 has 0 ARC-Authentication-Results")
        );
        let gap = run(&format!(
            "{}{}{}{SEAL1}{AMS1}{AAR1}",
            SEAL1.replace("i=1", "i=3").replace("none", "pass"),
            AMS1.replace("i=1", "i=3"),
            AAR1.replace("i=1", "i=3"),
        ));
        assert!(gap.reason.unwrap().contains("i=2 has 0"));
        let bad_cv = run(&format!("{}{AMS1}{AAR1}", SEAL1.replace("none", "pass")));
        assert!(bad_cv.reason.unwrap().contains("must say cv=none"));
        let failed = run(&format!("{}{AMS1}{AAR1}", SEAL1.replace("none", "fail")));
        assert!(failed.reason.unwrap().contains("cv=fail"));
        let unprefixed = run(&format!(
            "{SEAL1}{AMS1}ARC-Authentication-Results: mx.x.test; i=1; spf=pass\n"
        ));
        assert!(
            unprefixed
                .reason
                .unwrap()
                .contains("does not start with \"i=<number>;\"")
        );
        let zero = run(&format!("{}{AMS1}{AAR1}", SEAL1.replace("i=1", "i=0")));
        assert!(
            zero.reason
                .unwrap()
                .contains("ARC-Seal has no valid instance (i=0)")
        );
    }

    #[test]
    fn duplicates_past_the_first_of_each_header_are_counted_not_kept() {
        // A thousand extra seals: the count is in the reason, none is kept.
        let c = run(&format!("{}{SEAL1}{AMS1}{AAR1}", SEAL1.repeat(1000)));
        assert_eq!(
            c.reason.as_deref(),
            Some("ARC set i=1 has 1001 ARC-Seal header fields; exactly one is required")
        );
        let text = format!("{}{SEAL1}{AMS1}{AAR1}", SEAL1.repeat(1000));
        let message = crate::input::message::split(text.as_bytes());
        let chain = collect(&message).unwrap();
        assert_eq!(chain.members.len(), 3);
        // A duplicate newest seal that says cv=fail is still seen.
        let failed = SEAL1.replace("cv=none", "cv=fail");
        let c = run(&format!("{SEAL1}{failed}{AMS1}{AAR1}"));
        assert!(c.reason.unwrap().contains("says cv=fail"));
    }

    #[test]
    fn a_missing_key_fails_the_newest_message_signature() {
        let c = run(&format!("{SEAL1}{AMS1}{AAR1}From: a@x.test\n"));
        assert_eq!(c.result, ArcResult::Fail);
        assert!(
            c.reason
                .as_deref()
                .unwrap()
                .contains("no key published at s._domainkey.x.test")
        );
        assert_eq!(c.sets.len(), 1);
        assert_eq!(c.summary(), c.reason.clone().unwrap());
    }

    #[test]
    fn seal_input_orders_sets_and_empties_only_the_sealed_b() {
        let text = format!(
            "{}{}{}{SEAL1}{AMS1}{AAR1}",
            SEAL1.replace("i=1", "i=2").replace("none", "pass"),
            AMS1.replace("i=1", "i=2"),
            AAR1.replace("i=1", "i=2"),
        );
        let message = crate::input::message::split(text.as_bytes());
        let members = collect(&message).unwrap().members;
        let input = String::from_utf8(seal_input(&members, 2)).unwrap();
        let lines: Vec<&str> = input.split("\r\n").collect();
        assert_eq!(lines.len(), 6);
        assert!(lines[0].starts_with("arc-authentication-results:i=1;"));
        assert!(lines[2].ends_with("b=AA=="));
        assert!(lines[5].starts_with("arc-seal:i=2;"));
        assert!(lines[5].ends_with("b="));
    }
}
