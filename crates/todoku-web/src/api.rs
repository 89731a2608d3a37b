//! The engine's JS API (issue 17, docs/js-api.md): `analyze(bytes, options)`
//! resolves to the Report as a plain object (docs/report.schema.json), in the
//! page, a worker or Node. The page's own analysis ([`crate::app`]) makes its
//! report with the same two functions, [`offline_report`] and
//! [`live_checks`], so both give the same findings for the same bytes.

use js_sys::{Array, JSON, Object, Reflect, Uint8Array};
use todoku_core::LiveChecks;
use todoku_core::Report;
use wasm_bindgen::prelude::*;

use crate::resolver::{FetchResolver, PageResolver};

/// The report the page and the API make of `bytes` before the live checks
/// (of an input carrying messages as attachments, the attached message
/// `attachment`, from 0), the legacy charsets read with the `TextDecoder`.
pub(crate) fn offline_report(bytes: &[u8], attachment: usize, now: i64) -> Report {
    todoku_core::analyze_attached(bytes, attachment, now, &crate::charsets::BrowserCharsets)
}

/// The live checks of `report` (made from `input`) through `resolver`,
/// signatures verified with WebCrypto.
pub(crate) async fn live_checks(
    report: &Report,
    input: &[u8],
    resolver: &PageResolver,
) -> LiveChecks {
    todoku_core::check_live(report, input, resolver, &crate::webcrypto::WebCrypto).await
}

/// Now in Unix seconds, from `Date.now()`.
pub(crate) fn now_seconds() -> i64 {
    // Seconds since 1970 fit an i64; the cast saturates.
    #[allow(clippy::cast_possible_truncation)]
    let now = (js_sys::Date::now() / 1000.0) as i64;
    now
}

/// The largest `now` taken: 9999-12-31T23:59:59Z. A larger one is almost
/// always `Date.now()` (milliseconds) passed as seconds.
const LATEST: f64 = 253_402_300_799.0;

/// The options `analyze` reads, checked.
#[derive(Debug)]
struct Options {
    now: i64,
    live: bool,
    doh: Vec<String>,
}

/// The options `analyze` takes. There is no language option: the report
/// carries every sentence in English and Japanese (`message` and
/// `message_ja`, …), so a key such as `lang` is refused like any other
/// unknown one instead of being accepted and ignored.
const KNOWN: [&str; 3] = ["now", "live", "doh"];

/// `value` as the message quotes it: JSON where JSON can say it, else its
/// JS type (a number as JS writes it, so `NaN` is not `null`).
fn quoted(value: &JsValue) -> String {
    // Numbers through JS's own String(): Rust's float formatting would add
    // its tables to the page for this one message.
    if value.as_f64().is_some() {
        let number: &js_sys::Number = value.unchecked_ref();
        return number
            .to_string_with_radix(10)
            .map(String::from)
            .unwrap_or_default();
    }
    match JSON::stringify(value).ok().and_then(|s| s.as_string()) {
        Some(text) => text,
        None => format!(
            "a value of type {}",
            value.js_typeof().as_string().unwrap_or_default()
        ),
    }
}

fn bad(what: &str, value: &JsValue) -> String {
    format!("analyze: {what}, got {}", quoted(value))
}

/// The options object (undefined or null: every default), or why not.
fn read_options(options: &JsValue) -> Result<Options, String> {
    let mut read = Options {
        now: now_seconds(),
        live: false,
        doh: Vec::new(),
    };
    if options.is_undefined() || options.is_null() {
        return Ok(read);
    }
    if !options.is_object() || Array::is_array(options) || options.is_function() {
        return Err(bad(
            "options must be an object like { now, live, doh }",
            options,
        ));
    }
    let object: &Object = options.unchecked_ref();
    for key in Object::keys(object) {
        let key = key.as_string().unwrap_or_default();
        if !KNOWN.contains(&key.as_str()) {
            return Err(format!(
                "analyze: unknown option {key:?} (the options are now, live and doh)"
            ));
        }
    }
    let get = |key: &str| Reflect::get(options, &JsValue::from_str(key)).unwrap_or_default();

    let now = get("now");
    if !now.is_undefined() {
        match now.as_f64() {
            Some(n) if n.is_finite() && (0.0..=LATEST).contains(&n) => {
                // In range, so the cast is exact up to the fraction dropped.
                #[allow(clippy::cast_possible_truncation)]
                {
                    read.now = n.floor() as i64;
                }
            }
            Some(n) if n.is_finite() && n > LATEST => {
                return Err(bad(
                    "options.now is in Unix seconds (Date.now() / 1000), this looks like milliseconds",
                    &now,
                ));
            }
            _ => {
                return Err(bad(
                    "options.now must be a number of Unix seconds from 0 to 253402300799",
                    &now,
                ));
            }
        }
    }

    let live = get("live");
    if !live.is_undefined() {
        read.live = live
            .as_bool()
            .ok_or_else(|| bad("options.live must be true or false", &live))?;
    }

    let doh = get("doh");
    if !doh.is_undefined() {
        if !Array::is_array(&doh) {
            return Err(bad(
                "options.doh must be an array of DoH resolver URLs",
                &doh,
            ));
        }
        for url in Array::from(&doh) {
            let text = url.as_string().filter(|u| is_http_url(u)).ok_or_else(|| {
                bad(
                    "options.doh must list http:// or https:// URLs (RFC 8484 endpoints)",
                    &url,
                )
            })?;
            read.doh.push(text);
        }
        if read.doh.is_empty() {
            return Err(bad("options.doh lists no resolver", &doh));
        }
        if !read.live {
            return Err(bad(
                "options.doh is only used with live: true (add it, or drop doh)",
                &doh,
            ));
        }
    }

    Ok(read)
}

/// An absolute http(s) URL with a host and no white space or comma (the
/// resolver list splits on them).
fn is_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
        && !url.contains(|c: char| c.is_whitespace() || c == ',')
}

/// The resolvers the page uses unless the user picks others (Cloudflare,
/// then Google: the shell's default, core's `page_help::RESOLVERS` order).
fn default_resolvers() -> String {
    todoku_core::wording::page_help::RESOLVERS
        .iter()
        .take(2)
        .map(|(_, url)| *url)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `analyze(bytes, options)`: the Report of `bytes` (a `Uint8Array`) as a
/// plain object. Message bytes never reject (what cannot be read is the
/// report's `input.problem`); `bytes` that are not a `Uint8Array` and bad
/// options reject with a message quoting the value. See docs/js-api.md.
#[wasm_bindgen(js_name = analyze)]
pub async fn api_analyze(bytes: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let bytes = bytes
        .dyn_into::<Uint8Array>()
        .map_err(|v| js_sys::Error::new(&bad("bytes must be a Uint8Array", &v)))?
        .to_vec();
    let options = read_options(&options).map_err(|m| js_sys::Error::new(&m))?;
    let mut report = offline_report(&bytes, 0, options.now);
    let resolver = if options.live {
        let endpoints = if options.doh.is_empty() {
            default_resolvers()
        } else {
            options.doh.join(" ")
        };
        PageResolver::Doh(FetchResolver::new(
            &endpoints,
            todoku_doh::Budget::default(),
        ))
    } else {
        // As the page's offline mode and the CLI's --offline: every live
        // check is made against a resolver that asks nothing, and says so.
        PageResolver::Offline
    };
    let live = live_checks(&report, &bytes, &resolver).await;
    todoku_core::attach_live(&mut report, live);
    // Pretty, as the page's JSON download: the Report's serialiser is
    // compiled once per formatter, and a second (compact) one cost 7.9 KB
    // gzipped. JSON.parse does not mind the white space.
    let json = serde_json::to_string_pretty(&report)
        .map_err(|e| js_sys::Error::new(&format!("analyze: cannot write the report: {e}")))?;
    JSON::parse(&json)
}
