//! DNS-over-HTTPS over the browser's `fetch`, adapted to the core's `Resolver`.
//!
//! Requests are RFC 8484 GETs with only an `Accept` header, so they are CORS
//! "simple requests" (no preflight), sent with `cache: no-store` and cancelled
//! by `AbortSignal.timeout` after the per-question time. Redirects are not
//! followed (`redirect: "manual"`): the answer must come from the resolver
//! chosen, the one the evidence names. An answer must be
//! `application/dns-message`.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::Uint8Array;
use todoku_core::auth::dns::{DnsAnswer, DnsFailure, NullResolver, RecordType, Resolver};
use todoku_doh::{ACCEPT, Budget, check_media_type, decode_response, encode_query, get_url};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, Headers, RequestCache, RequestInit, RequestMode, RequestRedirect, Response,
    ResponseType,
};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`: the window's in the page, the worker's in a
    /// worker, Node's (18 and later) under the JS API (`analyze` with
    /// `live: true`), where there is no window.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> js_sys::Promise;
}

/// Why a redirect gives no answer (the browser hides where it pointed).
const REDIRECT_NOT_FOLLOWED: &str =
    "the resolver answered with a redirect to another address (redirects are not followed)";

/// DoH endpoints reached with `fetch`, in failover order.
#[derive(Debug, Clone)]
pub struct FetchResolver {
    endpoints: Vec<String>,
    /// The endpoint that answered last; later questions start there.
    current: Rc<Cell<usize>>,
    budget: Budget,
    /// When the resolver was made (`Date.now()`): the deadline counts from here.
    started_ms: f64,
    latencies: Rc<RefCell<BTreeMap<(String, RecordType), u32>>>,
    /// Where to count answers as they arrive (live progress), if anywhere.
    progress: Option<web_sys::Element>,
    /// `Accept: application/dns-message`, made once (`fetch` copies it).
    headers: Option<Headers>,
}

/// The `Accept` header of every request (`None` only where there is no
/// `Headers` class, never in a browser).
fn accept_header() -> Option<Headers> {
    let headers = Headers::new().ok()?;
    headers.set("Accept", ACCEPT).ok()?;
    Some(headers)
}

fn elapsed_since(start_ms: f64) -> f64 {
    (js_sys::Date::now() - start_ms).max(0.0)
}

impl FetchResolver {
    /// A resolver for the endpoints in `endpoints` (separated by white space
    /// or commas, tried in order when one cannot be reached), each exchange
    /// and the whole set of them limited by `budget`.
    pub fn new(endpoints: &str, budget: Budget) -> FetchResolver {
        let endpoints: Vec<String> = endpoints
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|e| !e.is_empty())
            .map(str::to_string)
            .collect();
        FetchResolver {
            endpoints,
            current: Rc::new(Cell::new(0)),
            budget,
            started_ms: js_sys::Date::now(),
            latencies: Rc::new(RefCell::new(BTreeMap::new())),
            progress: None,
            headers: accept_header(),
        }
    }

    /// Count the answers in `element` as they arrive.
    pub fn with_progress(mut self, element: web_sys::Element) -> FetchResolver {
        self.progress = Some(element);
        self
    }

    async fn fetch(&self, url: &str, timeout_ms: u32) -> Result<Vec<u8>, DnsFailure> {
        let network = |e: JsValue| DnsFailure::Network {
            detail: e
                .as_string()
                .or_else(|| js_sys::Error::from(e).message().as_string())
                .unwrap_or_else(|| "fetch failed".into()),
        };
        // Every question of a round is sent at once, so what each costs to
        // send delays the round: one `AbortSignal.timeout` instead of a
        // controller, a timer and a closure, and the shared `Accept` header.
        let init = RequestInit::new();
        init.set_method("GET");
        init.set_mode(RequestMode::Cors);
        init.set_cache(RequestCache::NoStore);
        init.set_redirect(RequestRedirect::Manual);
        init.set_signal(Some(&AbortSignal::timeout_with_u32(timeout_ms)));
        if let Some(headers) = &self.headers {
            init.set_headers(headers);
        }
        let result = async {
            let response: Response = JsFuture::from(global_fetch(url, &init)).await?.dyn_into()?;
            // With `redirect: "manual"` a 3xx comes back as an opaque
            // response, its status and `Location` hidden.
            if response.type_() == ResponseType::Opaqueredirect || response.redirected() {
                return Ok(Err(DnsFailure::Network {
                    detail: REDIRECT_NOT_FOLLOWED.to_string(),
                }));
            }
            if !response.ok() {
                return Ok(Err(DnsFailure::Http {
                    status: response.status(),
                }));
            }
            let content_type = response.headers().get("content-type").ok().flatten();
            if let Err(e) = check_media_type(content_type.as_deref()) {
                return Ok(Err(DnsFailure::Malformed {
                    detail: e.to_string(),
                }));
            }
            let body = JsFuture::from(response.array_buffer()?).await?;
            Ok::<_, JsValue>(Ok(Uint8Array::new(&body).to_vec()))
        }
        .await;
        match result {
            Ok(outcome) => outcome,
            // The signal's abort reason: a DOMException named TimeoutError.
            Err(e)
                if js_sys::Reflect::get(&e, &"name".into())
                    .ok()
                    .and_then(|n| n.as_string())
                    .as_deref()
                    == Some("TimeoutError") =>
            {
                Err(DnsFailure::Timeout)
            }
            Err(e) => Err(network(e)),
        }
    }
}

impl Resolver for FetchResolver {
    async fn query(&self, name: &str, rtype: RecordType) -> Result<DnsAnswer, DnsFailure> {
        let wire = encode_query(name, rtype.code()).map_err(|_| DnsFailure::InvalidName {
            name: name.to_string(),
        })?;
        let asked_ms = js_sys::Date::now();
        let answer = self.failover(name, rtype, &wire).await;
        // Whole milliseconds; the cast saturates.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let took = elapsed_since(asked_ms).round() as u32;
        let done = {
            let mut latencies = self.latencies.borrow_mut();
            latencies.insert(todoku_resolve::latency_key(name, rtype), took);
            latencies.len()
        };
        if let Some(element) = &self.progress {
            element.set_text_content(Some(&format!(
                "{}{done}",
                crate::i18n::t(todoku_core::wording::Ui::LiveProgress)
            )));
        }
        answer
    }

    fn provider(&self) -> String {
        self.endpoints
            .get(self.current.get())
            .cloned()
            .unwrap_or_default()
    }

    fn latency_ms(&self, name: &str, rtype: RecordType) -> Option<u32> {
        self.latencies
            .borrow()
            .get(&todoku_resolve::latency_key(name, rtype))
            .copied()
    }
}

impl FetchResolver {
    /// Ask the endpoints in turn, starting with the one that answered last.
    async fn failover(
        &self,
        name: &str,
        rtype: RecordType,
        wire: &[u8],
    ) -> Result<DnsAnswer, DnsFailure> {
        let count = self.endpoints.len();
        let start = self.current.get();
        let mut first_failure = None;
        for step in 0..count {
            let index = (start + step) % count;
            let Some(endpoint) = self.endpoints.get(index) else {
                continue;
            };
            // Truncation is intended: whole milliseconds elapsed.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let elapsed = elapsed_since(self.started_ms) as u64;
            let Some(allowed) = self.budget.allowance(elapsed) else {
                return Err(first_failure.unwrap_or(DnsFailure::DeadlineExceeded {
                    limit_ms: self.budget.total_ms,
                }));
            };
            let answer = async {
                let body = self.fetch(&get_url(endpoint, wire), allowed).await?;
                decode_response(&body, name, rtype.code())
                    .map(todoku_resolve::answer)
                    .map_err(|e| DnsFailure::Malformed {
                        detail: e.to_string(),
                    })
            }
            .await;
            match answer {
                Ok(answer) => {
                    // An answer of any rcode is the resolver working: stay here.
                    self.current.set(index);
                    return Ok(answer);
                }
                // The resolver could not be used: try the next one.
                Err(failure) => {
                    first_failure.get_or_insert(failure);
                }
            }
        }
        Err(first_failure.unwrap_or(DnsFailure::Network {
            detail: "no DNS-over-HTTPS resolver is configured".to_string(),
        }))
    }
}

/// The page's resolver: DoH, or none in offline mode. One type for both, so
/// the live checks (generic over the resolver) are compiled into the
/// WebAssembly once rather than once per resolver.
#[derive(Debug)]
pub enum PageResolver {
    /// Offline mode: every question fails with `DnsFailure::Offline`.
    Offline,
    /// DNS-over-HTTPS through `fetch`.
    Doh(FetchResolver),
}

impl Resolver for PageResolver {
    async fn query(&self, name: &str, rtype: RecordType) -> Result<DnsAnswer, DnsFailure> {
        match self {
            PageResolver::Offline => NullResolver.query(name, rtype).await,
            PageResolver::Doh(doh) => doh.query(name, rtype).await,
        }
    }

    fn provider(&self) -> String {
        match self {
            PageResolver::Offline => NullResolver.provider(),
            PageResolver::Doh(doh) => doh.provider(),
        }
    }

    fn latency_ms(&self, name: &str, rtype: RecordType) -> Option<u32> {
        match self {
            PageResolver::Offline => None,
            PageResolver::Doh(doh) => doh.latency_ms(name, rtype),
        }
    }
}
