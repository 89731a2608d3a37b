//! The native transport against DoH servers that misbehave on purpose, over
//! loopback HTTP: answers that do not answer the question, partial answers,
//! answers that are not DNS messages, and redirects to another server.
//! Needs the `native` feature (see this crate's Cargo.toml).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test panics

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use simple_dns::rdata::{CNAME, RData, TXT};
use simple_dns::{CLASS, Name, Packet, PacketFlag, ResourceRecord};
use todoku_doh::native::{NativeClient, TransportError};
use todoku_doh::{DecodeError, RecordData};

/// What a fake server sends back: status, extra headers, body.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Reply {
    /// A 200 with `application/dns-message`.
    fn dns(body: Vec<u8>) -> Reply {
        Reply::typed("application/dns-message", body)
    }

    fn typed(content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }
}

/// A one-thread HTTP/1.1 server on loopback, one request per connection.
struct Server {
    /// Its DoH endpoint, `http://127.0.0.1:PORT/dns-query`.
    url: String,
    /// How many requests it has answered.
    hits: Arc<AtomicUsize>,
}

/// Serve `answer(query bytes)` for every GET `/dns-query?dns=…`.
fn serve(answer: impl Fn(&[u8]) -> Reply + Send + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/dns-query",
        listener.local_addr().unwrap().port()
    );
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            // Read the rest of the head; a GET has no body.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            counter.fetch_add(1, Ordering::SeqCst);
            let target = request_line.split(' ').nth(1).unwrap_or_default();
            let query = target
                .split_once("dns=")
                .and_then(|(_, b64)| URL_SAFE_NO_PAD.decode(b64).ok())
                .unwrap_or_default();
            let reply = answer(&query);
            let mut head = format!(
                "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                reply.status,
                reply.body.len()
            );
            for (name, value) in &reply.headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes()).ok();
            stream.write_all(&reply.body).ok();
        }
    });
    Server { url, hits }
}

/// A reply (ID 0, the query's question echoed) built by `build`.
fn reply_to(query: &[u8], build: impl FnOnce(&mut Packet<'static>)) -> Vec<u8> {
    let asked = Packet::parse(query).unwrap();
    let mut p = Packet::new_reply(0);
    p.questions = asked
        .questions
        .iter()
        .map(|q| q.clone().into_owned())
        .collect();
    build(&mut p);
    p.build_bytes_vec().unwrap()
}

fn txt(owner: &str, text: &str) -> ResourceRecord<'static> {
    ResourceRecord::new(
        Name::new_unchecked(owner).into_owned(),
        CLASS::IN,
        300,
        RData::TXT(TXT::new().with_string(text).unwrap().into_owned()),
    )
}

fn cname(owner: &str, target: &str) -> ResourceRecord<'static> {
    ResourceRecord::new(
        Name::new_unchecked(owner).into_owned(),
        CLASS::IN,
        300,
        RData::CNAME(CNAME(Name::new_unchecked(target).into_owned())),
    )
}

fn ask(server: &Server, name: &str) -> Result<todoku_doh::Response, TransportError> {
    NativeClient::new(&server.url)
        .query(name, todoku_doh::TYPE_TXT, Duration::from_secs(5))
        .map(|(response, _took)| response)
}

fn decode_error(result: Result<todoku_doh::Response, TransportError>) -> DecodeError {
    match result {
        Err(TransportError::Decode(e)) => e,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

/// Regression (issue 19, item 7): a TXT owned by another name was accepted
/// as the SPF record of the name asked.
#[test]
fn a_txt_owned_by_another_name_is_not_the_answer() {
    let server = serve(|q| {
        Reply::dns(reply_to(q, |p| {
            p.answers.push(txt("attacker.example", "v=spf1 +all"));
        }))
    });
    let response = ask(&server, "example.com").unwrap();
    assert_eq!(response.records, []);
    assert_eq!(response.ignored, 1);
}

#[test]
fn a_cname_chain_is_followed_to_the_record() {
    let server = serve(|q| {
        Reply::dns(reply_to(q, |p| {
            p.answers
                .push(cname("_dmarc.example.com", "dmarc.host.example"));
            p.answers
                .push(txt("dmarc.host.example", "v=DMARC1; p=reject"));
            p.answers.push(txt("other.example", "v=DMARC1; p=none"));
        }))
    });
    let response = ask(&server, "_dmarc.example.com").unwrap();
    let data: Vec<&RecordData> = response.records.iter().map(|r| &r.data).collect();
    assert_eq!(
        data,
        [
            &RecordData::Cname("dmarc.host.example".into()),
            &RecordData::Txt(b"v=DMARC1; p=reject".to_vec())
        ]
    );
    assert_eq!(response.ignored, 1);
}

#[test]
fn a_cname_loop_is_an_error() {
    let server = serve(|q| {
        Reply::dns(reply_to(q, |p| {
            p.answers.push(cname("example.com", "loop.example"));
            p.answers.push(cname("loop.example", "example.com"));
        }))
    });
    assert_eq!(
        decode_error(ask(&server, "example.com")),
        DecodeError::CnameLoop {
            name: "example.com".into()
        }
    );
}

/// Regression (issue 19, item 7): the TC flag was ignored and a partial
/// answer used.
#[test]
fn a_truncated_answer_is_an_error() {
    let server = serve(|q| {
        Reply::dns(reply_to(q, |p| {
            p.answers.push(txt("example.com", "v=spf1 +all"));
            p.set_flags(PacketFlag::TRUNCATION);
        }))
    });
    assert_eq!(
        decode_error(ask(&server, "example.com")),
        DecodeError::Truncated
    );
}

/// Regression (issue 19, item 7): the response ID was not compared with
/// the 0 sent.
#[test]
fn an_answer_with_another_id_is_an_error() {
    let server = serve(|q| {
        let mut wire = reply_to(q, |p| p.answers.push(txt("example.com", "v=spf1 +all")));
        wire[0] = 0xbe;
        wire[1] = 0xef;
        Reply::dns(wire)
    });
    assert_eq!(
        decode_error(ask(&server, "example.com")),
        DecodeError::WrongId { id: 0xbeef }
    );
}

#[test]
fn an_answer_to_another_question_is_an_error() {
    let server = serve(|_| {
        let query = todoku_doh::encode_query("attacker.example", 16).unwrap();
        Reply::dns(reply_to(&query, |p| {
            p.answers.push(txt("attacker.example", "v=spf1 +all"));
        }))
    });
    assert_eq!(
        decode_error(ask(&server, "example.com")),
        DecodeError::QuestionMismatch {
            expected: "example.com".into(),
            got: Some("attacker.example".into())
        }
    );
}

/// Regression (issue 19, item 7): the media type was not checked, so a
/// JSON answer was read as wire format.
#[test]
fn a_json_or_html_answer_is_a_media_type_error() {
    let json = serve(|q| {
        // Even with a valid DNS message as its body, the type is wrong.
        Reply::typed(
            "application/dns-json",
            reply_to(q, |p| p.answers.push(txt("example.com", "v=spf1 +all"))),
        )
    });
    assert_eq!(
        decode_error(ask(&json, "example.com")),
        DecodeError::MediaType {
            got: Some("application/dns-json".into())
        }
    );
    let html = serve(|_| {
        Reply::typed(
            "text/html; charset=utf-8",
            b"<html>Blocked by your network administrator</html>".to_vec(),
        )
    });
    let err = ask(&html, "example.com").unwrap_err();
    assert!(
        err.to_string().contains("\"text/html; charset=utf-8\""),
        "{err}"
    );
    let untyped = serve(|q| Reply {
        status: 200,
        headers: Vec::new(),
        body: reply_to(q, |_| {}),
    });
    assert_eq!(
        decode_error(ask(&untyped, "example.com")),
        DecodeError::MediaType { got: None }
    );
}

/// Regression (issue 19, item 8): a 301 to another server was followed,
/// and its answer used while the evidence named the server chosen.
#[test]
fn a_redirect_to_another_server_is_not_followed() {
    let elsewhere = serve(|q| {
        Reply::dns(reply_to(q, |p| {
            p.answers.push(txt("example.com", "v=spf1 +all"));
        }))
    });
    let target = elsewhere.url.clone();
    let chosen = serve(move |q| Reply {
        status: 301,
        headers: vec![(
            "Location",
            format!("{target}?dns={}", URL_SAFE_NO_PAD.encode(q)),
        )],
        body: Vec::new(),
    });
    let err = ask(&chosen, "example.com").unwrap_err();
    let TransportError::Redirect { status, location } = &err else {
        panic!("expected a redirect error, got {err:?}");
    };
    assert_eq!(*status, 301);
    assert!(
        location
            .as_deref()
            .is_some_and(|l| l.starts_with(&elsewhere.url)),
        "{location:?}"
    );
    assert!(err.to_string().contains("not followed"), "{err}");
    assert_eq!(chosen.hits.load(Ordering::SeqCst), 1);
    assert_eq!(elsewhere.hits.load(Ordering::SeqCst), 0, "followed");
}

#[test]
fn a_well_behaved_server_still_answers() {
    let server = serve(|q| {
        Reply::dns(reply_to(q, |p| {
            p.answers.push(txt("Example.COM", "v=spf1 -all"));
        }))
    });
    let response = ask(&server, "example.com").unwrap();
    assert_eq!(response.ignored, 0);
    assert_eq!(
        response.records.first().map(|r| &r.data),
        Some(&RecordData::Txt(b"v=spf1 -all".to_vec()))
    );
}
