//! Many messages in the page (issue 17): an mbox, or several `.eml`/`.msg`
//! files dropped or chosen at once, become a table with one row per message
//! and a summary by sending domain.
//!
//! The table itself is www/batch-client.js (imported by www/engine.js when
//! the first batch starts, not with the page); the work runs in the analysis
//! workers (www/worker.js), which call [`batch_row`] and stream a mailbox
//! through [`MboxReader`] (the core's `Splitter`: at most one message and a
//! chunk in memory). Rows and the summary cross the boundary as JSON text
//! of the core's `BatchRow`/`BatchSummary` (`serde_json`, already in the
//! module for the report's JSON download: no second serialiser, and no
//! deserialiser at all); every sentence and heading comes from the core
//! (`wording::batch`).
//!
//! The page's hook ([`offer`]) decides whether a drop or a file choice is a
//! batch: more than one file, or a file that opens with an mbox From_ line.
//! It also puts `todokuBatchCore` on the window for batch-client.js: the
//! summary (`reset()`, `add(verdict, failed, domain, ip, findings)` for each
//! row as it arrives, `summary()`: the core's `Summariser`, so the rows are
//! never read back into Rust), the words, `open(bytes, mbox)`, which
//! shows one message's full report as for a single file, and
//! `check(bytes, mbox, index, source)`, the live checks of a row the user
//! chose ([`live_row`], through the page's resolver): a Promise of the new
//! row's JSON.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use todoku_core::auth::dns::Resolver;
use todoku_core::input::mbox::{Splitter, holds_one_message, is_mbox};
use todoku_core::report::batch::{
    BatchRow, BatchSummary, CSV_COLUMNS, Summariser, csv_header, csv_record,
};
use todoku_core::wording::Lang;
use todoku_core::wording::batch as words;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The row of one message or file's bytes: analysed offline (a batch asks
/// no DNS questions; the user asks for live checks by opening a row, or by
/// choosing rows and "Re-check chosen rows over DNS": [`live_row`]).
pub fn row_of(bytes: &[u8], index: usize, source: &str, now: i64) -> BatchRow {
    let report = todoku_core::analyze_with(bytes, now, &crate::charsets::BrowserCharsets);
    BatchRow::from_report(index, source, &report)
}

/// The row of one message's bytes with its live checks, asked for by the
/// user for this row (issue 17): the single-message report's path (the
/// offline report, the core's live checks through `resolver` with
/// signatures verified by WebCrypto, attached), made into a row.
pub async fn live_row<R: Resolver>(
    bytes: &[u8],
    index: usize,
    source: &str,
    now: i64,
    resolver: &R,
) -> BatchRow {
    let mut report = crate::api::offline_report(bytes, 0, now);
    // As the page's report: the text the spans point into (an Outlook
    // .msg's transport headers).
    let input = todoku_core::open(bytes, &crate::charsets::BrowserCharsets).text;
    let live =
        todoku_core::check_live(&report, &input, resolver, &crate::webcrypto::WebCrypto).await;
    todoku_core::attach_live(&mut report, live);
    BatchRow::from_report(index, source, &report)
}

/// The row of a mailbox message larger than the core analyses (skipped by
/// the splitter, its bytes never held).
pub fn too_large_row(index: usize, source: &str, bytes: u64) -> BatchRow {
    BatchRow::failed(
        index,
        source,
        words::message_too_large(bytes, Lang::En),
        words::message_too_large(bytes, Lang::Ja),
    )
}

/// One mailbox message read again from its byte range (`start..end` of the
/// file, From_ line included): the same bytes the splitter gave when the
/// mailbox streamed past (header `>From ` lines unquoted).
pub fn mbox_message(range: &[u8]) -> Option<Vec<u8>> {
    let mut splitter = Splitter::new(todoku_core::MAX_INPUT_BYTES);
    splitter.push(range);
    splitter.finish().and_then(|m| m.bytes)
}

/// The parts of a row the summary counts, as batch-client.js passes them
/// to `todokuBatchCore.add`: the finding ids joined by spaces (ids are the
/// catalogue's, without spaces).
pub fn count_row(
    summariser: &mut Summariser,
    verdict: &str,
    failed: bool,
    domain: Option<&str>,
    ip: Option<&str>,
    findings: &str,
) {
    summariser.count(verdict, failed, domain, ip, findings.split_whitespace());
}

/// The CSV file of the table's rows, given as the values of the core's
/// [`CSV_COLUMNS`] one row after another (batch-client.js reads them from
/// its rows): the core's header, quoting and formula guard, so the text is
/// the one [`BatchRow::to_csv_row`] writes. (The rows are not read back
/// into `BatchRow`s: a JSON deserialiser would cost the page far more.)
pub fn csv_of(values: &[String]) -> String {
    let mut out = csv_header();
    for row in values.chunks(CSV_COLUMNS.len()) {
        let fields: Vec<&str> = row.iter().map(String::as_str).collect();
        out += &csv_record(&fields);
    }
    out
}

/// A row or the summary as JSON text (parsed by the worker or the table).
fn json<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// The worker's entry for one message or file: its row as JSON text.
#[wasm_bindgen]
pub fn batch_row(input: &[u8], index: u32, source: &str, now: f64) -> Result<String, JsValue> {
    // Seconds since 1970 fit an f64 exactly; the cast saturates.
    #[allow(clippy::cast_possible_truncation)]
    let row = row_of(input, index as usize, source, now as i64);
    json(&row)
}

/// A mailbox streamed in chunks through the core's splitter (in a worker).
#[wasm_bindgen]
#[derive(Debug)]
pub struct MboxReader {
    splitter: Splitter,
    /// The bytes of the message [`MboxReader::next`] gave last.
    bytes: Option<Vec<u8>>,
}

#[wasm_bindgen]
impl MboxReader {
    /// A reader keeping messages up to the core's input limit whole.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> MboxReader {
        MboxReader {
            splitter: Splitter::new(todoku_core::MAX_INPUT_BYTES),
            bytes: None,
        }
    }

    /// Adds the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) {
        self.splitter.push(chunk);
    }

    /// The next complete message (`at_end`: the file has no more bytes) as
    /// `[index, start, end]`: its number in the mailbox from 0, and where
    /// it starts (its From_ line) and ends in the file. Its bytes are
    /// [`MboxReader::take_bytes`]. (Numbers, not an object: a class per
    /// message cost the page more glue than the splitter itself.)
    pub fn next(&mut self, at_end: bool) -> Option<Box<[f64]>> {
        let m = if at_end {
            self.splitter.finish()
        } else {
            self.splitter.next_message()
        }?;
        self.bytes = m.bytes;
        // Counts and file offsets as f64: exact far beyond any file size.
        #[allow(clippy::cast_precision_loss)]
        Some(Box::new([m.index as f64, m.start as f64, m.end as f64]))
    }

    /// The bytes of the message `next` gave, or `None` when it was too
    /// large to analyse (the splitter never held it).
    pub fn take_bytes(&mut self) -> Option<Vec<u8>> {
        self.bytes.take()
    }
}

/// The worker's row for a skipped (too large) mailbox message.
#[wasm_bindgen]
pub fn batch_too_large(index: u32, source: &str, bytes: f64) -> Result<String, JsValue> {
    // A byte count: non-negative and integral; the cast saturates.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    json(&too_large_row(index as usize, source, bytes as u64))
}

thread_local! {
    /// The summary of the table's rows so far (one table at a time).
    static TALLY: RefCell<Summariser> = RefCell::new(Summariser::default());
}

fn summary_now() -> BatchSummary {
    TALLY.with(|t| t.borrow().summary())
}

fn lang_of(code: &str) -> Lang {
    if code == "ja" { Lang::Ja } else { Lang::En }
}

/// The table's words in `lang`, with the verdict labels under
/// `verdict-<id>`.
fn words_js(lang: &str) -> Result<JsValue, JsValue> {
    let lang = lang_of(lang);
    let out = Object::new();
    for (key, text) in words::page_words(lang) {
        Reflect::set(&out, &JsValue::from_str(key), &JsValue::from_str(text))?;
    }
    for verdict in ["filtered", "at_risk", "clean", "unknown"] {
        Reflect::set(
            &out,
            &JsValue::from_str(&format!("verdict-{verdict}")),
            &JsValue::from_str(words::verdict_label(verdict, lang)),
        )?;
    }
    Ok(out.into())
}

/// Installs `window.todokuBatchCore` for batch-client.js.
pub fn wire() -> Result<(), JsValue> {
    let core = Object::new();
    let reset =
        Closure::<dyn Fn()>::new(|| TALLY.with(|t| *t.borrow_mut() = Summariser::default()));
    Reflect::set(&core, &JsValue::from_str("reset"), reset.as_ref())?;
    reset.forget();
    let add = Closure::<dyn Fn(String, bool, Option<String>, Option<String>, String)>::new(
        |verdict: String,
         failed: bool,
         domain: Option<String>,
         ip: Option<String>,
         findings: String| {
            TALLY.with(|t| {
                count_row(
                    &mut t.borrow_mut(),
                    &verdict,
                    failed,
                    domain.as_deref(),
                    ip.as_deref(),
                    &findings,
                );
            });
        },
    );
    Reflect::set(&core, &JsValue::from_str("add"), add.as_ref())?;
    add.forget();
    let summary = Closure::<dyn Fn() -> Result<String, JsValue>>::new(|| json(&summary_now()));
    Reflect::set(&core, &JsValue::from_str("summary"), summary.as_ref())?;
    summary.forget();
    let page_words =
        Closure::<dyn Fn(String) -> Result<JsValue, JsValue>>::new(|lang: String| words_js(&lang));
    Reflect::set(&core, &JsValue::from_str("words"), page_words.as_ref())?;
    page_words.forget();
    let columns = Array::new();
    for name in CSV_COLUMNS {
        columns.push(&JsValue::from_str(name));
    }
    Reflect::set(&core, &JsValue::from_str("csvColumns"), &columns)?;
    let csv = Closure::<dyn Fn(Array) -> String>::new(|values: Array| {
        let values: Vec<String> = values
            .iter()
            .map(|v| v.as_string().unwrap_or_default())
            .collect();
        csv_of(&values)
    });
    Reflect::set(&core, &JsValue::from_str("csv"), csv.as_ref())?;
    csv.forget();
    let open = Closure::<dyn Fn(Uint8Array, bool) -> Result<(), JsValue>>::new(
        |bytes: Uint8Array, mbox: bool| {
            let bytes = bytes.to_vec();
            let bytes = if mbox {
                mbox_message(&bytes).unwrap_or_default()
            } else {
                bytes
            };
            crate::app::analyze_bytes(&bytes, false)
        },
    );
    Reflect::set(&core, &JsValue::from_str("open"), open.as_ref())?;
    open.forget();
    // check(bytes, mbox, index, source): a Promise of the row's JSON with
    // its live checks, through the page's resolver (its DoH setting, or
    // none in offline mode), one resolver and budget per row.
    let check = Closure::<dyn Fn(Uint8Array, bool, u32, String) -> Result<JsValue, JsValue>>::new(
        |bytes: Uint8Array, mbox: bool, index: u32, source: String| {
            let bytes = bytes.to_vec();
            let bytes = if mbox {
                mbox_message(&bytes).unwrap_or_default()
            } else {
                bytes
            };
            let resolver = crate::app::page_resolver(false, None)?;
            let promise = wasm_bindgen_futures::future_to_promise(async move {
                let now = crate::api::now_seconds();
                let row = live_row(&bytes, index as usize, &source, now, &resolver).await;
                json(&row).map(JsValue::from)
            });
            Ok(promise.into())
        },
    );
    Reflect::set(&core, &JsValue::from_str("check"), check.as_ref())?;
    check.forget();
    let window: JsValue = crate::dom::window()?.into();
    Reflect::set(&window, &JsValue::from_str("todokuBatchCore"), &core)?;
    Ok(())
}

/// Bytes read to recognise a mailbox.
const SNIFF: i32 = 1024;

/// Up to this size a single mbox file is read whole to count its messages.
const ONE_MESSAGE_CHECK: u32 = 16 << 20;

/// A file name that says it holds one message.
fn one_message_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".eml") || lower.ends_with(".msg")
}

/// Whether the dropped or chosen `files` are a batch; when they are, hands
/// them to batch-client.js (`todokuBatch.start([{ file, mbox }])`, which
/// www/engine.js answers by importing it the first time) and returns true. One file that is not a mailbox is left to the page.
pub async fn offer(files: &web_sys::FileList) -> Result<bool, JsValue> {
    let list = Array::new();
    let mut any_mbox = false;
    for i in 0..files.length() {
        let Some(file) = files.get(i) else { continue };
        let head = file.slice_with_i32_and_i32(0, SNIFF)?;
        let buffer = JsFuture::from(head.array_buffer()).await?;
        let mbox = is_mbox(&Uint8Array::new(&buffer).to_vec());
        any_mbox |= mbox;
        let item = Object::new();
        Reflect::set(&item, &JsValue::from_str("file"), &file)?;
        Reflect::set(&item, &JsValue::from_str("mbox"), &JsValue::from_bool(mbox))?;
        list.push(&item);
    }
    if list.length() < 2 && !any_mbox {
        return Ok(false);
    }
    // One file named as one message (.eml, .msg) is that message even when
    // it starts with a From_ line and quotes another From_ line in its body
    // (a bounce carrying its original: sisimai-106).
    if list.length() == 1
        && let Some(file) = files.get(0)
        && one_message_name(&file.name())
    {
        return Ok(false);
    }
    // One file in mbox form holding one message (a saved message that
    // starts with its From_ line) is a message, not a batch.
    if list.length() == 1
        && let Some(file) = files.get(0)
        && file.size() <= f64::from(ONE_MESSAGE_CHECK)
    {
        let buffer = JsFuture::from(file.array_buffer()).await?;
        if holds_one_message(&Uint8Array::new(&buffer).to_vec()) {
            return Ok(false);
        }
    }
    let window = crate::dom::window()?;
    let api = Reflect::get(&window, &JsValue::from_str("todokuBatch"))?;
    let start = Reflect::get(&api, &JsValue::from_str("start"))?
        .dyn_into::<Function>()
        .map_err(|_| JsValue::from_str("the batch table is not available"))?;
    // A Promise: www/engine.js imports the table (batch-client.js) with the
    // first batch; a failure to load it is this drop's error.
    let started = start.call1(&api, &list)?;
    JsFuture::from(js_sys::Promise::resolve(&started)).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOFTFAIL: &str = "Authentication-Results: mx.example.org; spf=softfail smtp.mailfrom=news@shop.example.co.jp; dkim=none; dmarc=none header.from=shop.example.co.jp\r\nReceived: from out.shop.example.co.jp (out.shop.example.co.jp [203.0.113.45])\r\n\tby mx.example.org with ESMTPS id b2; Tue, 2 Dec 2025 10:00:01 +0900\r\nFrom: Shop <news@shop.example.co.jp>\r\nTo: a@example.org\r\nSubject: Sale\r\nDate: Tue, 2 Dec 2025 10:00:00 +0900\r\nMessage-ID: <1@shop.example.co.jp>\r\n\r\nbody\r\n";

    /// A mailbox message opened from the table is read again from its byte
    /// range; it must be the message the stream gave (From_ line off, the
    /// header's `>From ` unquoted), not the range's raw bytes.
    /// Regression: a single saved message that starts with its From_ line
    /// (mikel-010 in the real-world corpus) went to the batch table instead
    /// of its report.
    #[test]
    fn a_one_message_mbox_is_a_message_and_two_are_a_batch() {
        let one = "From a@example.net Tue Dec  2 10:00:00 2025\nSubject: one\n\nbody\n";
        assert!(holds_one_message(one.as_bytes()));
        let two =
            format!("{one}\nFrom b@example.net Tue Dec  2 10:01:00 2025\nSubject: two\n\nbody\n");
        assert!(!holds_one_message(two.as_bytes()));
        assert!(one_message_name("sisimai-106.EML"));
        assert!(one_message_name("a.msg"));
        assert!(!one_message_name("Inbox.mbox"));
        assert!(!one_message_name("Inbox"));
    }

    #[test]
    fn reopened_mbox_message_matches_the_streamed_one() {
        let mbox = "From a@example.net Tue Dec  2 10:00:00 2025\nSubject: one\n>From quoted\nX-A: 1\n\nFrom the body\n\nFrom b@example.net Tue Dec  2 10:01:00 2025\nSubject: two\n\nbody two\n";
        let mut reader = MboxReader::new();
        // Fed in small chunks, as a worker streams File.slice pieces.
        let mut parts = Vec::new();
        for chunk in mbox.as_bytes().chunks(7) {
            reader.push(chunk);
            while let Some(p) = reader.next(false) {
                parts.push((p, reader.take_bytes()));
            }
        }
        while let Some(p) = reader.next(true) {
            parts.push((p, reader.take_bytes()));
        }
        assert_eq!(parts.len(), 2);
        let (first, bytes) = &parts[0];
        assert_eq!(first[0], 0.0, "the first message's number");
        let streamed = bytes.clone().unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&streamed),
            "Subject: one\nFrom quoted\nX-A: 1\n\nFrom the body\n"
        );
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let range = &mbox.as_bytes()[first[1] as usize..first[2] as usize];
        assert_eq!(mbox_message(range), Some(streamed));
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let second = &mbox.as_bytes()[parts[1].0[1] as usize..parts[1].0[2] as usize];
        assert_eq!(
            mbox_message(second).as_deref(),
            Some(&b"Subject: two\n\nbody two\n"[..])
        );
    }

    /// A batch row is judged offline from the message alone: the recorded
    /// SPF softfail is the row's finding and the summary's sentence names
    /// the domain and the handing-over address, in both languages.
    #[test]
    fn softfail_rows_summarise_by_domain_and_address() {
        let rows: Vec<BatchRow> = (0..3)
            .map(|i| row_of(SOFTFAIL.as_bytes(), i, "m.eml", 1_764_640_000))
            .collect();
        let row = &rows[0];
        assert_eq!(row.from_domain.as_deref(), Some("shop.example.co.jp"));
        assert_eq!(row.sending_ip.as_deref(), Some("203.0.113.45"));
        assert!(row.has_finding("spf.softfail"), "{:?}", row.findings);
        let mut tally = Summariser::default();
        for row in &rows {
            tally.add(row);
        }
        let summary = tally.summary();
        let group = &summary.groups[0];
        assert!(
            group
                .sentence
                .starts_with("3 of 3 messages from shop.example.co.jp:"),
            "{}",
            group.sentence
        );
        assert!(
            group.sentence.contains("203.0.113.45"),
            "{}",
            group.sentence
        );
        assert!(
            group
                .sentence_ja
                .starts_with("shop.example.co.jp からの 3 通のうち 3 通:"),
            "{}",
            group.sentence_ja
        );
    }

    /// Issue 17: a row re-checked over DNS is the message's live result.
    /// The receiver recorded nothing; the offline row cannot know SPF. The
    /// sender's record today says `-all` without 203.0.113.45 and its DMARC
    /// record says `p=reject`: the live row has SPF fail (RFC 7208: the IP
    /// matches no mechanism before `-all`), and with no DKIM signature DMARC
    /// fails under p=reject, so the message is likely rejected.
    #[test]
    fn a_row_rechecked_over_dns_carries_the_live_result() {
        use todoku_core::auth::dns::FixtureResolver;
        let unchecked = "Received: from out.shop.example (out.shop.example [203.0.113.45])\r\n\tby mx.example.org with ESMTPS id b2; Tue, 2 Dec 2025 10:00:01 +0900\r\nReturn-Path: <news@shop.example>\r\nFrom: Shop <news@shop.example>\r\nTo: a@example.org\r\nSubject: Sale\r\nDate: Tue, 2 Dec 2025 10:00:00 +0900\r\nMessage-ID: <1@shop.example>\r\n\r\nbody\r\n";
        let zone = FixtureResolver::new()
            .txt("shop.example", "v=spf1 ip4:192.0.2.1 -all")
            .txt("_dmarc.shop.example", "v=DMARC1; p=reject");
        let offline = row_of(unchecked.as_bytes(), 2, "m.eml", 1_764_640_000);
        assert!(!offline.has_finding("spf.fail"), "{:?}", offline.findings);
        assert_ne!(offline.verdict, "filtered");
        let live = pollster::block_on(live_row(
            unchecked.as_bytes(),
            2,
            "m.eml",
            1_764_640_000,
            &zone,
        ));
        assert!(live.has_finding("spf.fail"), "{:?}", live.findings);
        assert_eq!(live.verdict, "filtered", "{}", live.verdict_sentence);
        assert_eq!((live.index, live.source.as_str()), (2, "m.eml"));
        assert_eq!(live.subject.as_deref(), Some("Sale"));
    }

    /// Every word of the table exists in both languages, so switching
    /// language never leaves a key without text.
    #[test]
    fn table_words_exist_in_both_languages() {
        let en: Vec<&str> = words::page_words(Lang::En)
            .iter()
            .map(|(k, _)| *k)
            .collect();
        let ja: Vec<&str> = words::page_words(Lang::Ja)
            .iter()
            .map(|(k, _)| *k)
            .collect();
        assert_eq!(en, ja);
        assert!(
            words::page_words(Lang::Ja)
                .iter()
                .all(|(_, t)| !t.is_empty())
        );
    }

    /// A mailbox message over the limit is a row saying so, not a failure
    /// of the whole batch.
    #[test]
    fn too_large_message_is_a_row_with_its_reason() {
        let row = too_large_row(4, "box #5", 99_000_000);
        assert_eq!(row.verdict, "unknown");
        assert!(
            row.problem
                .as_deref()
                .unwrap_or("")
                .contains("99000000 bytes")
        );
        assert!(row.problem_ja.is_some());
    }

    /// The table counts each row into the summary from the parts it holds
    /// (verdict, whether it failed, domain, address, finding ids joined by
    /// spaces) instead of handing every row back to Rust: the summary must
    /// be the one the rows themselves give, failed rows and rows without a
    /// domain or address included.
    #[test]
    fn rows_counted_from_their_parts_summarise_as_the_rows_do() {
        let clean = SOFTFAIL
            .replace("spf=softfail", "spf=pass")
            .replace("dkim=none", "dkim=pass header.d=shop.example.co.jp")
            .replace("dmarc=none", "dmarc=pass");
        let mut rows: Vec<BatchRow> = (0..3)
            .map(|i| row_of(SOFTFAIL.as_bytes(), i, "m.eml", 1_764_640_000))
            .collect();
        rows.push(row_of(clean.as_bytes(), 3, "c.eml", 1_764_640_000));
        rows.push(row_of(b"not a message", 4, "x.eml", 1_764_640_000));
        rows.push(too_large_row(5, "box #6", 99_000_000));
        let mut by_rows = Summariser::default();
        let mut by_parts = Summariser::default();
        for row in &rows {
            by_rows.add(row);
            count_row(
                &mut by_parts,
                &row.verdict,
                row.problem.is_some(),
                row.from_domain.as_deref(),
                row.sending_ip.as_deref(),
                &row.findings.join(" "),
            );
        }
        let (a, b) = (by_rows.summary(), by_parts.summary());
        assert_eq!(a.messages, 6);
        assert_eq!(a.unknown, 1 + usize::from(rows[4].verdict == "unknown"));
        assert_eq!(a, b);
    }

    /// Issue 17 (export): the page's CSV is the core's: the values
    /// batch-client.js takes from a row's JSON by the core's column names
    /// (`top_finding.id` inside `top_finding`, `findings` joined by
    /// spaces, absent values empty) give, through [`csv_of`], the record
    /// `BatchRow::to_csv_row` writes, after the BOM and the header.
    #[test]
    fn the_page_csv_from_json_columns_is_the_core_csv_row() {
        let hostile = SOFTFAIL.replace("Subject: Sale", "Subject: =cmd|' /C calc'!A0, \"x\"");
        let rows = [
            row_of(SOFTFAIL.as_bytes(), 0, "m.eml", 1_764_640_000).placed("m.eml", None, None),
            row_of(hostile.as_bytes(), 1, "box #2", 1_764_640_000).placed("box", Some(1), Some(77)),
            too_large_row(2, "box #3", 99_000_000),
        ];
        // What batch-client.js's column() does, on the JSON the worker sends.
        let column = |row: &serde_json::Value, path: &str| -> String {
            let mut v = row;
            for key in path.split('.') {
                v = &v[key];
            }
            match v {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(a) => a
                    .iter()
                    .map(|x| x.as_str().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(" "),
                other => other.to_string(),
            }
        };
        let values: Vec<String> = rows
            .iter()
            .flat_map(|r| {
                let json: serde_json::Value = serde_json::from_str(&json(r).unwrap()).unwrap();
                CSV_COLUMNS.map(|c| column(&json, c))
            })
            .collect();
        let page = csv_of(&values);
        let core: String = std::iter::once(csv_header())
            .chain(rows.iter().map(BatchRow::to_csv_row))
            .collect();
        assert_eq!(page, core);
        assert!(page.starts_with("\u{feff}index,source,"));
        assert!(
            page.contains(",\"'=cmd|' /C calc'!A0, \"\"x\"\"\","),
            "{page}"
        );
        assert!(page.contains(",box,1,77,"), "{page}");
    }

    /// batch-client.js reads the rows and the summary as JSON: the names it
    /// reads must be there (a renamed field would leave the table empty).
    #[test]
    fn row_and_summary_json_carry_the_names_the_table_reads() {
        let row: serde_json::Value =
            serde_json::from_str(&batch_row(SOFTFAIL.as_bytes(), 0, "m.eml", 1.7e9).unwrap())
                .unwrap();
        for key in [
            "date",
            "from",
            "from_domain",
            "subject",
            "verdict",
            "sending_ip",
        ] {
            assert!(row[key].is_string(), "{key}: {row}");
        }
        assert!(row["findings"].as_array().is_some_and(|f| !f.is_empty()));
        for key in ["id", "title", "title_ja"] {
            assert!(row["top_finding"][key].is_string(), "{key}: {row}");
        }
        let failed: serde_json::Value =
            serde_json::from_str(&batch_too_large(1, "box #2", 9e7).unwrap()).unwrap();
        assert!(failed["problem"].is_string() && failed["problem_ja"].is_string());
        let mut tally = Summariser::default();
        tally.add(&row_of(SOFTFAIL.as_bytes(), 0, "m.eml", 1_764_640_000));
        let summary: serde_json::Value =
            serde_json::from_str(&json(&tally.summary()).unwrap()).unwrap();
        assert!(summary["sentence"].is_string() && summary["sentence_ja"].is_string());
        let group = &summary["groups"][0];
        assert!(group["sentence"].is_string() && group["sentence_ja"].is_string());
        assert!(group["top_finding"]["id"].is_string());
        assert!(summary["findings"][0]["value"].is_string());
        assert!(summary["findings"][0]["count"].is_u64());
    }
}
