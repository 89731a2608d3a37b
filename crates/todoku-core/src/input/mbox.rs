//! Mailbox files (mbox: Thunderbird, Google Takeout, mutt, Apple Mail
//! exports) split into messages as they stream in.
//!
//! A message starts at a `From ` line (the "From_" line: `From sender
//! date`) at the start of the file or after an empty line; the line must
//! carry a time (`hh:mm`), so a body paragraph opening with "From here on"
//! does not split a message. The empty line before the next From_ line and
//! the From_ line itself are the mailbox's framing, not the message's. In
//! the header block, `>From ` lines (mboxrd quoting) lose one `>`; the body
//! is left as stored (mboxo and mboxrd cannot be told apart there, and the
//! analysis reads the headers).
//!
//! [`Splitter`] holds at most one message plus the chunk being read: feed
//! it chunks ([`Splitter::push`]), take the messages it completes
//! ([`Splitter::next_message`]), and [`Splitter::finish`] at the end. A
//! message larger than the limit is reported by its byte range only; its
//! bytes are not kept.

use memchr::memmem;

/// Whether `start` (the first bytes of a file) opens an mbox: a From_ line.
pub fn is_mbox(start: &[u8]) -> bool {
    let line_end = memchr::memchr(b'\n', start).unwrap_or(start.len());
    from_line(start.get(..line_end).unwrap_or_default())
}

/// Whether `bytes` (a whole file that [`is_mbox`]) holds at most one
/// message: a message saved with its From_ line is that message, not a
/// mailbox (counting stops at the second message).
pub fn holds_one_message(bytes: &[u8]) -> bool {
    let mut splitter = Splitter::new(crate::MAX_INPUT_BYTES);
    splitter.push(bytes);
    let mut seen = 0;
    while seen < 2 && splitter.finish().is_some() {
        seen += 1;
    }
    seen < 2
}

/// Whether `line` (without its line end) is a From_ line: `From `, a
/// sender, and a time somewhere after it.
fn from_line(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    rest.len() <= 1000
        && rest.windows(5).any(|w| {
            matches!(w, [a, b, b':', c, d] if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() && d.is_ascii_digit())
        })
}

/// One message of the mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MboxMessage {
    /// Its number in the mailbox, from 0.
    pub index: usize,
    /// Where it starts in the file (its From_ line).
    pub start: u64,
    /// Where it ends (before the empty line that precedes the next From_ line).
    pub end: u64,
    /// The From_ line, without `From ` and the line end (lossy UTF-8).
    pub separator: String,
    /// The message after the From_ line (header `>From ` lines unquoted),
    /// or `None` when it was larger than the splitter's limit.
    pub bytes: Option<Vec<u8>>,
}

/// Splits an mbox fed in chunks; see the module documentation.
#[derive(Debug)]
pub struct Splitter {
    /// Bytes read and not yet given out: `buf[head..]` is the current
    /// message from its start (or, when skipping an oversized message, the
    /// unscanned tail); `buf[..head]` was given out and is dropped at the
    /// next push (one move per chunk, not one per message: a 1 MB chunk of
    /// 200 messages moved its rest 200 times).
    buf: Vec<u8>,
    head: usize,
    /// File offset of `buf[head]`.
    offset: u64,
    /// Where in `buf[head..]` the search for the next From_ line resumes.
    scan: usize,
    /// Messages emitted so far.
    count: usize,
    /// The largest message kept whole.
    limit: usize,
    /// An oversized message being skipped: its start and From_ line.
    skipping: Option<(u64, String)>,
    /// Bytes before the first From_ line (not an mbox there): counted.
    pub leading_bytes: u64,
    started: bool,
}

impl Splitter {
    /// A splitter keeping messages up to `limit` bytes whole.
    pub fn new(limit: usize) -> Splitter {
        Splitter {
            buf: Vec::new(),
            head: 0,
            offset: 0,
            scan: 0,
            count: 0,
            limit,
            skipping: None,
            leading_bytes: 0,
            started: false,
        }
    }

    /// Adds the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) {
        self.buf.drain(..self.head);
        self.head = 0;
        self.buf.extend_from_slice(chunk);
    }

    /// The bytes not yet given out.
    fn live(&self) -> &[u8] {
        self.buf.get(self.head..).unwrap_or_default()
    }

    /// The next complete message, if the bytes pushed so far hold one.
    pub fn next_message(&mut self) -> Option<MboxMessage> {
        self.next(false)
    }

    /// At the end of the file: the messages left, one call at a time
    /// (`None` when there are no more).
    pub fn finish(&mut self) -> Option<MboxMessage> {
        self.next(true)
    }

    fn next(&mut self, at_end: bool) -> Option<MboxMessage> {
        if !self.started {
            // The file's first From_ line; anything before it is not mail.
            let first = self.find_separator(0, true, at_end);
            match first {
                Found::At(p) => {
                    self.drop_front(p);
                    self.leading_bytes = self.offset;
                    self.started = true;
                    self.scan = 1;
                }
                Found::NeedMore => return None,
                Found::None => {
                    // Not mail: dropped, but for a possible partial From_
                    // line at the end.
                    let keep = if at_end { 0 } else { 8 };
                    self.drop_front(self.live().len().saturating_sub(keep));
                    self.leading_bytes = self.offset;
                    return None;
                }
            }
        }
        match self.find_separator(self.scan, false, at_end) {
            Found::At(p) => Some(self.emit(p)),
            Found::NeedMore => None,
            Found::None if at_end => {
                if self.live().is_empty() && self.skipping.is_none() {
                    return None;
                }
                let end = self.live().len();
                Some(self.emit(end))
            }
            Found::None => {
                self.scan = self.live().len().saturating_sub(4).max(1);
                if self.skipping.is_none() && self.live().len() > self.limit {
                    let separator = separator_of(self.live());
                    self.skipping = Some((self.offset, separator));
                }
                if self.skipping.is_some() {
                    // Only the last bytes can start a From_ line.
                    let keep = self.live().len().saturating_sub(8);
                    self.drop_front(keep);
                    self.scan = self.live().len().min(1);
                }
                None
            }
        }
    }

    /// Gives out the first `n` live bytes, moving the file offset along.
    fn drop_front(&mut self, n: usize) {
        let n = n.min(self.live().len());
        self.head += n;
        self.offset += n as u64;
        self.scan = self.scan.saturating_sub(n);
    }

    /// The message `live()[..p]` (or the skipped one ending at `p`).
    fn emit(&mut self, p: usize) -> MboxMessage {
        let index = self.count;
        self.count += 1;
        let end_offset = self.offset + p as u64;
        let message = match self.skipping.take() {
            Some((start, separator)) => MboxMessage {
                index,
                start,
                end: trimmed_end(self.live().get(..p).unwrap_or_default(), end_offset),
                separator,
                bytes: None,
            },
            None => {
                let whole = self.live().get(..p).unwrap_or_default();
                let end = trimmed_end(whole, end_offset);
                let kept = usize::try_from(end - self.offset).unwrap_or(p).min(p);
                let whole = whole.get(..kept).unwrap_or_default();
                let line_end = memchr::memchr(b'\n', whole).map_or(whole.len(), |i| i + 1);
                let body = whole.get(line_end..).unwrap_or_default();
                MboxMessage {
                    index,
                    start: self.offset,
                    end,
                    separator: separator_of(whole),
                    bytes: Some(unquote_header(body)),
                }
            }
        };
        self.drop_front(p);
        self.scan = 1;
        message
    }

    /// The next From_ line at or after `from` (the file's first when
    /// `first`: at the very start or after any line end).
    fn find_separator(&self, from: usize, first: bool, at_end: bool) -> Found {
        let buf = self.live();
        if first && buf.starts_with(b"From ") {
            return match line_at(buf, 0, at_end) {
                Some(line) if from_line(line) => Found::At(0),
                Some(_) => self.find_after(0, first, at_end),
                None => Found::NeedMore,
            };
        }
        if first && buf.len() < 5 && !at_end && b"From ".starts_with(buf) {
            return Found::NeedMore;
        }
        self.find_after(from, first, at_end)
    }

    fn find_after(&self, from: usize, first: bool, at_end: bool) -> Found {
        let buf = self.live();
        let start = from.saturating_sub(1);
        let hay = buf.get(start..).unwrap_or_default();
        for hit in memmem::find_iter(hay, b"\nFrom ") {
            let p = start + hit + 1;
            let blank_before = first
                || matches!(
                    buf.get(..p),
                    Some([.., b'\n', b'\n']) | Some([.., b'\n', b'\r', b'\n'])
                );
            if !blank_before || p == 0 {
                continue;
            }
            match line_at(buf, p, at_end) {
                Some(line) if from_line(line) => return Found::At(p),
                Some(_) => continue,
                None => return Found::NeedMore,
            }
        }
        // "\nFrom" cut at the end of the buffer: wait for the rest.
        if !at_end {
            let tail = buf.get(buf.len().saturating_sub(6)..).unwrap_or_default();
            for k in 1..tail.len() {
                if let Some(t) = tail.get(k..)
                    && t.first() == Some(&b'\n')
                    && b"\nFrom ".starts_with(t)
                {
                    return Found::NeedMore;
                }
            }
        }
        Found::None
    }
}

enum Found {
    At(usize),
    NeedMore,
    None,
}

/// The line starting at `p` without its line end; `None` when it may not
/// be complete yet (more bytes may come), unless it is already too long to
/// be a From_ line.
fn line_at(buf: &[u8], p: usize, at_end: bool) -> Option<&[u8]> {
    let rest = buf.get(p..).unwrap_or_default();
    match memchr::memchr(b'\n', rest) {
        Some(n) => {
            let line = rest.get(..n).unwrap_or_default();
            Some(line.strip_suffix(b"\r").unwrap_or(line))
        }
        None if at_end || rest.len() > 1100 => {
            Some(rest.get(..1100.min(rest.len())).unwrap_or_default())
        }
        None => None,
    }
}

/// The end of a message whose bytes (up to the next From_ line) are
/// `whole`, ending at file offset `end`: the empty line before the next
/// From_ line is framing.
fn trimmed_end(whole: &[u8], end: u64) -> u64 {
    let framing = if whole.ends_with(b"\r\n\r\n") {
        2
    } else if whole.ends_with(b"\n\n") || whole.ends_with(b"\n\r\n") {
        1 + u64::from(whole.ends_with(b"\n\r\n"))
    } else {
        0
    };
    end - framing.min(end)
}

/// The From_ line at the start of `buf`, without `From ` and the line end.
fn separator_of(buf: &[u8]) -> String {
    let line_end = memchr::memchr(b'\n', buf).unwrap_or(buf.len()).min(1000);
    let line = buf.get(..line_end).unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    String::from_utf8_lossy(line.strip_prefix(b"From ").unwrap_or(line)).into_owned()
}

/// `message` with one `>` removed from header lines that read `>From `,
/// `>>From `… (mboxrd); the body is kept as stored.
fn unquote_header(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len());
    let mut rest = message;
    let mut in_header = true;
    while !rest.is_empty() {
        let n = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(n.min(rest.len()));
        if in_header {
            if matches!(line, b"\n" | b"\r\n") {
                in_header = false;
            } else {
                let quotes = line.iter().take_while(|&&b| b == b'>').count();
                if quotes > 0 && line.get(quotes..).is_some_and(|l| l.starts_with(b"From ")) {
                    out.extend_from_slice(line.get(1..).unwrap_or_default());
                    rest = tail;
                    continue;
                }
            }
        }
        out.extend_from_slice(line);
        rest = tail;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (CLI): a single saved message that starts with its From_
    /// line went to the batch table instead of its report; the page had
    /// its own count. One message, with a From_-looking line quoted in its
    /// body, is one message; two are a mailbox.
    #[test]
    fn one_saved_message_is_not_a_mailbox() {
        let one = b"From a@example.net Tue Dec  2 10:00:00 2025\nSubject: one\n\n>From the desk, 10:00 sharp\n";
        assert!(holds_one_message(one));
        let mut two = one.to_vec();
        two.extend_from_slice(
            b"\nFrom b@example.net Tue Dec  2 10:01:00 2025\nSubject: two\n\nbody\n",
        );
        assert!(!holds_one_message(&two));
    }

    fn split(file: &[u8], chunk: usize, limit: usize) -> (Vec<MboxMessage>, u64) {
        let mut s = Splitter::new(limit);
        let mut out = Vec::new();
        for c in file.chunks(chunk.max(1)) {
            s.push(c);
            while let Some(m) = s.next_message() {
                out.push(m);
            }
        }
        while let Some(m) = s.finish() {
            out.push(m);
        }
        (out, s.leading_bytes)
    }

    const THUNDERBIRD: &[u8] = b"From - Sat Jan 03 01:05:34 2026\r\nX-Mozilla-Status: 0001\r\nFrom: a@a.example\r\nSubject: one\r\n\r\nbody\r\nFrom here on, a body line.\r\n\r\nFrom the start, another.\r\n\r\nFrom - Sun Jan 04 02:00:00 2026\r\nFrom: b@b.example\r\n>From oops\r\nSubject: two\r\n\r\n>From quoted body\r\n\r\n";
    const TAKEOUT: &[u8] = b"From 1681234567890123456@xxx Wed Apr 12 10:00:00 +0000 2023\nX-GM-THRID: 1\nX-Gmail-Labels: Inbox\nFrom: c@c.example\nSubject: three\n\nhi\n\nFrom 1681234567890123457@xxx Wed Apr 12 11:00:00 +0000 2023\nFrom: d@d.example\nSubject: four\n\nbye\n";

    /// Thunderbird's CRLF form: two messages; body lines starting with
    /// "From " (after an empty line too) do not split, the framing empty
    /// line is not the message's, a header's `>From` is unquoted and the
    /// body's is kept. The same result whatever the chunk size.
    #[test]
    fn thunderbird_mbox_splits_on_from_lines_only() {
        for chunk in [1, 2, 3, 7, 64, 4096] {
            let (m, leading) = split(THUNDERBIRD, chunk, 1 << 20);
            assert_eq!(leading, 0);
            assert_eq!(m.len(), 2, "chunk {chunk}");
            assert_eq!(m[0].separator, "- Sat Jan 03 01:05:34 2026");
            let one = m[0].bytes.as_deref().unwrap();
            assert!(one.starts_with(b"X-Mozilla-Status: 0001\r\n"));
            assert!(
                one.ends_with(b"From the start, another.\r\n"),
                "{:?}",
                String::from_utf8_lossy(one)
            );
            assert_eq!(m[0].start, 0);
            let second = THUNDERBIRD[1..]
                .windows(7)
                .position(|w| w == b"From - ")
                .unwrap()
                + 1;
            assert_eq!(m[1].start, second as u64);
            assert_eq!(m[0].end, second as u64 - 2);
            let two = m[1].bytes.as_deref().unwrap();
            assert_eq!(
                two,
                b"From: b@b.example\r\nFrom oops\r\nSubject: two\r\n\r\n>From quoted body\r\n"
            );
            // The file's last empty line is framing too.
            assert_eq!(m[1].end, THUNDERBIRD.len() as u64 - 2);
        }
    }

    #[test]
    fn google_takeout_mbox_splits_with_lf_line_ends() {
        for chunk in [1, 5, 4096] {
            let (m, _) = split(TAKEOUT, chunk, 1 << 20);
            assert_eq!(m.len(), 2);
            assert_eq!(
                m[0].bytes.as_deref().unwrap(),
                b"X-GM-THRID: 1\nX-Gmail-Labels: Inbox\nFrom: c@c.example\nSubject: three\n\nhi\n"
            );
            assert_eq!(
                m[1].bytes.as_deref().unwrap(),
                b"From: d@d.example\nSubject: four\n\nbye\n"
            );
            assert!(m[1].separator.starts_with("1681234567890123457@xxx"));
        }
    }

    /// A message over the limit is reported by its range, its bytes not
    /// kept, and the splitter's buffer stays near the chunk size.
    #[test]
    fn an_oversized_message_is_skipped_with_its_range() {
        let mut file = b"From a@b Mon Jan 01 00:00:00 2026\nSubject: big\n\n".to_vec();
        file.extend(std::iter::repeat_n(b'x', 100_000));
        file.extend_from_slice(b"\n\n");
        let second = file.len();
        file.extend_from_slice(TAKEOUT);
        let mut s = Splitter::new(10_000);
        let mut out = Vec::new();
        let mut most = 0;
        for c in file.chunks(1000) {
            s.push(c);
            most = most.max(s.buf.capacity());
            while let Some(m) = s.next_message() {
                out.push(m);
            }
        }
        while let Some(m) = s.finish() {
            out.push(m);
        }
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].bytes, None);
        assert_eq!((out[0].start, out[0].end), (0, second as u64 - 1));
        assert_eq!(out[1].start, second as u64);
        assert!(out[1].bytes.is_some());
        assert!(most < 3 * 10_000, "{most}");
    }

    /// The page's reader (todoku-web's MboxReader, in a worker) pushes 1 MB
    /// chunks and takes every message each completes: what the splitter
    /// holds is a chunk and the message it ends inside, whatever the
    /// mailbox's size (4x the messages: the same buffer), and the bytes
    /// given out are dropped (issue 17: batch memory independent of size).
    #[test]
    fn the_buffer_stays_a_chunk_and_a_message_whatever_the_mailbox_size() {
        const CHUNK: usize = 256 * 1024;
        let body = "A line of a list message's body, as a digest carries many.\n".repeat(80);
        let mailbox = |n: usize| {
            let mut file = String::new();
            for i in 0..n {
                file += &format!(
                    "From list@example.org Mon Nov 23 10:00:{:02} 2026\nFrom: a@example.org\nSubject: {i}\n\n{body}\n",
                    i % 60
                );
            }
            file.into_bytes()
        };
        let most = |file: &[u8]| {
            let mut s = Splitter::new(1 << 20);
            let (mut most, mut n) = (0, 0);
            for c in file.chunks(CHUNK) {
                s.push(c);
                most = most.max(s.buf.len()).max(s.buf.capacity());
                while s.next_message().is_some() {
                    n += 1;
                }
            }
            while s.finish().is_some() {
                n += 1;
            }
            (most, n)
        };
        let (small, large) = (mailbox(500), mailbox(2000));
        let ((most_small, n_small), (most_large, n_large)) = (most(&small), most(&large));
        assert_eq!((n_small, n_large), (500, 2000));
        assert!(large.len() > 16 * CHUNK, "{}", large.len());
        assert!(
            most_large * 2 < most_small * 3,
            "{most_small} for 500 messages, {most_large} for 2000"
        );
        assert!(most_large <= 2 * (CHUNK + body.len() + 100), "{most_large}");
    }

    #[test]
    fn text_before_the_first_from_line_is_counted_not_a_message() {
        let mut file = b"garbage\n".to_vec();
        file.extend_from_slice(TAKEOUT);
        let (m, leading) = split(&file, 3, 1 << 20);
        assert_eq!(leading, 8);
        assert_eq!(m.len(), 2);
        assert!(is_mbox(TAKEOUT) && is_mbox(THUNDERBIRD));
        assert!(!is_mbox(b"From: a@b\r\n"));
        assert!(!is_mbox(b"From here on\n"));
        let (m, _) = split(b"not an mbox at all", 4, 100);
        assert!(m.is_empty());
    }
}
