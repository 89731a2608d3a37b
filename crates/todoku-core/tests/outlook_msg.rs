//! Outlook `.msg` files (issue 17): the transport headers of the 22 real
//! files of ../shared/corpora/msg against the collector's ground truth
//! (`expected.json`, `*.headers.txt`), the clear problem for the files
//! without them, and hostile compound files that must give an error, never
//! a panic or an endless loop.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::expect_used,
    clippy::indexing_slicing
)]

mod common;

use todoku_core::input::cfb::{Cfb, CfbError};
use todoku_core::{InputProblem, Lang, analyze, open};

const NOW: i64 = 1_795_500_000;

fn builtin() -> &'static dyn todoku_core::header::charset::Charsets {
    todoku_core::header::charset::builtin()
}

/// Every file with transport headers gives exactly the stored header text
/// (the `.headers.txt`: CRLF as stored, a trailing NUL removed), and its
/// analysis finds as many Received fields and the same decoded Subject as
/// the collector did; every file without gets OutlookNoHeaders, whose
/// sentence says why in both languages.
#[test]
fn every_corpus_msg_gives_its_transport_headers_or_a_clear_problem() {
    let Some(expected) = common::json("msg/expected.json") else {
        return;
    };
    let dir = common::corpora().join("msg");
    let files = expected.as_object().unwrap();
    assert_eq!(files.len(), 22);
    let (mut with, mut without) = (0, 0);
    for (name, facts) in files {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let opened = open(&bytes, builtin());
        let report = analyze(&bytes, NOW);
        // A draft's headers (X-Unsent: 1, marirs-ascii) are Outlook's own,
        // not a server's: the file is a draft, as one without headers.
        let draft_headers = facts["unsent"] == true;
        if facts["has_transport_headers"].as_bool().unwrap() && !draft_headers {
            with += 1;
            let want =
                std::fs::read_to_string(dir.join(facts["headers_file"].as_str().unwrap())).unwrap();
            let got = std::str::from_utf8(&opened.text).unwrap();
            assert_eq!(got, want, "{name}: the transport headers differ");
            assert_eq!(
                got.chars().count(),
                facts["headers_chars"].as_u64().unwrap() as usize
            );
            assert_eq!(report.input.problem, None, "{name}");
            let outlook = report.input.outlook.as_ref().expect(name);
            assert_eq!(
                outlook.unicode,
                facts["header_property_type"] == "001F",
                "{name}"
            );
            assert_eq!(
                outlook.message_class.as_deref(),
                facts["message_class"].as_str(),
                "{name}"
            );
            assert_eq!(outlook.file_bytes, bytes.len());
            assert_eq!(
                report.input.bytes,
                want.len(),
                "{name}: spans are about the text"
            );
            let received = report
                .input
                .headers
                .iter()
                .filter(|h| h.name.eq_ignore_ascii_case("Received"))
                .count();
            assert_eq!(
                received as u64,
                facts["received_count"].as_u64().unwrap(),
                "{name}"
            );
            assert_eq!(
                report.summary.subject.as_deref(),
                facts["subject_header_decoded"].as_str(),
                "{name}"
            );
            // Every header span points into the opened text.
            for h in &report.input.headers {
                let field = &opened.text[h.span.start..h.span.end];
                assert!(field.starts_with(h.name.as_bytes()), "{name}: {}", h.name);
            }
        } else {
            without += 1;
            let Some(problem @ InputProblem::OutlookNoHeaders { message_class, .. }) =
                &report.input.problem
            else {
                panic!("{name}: {:?}", report.input.problem);
            };
            assert_eq!(message_class.as_deref(), facts["message_class"].as_str());
            assert!(report.findings.is_empty() && report.hops.is_empty());
            assert_eq!(report.verdict.sentence, problem.sentence(Lang::En));
            assert!(report.verdict.sentence_ja.contains("ヘッダー"), "{name}");
        }
    }
    assert_eq!((with, without), (16, 6));
}

/// The sentence fits what the file is: a draft, a contact, a stored copy,
/// and a draft whose attached message has headers (msgInMsg: those are the
/// attachment's, never reported as the outer message's).
#[test]
fn a_msg_without_headers_says_why_and_what_to_do() {
    let Some(dir) = common::corpus_path(None, "msg") else {
        return;
    };
    let problem = |file: &str| {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let report = analyze(&bytes, NOW);
        report.input.problem.clone().unwrap()
    };
    let draft = problem("hiraoka-Hello_CJK.msg");
    assert!(draft.sentence(Lang::En).contains("draft"), "{draft:?}");
    assert!(draft.sentence(Lang::Ja).contains("下書き"));
    assert!(draft.sentence(Lang::En).contains("Internet headers"));
    let contact = problem("hiraoka-contactUnicode.msg");
    assert!(contact.sentence(Lang::En).contains("not an email"));
    assert!(contact.sentence(Lang::En).contains("IPM.Contact"));
    let sent = problem("hiraoka-sent.msg");
    assert!(sent.sentence(Lang::En).contains("sent or saved copy"));
    let nested = problem("hiraoka-msgInMsg.msg");
    assert!(
        matches!(
            nested,
            InputProblem::OutlookNoHeaders {
                attached_with_headers: 1,
                draft: true,
                ..
            }
        ),
        "{nested:?}"
    );
    assert!(nested.sentence(Lang::En).contains("attached message"));
    assert!(nested.sentence(Lang::Ja).contains("添付"));
}

/// The live stage reads the same header text: a `.msg`'s raw message is
/// its transport headers, not the compound file's bytes.
#[test]
fn the_raw_message_of_a_msg_is_its_transport_headers() {
    let Some(dir) = common::corpus_path(None, "msg") else {
        return;
    };
    let bytes = std::fs::read(dir.join("bbottema-simple_reply_with_CC.msg")).unwrap();
    let raw = todoku_core::raw_message(&bytes);
    let names: Vec<String> = raw.fields().map(|f| f.name.to_ascii_lowercase()).collect();
    assert!(names.contains(&"dkim-signature".to_string()), "{names:?}");
    assert!(names.contains(&"arc-seal".to_string()), "{names:?}");
}

// ---- Hostile compound files, built here ----------------------------------

const FREE: u32 = 0xFFFF_FFFF;
const END: u32 = 0xFFFF_FFFE;
const FATSECT: u32 = 0xFFFF_FFFD;

struct E<'a> {
    name: &'a str,
    kind: u8,
    left: u32,
    right: u32,
    child: u32,
    start: u32,
    size: u64,
}

fn entry(e: &E<'_>) -> Vec<u8> {
    let mut b = vec![0u8; 128];
    let units: Vec<u16> = e.name.encode_utf16().chain([0]).collect();
    for (i, u) in units.iter().enumerate() {
        b[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
    }
    b[0x40..0x42].copy_from_slice(&((units.len() * 2) as u16).to_le_bytes());
    b[0x42] = e.kind;
    b[0x44..0x48].copy_from_slice(&e.left.to_le_bytes());
    b[0x48..0x4C].copy_from_slice(&e.right.to_le_bytes());
    b[0x4C..0x50].copy_from_slice(&e.child.to_le_bytes());
    b[0x74..0x78].copy_from_slice(&e.start.to_le_bytes());
    b[0x78..0x80].copy_from_slice(&e.size.to_le_bytes());
    b
}

/// Header fields a test may set.
struct Header {
    fat_sectors: Vec<u32>,
    fat_count: u32,
    dir_start: u32,
    cutoff: u32,
    mini_fat_start: u32,
    mini_fat_count: u32,
    difat_start: u32,
    difat_count: u32,
}

impl Default for Header {
    fn default() -> Self {
        Header {
            fat_sectors: vec![0],
            fat_count: 1,
            dir_start: 1,
            cutoff: 4096,
            mini_fat_start: END,
            mini_fat_count: 0,
            difat_start: END,
            difat_count: 0,
        }
    }
}

/// A version 3 compound file: the header, then `sectors` (each padded to
/// 512 bytes).
fn cfb(h: &Header, sectors: &[Vec<u8>]) -> Vec<u8> {
    let mut out = vec![0u8; 512];
    out[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    out[0x18..0x1A].copy_from_slice(&0x3Eu16.to_le_bytes());
    out[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
    out[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
    out[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
    out[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
    let put = |out: &mut Vec<u8>, at: usize, v: u32| {
        out[at..at + 4].copy_from_slice(&v.to_le_bytes());
    };
    put(&mut out, 0x2C, h.fat_count);
    put(&mut out, 0x30, h.dir_start);
    put(&mut out, 0x38, h.cutoff);
    put(&mut out, 0x3C, h.mini_fat_start);
    put(&mut out, 0x40, h.mini_fat_count);
    put(&mut out, 0x44, h.difat_start);
    put(&mut out, 0x48, h.difat_count);
    for i in 0..109 {
        put(
            &mut out,
            0x4C + 4 * i,
            *h.fat_sectors.get(i).unwrap_or(&FREE),
        );
    }
    for s in sectors {
        let mut s = s.clone();
        s.resize(512, 0);
        out.extend_from_slice(&s);
    }
    out
}

fn fat(entries: &[u32]) -> Vec<u8> {
    let mut b: Vec<u8> = entries.iter().flat_map(|e| e.to_le_bytes()).collect();
    b.resize(512, 0xFF);
    b
}

fn dir(entries: &[E<'_>]) -> Vec<u8> {
    entries.iter().flat_map(entry).collect()
}

fn root(child: u32, start: u32, size: u64) -> E<'static> {
    E {
        name: "Root Entry",
        kind: 5,
        left: FREE,
        right: FREE,
        child,
        start,
        size,
    }
}

fn stream<'a>(name: &'a str, start: u32, size: u64) -> E<'a> {
    E {
        name,
        kind: 2,
        left: FREE,
        right: FREE,
        child: FREE,
        start,
        size,
    }
}

/// A well-formed file with 8-bit (001E) transport headers in Shift_JIS
/// (PR_MESSAGE_CODEPAGE 932): the builder and the code page path work, so
/// the hostile variants below fail for the reason they test.
fn ansi_msg(headers: &[u8]) -> Vec<u8> {
    // Sector 0: FAT; 1: directory; 2..: the headers stream (cutoff 0: no
    // mini stream); then the properties stream.
    let data_sectors = headers.len().div_ceil(512) as u32;
    let props_sector = 2 + data_sectors;
    let mut fat_entries = vec![FATSECT, END];
    for i in 0..data_sectors {
        fat_entries.push(if i + 1 == data_sectors { END } else { 3 + i });
    }
    fat_entries.push(END);
    let mut props = vec![0u8; 32];
    props.extend_from_slice(&0x3FFD_0003u32.to_le_bytes());
    props.extend_from_slice(&6u32.to_le_bytes());
    props.extend_from_slice(&932u32.to_le_bytes());
    props.extend_from_slice(&[0; 4]);
    let entries = [
        root(1, END, 0),
        E {
            left: 2,
            ..stream("__substg1.0_007D001E", 2, headers.len() as u64)
        },
        stream("__properties_version1.0", props_sector, props.len() as u64),
    ];
    let mut sectors = vec![fat(&fat_entries), dir(&entries)];
    for chunk in headers.chunks(512) {
        sectors.push(chunk.to_vec());
    }
    sectors.push(props);
    cfb(
        &Header {
            cutoff: 0,
            ..Header::default()
        },
        &sectors,
    )
}

#[test]
fn ansi_transport_headers_are_read_in_the_messages_code_page() {
    // "Subject: テスト" in Shift_JIS, raw 8-bit, as Outlook stores 001E text.
    let mut headers = b"Received: from a.example (a.example [192.0.2.1]) by b.example; Mon, 23 Nov 2026 10:00:00 +0000\r\nFrom: a@a.example\r\nSubject: ".to_vec();
    headers.extend_from_slice(&[0x83, 0x65, 0x83, 0x58, 0x83, 0x67]);
    headers.extend_from_slice(b"\r\n\r\n\0");
    let file = ansi_msg(&headers);
    let opened = open(&file, builtin());
    assert_eq!(opened.problem, None);
    let text = std::str::from_utf8(&opened.text).unwrap();
    assert!(text.ends_with("Subject: テスト\r\n\r\n"), "{text:?}");
    let outlook = opened.outlook.unwrap();
    assert_eq!((outlook.unicode, outlook.codepage), (false, Some(932)));
    let report = analyze(&file, NOW);
    assert_eq!(report.hops.len(), 1);
}

fn unreadable(file: &[u8]) -> String {
    let report = analyze(file, NOW);
    match report.input.problem {
        Some(InputProblem::OutlookUnreadable { reason }) => reason,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_cyclic_fat_chain_is_an_error_not_a_loop() {
    // The directory's sector points to itself in the FAT.
    let entries = [root(FREE, END, 0)];
    let file = cfb(&Header::default(), &[fat(&[FATSECT, 1]), dir(&entries)]);
    assert_eq!(
        Cfb::open(&file).unwrap_err(),
        CfbError::BadChain("a chain loops")
    );
    assert!(unreadable(&file).contains("loops"));
    // A two-sector cycle in a stream's chain (1 -> 2 -> 1).
    let headers = b"From: a@a.example\r\n\r\n".repeat(60);
    let mut file = ansi_msg(&headers);
    // FAT entry of sector 3 (the stream's second sector) points back to 2.
    let at = 512 + 4 * 3;
    file[at..at + 4].copy_from_slice(&2u32.to_le_bytes());
    assert!(unreadable(&file).contains("loops"), "{}", unreadable(&file));
}

#[test]
fn huge_sector_counts_are_refused_before_anything_is_allocated() {
    let entries = [root(FREE, END, 0)];
    let sectors = [fat(&[FATSECT, END]), dir(&entries)];
    let file = cfb(
        &Header {
            fat_count: u32::MAX,
            ..Header::default()
        },
        &sectors,
    );
    assert!(matches!(Cfb::open(&file), Err(CfbError::BadHeader(_))));
    // A DIFAT chain that points to itself, claiming a billion DIFAT
    // sectors and 300 FAT sectors (more than the header's 109 and one DIFAT
    // sector's 127), in a file of 303 sectors.
    let mut difat = vec![0u8; 512];
    difat[508..512].copy_from_slice(&2u32.to_le_bytes());
    let mut sectors = vec![fat(&[FATSECT, END, FATSECT]), dir(&entries), difat];
    sectors.resize(303, vec![0; 512]);
    let file = cfb(
        &Header {
            fat_count: 300,
            difat_start: 2,
            difat_count: 1_000_000_000,
            ..Header::default()
        },
        &sectors,
    );
    assert_eq!(
        Cfb::open(&file).unwrap_err(),
        CfbError::BadChain("the DIFAT chain loops or is too long")
    );
    // A stream that claims 2^64 - 1 bytes in a 3-sector file.
    let file = cfb(
        &Header {
            cutoff: 0,
            ..Header::default()
        },
        &[
            fat(&[FATSECT, END, END]),
            dir(&[root(1, END, 0), stream("__substg1.0_007D001F", 2, u64::MAX)]),
            vec![b'A'; 512],
        ],
    );
    // Version 3 keeps only the low half of the size (4 GiB - 1): still
    // longer than the chain.
    assert!(unreadable(&file).contains("longer than its chain"));
}

#[test]
fn a_cyclic_mini_chain_and_a_looping_directory_tree_end() {
    // The headers stream (100 bytes, under the cutoff) lives in the mini
    // stream; mini FAT entry 0 points to 0.
    let mut mini_fat = vec![0u8; 512];
    mini_fat[..4].copy_from_slice(&0u32.to_le_bytes());
    let entries = [
        root(1, 3, 512),
        // Its siblings point to itself and to the root: the walk visits
        // each entry once.
        E {
            left: 1,
            right: 0,
            ..stream("__substg1.0_007D001F", 0, 100)
        },
    ];
    let file = cfb(
        &Header {
            mini_fat_start: 2,
            mini_fat_count: 1,
            ..Header::default()
        },
        &[
            fat(&[FATSECT, END, END, END]),
            dir(&entries),
            mini_fat,
            vec![b'A'; 512],
        ],
    );
    let cfb = Cfb::open(&file).unwrap();
    assert_eq!(cfb.children(0), vec![1]);
    // 100 bytes need two mini sectors; the chain 0 -> 0 comes back.
    assert!(matches!(cfb.stream(1, 1 << 20), Err(CfbError::BadChain(_))));
    assert!(unreadable(&file).contains("mini chain"));
}

#[test]
fn cut_and_garbled_files_give_a_problem() {
    let file = ansi_msg(b"From: a@a.example\r\n\r\n");
    for len in [8, 100, 511, 512, 700, 1024, 1500] {
        let cut = &file[..len.min(file.len())];
        let report = analyze(cut, NOW);
        assert!(
            matches!(
                report.input.problem,
                Some(InputProblem::OutlookUnreadable { .. })
            ),
            "{len}: {:?}",
            report.input.problem
        );
    }
    // Every byte of the header and directory flipped in turn: no panic.
    for at in 8..file.len().min(1024 + 512) {
        let mut bad = file.clone();
        bad[at] ^= 0xFF;
        let _ = analyze(&bad, NOW);
    }
}

/// An Outlook draft whose stored headers are the ones Outlook writes for a
/// message not yet sent (`X-Unsent: 1`, no Received): a draft, explained as
/// Hello_CJK.msg's is, not analysed as sent mail (marirs-ascii.msg was
/// warned for its missing Date).
#[test]
fn an_x_unsent_draft_was_analysed_as_sent_mail() {
    let headers = b"X-Unsent: 1\r\nMessage-ID: <c58b1b52f61f4789ba40339c6e993440>\r\nFrom: from@shop.test\r\nSubject: draft\r\nTo: to@shop.test\r\nMIME-Version: 1.0\r\n\r\n";
    let mut files = vec![ansi_msg(headers)];
    if let Some(dir) = common::corpus_path(None, "msg") {
        files.push(std::fs::read(dir.join("marirs-ascii.msg")).unwrap());
    }
    for file in files {
        let report = analyze(&file, NOW);
        let Some(problem @ InputProblem::OutlookNoHeaders { draft: true, .. }) =
            &report.input.problem
        else {
            panic!("{:?} {:?}", report.input.problem, report.findings);
        };
        assert!(report.findings.is_empty() && report.hops.is_empty());
        assert!(problem.sentence(Lang::En).contains("draft"));
        assert_eq!(report.verdict.sentence, problem.sentence(Lang::En));
    }
    // A received message's headers that merely mention X-Unsent further
    // down (a body, or another value) are read as before.
    let received = b"Received: from a.example (a.example [192.0.2.1]) by b.example; Mon, 23 Nov 2026 10:00:00 +0000\r\nX-Unsent: 0\r\nFrom: a@a.example\r\nSubject: x\r\n\r\n";
    let report = analyze(&ansi_msg(received), NOW);
    assert_eq!(report.input.problem, None);
    assert_eq!(report.hops.len(), 1);
}

/// Copies that never left the organisation, as Outlook stored them: MAPI
/// submission inside Exchange (sicos-HtmlSampleEmail) and a login from the
/// mail server itself (hiraoka-voteItems). They were warned for a missing
/// DKIM signature, and leeds.gov.uk was told to enable DKIM.
#[test]
fn msg_copies_that_never_left_the_organisation_were_judged_as_deliveries() {
    let Some(dir) = common::corpus_path(None, "msg") else {
        return;
    };
    for name in ["sicos-HtmlSampleEmail.msg", "hiraoka-voteItems.msg"] {
        let report = analyze(&std::fs::read(dir.join(name)).unwrap(), NOW);
        let dkim: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.id == "dkim.none")
            .map(|f| f.severity.as_str())
            .collect();
        assert_eq!(dkim, ["info"], "{name}");
        assert!(report.fixes.is_empty(), "{name}: {:?}", report.fixes);
        assert_eq!(report.verdict.outlook.as_str(), "clean", "{name}");
    }
}
