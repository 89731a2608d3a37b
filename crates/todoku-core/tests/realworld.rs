//! Todoku against expert ground truth: the 226 real messages of
//! ../shared/corpora/realworld (list posts, real bounces, the Ruby mail gem's
//! fixtures), each judged by hand in tests/realworld/labels/*.json (format and
//! rules: tests/realworld/README.md).
//!
//! Every message is analysed offline as the user sees it,
//! `todoku_core::analyze(bytes, now)` (a bounce carrying its original is
//! reported as that original, a message forwarded as an attachment as the
//! attached one: issue 17), with
//! `now` = the label's `now` when it gives one, else the delivery time read
//! from the message: a first analysis (at the fixed fallback time) gives the
//! hops, oldest first, each with its parsed time; the newest `Received` hop
//! with a readable date (the topmost `Received`, `X-Received` not counted) is
//! the delivery time; without one, the Date (`summary.date`, which the engine
//! leaves out when the Date has no zone); without that, 2026-01-01T00:00:00Z.
//! `now` only feeds the findings (x= expiry, dates in the future), so the first
//! analysis is reused when the delivery time is the fallback itself.
//!
//! Measures, one line each (`realworld decoding: 224/226 agree`):
//! - decoding: subject (white-space runs collapsed, trimmed; null = none) and
//!   From address (case-insensitive) equal `summary.subject` / `summary.from`
//!   (for a bounce reported as its original: the bounce's own, shown above
//!   the recipients, `whole.outer`);
//! - recorded: `auth.recorded` spf, dkim (every result, in order), dmarc and
//!   arc result words (lower-case) equal the label's `recorded` (for a
//!   bounce reported as its original: those of the bounce as given,
//!   `analyze_message`, as the label's receiver is the bounce's);
//! - false_alarms: no error or warning finding outside must_raise ∪ may_raise;
//! - misses: every must_raise id is among the findings (any severity);
//! - verdicts: `verdict.outlook`'s JSON word is one of the label's verdicts;
//! - bounces: a non-bounce is not taken for one (`input.bounce_message`, `whole.kind`) and
//!   gets no bounce decoding; a bounce is recognised as one, and its decoding
//!   holds every status the message states (below);
//! - crashes: the analysis does not panic (never excusable).
//!
//! Bounce statuses. bounces-expected.json gives, per sisimai message, sisimai's
//! reading (`recipients[].status`, some of them sisimai's own pseudo codes,
//! `status_is_sisimai_pseudo`) and the message's delivery-status fields as
//! written (`dsn[]`). Where `dsn[]` has a `Status:`, that is what the message
//! says, so it is the expectation (its leading code: `5.0.0 (permanent
//! failure)` -> `5.0.0`); sisimai sometimes substitutes a code from the
//! diagnostic text (a Courier DSN says `Status: 5.0.0` over `550 5.1.1`), which
//! the message never gives as its status. Without `dsn[]` statuses, the
//! expectation is sisimai's non-pseudo recipient statuses, read from the text.
//! A bounce label with no entry there (mikel's fixtures) only needs a
//! non-empty decoding. Todoku's statuses are read from the JSON of
//! `report.bounce`: every string value, at any depth, that is as a whole an
//! RFC 3463 status code (`5.7.26`), so the measure does not depend on the
//! decoder's field names.
//!
//! Every disagreement is printed, `realworld DISAGREE <measure> <file>: <what
//! Todoku said> vs <label>`. The test fails on a disagreement not listed in
//! tests/realworld/divergences.json (`[{"file", "measure", "reason"}]`), on a
//! listed one that no longer happens, on labels that do not cover the
//! manifest's messages exactly once, and on a malformed label or list.
//!
//! Without ../shared/corpora (a user's clone) the test says SKIPPED and
//! passes, unless `CI` is set: CI must measure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

mod common;

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::Value;
use todoku_core::Report;

/// The measures, in the order they are printed.
const MEASURES: &[&str] = &[
    "decoding",
    "recorded",
    "false_alarms",
    "misses",
    "verdicts",
    "bounces",
    "crashes",
];

/// `now` when the message gives no delivery time: 2026-01-01T00:00:00Z.
const FALLBACK_NOW: i64 = 1_767_225_600;

/// The real messages of ../shared/corpora/realworld (its MANIFEST.json and
/// SOURCE.md), every one labelled in tests/realworld/labels.
const MESSAGES: usize = 226;

/// Finding ids a label may name beyond docs/findings.md's backticked ones.
const EXTRA_IDS: &[&str] = &["dmarc.not_aligned"];

const OUTLOOKS: &[&str] = &["filtered", "at_risk", "clean"];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Label {
    subject: Option<String>,
    from: Option<String>,
    bounce: bool,
    /// Whose verdict counts; not measured (it explains `recorded`).
    #[allow(dead_code)]
    receiver: Option<String>,
    recorded: RecordedLabel,
    must_raise: BTreeMap<String, String>,
    may_raise: BTreeMap<String, String>,
    verdicts: Vec<String>,
    why: String,
    #[serde(default)]
    now: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordedLabel {
    spf: Option<String>,
    dkim: Vec<String>,
    dmarc: Option<String>,
    arc: Option<String>,
}

const LABEL_KEYS: &[&str] = &[
    "subject",
    "from",
    "bounce",
    "receiver",
    "recorded",
    "must_raise",
    "may_raise",
    "verdicts",
    "why",
];
const RECORDED_KEYS: &[&str] = &["spf", "dkim", "dmarc", "arc"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Divergence {
    file: String,
    measure: String,
    reason: String,
}

/// Finding ids documented in docs/findings.md: every backticked
/// `family.name` token.
fn documented_ids() -> BTreeSet<String> {
    let docs = std::fs::read_to_string(repo().join("docs/findings.md")).unwrap();
    let mut ids: BTreeSet<String> = docs
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|t| {
            t.contains('.')
                && !t.starts_with('.')
                && !t.ends_with('.')
                && t.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
        })
        .map(str::to_string)
        .collect();
    ids.extend(EXTRA_IDS.iter().map(|s| s.to_string()));
    ids
}

/// Every label, by message file name; malformations go to `problems`.
fn load_labels(problems: &mut Vec<String>) -> BTreeMap<String, Label> {
    let ids = documented_ids();
    let dir = repo().join("tests/realworld/labels");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut labels = BTreeMap::new();
    for path in files {
        let shown = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("labels/{shown}: not JSON: {e}"));
                continue;
            }
        };
        let Value::Object(entries) = doc else {
            problems.push(format!("labels/{shown}: not an object keyed by file"));
            continue;
        };
        for (file, value) in entries {
            let at = format!("labels/{shown} {file}");
            if let Some(missing) = required_missing(&value, LABEL_KEYS)
                .or_else(|| required_missing(&value["recorded"], RECORDED_KEYS))
            {
                problems.push(format!("{at}: no `{missing}`"));
                continue;
            }
            let label: Label = match serde_json::from_value(value) {
                Ok(l) => l,
                Err(e) => {
                    problems.push(format!("{at}: {e}"));
                    continue;
                }
            };
            for (list, entries) in [
                ("must_raise", &label.must_raise),
                ("may_raise", &label.may_raise),
            ] {
                for (id, reason) in entries {
                    if !ids.contains(id) {
                        problems.push(format!(
                            "{at}: {list} names `{id}`, not a finding id of docs/findings.md"
                        ));
                    }
                    if reason.trim().is_empty() {
                        problems.push(format!("{at}: {list} `{id}` has no reason"));
                    }
                }
            }
            if label.verdicts.is_empty() {
                problems.push(format!("{at}: no verdicts"));
            }
            for word in &label.verdicts {
                if !OUTLOOKS.contains(&word.as_str()) {
                    problems.push(format!(
                        "{at}: verdict `{word}` is not one of {}",
                        OUTLOOKS.join("/")
                    ));
                }
            }
            if label.why.trim().is_empty() {
                problems.push(format!("{at}: `why` is empty"));
            }
            if let Some(now) = &label.now
                && rfc3339_seconds(now).is_none()
            {
                problems.push(format!("{at}: `now` {now:?} is not an RFC 3339 time"));
            }
            match labels.entry(file) {
                Entry::Vacant(slot) => {
                    slot.insert(label);
                }
                Entry::Occupied(_) => problems.push(format!(
                    "{at}: labelled more than once (the first label counts)"
                )),
            }
        }
    }
    labels
}

/// The first of `keys` that the object `value` lacks (`null` counts as given).
fn required_missing(value: &Value, keys: &[&'static str]) -> Option<&'static str> {
    match value {
        Value::Object(map) => keys.iter().find(|k| !map.contains_key(**k)).copied(),
        _ => keys.first().copied(),
    }
}

fn load_divergences(problems: &mut Vec<String>) -> Vec<Divergence> {
    let path = repo().join("tests/realworld/divergences.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match serde_json::from_str::<Vec<Divergence>>(&text) {
        Ok(list) => list,
        Err(e) => {
            problems.push(format!(
                "tests/realworld/divergences.json: {e} (expected [{{\"file\", \"measure\", \"reason\"}}])"
            ));
            Vec::new()
        }
    }
}

/// Unix seconds of an RFC 3339 time (`2005-06-06T22:21:22+02:00`, `…Z`,
/// fractions ignored).
fn rfc3339_seconds(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| std::str::from_utf8(digits).ok()?.parse().ok())?
    };
    let sep = |at: usize, c: &[u8]| b.get(at).is_some_and(|x| c.contains(x));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = 19;
    if sep(rest, b".") {
        rest += 1;
        while b.get(rest).is_some_and(u8::is_ascii_digit) {
            rest += 1;
        }
    }
    let offset = match b.get(rest..)? {
        b"Z" | b"z" => 0,
        zone if zone.len() == 6 && (zone[0] == b'+' || zone[0] == b'-') && zone[3] == b':' => {
            let minutes = num(rest + 1, 2)? * 60 + num(rest + 4, 2)?;
            if zone[0] == b'-' { -minutes } else { minutes }
        }
        _ => return None,
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset * 60)
}

/// The delivery time: the topmost `Received` with a readable date, else the
/// Date, else none.
fn delivery_time(report: &Report) -> Option<i64> {
    report
        .hops
        .iter()
        .rev()
        .filter(|h| h.source == "Received")
        .find_map(|h| h.unix_time)
        .or_else(|| report.summary.date.as_deref().and_then(rfc3339_seconds))
}

fn is_status(text: &str) -> bool {
    let mut parts = text.split('.');
    let class = parts.next().unwrap_or_default();
    let digits = |p: Option<&str>| {
        p.is_some_and(|p| (1..=3).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit()))
    };
    matches!(class, "2" | "4" | "5")
        && digits(parts.next())
        && digits(parts.next())
        && parts.next().is_none()
}

/// Every string in `value`, at any depth, that is as a whole a status code.
fn statuses_in(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::String(s) if is_status(s.trim()) => {
            out.insert(s.trim().to_string());
        }
        Value::Array(items) => items.iter().for_each(|v| statuses_in(v, out)),
        Value::Object(map) => map.values().for_each(|v| statuses_in(v, out)),
        _ => {}
    }
}

/// The statuses a bounce states (see the module comment).
fn expected_statuses(entry: Option<&Value>) -> BTreeSet<String> {
    let Some(entry) = entry else {
        return BTreeSet::new();
    };
    let leading = |v: &Value| {
        v.as_str()
            .and_then(|s| s.split_whitespace().next())
            .filter(|s| is_status(s))
            .map(str::to_string)
    };
    let from_dsn: BTreeSet<String> = entry["dsn"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| leading(&d["status"]))
        .collect();
    if !from_dsn.is_empty() {
        return from_dsn;
    }
    entry["recipients"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["status_is_sisimai_pseudo"] == Value::Bool(false))
        .filter_map(|r| leading(&r["status"]))
        .collect()
}

fn one_spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "null".to_string(), |v| format!("{v:?}"))
}

fn list(items: &BTreeSet<String>) -> String {
    format!("[{}]", items.iter().cloned().collect::<Vec<_>>().join(", "))
}

/// Each measure's disagreement for one message (`None`: agrees), as
/// `<what Todoku said> vs <label>`.
fn judge(
    report: &Report,
    as_given: Option<&Report>,
    label: &Label,
    bounce: Option<&Value>,
) -> BTreeMap<&'static str, String> {
    let mut out = BTreeMap::new();

    // decoding
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    // A bounce's report is about the message that was rejected; the label
    // names the input as given, the bounce, whose From and Subject the
    // report keeps in `whole.outer` (shown above the recipients). A
    // forwarded-as-attachment input is judged as the attached message.
    let summary = match &report.whole.outer {
        Some(outer) if report.whole.is_bounce() => outer,
        _ => &report.summary,
    };
    let subject = summary.subject.as_deref().map(one_spaced);
    let want_subject = label.subject.as_deref().map(one_spaced);
    if subject != want_subject {
        ours.push(format!("subject {}", shown(subject.as_deref())));
        theirs.push(format!("subject {}", shown(want_subject.as_deref())));
    }
    let from = summary.from.as_deref().map(str::to_lowercase);
    let want_from = label.from.as_deref().map(str::to_lowercase);
    if from != want_from {
        ours.push(format!("from {}", shown(from.as_deref())));
        theirs.push(format!("from {}", shown(want_from.as_deref())));
    }
    if !ours.is_empty() {
        out.insert(
            "decoding",
            format!("{} vs {}", ours.join(", "), theirs.join(", ")),
        );
    }

    // recorded
    let recorded = &as_given.unwrap_or(report).auth.recorded;
    let word = |r: Option<&todoku_core::recorded::authres::MethodResult>| {
        r.map(|r| r.result.to_lowercase())
    };
    let label_word = |w: &Option<String>| w.as_deref().map(str::to_lowercase);
    let null = |w: &Option<String>| w.clone().unwrap_or_else(|| "null".to_string());
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for (name, got, want) in [
        (
            "spf",
            word(recorded.spf.as_ref()),
            label_word(&label.recorded.spf),
        ),
        (
            "dmarc",
            word(recorded.dmarc.as_ref()),
            label_word(&label.recorded.dmarc),
        ),
        (
            "arc",
            word(recorded.arc.as_ref()),
            label_word(&label.recorded.arc),
        ),
    ] {
        if got != want {
            ours.push(format!("{name}={}", null(&got)));
            theirs.push(format!("{name}={}", null(&want)));
        }
    }
    let dkim: Vec<String> = recorded
        .dkim
        .iter()
        .map(|r| r.result.to_lowercase())
        .collect();
    let want_dkim: Vec<String> = label
        .recorded
        .dkim
        .iter()
        .map(|r| r.to_lowercase())
        .collect();
    if dkim != want_dkim {
        ours.push(format!("dkim=[{}]", dkim.join(",")));
        theirs.push(format!("dkim=[{}]", want_dkim.join(",")));
    }
    if !ours.is_empty() {
        out.insert(
            "recorded",
            format!("{} vs {}", ours.join(" "), theirs.join(" ")),
        );
    }

    // false_alarms
    let mut alarms: Vec<String> = Vec::new();
    for f in &report.findings {
        let severity = f.severity.as_str();
        if matches!(severity, "error" | "warning")
            && !label.must_raise.contains_key(f.id)
            && !label.may_raise.contains_key(f.id)
        {
            let item = format!("{} ({severity})", f.id);
            if !alarms.contains(&item) {
                alarms.push(item);
            }
        }
    }
    if !alarms.is_empty() {
        out.insert(
            "false_alarms",
            format!(
                "raised {} vs in neither must_raise nor may_raise",
                alarms.join(", ")
            ),
        );
    }

    // misses
    let raised: BTreeSet<&str> = report.findings.iter().map(|f| f.id).collect();
    let missed: Vec<&str> = label
        .must_raise
        .keys()
        .map(String::as_str)
        .filter(|id| !raised.contains(id))
        .collect();
    if !missed.is_empty() {
        out.insert(
            "misses",
            format!(
                "did not raise {} vs must_raise {}",
                missed.join(", "),
                missed.join(", ")
            ),
        );
    }

    // verdicts
    let outlook = report.verdict.outlook.as_str();
    if !label.verdicts.iter().any(|v| v == outlook) {
        out.insert(
            "verdicts",
            format!("{outlook} vs [{}]", label.verdicts.join(", ")),
        );
    }

    // bounces
    // Taken for a bounce by its header or as a whole (a bounce carrying
    // its original is reported as that original, `whole` saying so); the
    // statuses are those of the decoding and of the recipients listed.
    let bounce_message = report.input.bounce_message || report.whole.is_bounce();
    let decoded = serde_json::to_value(&report.bounce).unwrap();
    let entries = decoded.as_array().map_or(0, Vec::len) + report.whole.recipients.len();
    let mut found = BTreeSet::new();
    statuses_in(&decoded, &mut found);
    statuses_in(
        &serde_json::to_value(&report.whole.recipients).unwrap(),
        &mut found,
    );
    if label.bounce {
        let expected = expected_statuses(bounce);
        let missing: BTreeSet<String> = expected.difference(&found).cloned().collect();
        if !bounce_message {
            out.insert(
                "bounces",
                format!(
                    "not recognised as a bounce ({entries} code(s) decoded) vs bounce stating {}",
                    list(&expected)
                ),
            );
        } else if entries == 0 && !expected.is_empty() {
            out.insert(
                "bounces",
                format!("no bounce decoded vs bounce stating {}", list(&expected)),
            );
        } else if !missing.is_empty() {
            out.insert(
                "bounces",
                format!(
                    "decoded statuses {} vs bounce stating {} (missing {})",
                    list(&found),
                    list(&expected),
                    list(&missing)
                ),
            );
        }
    } else if entries > 0 || bounce_message {
        out.insert(
            "bounces",
            format!(
                "taken for a bounce ({}), decoded {entries} bounce code(s) {} vs not a bounce",
                bounce_message,
                list(&found)
            ),
        );
    }
    out
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}

fn analyze(bytes: &[u8], now: i64) -> Result<Report, String> {
    catch_unwind(AssertUnwindSafe(|| todoku_core::analyze(bytes, now))).map_err(|p| panic_text(&*p))
}

/// Labels and the divergence list are well formed (runs without the corpora).
#[test]
fn labels_are_well_formed() {
    let mut problems = Vec::new();
    let labels = load_labels(&mut problems);
    let divergences = load_divergences(&mut problems);
    for d in &divergences {
        check_divergence(d, None, &mut problems);
    }
    assert!(!labels.is_empty(), "no labels in tests/realworld/labels");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn check_divergence(d: &Divergence, files: Option<&BTreeSet<String>>, problems: &mut Vec<String>) {
    let at = format!("divergences.json {} {}", d.file, d.measure);
    if !MEASURES.contains(&d.measure.as_str()) {
        problems.push(format!(
            "{at}: unknown measure (one of {})",
            MEASURES.join(", ")
        ));
    }
    if d.measure == "crashes" {
        problems.push(format!("{at}: a panic is a bug, never a divergence"));
    }
    if d.reason.trim().is_empty() {
        problems.push(format!("{at}: no reason"));
    }
    if let Some(files) = files
        && !files.contains(&d.file)
    {
        problems.push(format!("{at}: no such message in the manifest"));
    }
}

#[test]
fn realworld() {
    let root = common::corpora().join("realworld");
    // Without the corpora: SKIPPED in a user's clone, a failure under CI.
    let Some(manifest) = common::json("realworld/MANIFEST.json") else {
        return;
    };
    let bounces: Value =
        serde_json::from_slice(&std::fs::read(root.join("bounces-expected.json")).unwrap())
            .unwrap();

    let mut problems = Vec::new();
    let labels = load_labels(&mut problems);
    let divergences = load_divergences(&mut problems);

    // The manifest's files, by name.
    let files: Vec<(String, PathBuf)> = manifest["messages"]
        .as_array()
        .expect("MANIFEST.json: no messages")
        .iter()
        .map(|m| {
            let rel = m["file"]
                .as_str()
                .expect("MANIFEST.json: a message without file");
            let name = rel.rsplit('/').next().unwrap_or(rel).to_string();
            (name, root.join(rel))
        })
        .collect();
    let names: BTreeSet<String> = files.iter().map(|(n, _)| n.clone()).collect();
    if let Some(count) = manifest["count"].as_u64()
        && count as usize != files.len()
    {
        problems.push(format!(
            "MANIFEST.json: count {count} but {} messages",
            files.len()
        ));
    }
    if names.len() != files.len() {
        problems.push("MANIFEST.json lists a file name twice".to_string());
    }
    // Pinned (issue 19 item 15): messages dropped from the manifest with
    // its count lowered to match cannot vanish from the suite.
    if files.len() != MESSAGES {
        problems.push(format!(
            "MANIFEST.json lists {} messages, {MESSAGES} are pinned: update the pin only after \
             checking why",
            files.len()
        ));
    }
    for name in &names {
        if !labels.contains_key(name) {
            problems.push(format!("{name}: in the manifest, but no label"));
        }
    }
    for name in labels.keys() {
        if !names.contains(name) {
            problems.push(format!("{name}: labelled, but not in the manifest"));
        }
    }
    let mut listed: BTreeMap<(String, String), &Divergence> = BTreeMap::new();
    for d in &divergences {
        check_divergence(d, Some(&names), &mut problems);
        if listed
            .insert((d.measure.clone(), d.file.clone()), d)
            .is_some()
        {
            problems.push(format!(
                "divergences.json {} {}: listed twice",
                d.file, d.measure
            ));
        }
    }

    // Measure.
    let mut agree: BTreeMap<&str, usize> = MEASURES.iter().map(|m| (*m, 0)).collect();
    let mut disagreements: Vec<(&str, String, String)> = Vec::new(); // (measure, file, detail)
    let mut measured = 0;
    for (name, path) in &files {
        let Some(label) = labels.get(name) else {
            continue;
        };
        measured += 1;
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut now_used = FALLBACK_NOW;
        let result = match label.now.as_deref().and_then(rfc3339_seconds) {
            Some(now) => {
                now_used = now;
                analyze(&bytes, now)
            }
            None => analyze(&bytes, FALLBACK_NOW).and_then(|first| {
                match delivery_time(&first).filter(|&t| t != FALLBACK_NOW) {
                    Some(now) => {
                        now_used = now;
                        analyze(&bytes, now)
                    }
                    None => Ok(first),
                }
            }),
        };
        let verdicts = match &result {
            Ok(report) => {
                // A bounce reported as its original: the label's receiver
                // and record are those of the bounce's arrival, read from
                // the bounce as given.
                let as_given = (report.whole.is_bounce() && report.whole.outer.is_some())
                    .then(|| todoku_core::analyze_message(&bytes, now_used));
                judge(report, as_given.as_ref(), label, bounces.get(name))
            }
            Err(panic) => MEASURES
                .iter()
                .map(|m| {
                    let said = if *m == "crashes" {
                        format!("panicked: {panic}")
                    } else {
                        "no report (panicked)".to_string()
                    };
                    (*m, format!("{said} vs no panic"))
                })
                .collect(),
        };
        for measure in MEASURES {
            match verdicts.get(measure) {
                None => *agree.get_mut(measure).unwrap() += 1,
                Some(detail) => disagreements.push((measure, name.clone(), detail.clone())),
            }
        }
    }

    // Report.
    disagreements.sort_by_key(|(m, f, _)| (MEASURES.iter().position(|x| x == m), f.clone()));
    for (measure, file, detail) in &disagreements {
        println!("realworld DISAGREE {measure} {file}: {detail}");
    }
    for measure in MEASURES {
        println!("realworld {measure}: {}/{measured} agree", agree[measure]);
    }
    let mut unlisted = Vec::new();
    let mut documented = 0;
    for (measure, file, _) in &disagreements {
        if measure != &"crashes" && listed.contains_key(&(measure.to_string(), file.clone())) {
            documented += 1;
        } else {
            unlisted.push(format!("{measure} {file}"));
        }
    }
    let happened: BTreeSet<(String, String)> = disagreements
        .iter()
        .map(|(m, f, _)| (m.to_string(), f.clone()))
        .collect();
    // Entries already reported as malformed (no such measure or message, or
    // a crash) are not reported as stale too.
    let stale: Vec<String> = listed
        .keys()
        .filter(|(m, f)| MEASURES.contains(&m.as_str()) && m != "crashes" && names.contains(f))
        .filter(|k| !happened.contains(*k))
        .map(|(m, f)| {
            format!("{m} {f}: listed in divergences.json, but Todoku now agrees; remove it")
        })
        .collect();
    println!(
        "realworld: {} disagreement(s), {documented} listed in tests/realworld/divergences.json, \
         {} not listed; {} stale entr(y/ies); {} problem(s) in the labels, the manifest or the list",
        disagreements.len(),
        unlisted.len(),
        stale.len(),
        problems.len()
    );

    let mut failures = problems;
    failures.extend(stale);
    if !unlisted.is_empty() {
        failures.push(format!(
            "{} disagreement(s) not listed in tests/realworld/divergences.json (the DISAGREE lines \
             above say what differs): {}",
            unlisted.len(),
            unlisted.join(", ")
        ));
    }
    assert!(failures.is_empty(), "realworld:\n{}", failures.join("\n"));
}
