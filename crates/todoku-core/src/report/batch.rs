//! Many messages at once (an mbox, a folder of `.eml`/`.msg` files): one
//! row per message (date, From, Subject, verdict, the top finding) and a
//! summary grouped by sending domain, with the most common problem and the
//! address it came from ("38 of 50 messages from example.co.jp: SPF
//! softfail from 203.0.113.45").
//!
//! Rows are built one at a time from reports ([`BatchRow::from_report`])
//! and added to a [`Summariser`], so a front end can stream a mailbox: the
//! summary keeps counts per domain, finding and address, never the rows.
//! Everything is `serde` both ways, for the page's worker boundary.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::report::Report;
use crate::report::finding::Severity;
use crate::wording::Lang;
use crate::wording::batch as words;

/// The finding a row shows: the most severe (the report lists errors first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopFinding {
    /// Its id (`spf.softfail`).
    pub id: String,
    /// `error`, `warning`, `info` or `pass`.
    pub severity: String,
    /// Its title in English.
    pub title: String,
    /// Its title in Japanese.
    pub title_ja: String,
    /// The message's own sentence about it (English).
    pub message: String,
}

/// A bounce's row leads with the bounce, not with what the returned copy
/// of the original lacks (sisimai-080's row led with its missing one-click
/// unsubscribe): the finding the refusal names, when the report has it,
/// else the refusal itself as `bounce.<reason>` (`bounce.user_unknown`,
/// `bounce.sender_rejected`…; `bounce.rejected`, `bounce.deferred` or
/// `bounce.returned` when the words name no reason Todoku reads).
fn bounce_top(report: &Report) -> Option<TopFinding> {
    use crate::recorded::bounce::{Said, by_words};
    use crate::wording::bounce as words;
    if !(report.whole.is_bounce() || report.input.bounce_message) {
        return None;
    }
    let code = report
        .bounce
        .iter()
        .find(|c| c.finding.is_some())
        .or(report.bounce.first());
    if let Some(named) = code.and_then(|c| c.finding)
        && let Some(f) = report.findings.iter().find(|f| f.id == named)
    {
        return Some(TopFinding {
            id: f.id.to_string(),
            severity: f.severity.as_str().to_string(),
            title: f.title.en.to_string(),
            title_ja: f.title.ja.to_string(),
            message: f.message.clone(),
        });
    }
    let recipients = &report.whole.recipients;
    let said = recipients
        .iter()
        .find_map(|r| r.said)
        .or_else(|| code.and_then(|c| by_words(c.said, c.enhanced.as_deref())))
        .or_else(|| {
            code.and_then(|c| c.enhanced.as_deref())
                .or_else(|| recipients.iter().find_map(|r| r.status.as_deref()))
                .and_then(Said::of_status)
        });
    let temporary = code.map_or_else(
        || !recipients.is_empty() && recipients.iter().all(|r| r.temporary),
        |c| c.temporary,
    );
    let (id, title) = match (said, code) {
        (Some(said), _) => (format!("bounce.{}", said.as_str()), said.words().title),
        (None, Some(_)) if temporary => ("bounce.deferred".to_string(), words::row::DEFERRED),
        // A 4xx the sending server stopped retrying came back.
        (None, Some(c)) if c.gave_up() => ("bounce.returned".to_string(), words::row::RETURNED),
        (None, Some(_)) => ("bounce.rejected".to_string(), words::row::REJECTED),
        (None, None) => ("bounce.returned".to_string(), words::row::RETURNED),
    };
    Some(TopFinding {
        id,
        severity: if temporary { "warning" } else { "error" }.to_string(),
        title: title.en.to_string(),
        title_ja: title.ja.to_string(),
        message: report.verdict.sentence.clone(),
    })
}

/// The title of a `bounce.<reason>` id [`bounce_top`] gives, which the
/// findings catalogue does not hold (the summary names it by its title).
fn bounce_title(id: &str) -> Option<crate::wording::Text> {
    use crate::recorded::bounce::Said;
    use crate::wording::bounce::row;
    let reason = id.strip_prefix("bounce.")?;
    Some(match reason {
        "deferred" => row::DEFERRED,
        "rejected" => row::REJECTED,
        "returned" => row::RETURNED,
        _ => {
            Said::ALL
                .into_iter()
                .find(|s| s.as_str() == reason)?
                .words()
                .title
        }
    })
}

/// One message of the batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRow {
    /// Its position in the batch, from 0.
    pub index: usize,
    /// Where it came from: a file name, or a mailbox and the message's number.
    pub source: String,
    /// The Date header (RFC 3339), when it names an instant.
    pub date: Option<String>,
    /// The From address.
    pub from: Option<String>,
    /// The From address's domain: the summary's group.
    pub from_domain: Option<String>,
    /// The decoded Subject.
    pub subject: Option<String>,
    /// `filtered`, `at_risk`, `clean` or `unknown`.
    pub verdict: String,
    /// The verdict's sentence (English).
    pub verdict_sentence: String,
    /// The most severe warning or error, if any.
    pub top_finding: Option<TopFinding>,
    /// Every finding id of warning or error severity (for filtering).
    pub findings: Vec<String>,
    /// The address that handed the message to the receiver (the trust
    /// boundary), when known.
    pub sending_ip: Option<String>,
    /// Why the message could not be analysed (English), when it could not.
    pub problem: Option<String>,
    /// The same in Japanese.
    pub problem_ja: Option<String>,
    /// The file it came from (a message file, or the mailbox), when the
    /// front end knows it.
    #[serde(default)]
    pub file: Option<String>,
    /// Its number in the mailbox, from 0 (`None`: not from a mailbox).
    #[serde(default)]
    pub message: Option<usize>,
    /// Where it starts in the mailbox (its From_ line), in bytes.
    #[serde(default)]
    pub offset: Option<u64>,
}

impl BatchRow {
    /// The row of an analysed message.
    pub fn from_report(index: usize, source: &str, report: &Report) -> BatchRow {
        let problems = report
            .findings
            .iter()
            .filter(|f| matches!(f.severity, Severity::Error | Severity::Warning));
        let top = report
            .findings
            .iter()
            .filter(|f| matches!(f.severity, Severity::Error | Severity::Warning))
            .min_by_key(|f| f.severity);
        let top = bounce_top(report).or_else(|| {
            top.map(|f| TopFinding {
                id: f.id.to_string(),
                severity: f.severity.as_str().to_string(),
                title: f.title.en.to_string(),
                title_ja: f.title.ja.to_string(),
                message: f.message.clone(),
            })
        });
        // A bounce's reason is a finding of its row too: the table filters
        // by it and the summary counts it (first, as the row leads with it).
        let findings = top
            .as_ref()
            .filter(|t| t.id.starts_with("bounce."))
            .map(|t| t.id.clone())
            .into_iter()
            .chain(problems.map(|f| f.id.to_string()))
            .collect();
        BatchRow {
            index,
            source: source.to_string(),
            date: report.summary.date.clone(),
            from: report.summary.from.clone(),
            from_domain: report
                .summary
                .from_domain
                .as_ref()
                .map(|d| d.to_ascii_lowercase()),
            subject: report.summary.subject.clone(),
            verdict: report.verdict.outlook.as_str().to_string(),
            verdict_sentence: report.verdict.sentence.clone(),
            top_finding: top,
            findings,
            sending_ip: report.trust_boundary.as_ref().and_then(|b| b.ip.clone()),
            problem: report.input.problem.as_ref().map(|p| p.sentence(Lang::En)),
            problem_ja: report.input.problem.as_ref().map(|p| p.sentence(Lang::Ja)),
            file: None,
            message: None,
            offset: None,
        }
    }

    /// The row of a file or message that could not be analysed at all
    /// (unreadable, too large); `en` and `ja` say why.
    pub fn failed(index: usize, source: &str, en: String, ja: String) -> BatchRow {
        BatchRow {
            index,
            source: source.to_string(),
            date: None,
            from: None,
            from_domain: None,
            subject: None,
            verdict: "unknown".to_string(),
            verdict_sentence: en.clone(),
            top_finding: None,
            findings: Vec::new(),
            sending_ip: None,
            problem: Some(en),
            problem_ja: Some(ja),
            file: None,
            message: None,
            offset: None,
        }
    }

    /// The row placed in its file: `message` and `offset` for a mailbox's
    /// message (its number from 0 and where its From_ line starts).
    #[must_use]
    pub fn placed(mut self, file: &str, message: Option<usize>, offset: Option<u64>) -> BatchRow {
        self.file = Some(file.to_string());
        self.message = message;
        self.offset = offset;
        self
    }

    /// The row as one line of JSON lines (`serde_json`, so every control
    /// character of a header is escaped), ending in `\n`. The CLI's
    /// `--batch --json` output (feature `json`). The page's JSON-lines
    /// download writes again the JSON its workers made with `serde_json`
    /// from the same row type.
    #[cfg(feature = "json")]
    pub fn to_json_line(&self) -> String {
        let mut line = serde_json::to_string(self).unwrap_or_default();
        line.push('\n');
        line
    }

    /// The row as one CSV record (RFC 4180: fields with a comma, a quote
    /// or a line break are quoted, quotes doubled; CRLF at the end), the
    /// columns of [`CSV_COLUMNS`]. A field starting with `=`, `+`, `-`,
    /// `@`, a tab or a CR gets a leading `'` so a spreadsheet shows it as
    /// text instead of running it as a formula (CSV injection).
    pub fn to_csv_row(&self) -> String {
        let index = self.index.to_string();
        let message = self.message.map(|m| m.to_string());
        let offset = self.offset.map(|o| o.to_string());
        let top = self.top_finding.as_ref();
        let findings = self.findings.join(" ");
        let fields: [Option<&str>; 17] = [
            Some(&index),
            Some(&self.source),
            self.file.as_deref(),
            message.as_deref(),
            offset.as_deref(),
            self.date.as_deref(),
            self.from.as_deref(),
            self.from_domain.as_deref(),
            self.subject.as_deref(),
            Some(&self.verdict),
            top.map(|t| t.id.as_str()),
            top.map(|t| t.title.as_str()),
            top.map(|t| t.title_ja.as_str()),
            Some(&findings),
            self.sending_ip.as_deref(),
            self.problem.as_deref(),
            self.problem_ja.as_deref(),
        ];
        csv_record(&fields.map(Option::unwrap_or_default))
    }

    /// Whether the row has the finding `id` (the table's filter).
    pub fn has_finding(&self, id: &str) -> bool {
        self.findings.iter().any(|f| f == id)
    }
}

/// The CSV columns of [`BatchRow::to_csv_row`], the names of its JSON
/// fields (`top_finding.id`: the id inside `top_finding`; `findings`: the
/// ids separated by spaces).
pub const CSV_COLUMNS: [&str; 17] = [
    "index",
    "source",
    "file",
    "message",
    "offset",
    "date",
    "from",
    "from_domain",
    "subject",
    "verdict",
    "top_finding.id",
    "top_finding.title",
    "top_finding.title_ja",
    "findings",
    "sending_ip",
    "problem",
    "problem_ja",
];

/// The start of a CSV file: the UTF-8 byte order mark (without it, Excel
/// reads the file in the system's code page: Shift_JIS in Japan, and the
/// Japanese text comes out garbled) and the header record.
pub fn csv_header() -> String {
    let mut out = String::from("\u{feff}");
    out += &csv_record(&CSV_COLUMNS);
    out
}

/// One CSV record of `fields` (RFC 4180, CRLF), each guarded against
/// formula injection. (A slice, not an iterator, and bytes, not a char
/// pattern: one small copy of this in the page's module.)
pub fn csv_record(fields: &[&str]) -> String {
    let mut out = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let bytes = field.as_bytes();
        let guard = matches!(
            bytes.first(),
            Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
        );
        let quote = bytes
            .iter()
            .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
        if quote {
            out.push('"');
        }
        if guard {
            out.push('\'');
        }
        // Each quote doubled: the text up to and with it, then one more.
        let mut from = 0;
        for (at, b) in bytes.iter().enumerate() {
            if *b == b'"' {
                out.push_str(field.get(from..=at).unwrap_or_default());
                out.push('"');
                from = at + 1;
            }
        }
        out.push_str(field.get(from..).unwrap_or_default());
        if quote {
            out.push('"');
        }
    }
    out += "\r\n";
    out
}

/// The summary of one sending domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainGroup {
    /// The From domain (`None`: messages without one).
    pub domain: Option<String>,
    /// Its messages.
    pub messages: usize,
    /// Its most common warning or error: id, title, how many messages.
    pub top_finding: Option<GroupFinding>,
    /// The sending addresses, most messages first (at most 10).
    pub ips: Vec<Count>,
    /// "38 of 50 messages from example.co.jp: SPF softfail from 203.0.113.45".
    pub sentence: String,
    /// The same in Japanese.
    pub sentence_ja: String,
}

/// A group's most common problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupFinding {
    /// The finding id.
    pub id: String,
    /// Its title in English.
    pub title: String,
    /// Its title in Japanese.
    pub title_ja: String,
    /// Messages of the group with it.
    pub messages: usize,
    /// The address most of those came from.
    pub ip: Option<String>,
    /// How many other addresses sent the rest of them.
    pub other_ips: usize,
}

/// A value and how many messages had it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// The value.
    pub value: String,
    /// Messages.
    pub count: usize,
}

/// The summary over every row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchSummary {
    /// Rows.
    pub messages: usize,
    /// Rows per verdict.
    pub filtered: usize,
    /// Rows at risk.
    pub at_risk: usize,
    /// Rows with no problem found.
    pub clean: usize,
    /// Rows not analysed (a problem with the input).
    pub unknown: usize,
    /// The totals as a sentence (English).
    pub sentence: String,
    /// The same in Japanese.
    pub sentence_ja: String,
    /// One group per From domain, most messages first.
    pub groups: Vec<DomainGroup>,
    /// Every finding id and the messages that had it, most first.
    pub findings: Vec<Count>,
}

/// Values by text key, in key order. Every map of the summary is a
/// `BTreeMap<String, usize>` (here: the key's place in `items`), so the
/// page's module holds the B-tree code for one key and value type only, not
/// one per kind of tally (issue 17: about 13 KB of WebAssembly before
/// optimisation).
#[derive(Debug)]
struct Keyed<T> {
    index: BTreeMap<String, usize>,
    items: Vec<T>,
}

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Keyed {
            index: BTreeMap::new(),
            items: Vec::new(),
        }
    }
}

impl<T> Keyed<T> {
    /// The value of `key`, made by `new` the first time.
    fn entry(&mut self, key: &str, new: impl FnOnce() -> T) -> Option<&mut T> {
        let at = match self.index.get(key) {
            Some(&at) => at,
            None => {
                self.index.insert(key.to_string(), self.items.len());
                self.items.push(new());
                self.items.len() - 1
            }
        };
        self.items.get_mut(at)
    }

    /// Keys and values in key order.
    fn iter(&self) -> impl Iterator<Item = (&String, &T)> {
        self.index
            .iter()
            .filter_map(|(key, &at)| self.items.get(at).map(|v| (key, v)))
    }
}

#[derive(Debug, Default)]
struct Tally {
    messages: usize,
    ips: BTreeMap<String, usize>,
    /// finding id -> its tally
    findings: Keyed<FindingTally>,
}

#[derive(Debug, Default)]
struct FindingTally {
    title: String,
    title_ja: String,
    messages: usize,
    /// The best place it had in a row's list (the report lists the most
    /// important first): breaks ties between equally common findings.
    rank: usize,
    ips: BTreeMap<String, usize>,
}

/// Collects rows into a [`BatchSummary`] without keeping them.
#[derive(Debug, Default)]
pub struct Summariser {
    messages: usize,
    verdicts: [usize; 4],
    /// Messages without a From domain.
    no_domain: Option<Tally>,
    groups: Keyed<Tally>,
    findings: BTreeMap<String, usize>,
}

impl Summariser {
    /// Counts `row` in.
    pub fn add(&mut self, row: &BatchRow) {
        self.count(
            &row.verdict,
            row.problem.is_some(),
            row.from_domain.as_deref(),
            row.sending_ip.as_deref(),
            row.findings.iter().map(String::as_str),
        );
    }

    /// Counts in a row given by the parts the summary reads: its verdict,
    /// whether it could not be analysed (`failed`: it has a problem), its
    /// From domain, its sending address and its finding ids in the row's
    /// order. The page's table feeds its rows this way, without building
    /// [`BatchRow`]s again.
    pub fn count<'a>(
        &mut self,
        verdict: &str,
        failed: bool,
        domain: Option<&str>,
        ip: Option<&str>,
        findings: impl IntoIterator<Item = &'a str>,
    ) {
        self.messages += 1;
        let slot = match verdict {
            "filtered" => 0,
            "at_risk" => 1,
            "clean" => 2,
            _ => 3,
        };
        if let Some(n) = self.verdicts.get_mut(slot) {
            *n += 1;
        }
        if failed && verdict == "unknown" {
            return;
        }
        let tally = match domain {
            Some(domain) => self.groups.entry(domain, Tally::default),
            None => Some(self.no_domain.get_or_insert_with(Tally::default)),
        };
        let Some(tally) = tally else { return };
        tally.messages += 1;
        if let Some(ip) = ip {
            *tally.ips.entry(ip.to_string()).or_default() += 1;
        }
        // A bounce's row leads with the bounce: its domain's line is about
        // why the mail came back, not about the returned copy's own
        // findings (review D8: six bounces from one shop each had a
        // different reason, and the line named their missing DKIM).
        let mut bounced = false;
        for (rank, id) in findings.into_iter().enumerate() {
            *self.findings.entry(id.to_string()).or_default() += 1;
            let bounce = id.starts_with("bounce.");
            bounced |= rank == 0 && bounce;
            if bounced && !bounce {
                continue;
            }
            let Some(entry) = tally.findings.entry(id, || {
                let title = crate::wording::catalogue::entry(id)
                    .map(|e| e.title)
                    .or_else(|| bounce_title(id));
                FindingTally {
                    title: title.map_or(id.to_string(), |t| t.en.to_string()),
                    title_ja: title.map_or(id.to_string(), |t| t.ja.to_string()),
                    rank,
                    ..FindingTally::default()
                }
            }) else {
                continue;
            };
            entry.messages += 1;
            entry.rank = entry.rank.min(rank);
            if let Some(ip) = ip {
                *entry.ips.entry(ip.to_string()).or_default() += 1;
            }
        }
    }

    /// The summary of the rows added so far.
    pub fn summary(&self) -> BatchSummary {
        let [filtered, at_risk, clean, unknown] = self.verdicts;
        // In domain order (none first), then most messages first.
        let groups: Vec<DomainGroup> = self
            .no_domain
            .iter()
            .map(|tally| group(None, tally))
            .chain(
                self.groups
                    .iter()
                    .map(|(domain, tally)| group(Some(domain), tally)),
            )
            .collect();
        let groups = most_first_order(groups, |g| g.messages);
        BatchSummary {
            messages: self.messages,
            filtered,
            at_risk,
            clean,
            unknown,
            sentence: words::totals(Lang::En, self.messages, filtered, at_risk, clean, unknown),
            sentence_ja: words::totals(Lang::Ja, self.messages, filtered, at_risk, clean, unknown),
            groups,
            findings: most_first(&self.findings, usize::MAX),
        }
    }
}

/// Counts, most first (ties by value), at most `limit`.
fn most_first(counts: &BTreeMap<String, usize>, limit: usize) -> Vec<Count> {
    let out: Vec<Count> = counts
        .iter()
        .map(|(value, &count)| Count {
            value: value.clone(),
            count,
        })
        .collect();
    let mut out = most_first_order(out, |c| c.count);
    out.truncate(limit);
    out
}

/// `items` (in key order) with the largest `count` first; equal counts keep
/// their order. One sort of positions serves every list of the summary, so
/// the page's module holds one sort, not one per item type.
fn most_first_order<T>(items: Vec<T>, count: impl Fn(&T) -> usize) -> Vec<T> {
    let counts: Vec<usize> = items.iter().map(count).collect();
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_unstable_by(|&a, &b| counts.get(b).cmp(&counts.get(a)).then(a.cmp(&b)));
    let mut items: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|at| items.get_mut(at).and_then(Option::take))
        .collect()
}

fn group(domain: Option<&str>, tally: &Tally) -> DomainGroup {
    // The most common problem; among equally common ones, the one the
    // reports put first, then the first id.
    let top = tally
        .findings
        .iter()
        .max_by(|a, b| {
            (a.1.messages.cmp(&b.1.messages))
                .then(b.1.rank.cmp(&a.1.rank))
                .then(b.0.cmp(a.0))
        })
        .map(|(id, f)| {
            let by_ip = most_first(&f.ips, usize::MAX);
            GroupFinding {
                id: id.clone(),
                title: f.title.clone(),
                title_ja: f.title_ja.clone(),
                messages: f.messages,
                ip: by_ip.first().map(|c| c.value.clone()),
                other_ips: by_ip.len().saturating_sub(1),
            }
        });
    let sentence = |lang: Lang| {
        words::group_sentence(
            lang,
            domain,
            top.as_ref().map_or(0, |t| t.messages),
            tally.messages,
            top.as_ref().map(|t| match lang {
                Lang::En => t.title.as_str(),
                Lang::Ja => t.title_ja.as_str(),
            }),
            top.as_ref().and_then(|t| t.ip.as_deref()),
            top.as_ref().map_or(0, |t| t.other_ips),
        )
    };
    DomainGroup {
        domain: domain.map(str::to_string),
        messages: tally.messages,
        sentence: sentence(Lang::En),
        sentence_ja: sentence(Lang::Ja),
        top_finding: top,
        ips: most_first(&tally.ips, 10),
    }
}
