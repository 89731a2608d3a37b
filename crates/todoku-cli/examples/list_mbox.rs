//! Writes an mbox of typical mailing-list mail to standard output, for the
//! batch benchmark (scripts/bench.sh): `list_mbox COUNT` messages, or
//! `list_mbox --bytes N` (at least N bytes, for the 2 GB run, piped so it
//! is never on disk).
//!
//! Each message (about 4.5 KB) is what a list subscriber receives: three
//! Received hops, the receiver's Authentication-Results (SPF, DKIM and
//! DMARC, one in ten lists with an SPF softfail), ARC headers, a DKIM
//! signature, List-* headers, an encoded Subject for some, and a text body.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;

fn message(i: u64) -> String {
    let list = i % 40;
    let domain = format!("list{list}.example.org");
    let ip = format!("198.51.{}.{}", 100 + list % 20, 10 + i % 200);
    let spf = if list % 10 == 3 { "softfail" } else { "pass" };
    let minute = i % 60;
    let second = (i * 7) % 60;
    let b =
        "dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZSBidXQgaXQgaGFzIGEgcmVhbGlzdGljIGxlbmd0aA".repeat(4);
    let subject = if i.is_multiple_of(3) {
        "=?UTF-8?B?44CQ6YeN6KaB44CR5pyI5L6L5Lya6K2w44Gu44GK55+l44KJ44Gb?=".to_string()
    } else {
        format!("[list{list}] Re: weekly digest, part {i}")
    };
    let mut m = String::with_capacity(5000);
    m += &format!("Return-Path: <list{list}-bounces+user=example.net@{domain}>\n");
    m += "Delivered-To: user@example.net\n";
    m += &format!(
        "Received: by mx.example.net (Postfix, from userid 0) id 4Xy{i}; Mon, 23 Nov 2026 10:{minute:02}:{second:02} +0000 (UTC)\n"
    );
    m += &format!(
        "ARC-Seal: i=1; a=rsa-sha256; t=1795500000; cv=none; d=example.net; s=arc-2026;\n\tb={b}\n"
    );
    m += &format!(
        "ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=example.net;\n\ts=arc-2026; h=from:to:subject:date:message-id:list-id;\n\tbh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b={b}\n"
    );
    m += &format!(
        "ARC-Authentication-Results: i=1; mx.example.net; spf={spf} smtp.mailfrom={domain}; dkim=pass header.d={domain} header.s=s1; dmarc=pass header.from={domain}\n"
    );
    m += &format!(
        "Authentication-Results: mx.example.net; spf={spf} (domain of {domain} designates {ip} as permitted sender) smtp.mailfrom=list{list}-bounces@{domain};\n\tdkim=pass header.d={domain} header.s=s1 header.b=abcdefgh;\n\tdmarc=pass (p=none dis=none) header.from={domain}\n"
    );
    m += &format!(
        "Received: from mail.{domain} (mail.{domain} [{ip}])\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n\t(No client certificate requested)\n\tby mx.example.net (Postfix) with ESMTPS id 4Xy{i}\n\tfor <user@example.net>; Mon, 23 Nov 2026 10:{minute:02}:{second:02} +0000 (UTC)\n"
    );
    m += &format!(
        "Received: from localhost (localhost [127.0.0.1])\n\tby mail.{domain} (Postfix) with ESMTP id A{i}\n\tfor <user@example.net>; Mon, 23 Nov 2026 10:{minute:02}:00 +0000 (UTC)\n"
    );
    m += &format!(
        "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=s1;\n\tt=1795500000; h=from:to:subject:date:message-id:list-id:list-unsubscribe;\n\tbh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\n\tb={b}\n"
    );
    // The list rewrites From to its own address (DMARC mitigation, as
    // Mailman and Google Groups do), so the From domain is the list's.
    m += &format!(
        "From: Poster {} via list{list} <list{list}@{domain}>\n",
        i % 97
    );
    m += &format!("Reply-To: poster{}@members.example.com\n", i % 97);
    m += &format!("To: list{list}@{domain}\n");
    m += &format!("Subject: {subject}\n");
    m += &format!("Date: Mon, 23 Nov 2026 10:{minute:02}:00 +0000\n");
    m += &format!("Message-ID: <msg{i}@members.example.com>\n");
    m += &format!("List-Id: List {list} <list{list}.{domain}>\n");
    m += &format!(
        "List-Unsubscribe: <mailto:list{list}-leave@{domain}>, <https://{domain}/unsubscribe/{i}>\n"
    );
    m += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n";
    m += &format!("List-Post: <mailto:list{list}@{domain}>\n");
    m += "Precedence: list\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n";
    for line in 0..25 {
        m += &format!(
            "Line {line} of message {i}: the weekly digest of the list, quoted replies and a signature.\n"
        );
    }
    m
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (count, bytes) = match args.next().as_deref() {
        Some("--bytes") => (
            u64::MAX,
            args.next().and_then(|n| n.parse().ok()).expect("--bytes N"),
        ),
        Some(n) => (n.parse().expect("COUNT"), u64::MAX),
        None => (10_000, u64::MAX),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut written = 0u64;
    let mut i = 0;
    while i < count && written < bytes {
        let m = format!(
            "From list{}-bounces@example.org Mon Nov 23 10:00:00 2026\n{}\n",
            i % 40,
            message(i)
        );
        if out.write_all(m.as_bytes()).is_err() {
            return;
        }
        written += m.len() as u64;
        i += 1;
    }
    let _ = out.flush();
    eprintln!("{i} messages, {written} bytes");
}
