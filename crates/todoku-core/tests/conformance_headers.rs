//! Todoku's own header readers against stalwart mail-parser's tables
//! (../shared/corpora/stalwart-mail-parser): address lists (`address.json`),
//! dates (`date.json`, through the report's `Date`) and unstructured values
//! with RFC 2047 words (`unstructured.json`). Todoku replaced that parser
//! with its own readers; the divergences below are where the two readings
//! differ on purpose.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::Tally;
use serde_json::Value;
use todoku_core::header::charset::builtin;

const DIVERGENCES: &[(&str, &str, &str)] = &[
    (
        "stalwart-address",
        "42",
        "List-Post's `NO (posting not allowed on this list)`: stalwart reads NO as the address; with no `@` Todoku reads it as a name with a comment (it reads only From, Sender and Reply-To, where a word without `@` is no address)",
    ),
    (
        "stalwart-date",
        "10",
        "`20 11 (some 44 comments…) 79 05:34:27 -0300`: a numeric month with comments between the date's parts is not an RFC 5322 date (nor its obsolete forms); Todoku shows no date rather than guess",
    ),
    (
        "stalwart-date",
        "12",
        "`4 8 15 16 23 42, …`: six numbers are not a date; stalwart builds one from them (zone +00:04), Todoku shows none",
    ),
    (
        "stalwart-date",
        "28",
        "a Received value given as a Date: Todoku reads the date after `;` only in Received fields (received.rs), not in Date",
    ),
    (
        "stalwart-date",
        "30",
        "`EST5EDT` (a POSIX TZ string) is not an RFC 5322 zone: Todoku shows no date rather than guess the offset",
    ),
    (
        "stalwart-date",
        "31",
        "military zone `A`: RFC 5322 4.3 says these were so often wrong that they are to be taken as -0000 (unknown zone), so Todoku shows no date; stalwart takes UTC",
    ),
    (
        "stalwart-date",
        "32",
        "unknown zone `ZZZZ`: no instant can be named, so Todoku shows no date; stalwart takes UTC",
    ),
    (
        "stalwart-unstructured",
        "21",
        "`[SUSPECTED SPAM]=?utf-8?B?…?=`: the word is decoded although RFC 2047 5 wants white space before it, and no space is added that the header does not have; stalwart inserts one",
    ),
    (
        "stalwart-unstructured",
        "22",
        "`Some text =?utf-8?Q??=here`: an empty word decodes to nothing, leaving one space; stalwart keeps two",
    ),
    (
        "stalwart-unstructured",
        "27",
        "as 21, with the word broken by folding (which Todoku joins)",
    ),
    (
        "stalwart-unstructured",
        "28",
        "as 21, with the word broken by folding and CRLF line ends",
    ),
];

/// Every mailbox of an expected value, groups flattened, as (name, address).
fn expected_mailboxes(expected: &Value) -> Vec<(Option<String>, Option<String>)> {
    let pair = |m: &Value| {
        (
            m["name"].as_str().map(str::to_string),
            m["address"].as_str().map(str::to_string),
        )
    };
    if let Some(list) = expected["List"].as_array() {
        return list.iter().map(pair).collect();
    }
    expected["Group"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|g| g["addresses"].as_array().into_iter().flatten().map(pair))
        .collect()
}

#[test]
fn stalwart_addresses() {
    let Some(suite) = common::json("stalwart-mail-parser/address.json") else {
        return;
    };
    let mut tally = Tally::new("stalwart-address", 60, DIVERGENCES);
    for (i, case) in suite.as_array().unwrap().iter().enumerate() {
        let header = case["header"].as_str().unwrap();
        let want = expected_mailboxes(&case["expected"]);
        let got: Vec<_> = todoku_core::header::address::parse(header.as_bytes(), builtin())
            .into_iter()
            .map(|m| (m.name, m.address))
            .collect();
        tally.record(&i.to_string(), got == want, || {
            format!("{header:?}: got {got:?}, want {want:?}")
        });
    }
    tally.finish();
}

/// The expected date as RFC 3339, the form of the report's `summary.date`.
fn rfc3339(e: &Value) -> String {
    let n = |k: &str| e[k].as_i64().unwrap();
    let sign = if e["tz_before_gmt"].as_bool().unwrap() {
        '-'
    } else {
        '+'
    };
    let zone = match (n("tz_hour"), n("tz_minute")) {
        (0, 0) => "Z".to_string(),
        (h, m) => format!("{sign}{h:02}:{m:02}"),
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{zone}",
        n("year"),
        n("month"),
        n("day"),
        n("hour"),
        n("minute"),
        n("second")
    )
}

#[test]
fn stalwart_dates() {
    let Some(suite) = common::json("stalwart-mail-parser/date.json") else {
        return;
    };
    let mut tally = Tally::new("stalwart-date", 40, DIVERGENCES);
    for (i, case) in suite.as_array().unwrap().iter().enumerate() {
        let header = case["header"].as_str().unwrap();
        let want = (!case["expected"].is_null()).then(|| rfc3339(&case["expected"]));
        let message = format!("Date: {header}\r\nFrom: a@example.com\r\n\r\n");
        let got = todoku_core::analyze(message.as_bytes(), 0).summary.date;
        tally.record(&i.to_string(), got == want, || {
            format!("{header:?}: got {got:?}, want {want:?}")
        });
    }
    tally.finish();
}

#[test]
fn stalwart_unstructured() {
    let Some(suite) = common::json("stalwart-mail-parser/unstructured.json") else {
        return;
    };
    let mut tally = Tally::new("stalwart-unstructured", 30, DIVERGENCES);
    for (i, case) in suite.as_array().unwrap().iter().enumerate() {
        let header = case["header"].as_str().unwrap();
        let want = case["expected"].as_str().unwrap();
        // The value ends at the first line end that is not folding.
        let bytes = header.as_bytes();
        let end = (0..bytes.len())
            .find(|&i| bytes[i] == b'\n' && !matches!(bytes.get(i + 1), Some(b' ' | b'\t')))
            .unwrap_or(bytes.len());
        let got = todoku_core::header::charset::decode_text(&bytes[..end], builtin());
        tally.record(&i.to_string(), got == want, || {
            format!("{header:?}: got {got:?}, want {want:?}")
        });
    }
    tally.finish();
}
