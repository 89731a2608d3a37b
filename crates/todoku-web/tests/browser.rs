//! In headless Chromium: rendering, and DoH through the browser's `fetch` to
//! the local DNS environment (`tests/dns`, URL in TODOKU_TEST_DOH at build time).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics
#![cfg(target_arch = "wasm32")]

use todoku_core::auth::dns::{DnsFailure, Rcode, RecordType, Resolver};
use todoku_core::auth::live::DmarcLookup;
use todoku_doh::Budget;
use todoku_web::resolver::FetchResolver;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const FIXTURE: &[u8] = include_bytes!("../../../tests/fixtures/postfix-to-gmail.txt");
/// A PC that greets the receiver's MX with its bare name: `helo.not_fqdn`.
/// (FIXTURE's PC name is on the authenticated submission hop, never judged.)
const PC_HELO: &[u8] = include_bytes!("../../../tests/fixtures/m365-junk.txt");

/// The DoH endpoint of the local test environment. The test command always
/// sets it; a plain `cargo test --target wasm32-unknown-unknown` without it
/// fails loudly rather than silently skipping the network tests.
fn doh() -> &'static str {
    match option_env!("TODOKU_TEST_DOH") {
        Some(url) => url,
        None => {
            panic!("TODOKU_TEST_DOH must name the local DoH endpoint (scripts/test.sh sets it)")
        }
    }
}

#[wasm_bindgen_test]
fn renders_hop_table_with_text_only() {
    let report = todoku_core::analyze(FIXTURE, 1_795_500_000);
    let root = todoku_web::render::report(&report, FIXTURE).unwrap();
    let rows = root.query_selector_all("#hops tbody tr").unwrap();
    assert_eq!(rows.length(), 4);
    let first = root
        .query_selector("#hops tbody tr td.from")
        .unwrap()
        .unwrap();
    assert_eq!(
        first.text_content().unwrap(),
        "DESKTOP-7QK3 [198.51.100.77]"
    );
    let delays: Vec<String> = (0..4)
        .map(|i| {
            let row: web_sys::Element = rows.item(i).unwrap().dyn_into().unwrap();
            row.query_selector("td.delay")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(delays, vec!["—", "+3 s", "+1 s", "+0 s"]);
}

#[wasm_bindgen_test]
fn markup_in_headers_stays_text() {
    let input = b"Subject: <img src=x onerror=alert(1)>\r\nFrom: <script>@x.test\r\n\r\n";
    let report = todoku_core::analyze(input, 0);
    let root = todoku_web::render::report(&report, input).unwrap();
    assert!(root.query_selector("img").unwrap().is_none());
    assert!(root.query_selector("script").unwrap().is_none());
    assert!(
        root.text_content()
            .unwrap()
            .contains("<img src=x onerror=alert(1)>")
    );
}

fn budget(per_query_ms: u32) -> Budget {
    Budget {
        per_query_ms,
        total_ms: 20_000,
    }
}

#[wasm_bindgen_test]
async fn doh_fetch_times_each_exchange_and_stops_at_the_deadline() {
    let resolver = FetchResolver::new(doh(), budget(5000));
    assert_eq!(resolver.latency_ms("todoku.test", RecordType::Txt), None);
    resolver
        .query("todoku.test", RecordType::Txt)
        .await
        .unwrap();
    let took = resolver.latency_ms("todoku.test.", RecordType::Txt);
    assert!(took.is_some_and(|ms| ms < 5000), "{took:?}");
    let spent = FetchResolver::new(
        doh(),
        Budget {
            per_query_ms: 5000,
            total_ms: 0,
        },
    );
    let err = spent
        .query("todoku.test", RecordType::Txt)
        .await
        .unwrap_err();
    assert_eq!(err, DnsFailure::DeadlineExceeded { limit_ms: 0 });
}

#[wasm_bindgen_test]
async fn doh_fetch_finds_the_dmarc_record_served_locally() {
    let resolver = FetchResolver::new(doh(), budget(5000));
    let headers = b"From: Taro <taro@todoku.test>\r\nSubject: hi\r\n\r\n";
    let report = todoku_core::analyze_live(headers, 1_795_500_000, &resolver).await;
    let Some(live) = report.auth.live.dmarc else {
        panic!("the From domain's DMARC was asked: {:?}", report.auth.live);
    };
    match live.lookup {
        DmarcLookup::Found { record, policy } => {
            assert!(record.starts_with("v=DMARC1; p=quarantine;"), "{record}");
            assert_eq!(policy.as_deref(), Some("quarantine"));
        }
        other => panic!("expected the zone's DMARC record, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn doh_fetch_classifies_nxdomain_servfail_and_unreachable() {
    let resolver = FetchResolver::new(doh(), budget(5000));
    let nx = resolver
        .query("_dmarc.nodmarc.todoku.test", RecordType::Txt)
        .await
        .unwrap();
    assert_eq!(nx.rcode, Rcode::NxDomain);
    let sf = resolver
        .query("_dmarc.servfail.todoku.test", RecordType::Txt)
        .await
        .unwrap();
    assert_eq!(sf.rcode, Rcode::ServFail);
    // Port 9 (discard) on loopback: nothing listens, the fetch fails.
    let dead = FetchResolver::new("http://127.0.0.1:9/dns-query", budget(3000));
    let err = dead
        .query("todoku.test", RecordType::Txt)
        .await
        .unwrap_err();
    assert!(matches!(err, DnsFailure::Network { .. }), "{err:?}");
}

#[wasm_bindgen_test]
async fn doh_fetch_fails_over_to_the_next_resolver_and_stays_there() {
    let both = FetchResolver::new(
        &format!("http://127.0.0.1:9/dns-query, {}", doh()),
        budget(3000),
    );
    assert_eq!(both.provider(), "http://127.0.0.1:9/dns-query");
    let answer = both
        .query("_dmarc.todoku.test", RecordType::Txt)
        .await
        .unwrap();
    assert_eq!(answer.rcode, Rcode::NoError);
    assert_eq!(
        both.provider(),
        doh(),
        "the resolver that answered is named"
    );
}

#[wasm_bindgen_test]
async fn doh_fetch_reads_a_long_split_txt_record() {
    let resolver = FetchResolver::new(doh(), budget(5000));
    let answer = resolver
        .query("sel1._domainkey.todoku.test", RecordType::Txt)
        .await
        .unwrap();
    let text: Vec<&str> = answer.txt().collect();
    assert_eq!(text.len(), 1);
    // The zone splits this 400-byte record into 200-byte strings; joined
    // without separators it must still be one valid key record.
    assert!(text[0].starts_with("v=DKIM1; k=rsa; p=MIIB"), "{}", text[0]);
    assert!(
        !text[0].contains(' ') || text[0].matches(' ').count() == 2,
        "{}",
        text[0]
    );
}

#[wasm_bindgen_test]
fn raw_headers_mark_the_evidence_and_findings_link_to_it() {
    let report = todoku_core::analyze(FIXTURE, 1_795_500_000);
    let root = todoku_web::render::report(&report, FIXTURE).unwrap();
    // The whole header block is shown as text…
    let pre = root.query_selector("#raw-headers").unwrap().unwrap();
    let text = pre.text_content().unwrap();
    assert!(text.starts_with("Delivered-To: hanako@gmail.com"));
    assert!(text.contains("Content-Type: text/plain; charset=UTF-8"));
    // The PC name there is on the submission hop: no HELO finding.
    assert!(
        root.query_selector("#findings li[data-id='helo.not_fqdn']")
            .unwrap()
            .is_none()
    );
    // A PC greeting the receiver's MX: the HELO finding links to a mark
    // holding the DESKTOP-7QK3 hop.
    let report = todoku_core::analyze(PC_HELO, 1_795_500_000);
    let root = todoku_web::render::report(&report, PC_HELO).unwrap();
    let helo = (0..report.findings.len())
        .find(|&i| report.findings[i].id == "helo.not_fqdn")
        .unwrap();
    let link = root
        .query_selector("#findings li[data-id='helo.not_fqdn'] a.evidence-link")
        .unwrap()
        .unwrap();
    assert_eq!(link.get_attribute("href").unwrap(), format!("#ev-{helo}-0"));
    let anchor = root
        .query_selector(&format!("#ev-{helo}-0"))
        .unwrap()
        .unwrap();
    let mark = anchor.next_element_sibling().unwrap();
    assert_eq!(mark.tag_name(), "MARK");
    assert!(
        mark.text_content()
            .unwrap()
            .starts_with("Received: from DESKTOP-7QK3")
    );
}

#[wasm_bindgen_test]
fn legacy_charsets_are_read_with_the_browsers_text_decoder() {
    use todoku_core::header::charset::{Charsets, Legacy};
    use todoku_web::charsets::BrowserCharsets;
    // "山田" in Shift_JIS, "テスト" in ISO-2022-JP, "会议" in GBK, "한국" in EUC-KR.
    let cases: [(Legacy, &[u8], &str); 4] = [
        (Legacy::ShiftJis, b"\x8eR\x93c", "山田"),
        (Legacy::Iso2022Jp, b"\x1b$B%F%9%H\x1b(B", "テスト"),
        (Legacy::Gbk, b"\xbb\xe1\xd2\xe9", "会议"),
        (Legacy::EucKr, b"\xc7\xd1\xb1\xb9", "한국"),
    ];
    for (charset, bytes, text) in cases {
        assert_eq!(
            BrowserCharsets.decode(charset, bytes).as_deref(),
            Some(text),
            "{}",
            charset.name()
        );
    }
    // A lone lead byte is malformed: no text rather than U+FFFD.
    assert_eq!(BrowserCharsets.decode(Legacy::ShiftJis, b"\x8e"), None);
    assert_eq!(BrowserCharsets.decode(Legacy::Big5, b"ok \x81"), None);
    // gb18030 can hold U+FFFD itself (84 31 A4 37): that is text; a
    // malformed byte next to it is not.
    for charset in [Legacy::Gb18030, Legacy::Gbk] {
        assert_eq!(
            BrowserCharsets
                .decode(charset, b"\xbb\xe1\x841\xa47")
                .as_deref(),
            Some("会\u{fffd}"),
            "{}",
            charset.name()
        );
        assert_eq!(BrowserCharsets.decode(charset, b"\x841\xa47\xff"), None);
    }
    // Through the whole analysis: an RFC 2047 subject and a raw Shift_JIS name.
    let mut input = b"Subject: =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=\r\nFrom: ".to_vec();
    input.extend_from_slice(b"\x8eR\x93c <taro@todoku.test>\r\n\r\n");
    let report = todoku_core::analyze_with(&input, 0, &BrowserCharsets);
    assert_eq!(report.summary.subject.as_deref(), Some("テスト"));
    // Adjacent ISO-2022-JP words, each closing and reopening its escapes
    // (ESC ( B ESC $ B at the join, which TextDecoder rejects), and raw
    // Latin-1, which is not Shift_JIS.
    let input = b"Subject: =?ISO-2022-JP?B?GyRCIVo9RU1XIVsbKEI=?= =?ISO-2022-JP?B?GyRCMnE1RBsoQg==?=\r\nFrom: Cr\xe8me <a@todoku.test>\r\n\r\n";
    let joined = todoku_core::analyze_with(input, 0, &BrowserCharsets);
    assert_eq!(joined.summary.subject.as_deref(), Some("【重要】会議"));
    assert_eq!(joined.summary.from_name.as_deref(), Some("Crème"));
    assert_eq!(report.summary.from_name.as_deref(), Some("山田"));
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.id == "rfc5322.unencoded_8bit")
    );
}

#[wasm_bindgen_test]
fn tenths_round_like_one_decimal_formatting() {
    use todoku_web::dom::tenths;
    assert_eq!(tenths(0.0), "0.0");
    assert_eq!(tenths(1.04), "1.0");
    assert_eq!(tenths(1.05 + 1e-9), "1.1");
    assert_eq!(tenths(20.0), "20.0");
    assert_eq!(tenths(-3.0), "0.0");
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn webcrypto_verifies_ed25519_with_the_rfc8032_vector() {
    use todoku_core::auth::dkim::key::{Hash, KeyType, Signatures};
    use todoku_web::webcrypto::WebCrypto;
    // RFC 8032 7.1, TEST 1: the empty message.
    let public = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    let mut signature = hex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    );
    let verify = |sig: Vec<u8>, msg: &'static [u8]| {
        let public = public.clone();
        async move {
            WebCrypto
                .verify(KeyType::Ed25519, Hash::Sha256, &public, msg, &sig)
                .await
        }
    };
    assert_eq!(verify(signature.clone(), b"").await, Ok(true));
    assert_eq!(verify(signature.clone(), b"x").await, Ok(false));
    signature[0] ^= 1;
    assert_eq!(verify(signature, b"").await, Ok(false));
    // A key WebCrypto cannot import is an error, not a failed signature.
    let err = WebCrypto
        .verify(KeyType::Rsa, Hash::Sha256, b"not a key", b"", b"sig")
        .await;
    assert!(err.is_err(), "{err:?}");
}
