//! The JSON report is documented by docs/report.schema.json, generated from
//! the Rust types. This test keeps the file in step with the code, and checks
//! that real reports validate against it *closed*: a copy of the schema in
//! which no object may carry a property the schema does not name, so a field
//! the code emits but the schema does not document fails.
//!
//! - the fixtures and every corpus message, LF and CRLF, analysed live
//!   against a zone that answers only todoku.test's DMARC
//!   ([`todoku_core::analyze_live`]);
//! - complete live reports ([`todoku_core::analyze_live`]): a message signed
//!   here with a real Ed25519 key (DKIM pass, DKIM fail, an ARC set that
//!   passes) against in-memory DNS that answers SPF (MX, A, include), DKIM
//!   keys, DMARC and PTR/A, in variants that reach every DMARC lookup outcome,
//!   every DNS failure kind and every record type; and every scenario of
//!   tests/scenarios with its `# zone:` lines.
//!
//! The live reports must also *use* every property the schema gives the live
//! part (`auth.live` and everything under it): removing any one of them from
//! the closed schema makes at least one report fail. So the set of reports
//! stays complete, and a field dropped from the schema is caught.
//!
//! After changing a report type: `TODOKU_BLESS=1 cargo test -p todoku-core --test schema`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signer as _, SigningKey};
use serde_json::{Map, Value, json};
use sha2::{Digest as _, Sha256};
use todoku_core::auth::dns::{
    DnsAnswer, DnsFailure, DnsRecord, FixtureResolver, NullResolver, Rcode, RecordType,
};
use todoku_core::auth::live::{DnsEvidence, DnsOutcome};

fn schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/report.schema.json")
}

fn generated() -> String {
    serde_json::to_string_pretty(&todoku_core::report_schema()).unwrap() + "\n"
}

#[test]
fn schema_file_matches_the_code() {
    let want = generated();
    if std::env::var_os("TODOKU_BLESS").is_some() {
        std::fs::write(schema_path(), &want).unwrap();
        eprintln!("wrote {}", schema_path().display());
        return;
    }
    let have = std::fs::read_to_string(schema_path()).unwrap_or_default();
    assert!(
        have == want,
        "docs/report.schema.json is out of date with the Report types; run: TODOKU_BLESS=1 cargo test -p todoku-core --test schema"
    );
}

// --- the closed schema ----------------------------------------------------------

/// The `$defs` entry a `$ref` names.
fn target<'a>(reference: &Value, defs: &'a Map<String, Value>) -> &'a Value {
    let name = reference
        .as_str()
        .and_then(|r| r.strip_prefix("#/$defs/"))
        .unwrap_or_else(|| panic!("unexpected $ref {reference}"));
    defs.get(name)
        .unwrap_or_else(|| panic!("$ref to a missing definition {name}"))
}

/// `own` (an object schema with its own properties) merged with the schema
/// it `$ref`s: one object with both property sets, or, when the target is a
/// `oneOf`, a `oneOf` of such merges. (Serde's internally tagged enums put
/// the tag next to a `$ref` to the variant's content; a closed object
/// cannot see the properties of a `$ref` beside it, so they are merged.)
fn merge(own: &Map<String, Value>, target_schema: &Value, defs: &Map<String, Value>) -> Value {
    let t = target_schema.as_object().expect("a schema object");
    if let Some(reference) = t.get("$ref") {
        return merge(own, target(reference, defs), defs);
    }
    if let Some(variants) = t.get("oneOf").and_then(Value::as_array) {
        let mut out = Map::new();
        if let Some(d) = own.get("description") {
            out.insert("description".into(), d.clone());
        }
        let merged = variants.iter().map(|v| merge(own, v, defs)).collect();
        out.insert("oneOf".into(), Value::Array(merged));
        return Value::Object(out);
    }
    let (Some(props), Some(own_props)) = (t.get("properties"), own.get("properties")) else {
        panic!("cannot merge {own:?} with {t:?}");
    };
    let mut out = t.clone();
    let mut all = props.as_object().unwrap().clone();
    all.extend(own_props.as_object().unwrap().clone());
    out.insert("properties".into(), Value::Object(all));
    let mut required: Vec<Value> = Vec::new();
    for list in [t.get("required"), own.get("required")]
        .into_iter()
        .flatten()
    {
        for name in list.as_array().unwrap() {
            if !required.contains(name) {
                required.push(name.clone());
            }
        }
    }
    out.insert("required".into(), Value::Array(required));
    out.insert("type".into(), json!("object"));
    if let Some(d) = own.get("description") {
        out.insert("description".into(), d.clone());
    }
    Value::Object(out)
}

fn close_node(node: &Value, defs: &Map<String, Value>) -> Value {
    let Some(map) = node.as_object() else {
        return node.clone();
    };
    if map.contains_key("properties")
        && let Some(reference) = map.get("$ref")
    {
        let mut own = map.clone();
        own.remove("$ref");
        return close_node(&merge(&own, target(reference, defs), defs), defs);
    }
    let mut out = Map::new();
    for (key, value) in map {
        let closed = match key.as_str() {
            // Maps from names to schemas.
            "properties" | "$defs" => Value::Object(
                value
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), close_node(v, defs)))
                    .collect(),
            ),
            // Lists of schemas.
            "oneOf" | "anyOf" | "allOf" | "prefixItems" => Value::Array(
                value
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| close_node(v, defs))
                    .collect(),
            ),
            // One schema.
            "items" | "additionalProperties" | "not" => close_node(value, defs),
            _ => value.clone(),
        };
        out.insert(key.clone(), closed);
    }
    let is_object = out.contains_key("properties")
        || match out.get("type") {
            Some(Value::String(t)) => t == "object",
            Some(Value::Array(ts)) => ts.iter().any(|t| t == "object"),
            _ => false,
        };
    if is_object && !out.contains_key("additionalProperties") {
        out.insert("additionalProperties".into(), Value::Bool(false));
    }
    Value::Object(out)
}

/// The schema with `additionalProperties: false` on every object (the
/// property sets of `$ref` siblings merged first; see [`merge`]).
fn closed(schema: &Value) -> Value {
    let defs = schema["$defs"].as_object().cloned().unwrap_or_default();
    close_node(schema, &defs)
}

fn errors(validator: &jsonschema::Validator, report: &Value) -> Vec<String> {
    validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .take(3)
        .collect()
}

#[test]
fn the_closed_schema_rejects_an_undocumented_field_and_keeps_the_tagged_dns_outcomes() {
    let open: Value = serde_json::from_str(&generated()).unwrap();
    let validator = jsonschema::validator_for(&closed(&open)).unwrap();
    let resolver = complete_zone(Ip::V4);
    let report = live_report(&complete_message(Ip::V4), &resolver);
    let mut json = serde_json::to_value(&report).unwrap();
    // Both kinds of DNS outcome (a $ref beside the tag) are in the report
    // and validate once merged.
    let outcomes: BTreeSet<&str> = json["auth"]["live"]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, BTreeSet::from(["answer", "failure"]));
    assert_eq!(errors(&validator, &json), Vec::<String>::new());
    // One field too many, at the top and deep in the live part: rejected.
    json["undocumented"] = json!(1);
    assert!(!validator.is_valid(&json));
    json.as_object_mut().unwrap().remove("undocumented");
    json["auth"]["live"]["evidence"][0]["outcome"]["extra"] = json!(true);
    assert!(!validator.is_valid(&json));
    // The open schema, as published, lets both through.
    let open_validator = jsonschema::validator_for(&open).unwrap();
    assert!(open_validator.is_valid(&json));
}

#[test]
fn real_reports_validate_against_the_closed_schema() {
    let schema = closed(&serde_json::from_str(&generated()).unwrap());
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut files = common::message_files(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures"),
    );
    let fixtures = files.len();
    assert!(
        fixtures >= 2,
        "tests/fixtures holds the repository's own messages"
    );
    // Without the corpora only tests/fixtures are validated (SKIPPED is
    // printed for the rest; under CI that is a failure).
    if common::corpora_root("schema: the corpora's messages").is_some() {
        files.extend(common::corpus_messages());
        assert!(
            files.len() > fixtures + 100,
            "the corpora's messages were found"
        );
    }
    let resolver = FixtureResolver::new().txt("_dmarc.todoku.test", "v=DMARC1; p=none");
    let mut checked = 0;
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let crlf: Vec<u8> = bytes
            .iter()
            .flat_map(|&b| {
                if b == b'\n' {
                    vec![b'\r', b'\n']
                } else {
                    vec![b]
                }
            })
            .collect();
        for input in [bytes, crlf] {
            let report =
                pollster::block_on(todoku_core::analyze_live(&input, 1_795_500_000, &resolver));
            let json = serde_json::to_value(&report).unwrap();
            let errors = errors(&validator, &json);
            assert!(errors.is_empty(), "{}: {errors:?}", file.display());
            checked += 1;
        }
    }
    println!(
        "schema: {checked} reports validated ({} messages, LF and CRLF)",
        files.len()
    );
}

/// DnsOutcome is tagged `status` (answer/failure) and DnsFailure::Http
/// carried a field `status` too: the evidence of an HTTP failure came out
/// with two `status` keys, the HTTP code winning over the tag for readers
/// that keep the last (found by validating complete live reports).
#[test]
fn an_http_failure_in_the_dns_evidence_keeps_its_status_tag() {
    let evidence = DnsEvidence {
        name: "_dmarc.shop.test".into(),
        rtype: RecordType::Txt,
        provider: "fixture".into(),
        asked_by: vec!["dmarc".into()],
        outcome: DnsOutcome::Failure(DnsFailure::Http { status: 403 }),
        latency_ms: None,
    };
    let text = serde_json::to_string(&evidence).unwrap();
    assert_eq!(text.matches("\"status\"").count(), 1, "{text}");
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["outcome"]["status"], "failure", "{text}");
    assert_eq!(json["outcome"]["kind"], "http", "{text}");
    assert_eq!(json["outcome"]["http_status"], 403, "{text}");
}

// --- complete live reports ------------------------------------------------------

/// 2026-11-24, the day after the messages were sent.
const NOW: i64 = 1_795_500_000;

/// The signing key of shop.test (DKIM) and relay.test (ARC), a fixed seed.
fn key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

fn key_record() -> String {
    format!(
        "v=DKIM1; k=ed25519; p={}",
        STANDARD.encode(key().verifying_key().to_bytes())
    )
}

/// A header field in relaxed form (RFC 6376 3.4.2), written here rather
/// than taken from the code under test.
fn relaxed(name: &str, value: &str) -> String {
    let value: Vec<&str> = value.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
    format!("{}:{}\r\n", name.to_ascii_lowercase(), value.join(" "))
}

/// `b=` for a signature field `name: unsigned` (which ends in `b=`) over
/// the `signed` fields, picked bottom-up (RFC 6376 5.4.2), Ed25519 over
/// the SHA-256 of the relaxed header input (RFC 8463).
fn sign(fields: &[(String, String)], signed: &[&str], name: &str, unsigned: &str) -> String {
    let mut used = vec![false; fields.len()];
    let mut input = String::new();
    for wanted in signed {
        if let Some(i) = (0..fields.len())
            .rev()
            .find(|&i| !used[i] && fields[i].0.eq_ignore_ascii_case(wanted))
        {
            used[i] = true;
            input += &relaxed(&fields[i].0, &fields[i].1);
        }
    }
    input += &relaxed(name, unsigned);
    input.truncate(input.len() - 2);
    STANDARD.encode(key().sign(&Sha256::digest(input.as_bytes())).to_bytes())
}

const BODY: &str = "Hello Hanako,\r\nthe minutes are attached.\r\n";

/// DKIM key lookups that fail in every way a resolver can fail, each behind
/// its own signature's selector.
fn broken_selectors() -> Vec<(&'static str, Result<DnsAnswer, DnsFailure>)> {
    let answer = |rcode| Ok(DnsAnswer::rcode(rcode));
    vec![
        ("offline", Err(DnsFailure::Offline)),
        (
            "invalid",
            Err(DnsFailure::InvalidName {
                name: "invalid".into(),
            }),
        ),
        ("timeout", Err(DnsFailure::Timeout)),
        (
            "network",
            Err(DnsFailure::Network {
                detail: "connection reset".into(),
            }),
        ),
        ("http", Err(DnsFailure::Http { status: 503 })),
        (
            "malformed",
            Err(DnsFailure::Malformed {
                detail: "truncated answer".into(),
            }),
        ),
        (
            "deadline",
            Err(DnsFailure::DeadlineExceeded { limit_ms: 20_000 }),
        ),
        ("servfail", answer(Rcode::ServFail)),
        ("refused", answer(Rcode::Refused)),
        ("notimp", answer(Rcode::Other(4))),
    ]
}

#[derive(Clone, Copy)]
enum Ip {
    V4,
    V6,
}

impl Ip {
    fn addr(self) -> &'static str {
        match self {
            Ip::V4 => "192.0.2.25",
            Ip::V6 => "2001:db8::25",
        }
    }

    fn reverse(self) -> String {
        match self {
            Ip::V4 => "25.2.0.192.in-addr.arpa".into(),
            Ip::V6 => {
                let nibbles = "20010db8000000000000000000000025";
                let mut name: Vec<String> = nibbles.chars().rev().map(String::from).collect();
                name.push("ip6.arpa".into());
                name.join(".")
            }
        }
    }
}

/// Taro's mail from shop.test to Hanako at example.net, through the shop's
/// own server `mail.shop.test` from `ip`: two DKIM signatures of shop.test
/// (one passes, one was made over another body), one per
/// [`broken_selectors`], and an ARC set sealed by relay.test over them.
fn complete_message(ip: Ip) -> String {
    let addr = ip.addr();
    let mut fields: Vec<(String, String)> = [
        ("From", "Taro Yamada <taro@shop.test>"),
        ("To", "hanako@example.net"),
        ("Subject", "Minutes of Monday's meeting"),
        ("Date", "Mon, 23 Nov 2026 20:15:02 +0900"),
        ("Message-ID", "<20261123201502.0001@shop.test>"),
    ]
    .iter()
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect();
    let signed = ["from", "to", "subject", "date", "message-id"];
    let body_hash = |body: &str| STANDARD.encode(Sha256::digest(body.as_bytes()));
    let mut signatures = Vec::new();
    for (selector, body) in [("ed1", BODY), ("old", "Another body.\r\n")] {
        let unsigned = format!(
            "v=1; a=ed25519-sha256; c=relaxed/relaxed; d=shop.test; s={selector}; t=1795432502; h={}; bh={}; b=",
            signed.join(":"),
            body_hash(body)
        );
        let b = sign(&fields, &signed, "DKIM-Signature", &unsigned);
        signatures.push(("DKIM-Signature".to_string(), unsigned + &b));
    }
    for (selector, _) in broken_selectors() {
        signatures.push((
            "DKIM-Signature".to_string(),
            format!(
                "v=1; a=ed25519-sha256; c=relaxed/relaxed; d=shop.test; s={selector}; h=from; bh={}; b=AAAA",
                body_hash(BODY)
            ),
        ));
    }
    let received = (
        "Received".to_string(),
        format!(
            "from mail.shop.test (mail.shop.test [{addr}]) by mx.example.net (Postfix) with ESMTPS id 6Tg5Hn2KpQz4vBc for <hanako@example.net>; Mon, 23 Nov 2026 20:15:03 +0900"
        ),
    );
    // ARC: results, message signature, seal (RFC 8617), by relay.test.
    let aar = "i=1; relay.test; dkim=pass header.d=shop.test; spf=pass smtp.mailfrom=shop.test; dmarc=pass header.from=shop.test".to_string();
    let ams_unsigned = format!(
        "i=1; a=ed25519-sha256; c=relaxed/relaxed; d=relay.test; s=arc; t=1795432503; h={}; bh={}; b=",
        signed.join(":"),
        body_hash(BODY)
    );
    let ams =
        ams_unsigned.clone() + &sign(&fields, &signed, "ARC-Message-Signature", &ams_unsigned);
    let seal_unsigned = "i=1; a=ed25519-sha256; cv=none; d=relay.test; s=arc; t=1795432503; b=";
    let seal_fields = vec![
        ("ARC-Authentication-Results".to_string(), aar.clone()),
        ("ARC-Message-Signature".to_string(), ams.clone()),
    ];
    let seal = seal_unsigned.to_string()
        + &sign(
            &seal_fields,
            &["arc-authentication-results", "arc-message-signature"],
            "ARC-Seal",
            seal_unsigned,
        );
    let mut top: Vec<(String, String)> = vec![
        ("Return-Path".into(), "<taro@shop.test>".into()),
        ("Delivered-To".into(), "hanako@example.net".into()),
        (
            "Received".into(),
            "from mx.example.net by mbox.example.net with LMTP id 2Qw3Er for <hanako@example.net>; Mon, 23 Nov 2026 20:15:04 +0900".into(),
        ),
        (
            "Authentication-Results".into(),
            format!(
                "mx.example.net; dkim=pass header.d=shop.test header.s=ed1; dkim=pass header.d=shop.test header.s=old; spf=pass smtp.mailfrom=taro@shop.test; dmarc=pass header.from=shop.test; arc=pass; iprev=pass policy.iprev={addr}"
            ),
        ),
        ("ARC-Seal".into(), seal),
        ("ARC-Message-Signature".into(), ams),
        ("ARC-Authentication-Results".into(), aar),
        received,
    ];
    top.extend(signatures);
    top.append(&mut fields);
    let mut message: String = top.iter().map(|(n, v)| format!("{n}: {v}\r\n")).collect();
    message += "\r\n";
    message += BODY;
    message
}

/// The DNS of [`complete_message`] today: SPF through MX, an include and
/// `a` (HELO), the keys (ed1's behind a CNAME), DMARC, PTR and the forward
/// addresses, and every [`broken_selectors`] failure.
fn complete_zone(ip: Ip) -> FixtureResolver {
    let addr = ip.addr();
    let address = match ip {
        Ip::V4 => DnsRecord::A {
            ttl: 300,
            addr: addr.parse().unwrap(),
        },
        Ip::V6 => DnsRecord::Aaaa {
            ttl: 300,
            addr: addr.parse().unwrap(),
        },
    };
    let rtype = match ip {
        Ip::V4 => RecordType::A,
        Ip::V6 => RecordType::Aaaa,
    };
    let mut zone = FixtureResolver::new()
        .txt("shop.test", "v=spf1 include:_spf.shop.test mx -all")
        .txt("_spf.shop.test", "v=spf1 ip4:198.51.100.0/24 ?all")
        .answer(
            "shop.test",
            RecordType::Mx,
            Ok(DnsAnswer::records(vec![DnsRecord::Mx {
                ttl: 300,
                preference: 10,
                exchange: "mail.shop.test".into(),
            }])),
        )
        .txt("mail.shop.test", "v=spf1 a -all")
        .answer(
            "mail.shop.test",
            rtype,
            Ok(DnsAnswer::records(vec![address])),
        )
        .answer(
            &ip.reverse(),
            RecordType::Ptr,
            Ok(DnsAnswer::records(vec![DnsRecord::Ptr {
                ttl: 300,
                name: "mail.shop.test.".into(),
            }])),
        )
        .txt(
            "_dmarc.shop.test",
            "v=DMARC1; p=reject; sp=quarantine; adkim=s; rua=mailto:dmarc@shop.test",
        )
        .answer(
            "ed1._domainkey.shop.test",
            RecordType::Txt,
            Ok(DnsAnswer {
                rcode: Rcode::NoError,
                records: vec![
                    DnsRecord::Cname {
                        ttl: 300,
                        name: "ed1.keys.shop.test".into(),
                    },
                    DnsRecord::Txt {
                        ttl: 300,
                        text: key_record(),
                    },
                ],
                authenticated: true,
            }),
        )
        .txt("old._domainkey.shop.test", &key_record())
        .txt("arc._domainkey.relay.test", &key_record())
        .latency("_dmarc.shop.test", RecordType::Txt, 31);
    for (selector, result) in broken_selectors() {
        zone = zone.answer(
            &format!("{selector}._domainkey.shop.test"),
            RecordType::Txt,
            result,
        );
    }
    zone
}

fn live_report(message: &str, resolver: &FixtureResolver) -> todoku_core::Report {
    pollster::block_on(todoku_core::analyze_live(message.as_bytes(), NOW, resolver))
}

/// Every complete live report, named: [`complete_message`] from IPv4 and
/// IPv6, with each outcome of the DMARC lookup, and every scenario.
fn live_reports() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut add = |name: String, report: todoku_core::Report| {
        out.push((name, serde_json::to_value(&report).unwrap()));
    };
    for ip in [Ip::V4, Ip::V6] {
        let message = complete_message(ip);
        let zone = complete_zone(ip);
        let dmarc = |result| {
            zone.clone()
                .answer("_dmarc.shop.test", RecordType::Txt, result)
        };
        let mut variants = vec![
            ("found".to_string(), zone.clone()),
            (
                "none".to_string(),
                dmarc(Ok(DnsAnswer::rcode(Rcode::NxDomain))),
            ),
            (
                "multiple".to_string(),
                zone.clone().txt("_dmarc.shop.test", "v=DMARC1; p=none"),
            ),
            (
                "temperror".to_string(),
                dmarc(Ok(DnsAnswer::rcode(Rcode::ServFail))),
            ),
            // A response code without a name (NOTIMP): the broken selectors
            // carry one too, but only the first eight signatures are
            // re-checked live, so it is asked here as well.
            (
                "notimp".to_string(),
                dmarc(Ok(DnsAnswer::rcode(Rcode::Other(4)))),
            ),
        ];
        if let Ip::V4 = ip {
            // Unavailable, for each way the resolver can fail.
            for (kind, result) in broken_selectors() {
                if result.is_err() {
                    variants.push((format!("unavailable ({kind})"), dmarc(result)));
                }
            }
        }
        for (dmarc, resolver) in variants {
            add(
                format!("complete message from {}, DMARC {dmarc}", ip.addr()),
                live_report(&message, &resolver),
            );
        }
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 9, "tests/scenarios is missing files");
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut zone = FixtureResolver::new();
        let mut offline = false;
        let mut lines = Vec::new();
        for line in text.lines() {
            match line.strip_prefix("# ") {
                Some(meta) if meta.starts_with("zone:") => {
                    zone = common::zone_line(zone, meta.trim_start_matches("zone:").trim());
                }
                Some(meta) => offline |= meta.trim() == "offline",
                None => lines.push(line),
            }
        }
        let message = lines.join("\r\n") + "\r\n";
        let name = format!("scenario {}", path.display());
        let report = if offline {
            pollster::block_on(todoku_core::analyze_live(
                message.as_bytes(),
                NOW,
                &NullResolver,
            ))
        } else {
            live_report(&message, &zone)
        };
        add(name, report);
    }
    out
}

#[test]
fn complete_live_reports_validate_against_the_closed_schema() {
    let open: Value = serde_json::from_str(&generated()).unwrap();
    let validator = jsonschema::validator_for(&closed(&open)).unwrap();
    let reports = live_reports();
    // The complete message reaches what it was built for, so the
    // validation below covers it: live SPF (both identities), DKIM pass and
    // fail, ARC pass, iprev pass, DMARC evaluated, then-vs-now and evidence.
    let live = &reports[0].1["auth"]["live"];
    assert_eq!(live["spf"]["result"], "pass", "{live:#}");
    assert_eq!(live["spf"]["helo_check"]["result"], "pass");
    let dkim: Vec<(&str, &str)> = live["dkim"]["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["selector"].as_str().unwrap(),
                s["result"].as_str().unwrap(),
            )
        })
        .take(2)
        .collect();
    assert_eq!(dkim, [("ed1", "pass"), ("old", "fail")]);
    assert_eq!(live["arc"]["result"], "pass", "{:#}", live["arc"]);
    assert_eq!(live["iprev"]["result"], "pass");
    assert_eq!(live["dmarc"]["result"], "pass");
    assert!(live["comparison"].as_array().unwrap().len() >= 5);
    assert!(live["evidence"].as_array().unwrap().len() >= 10);
    let (_, v6) = reports
        .iter()
        .find(|(name, _)| name.starts_with("complete message from 2001:db8::25"))
        .unwrap();
    let v6 = &v6["auth"]["live"];
    assert_eq!(v6["iprev"]["result"], "pass", "{:#}", v6["iprev"]);
    for (name, json) in &reports {
        let errors = errors(&validator, json);
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
    println!("schema: {} complete live reports validated", reports.len());
}

/// The `$defs` the live part of the report (`LiveChecks`) reaches, through
/// `$ref`s, in the closed schema.
fn live_defs(schema: &Value) -> BTreeSet<String> {
    fn refs(node: &Value, out: &mut Vec<String>) {
        match node {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                    out.push(r.trim_start_matches("#/$defs/").to_string());
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(list) => list.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    let mut todo = vec!["LiveChecks".to_string()];
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            refs(&schema["$defs"][&name], &mut todo);
        }
    }
    seen
}

/// JSON pointers (under `root`) of every object schema with properties.
fn object_schemas(node: &Value, pointer: String, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if map.get("properties").is_some_and(Value::is_object) {
                out.push(pointer.clone());
            }
            for (k, v) in map {
                let k = k.replace('~', "~0").replace('/', "~1");
                object_schemas(v, format!("{pointer}/{k}"), out);
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                object_schemas(v, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_live_property_of_the_schema_is_needed_by_some_live_report() {
    let schema = closed(&serde_json::from_str(&generated()).unwrap());
    let reports = live_reports();
    // Meaningless unless the reports validate to begin with.
    let whole = jsonschema::validator_for(&schema).unwrap();
    for (name, json) in &reports {
        assert!(whole.is_valid(json), "{name}: {:?}", errors(&whole, json));
    }
    let defs = live_defs(&schema);
    assert!(
        [
            "LiveSpf",
            "LiveDkim",
            "LiveArc",
            "LiveIprev",
            "DnsEvidence",
            "DmarcEvaluation",
            "ThenNow"
        ]
        .iter()
        .all(|d| defs.contains(*d)),
        "{defs:?}"
    );
    let mut objects = Vec::new();
    for def in &defs {
        object_schemas(&schema["$defs"][def], format!("/$defs/{def}"), &mut objects);
    }
    let mut unused = Vec::new();
    let mut tried = 0;
    for pointer in &objects {
        let names: Vec<String> = schema
            .pointer(&format!("{pointer}/properties"))
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        for name in names {
            let mut cut = schema.clone();
            let object = cut.pointer_mut(pointer).unwrap().as_object_mut().unwrap();
            object["properties"].as_object_mut().unwrap().remove(&name);
            if let Some(required) = object.get_mut("required").and_then(Value::as_array_mut) {
                required.retain(|r| r != name.as_str());
            }
            let validator = jsonschema::validator_for(&cut).unwrap();
            tried += 1;
            if reports.iter().all(|(_, json)| validator.is_valid(json)) {
                unused.push(format!("{pointer}/properties/{name}"));
            }
        }
    }
    println!(
        "schema: {tried} properties of the live part, each needed by a live report ({} reports)",
        reports.len()
    );
    assert!(
        unused.is_empty(),
        "no live report needs these properties: removing one from the closed schema fails no report, \
         so the reports do not exercise them (extend live_reports):\n{}",
        unused.join("\n")
    );
}
