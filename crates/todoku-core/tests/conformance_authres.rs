//! Authentication-Results parsing against external suites in ../shared/corpora:
//! authres-py (RFC 5451/7001/7601 examples) and Mail::AuthenticationResults
//! (vendor samples, bogus headers, round trips). Prints a pass rate per suite;
//! every case judged differently from the suite is listed in DIVERGENCES with
//! the reason, and a listed divergence that starts agreeing fails the test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

mod common;

use common::Tally;
use serde_json::Value;
use todoku_core::recorded::authres::{AuthResults, parse};

fn corpus(path: &str) -> Option<Value> {
    common::json(path)
}

/// The header value after an optional `Authentication-Results:` name.
fn value_of(header: &str) -> &str {
    let trimmed = header.trim_start();
    match trimmed.split_once(':') {
        Some((name, rest)) if name.eq_ignore_ascii_case("authentication-results") => rest,
        _ => header,
    }
}

/// Cases where Todoku deliberately reads the input differently from the suite.
/// (suite, case id, reason)
const DIVERGENCES: &[(&str, &str, &str)] = &[
    (
        "authres-py",
        "Authentication-Results: mail.example.org; x-tls=pass version=TLSv1.2 cipher=ECDHE-RSA-CHACHA20-POLY1305 bits=256 :: str(arobj.results[0])",
        "authres-py silently drops properties written without a ptype (`version=`); Todoku keeps them as `version=TLSv1.2` and reports the syntax problem, so the evidence is not lost",
    ),
    (
        "authres-py",
        "Authentication-Results: mail.example.org; x-tls=pass smtp.tlsversion=TLSv1.2 :: try: str(arobj.results[0].smtp_tlsversion)",
        "a Python attribute-API check (unregistered properties are not attributes); Todoku exposes every property by name, so `smtp.tlsversion` is found",
    ),
    (
        "perl-roundtrip",
        "05-parser-comment-heavy.t",
        "Mail::AuthenticationResults serialises the method version after the result (`dkim=fail / 1`); RFC 8601 and Todoku write `dkim/1=fail`",
    ),
    (
        "perl-roundtrip",
        "03-parser.t: test.example.com ; foo=bar;dkim=fail ;one=; two ;three;dmarc=pass",
        "the Perl module reads a bare word (`two`, `three`) as a result with an empty value; a bare word is not a resinfo in RFC 8601, so Todoku keeps no result for it and reports the syntax problem",
    ),
];

/// A Python repr from a doctest (`'text'` or `None`).
fn py_str(want: &str) -> Option<String> {
    let w = want.trim();
    // `str(None)` prints as 'None'.
    if w == "None" || w == "'None'" {
        return None;
    }
    let inner = w
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .unwrap_or(w);
    Some(inner.replace("\\'", "'").replace("\\\\", "\\"))
}

/// Evaluates the handful of expression shapes authres-py's doctests use.
/// Returns None for an expression this runner cannot map.
fn eval(ar: &AuthResults, expr: &str) -> Option<Option<String>> {
    let e = expr.trim();
    let e = e
        .strip_prefix("str(")
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(e);
    let (_, path) = e.split_once('.')?;
    if path == "authserv_id" {
        return Some(ar.authserv_id.clone());
    }
    let rest = path.strip_prefix("results[")?;
    let (idx, rest) = rest.split_once(']')?;
    let r = ar.results.get(idx.parse::<usize>().ok()?)?;
    if rest.is_empty() {
        return Some(Some(r.to_string()));
    }
    let rest = rest.strip_prefix('.')?;
    Some(match rest {
        "method" => Some(r.method.to_string()),
        "result" => Some(r.result.to_string()),
        "reason" => r.reason.clone(),
        _ if rest.starts_with("properties[") => {
            let (idx, field) = rest.strip_prefix("properties[")?.split_once("].")?;
            let p = r.properties.get(idx.parse::<usize>().ok()?)?;
            Some(match field {
                "type" => p.ptype.to_string(),
                "name" => p.name.to_string(),
                "value" => p.value.clone(),
                _ => return None,
            })
        }
        attr => {
            // `smtp_mailfrom` → smtp.mailfrom; `header_i` → header.i
            let (ptype, name) = attr.split_once('_')?;
            r.property(ptype, name).map(str::to_string)
        }
    })
}

#[test]
fn authres_py() {
    let Some(suite) = corpus("authres-py/authres-parse-cases.json") else {
        return;
    };
    let mut tally = Tally::new("authres-py", 211, DIVERGENCES);
    for case in suite["cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        let ar = parse(value_of(input));
        for check in case["checks"].as_array().unwrap() {
            let expr = check["expr"].as_str().unwrap();
            let want = check["want"].as_str().unwrap();
            let id = format!("{input} :: {}", expr.lines().next().unwrap_or(expr));
            if expr == "<parse>" || want.contains("Syntax error") || want.contains("Traceback") {
                tally.record(&id, !ar.problems.is_empty(), || {
                    "accepted without a syntax problem".into()
                });
            } else if expr.starts_with("try:") {
                // The attribute must be absent in authres-py's API.
                let attr = expr
                    .split("results[0].")
                    .nth(1)
                    .and_then(|s| s.split(')').next())
                    .unwrap();
                let got = eval(&ar, &format!("str(arobj.results[0].{attr})")).flatten();
                tally.record(&id, got.is_none(), || {
                    format!("{attr} = {got:?}, suite wants no such attribute")
                });
            } else if expr.starts_with("for result in") {
                let want: Vec<String> = want.lines().filter_map(py_str).collect();
                let got: Vec<String> = ar
                    .results
                    .iter()
                    .flat_map(|r| [r.method.to_string(), r.result.to_string()])
                    .collect();
                tally.record(&id, got == want, || format!("got {got:?}, want {want:?}"));
            } else {
                let want = py_str(want);
                match eval(&ar, expr) {
                    Some(got) => {
                        tally.record(&id, got == want, || format!("got {got:?}, want {want:?}"))
                    }
                    None => tally.record(&id, false, || format!("no mapping for {expr:?}")),
                }
            }
        }
    }
    tally.finish();
}

/// Comments dropped, white space collapsed: Todoku's canonical form keeps no comments.
fn without_comments(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn canonical_header(ar: &AuthResults) -> String {
    let mut head = ar.authserv_id.clone().unwrap_or_default();
    if let Some(v) = &ar.version {
        head.push(' ');
        head.push_str(v);
    }
    let mut parts = vec![head];
    if ar.results.is_empty() {
        parts.push("none".into());
    }
    parts.extend(ar.results.iter().map(ToString::to_string));
    parts.join("; ")
}

#[test]
fn mail_authenticationresults_perl() {
    let Some(suite) = corpus("mail-authenticationresults-perl/ar-cases.json") else {
        return;
    };

    let mut vendors = Tally::new("perl-vendor-samples", 31, DIVERGENCES);
    for sample in suite["vendor_samples"].as_array().unwrap() {
        let file = sample["file"].as_str().unwrap();
        let parsed: Vec<AuthResults> = sample["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| parse(value_of(h.as_str().unwrap())))
            .collect();
        if let Some(id) = sample["expected_authserv_id"].as_str() {
            let got = parsed[0].authserv_id.clone();
            vendors.record(
                &format!("{file}: authserv-id"),
                got.as_deref() == Some(id),
                || format!("got {got:?}"),
            );
        }
        for check in sample["checks"].as_array().unwrap() {
            let label = check["label"].as_str().unwrap();
            let terms: Vec<(&str, &str)> = check["search"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| (t["key"].as_str().unwrap(), t["value"].as_str().unwrap()))
                .collect();
            let count = parsed
                .iter()
                .flat_map(|ar| &ar.results)
                .filter(|r| {
                    terms.iter().all(|(key, value)| match key.split_once('.') {
                        Some((ptype, name)) => r.property(ptype, name) == Some(*value),
                        None if r.method == *key => r.result == *value,
                        None => r.property("", key) == Some(*value),
                    })
                })
                .count();
            let want = check["expected_count"].as_u64().unwrap() as usize;
            vendors.record(&format!("{file}: {label}"), count == want, || {
                format!("found {count}, want {want}")
            });
        }
    }
    vendors.finish();

    let mut bogus = Tally::new("perl-bogus", 14, DIVERGENCES);
    for (kind, inputs) in suite["bogus"].as_object().unwrap() {
        for input in inputs.as_array().unwrap() {
            let input = input.as_str().unwrap();
            let ar = parse(input);
            let id = format!("{kind}: {input}");
            if kind == "must_reject" {
                bogus.record(&id, !ar.problems.is_empty(), || {
                    "accepted without a syntax problem".into()
                });
            } else {
                // Lenient parse: the authserv-id is recovered (problems may be noted).
                let ok = ar.authserv_id.as_deref() == Some("test.example.com");
                bogus.record(&id, ok, || format!("authserv-id {:?}", ar.authserv_id));
            }
        }
    }
    bogus.finish();

    let mut roundtrip = Tally::new("perl-roundtrip", 8, DIVERGENCES);
    for case in suite["roundtrip"].as_array().unwrap() {
        let file = case["file"].as_str().unwrap();
        let input = case["input"].as_str().unwrap();
        let ar = parse(value_of(input));
        let id = if file == "03-parser.t" {
            format!("{file}: {}", input.trim())
        } else {
            file.to_string()
        };
        if let Some(expected) = case["expected"].as_str() {
            assert!(expected.starts_with("reject"), "{expected}");
            roundtrip.record(&id, !ar.problems.is_empty(), || {
                "accepted without a syntax problem".into()
            });
            continue;
        }
        let mut ok = true;
        let mut detail = String::new();
        if let Some(want) = case["expected_authserv_id"].as_str() {
            ok &= ar.authserv_id.as_deref() == Some(want);
            detail += &format!("authserv-id {:?}; ", ar.authserv_id);
        }
        if let Some(want) = case["expected_results_as_string"].as_array() {
            let want: Vec<String> = want
                .iter()
                .map(|w| without_comments(w.as_str().unwrap()))
                .collect();
            let got: Vec<String> = ar.results.iter().map(ToString::to_string).collect();
            ok &= got == want;
            detail += &format!("results {got:?}, want {want:?}");
        }
        if let Some(want) = case["expected_as_string"].as_str() {
            let want = without_comments(want)
                .replace(';', "; ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .replace(" ;", ";");
            let got = canonical_header(&ar);
            ok &= got == want;
            detail += &format!("got {got:?}, want {want:?}");
        }
        roundtrip.record(&id, ok, || detail);
    }
    roundtrip.finish();
}
