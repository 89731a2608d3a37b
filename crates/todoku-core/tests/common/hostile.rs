//! Hostile input families (issue 19 items 3 and 10, the scale suite): each
//! a generator of about `size` bytes, shared by tests/memory.rs,
//! tests/growth.rs, benches/analyze.rs and examples/hostile.rs.
#![allow(dead_code, unreachable_pub)]

/// A generator: about `size` bytes of one hostile shape (at least `size`,
/// at most one repeated unit more, plus a few header lines).
pub type Generator = fn(usize) -> Vec<u8>;

/// `unit(i)` repeated until the result is at least `size` bytes long,
/// between `head` and `tail`.
fn repeat(size: usize, head: &str, unit: impl Fn(usize) -> String, tail: &str) -> Vec<u8> {
    let mut out = String::with_capacity(size + 256);
    out.push_str(head);
    let mut i = 0usize;
    while out.len() < size {
        out.push_str(&unit(i));
        i += 1;
    }
    out.push_str(tail);
    out.into_bytes()
}

/// The last headers of a message the families share, and the blank line.
const TAIL: &str = "From: a@todoku.test\r\nTo: b@todoku.test\r\nSubject: s\r\n\
                    Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <m@todoku.test>\r\n\r\n";

/// One Authentication-Results header whose value is `;` over and over.
pub fn semicolon_flood(size: usize) -> Vec<u8> {
    let mut out = b"Authentication-Results: mx.todoku.test;".to_vec();
    out.resize(size.max(out.len()), b';');
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(TAIL.as_bytes());
    out
}

/// DKIM-Signature headers, about 80 bytes each (10 000 in 0.8 MB).
pub fn dkim_signatures(size: usize) -> Vec<u8> {
    repeat(
        size,
        "",
        |i| {
            format!(
                "DKIM-Signature: v=1; a=rsa-sha256; d=d{i}.test; s=s; h=from; bh=AAAA; b=BBBB\r\n"
            )
        },
        TAIL,
    )
}

/// Header fields of five bytes each (`a:b` and a line end; a million in
/// 5 MB).
pub fn tiny_headers(size: usize) -> Vec<u8> {
    repeat(size, "", |_| "a:b\r\n".to_string(), TAIL)
}

/// One Subject folded over a line per word.
pub fn long_folded_header(size: usize) -> Vec<u8> {
    repeat(
        size,
        "Subject: ",
        |i| format!("w{i:07}\r\n "),
        &format!("end\r\n{TAIL}"),
    )
}

/// Received headers, as a mail loop writes them.
pub fn many_received(size: usize) -> Vec<u8> {
    repeat(
        size,
        "",
        |i| {
            format!(
                "Received: from relay{i}.todoku.test (relay{i}.todoku.test [192.0.2.{}]) by relay{}.todoku.test \
                 (Postfix) with ESMTPS id Q{i}; Mon, 23 Nov 2026 10:{:02}:{:02} +0000\r\n",
                i % 250 + 1,
                i + 1,
                (i / 60) % 60,
                i % 60
            )
        },
        TAIL,
    )
}

/// Authentication-Results headers of one receiver.
pub fn many_authres(size: usize) -> Vec<u8> {
    repeat(
        size,
        "",
        |i| {
            format!(
                "Authentication-Results: mx.todoku.test; spf=pass smtp.mailfrom=a{i}@todoku.test; \
                 dkim=pass header.d=todoku.test\r\n"
            )
        },
        TAIL,
    )
}

/// One DKIM-Signature whose tag list never ends (distinct tag names).
pub fn dkim_tag_flood(size: usize) -> Vec<u8> {
    repeat(
        size,
        "DKIM-Signature: v=1; a=rsa-sha256; d=todoku.test; s=s; h=from; bh=AAAA; b=BBBB",
        |i| format!("; x{i}=y"),
        &format!("\r\n{TAIL}"),
    )
}

/// One ARC-Seal whose tag list never ends (distinct tag names).
pub fn arc_seal_tag_flood(size: usize) -> Vec<u8> {
    repeat(
        size,
        "ARC-Seal: i=1; a=rsa-sha256; cv=none; d=todoku.test; s=s; b=BBBB",
        |i| format!("; x{i}=y"),
        &format!("\r\n{TAIL}"),
    )
}

/// Complete ARC sets (seal, message signature, results), one instance
/// after another.
pub fn many_arc_sets(size: usize) -> Vec<u8> {
    repeat(
        size,
        "",
        |i| {
            let i = i + 1;
            format!(
                "ARC-Seal: i={i}; a=rsa-sha256; cv=pass; d=todoku.test; s=s; b=BBBB\r\n\
                 ARC-Message-Signature: i={i}; a=rsa-sha256; c=relaxed/relaxed; d=todoku.test; s=s; h=from; bh=AAAA; b=BBBB\r\n\
                 ARC-Authentication-Results: i={i}; mx.todoku.test; spf=pass smtp.mailfrom=a@todoku.test\r\n"
            )
        },
        TAIL,
    )
}

/// A bounce whose body is IP addresses and dotted numbers (what the bounce
/// decoder must look at and pass over).
pub fn bounce_ip_body(size: usize) -> Vec<u8> {
    repeat(
        size,
        "From: MAILER-DAEMON@mx.todoku.test\r\nTo: a@todoku.test\r\n\
         Subject: Undelivered Mail Returned to Sender\r\n\r\n",
        |i| {
            format!(
                "Connected to 192.0.{}.{} and 2001:db8::{:x}, version 5.7.{} 4.2.{}\r\n",
                i % 250,
                i % 200,
                i % 65_000,
                i % 10,
                i % 7
            )
        },
        "",
    )
}

/// A bounce whose body is `550-5.7.1` continuation lines, over and over.
pub fn bounce_reply_lines(size: usize) -> Vec<u8> {
    repeat(
        size,
        "From: MAILER-DAEMON@mx.todoku.test\r\nTo: a@todoku.test\r\n\
         Subject: Undelivered Mail Returned to Sender\r\n\r\n",
        |i| {
            format!(
                "550-5.7.1 [192.0.2.{}] The user or domain does not exist {i}\r\n",
                i % 250
            )
        },
        "550 5.7.1 end\r\n",
    )
}

/// Vendor spam verdict headers (SpamAssassin's), one after another.
pub fn vendor_headers(size: usize) -> Vec<u8> {
    repeat(
        size,
        "",
        |i| {
            format!(
                "X-Spam-Status: No, score=-{i}.0 required=5.0 tests=BAYES_00,DKIM_SIGNED autolearn=ham\r\n"
            )
        },
        TAIL,
    )
}

/// One Microsoft 365 verdict header whose fields never end.
pub fn vendor_fields(size: usize) -> Vec<u8> {
    repeat(
        size,
        "X-Forefront-Antispam-Report: CIP:192.0.2.1;CTRY:JP;SCL:1",
        |i| format!(";K{i}:v"),
        &format!("\r\n{TAIL}"),
    )
}

/// Continuation lines that lost their indentation (a paste from a web
/// page), under one header.
pub fn lost_indentation(size: usize) -> Vec<u8> {
    repeat(
        size,
        "Subject: s\r\nX-Note: a\r\n",
        |_| "b\r\n".to_string(),
        TAIL,
    )
}

/// A header block escaped as HTML (`&lt;` for `<`), entity after entity.
pub fn html_entities(size: usize) -> Vec<u8> {
    repeat(
        size,
        "From: a@todoku.test\r\nX-Note: ",
        |_| "&lt;&gt;".to_string(),
        "\r\nTo: b@todoku.test\r\n\r\n",
    )
}

/// One From (and one Reply-To) naming address after address.
pub fn many_addresses(size: usize) -> Vec<u8> {
    let half = size / 2;
    let list = |name: &str| {
        let mut out = format!("{name}: ");
        let mut i = 0usize;
        while out.len() < half {
            out.push_str(&format!("a{i}@t.test,"));
            i += 1;
        }
        out + "z@t.test\r\n"
    };
    (list("From") + &list("Reply-To") + "To: b@todoku.test\r\nSubject: s\r\n\r\n").into_bytes()
}

/// Lines like `Fr om: x`: field names with a space, made to look like a
/// real header.
pub fn spaced_names(size: usize) -> Vec<u8> {
    repeat(size, "", |_| "Fr om: x\r\n".to_string(), TAIL)
}

/// The shortest ARC headers that still name their instance, over and
/// over.
pub fn minimal_arc_headers(size: usize) -> Vec<u8> {
    repeat(size, "", |_| "ARC-Seal:i=1\r\n".to_string(), TAIL)
}

/// One Received header of endless words and comments before its date.
pub fn long_received(size: usize) -> Vec<u8> {
    repeat(
        size,
        "Received: from a.test ([192.0.2.1]) by b.test with ESMTP id ",
        |i| format!("w{i} (c{i}) "),
        &format!("; Mon, 23 Nov 2026 10:00:00 +0000\r\n{TAIL}"),
    )
}
/// A Subject of encoded word after encoded word.
pub fn encoded_subject(size: usize) -> Vec<u8> {
    repeat(
        size,
        "Subject: ",
        |i| format!("=?utf-8?q?a{}?= ", i % 10),
        &format!("\r\n{TAIL}"),
    )
}
/// A From whose display name is quoted string after quoted string.
pub fn quoted_pieces(size: usize) -> Vec<u8> {
    repeat(
        size,
        "From: ",
        |_| "\"a\" ".to_string(),
        "<a@t.test>\r\nTo: b@todoku.test\r\nSubject: s\r\n\r\n",
    )
}
/// A bounce whose body is rejection after rejection, with codes of every
/// kind.
pub fn bounce_codes(size: usize) -> Vec<u8> {
    repeat(
        size,
        "From: MAILER-DAEMON@mx.todoku.test\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\n",
        |i| format!("550 5.{}.{} no {i}\r\n", i % 8, i % 999),
        "",
    )
}
/// A From address followed by comment after comment.
pub fn comments_in_from(size: usize) -> Vec<u8> {
    repeat(
        size,
        "From: a@t.test ",
        |_| "(c) ".to_string(),
        "\r\nTo: b@todoku.test\r\nSubject: s\r\n\r\n",
    )
}
/// A Date followed by number after number.
pub fn date_words(size: usize) -> Vec<u8> {
    repeat(
        size,
        "Date: Mon, 23 Nov 2026 10:00:00 +0000",
        |i| format!(" {}", i % 9),
        "\r\nFrom: a@t.test\r\n\r\n",
    )
}

/// One Received header of bytes that are not UTF-8 (each read as U+FFFD,
/// three bytes for one).
pub fn invalid_received(size: usize) -> Vec<u8> {
    let mut out = b"Received: from a.test by b.test with ESMTP id ".to_vec();
    out.resize(size, 0xff);
    out.extend_from_slice(b"; Mon, 23 Nov 2026 10:00:00 +0000\r\n");
    out.extend_from_slice(TAIL.as_bytes());
    out
}
/// A Subject of 8-bit bytes in no charset (read as a legacy charset).
pub fn invalid_subject(size: usize) -> Vec<u8> {
    let mut out = b"From: a@todoku.test\r\nSubject: ".to_vec();
    out.resize(size, 0xb1);
    out.extend_from_slice(b"\r\n\r\n");
    out
}
/// An Authentication-Results value of bytes that are not UTF-8.
pub fn invalid_authres(size: usize) -> Vec<u8> {
    let mut out = b"Authentication-Results: mx.todoku.test; spf=pass smtp.mailfrom=".to_vec();
    out.resize(size, 0xff);
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(TAIL.as_bytes());
    out
}
/// A DKIM-Signature `b=` of bytes that are not UTF-8.
pub fn invalid_dkim(size: usize) -> Vec<u8> {
    let mut out = b"DKIM-Signature: v=1; a=rsa-sha256; d=t.test; s=s; h=from; bh=AAAA; b=".to_vec();
    out.resize(size, 0xff);
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(TAIL.as_bytes());
    out
}
/// A field no reader reads, of bytes that are not UTF-8.
pub fn invalid_unknown(size: usize) -> Vec<u8> {
    let mut out = b"X-Whatever: ".to_vec();
    out.resize(size, 0xff);
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(TAIL.as_bytes());
    out
}
/// A Message-ID of bytes that are not UTF-8.
pub fn invalid_messageid(size: usize) -> Vec<u8> {
    let mut out = b"From: a@todoku.test\r\nMessage-ID: <".to_vec();
    out.resize(size, 0xff);
    out.extend_from_slice(b">\r\n\r\n");
    out
}
/// A List-Unsubscribe of bytes that are not UTF-8.
pub fn invalid_listunsub(size: usize) -> Vec<u8> {
    let mut out = b"From: a@todoku.test\r\nList-Unsubscribe: <".to_vec();
    out.resize(size, 0xff);
    out.extend_from_slice(b">\r\n\r\n");
    out
}
/// A From display name of 8-bit bytes in no charset (read as a legacy
/// charset).
pub fn invalid_from(size: usize) -> Vec<u8> {
    let mut out = b"Subject: s\r\nFrom: ".to_vec();
    out.resize(size, 0xff);
    out.extend_from_slice(b" <a@t.test>\r\n\r\n");
    out
}

/// [`invalid_from`] with bare LF line ends (a saved .eml on Unix): the
/// signatures' view reads it with CRLF line ends without copying it.
pub fn invalid_from_lf(size: usize) -> Vec<u8> {
    let mut out = b"Subject: s\nFrom: ".to_vec();
    out.resize(size, 0xff);
    out.extend_from_slice(b" <a@t.test>\n\n");
    out
}

/// A From display name quoted, of 8-bit bytes in no charset (read as a
/// legacy charset): `"ÿÿÿ…" <a@t.test>`.
pub fn invalid_quoted_from(size: usize) -> Vec<u8> {
    let mut out = b"Subject: s\r\nFrom: \"".to_vec();
    out.resize(size, 0xff);
    out.extend_from_slice(b"\" <a@t.test>\r\n\r\n");
    out
}
/// A From address whose name is a comment of 8-bit bytes in no charset:
/// `<a@t.test> (ÿÿÿ…)`.
pub fn invalid_comment_from(size: usize) -> Vec<u8> {
    let mut out = b"Subject: s\r\nFrom: <a@t.test> (".to_vec();
    out.resize(size, 0xff);
    out.extend_from_slice(b")\r\n\r\n");
    out
}
/// A From display name quoted, of UTF-8 words: `"é é …" <a@t.test>`.
pub fn utf8_quoted_from(size: usize) -> Vec<u8> {
    repeat(
        size,
        "Subject: s\r\nFrom: \"",
        |_| "é ".to_string(),
        "\" <a@t.test>\r\n\r\n",
    )
}
/// A From address whose name is a comment of UTF-8 words:
/// `<a@t.test> (é é …)`.
pub fn utf8_comment_from(size: usize) -> Vec<u8> {
    repeat(
        size,
        "Subject: s\r\nFrom: <a@t.test> (",
        |_| "é ".to_string(),
        ")\r\n\r\n",
    )
}

/// Every family: (name, generator).
pub const FAMILIES: &[(&str, Generator)] = &[
    ("`;` flood in one Authentication-Results", semicolon_flood),
    ("DKIM-Signature headers", dkim_signatures),
    ("tiny headers", tiny_headers),
    ("one long folded header", long_folded_header),
    ("Received headers", many_received),
    ("Authentication-Results headers", many_authres),
    ("ARC sets", many_arc_sets),
    ("DKIM-Signature tag flood", dkim_tag_flood),
    ("ARC-Seal tag flood", arc_seal_tag_flood),
    ("bounce body of IP addresses", bounce_ip_body),
    ("bounce body of 550-5.7.1 lines", bounce_reply_lines),
    ("vendor verdict headers", vendor_headers),
    ("one vendor header's fields", vendor_fields),
    ("lines that lost their indentation", lost_indentation),
    ("HTML entities", html_entities),
    ("addresses in From and Reply-To", many_addresses),
    ("spaced field names", spaced_names),
    ("minimal ARC headers", minimal_arc_headers),
    ("one long Received header", long_received),
    ("encoded words in a Subject", encoded_subject),
    ("quoted strings in a From name", quoted_pieces),
    ("bounce body of rejections", bounce_codes),
    ("comments after a From address", comments_in_from),
    ("numbers after a Date", date_words),
    ("invalid UTF-8 in a Received header", invalid_received),
    ("8-bit bytes in a Subject", invalid_subject),
    (
        "invalid UTF-8 in an Authentication-Results",
        invalid_authres,
    ),
    ("invalid UTF-8 in a DKIM-Signature", invalid_dkim),
    ("invalid UTF-8 in an unread field", invalid_unknown),
    ("invalid UTF-8 in a Message-ID", invalid_messageid),
    ("invalid UTF-8 in a List-Unsubscribe", invalid_listunsub),
    ("8-bit bytes in a From name", invalid_from),
    ("8-bit bytes in a From name, LF line ends", invalid_from_lf),
    ("8-bit bytes in a quoted From name", invalid_quoted_from),
    ("8-bit bytes in a From comment", invalid_comment_from),
    ("UTF-8 words in a quoted From name", utf8_quoted_from),
    ("UTF-8 words in a From comment", utf8_comment_from),
];
