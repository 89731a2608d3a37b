//! Dates as MTAs write them in Received headers: RFC 5322 and the variants
//! seen in real mail (fractional seconds, `4/20/2018 11:01:16 PM -0400`,
//! `2018-03-26 13:35:36.270951634 +0000 UTC`, asctime `Sun Nov 13 14:50:12 2005`,
//! two-digit years, named zones). A missing zone is taken as UTC and said so.

use crate::header::text::starts_ci;

/// A point in time with the writer's zone offset kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// Seconds since the Unix epoch.
    pub(crate) unix: i64,
    /// Nanoseconds within the second.
    pub(crate) nanos: u32,
    /// Zone offset east of UTC, minutes.
    pub(crate) offset_minutes: i32,
    /// Number of fraction digits written (0 = whole seconds).
    pub(crate) fraction_digits: u8,
    /// The zone was missing and UTC was assumed.
    pub(crate) zone_assumed: bool,
}

/// The years a date may name (issue 19 item 10): what four digits can
/// write. Outside them a date is unreadable, so every instant is within
/// about ±3·10^11 seconds of the epoch and no delay or millisecond count
/// computed from two of them can overflow.
pub(crate) const YEARS: std::ops::RangeInclusive<i64> = 0..=9999;

impl Stamp {
    /// Milliseconds since the epoch.
    pub(crate) fn unix_ms(&self) -> i64 {
        self.unix
            .saturating_mul(1000)
            .saturating_add(i64::from(self.nanos / 1_000_000))
    }

    /// RFC 3339 in the writer's zone, with the fraction as written.
    pub(crate) fn rfc3339(&self) -> String {
        /// `|n|` in at least `width` digits, zero-padded.
        fn push(out: &mut String, n: i64, width: u32) {
            let n = n.unsigned_abs();
            let mut digits = 1;
            while digits < 20 && n >= 10u64.pow(digits) {
                digits += 1;
            }
            for w in (0..digits.max(width)).rev() {
                let digit = (n / 10u64.pow(w) % 10) as u8;
                out.push(char::from(b'0' + digit));
            }
        }
        let local = self.unix + i64::from(self.offset_minutes) * 60;
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let mut out = String::with_capacity(36);
        if y < 0 {
            // As `format!("{y:04}")`: the sign counts toward the width.
            out.push('-');
            push(&mut out, y, 3);
        } else {
            push(&mut out, y, 4);
        }
        out.push('-');
        push(&mut out, i64::from(m), 2);
        out.push('-');
        push(&mut out, i64::from(d), 2);
        out.push('T');
        push(&mut out, secs / 3600, 2);
        out.push(':');
        push(&mut out, secs / 60 % 60, 2);
        out.push(':');
        push(&mut out, secs % 60, 2);
        if self.fraction_digits > 0 {
            let digits = u32::from(self.fraction_digits.min(9));
            out.push('.');
            push(
                &mut out,
                i64::from(self.nanos / 10u32.pow(9 - digits)),
                digits,
            );
        }
        out.push(if self.offset_minutes < 0 { '-' } else { '+' });
        let off = i64::from(self.offset_minutes.unsigned_abs());
        push(&mut out, off / 60, 2);
        out.push(':');
        push(&mut out, off % 60, 2);
        out
    }
}

/// The instant of a local date and time in a zone `offset_minutes` east of
/// UTC; `None` for a year outside [`YEARS`] (its arithmetic could overflow).
fn instant(y: i64, mo: u32, d: u32, h: u32, m: u32, s: u32, offset_minutes: i32) -> Option<i64> {
    if !YEARS.contains(&y) {
        return None;
    }
    let local = days_from_civil(y, mo, d)
        .checked_mul(86_400)?
        .checked_add(i64::from(h * 3600 + m * 60 + s.min(59)))?;
    local.checked_sub(i64::from(offset_minutes).checked_mul(60)?)
}

/// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's
/// algorithm); years in [`YEARS`] (others wrap).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn month(word: &str) -> Option<u32> {
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let prefix = word.get(..3)?;
    let i = names.iter().position(|n| prefix.eq_ignore_ascii_case(n))?;
    // `Mar`, `March`, `Sept` are months; `Mon`, `Marvin` are not.
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    (word.len() == 3
        || full.get(i).is_some_and(|f| starts_ci(f, word))
        || word.eq_ignore_ascii_case("sept"))
    .then_some(i as u32 + 1)
}

fn is_weekday(w: &str) -> bool {
    let ends_day = w.len() >= 3
        && w.as_bytes()
            .get(w.len() - 3..)
            .is_some_and(|t| t.eq_ignore_ascii_case(b"day"));
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .any(|d| {
            starts_ci(w, d)
                && (w.len() == 3
                    || ends_day
                    || ["tues", "thur", "thurs"]
                        .iter()
                        .any(|x| w.eq_ignore_ascii_case(x)))
        })
}

/// Named zones (RFC 5322 obs-zone and common abbreviations), minutes east.
fn named_zone(word: &str) -> Option<i32> {
    // Every zone name is at most four letters: upper-case on the stack.
    let mut buf = [0u8; 4];
    buf.get_mut(..word.len())?.copy_from_slice(word.as_bytes());
    buf.make_ascii_uppercase();
    let upper = std::str::from_utf8(buf.get(..word.len())?).ok()?;
    Some(match upper {
        "UT" | "UTC" | "GMT" | "Z" | "WET" => 0,
        "EST" => -300,
        "EDT" => -240,
        "CST" => -360,
        "CDT" => -300,
        "MST" => -420,
        "MDT" => -360,
        "PST" => -480,
        "PDT" => -420,
        "CET" | "MET" | "BST" | "WEST" => 60,
        "CEST" | "MEST" | "EET" => 120,
        "EEST" | "MSK" => 180,
        "IST" => 330,
        "JST" | "KST" => 540,
        "HKT" | "SGT" | "AWST" => 480,
        "AEST" => 600,
        "AEDT" => 660,
        _ => return None,
    })
}

fn numeric_zone(word: &str) -> Option<i32> {
    let (sign, digits) = match word.as_bytes().first()? {
        b'+' => (1, word.get(1..)?),
        b'-' => (-1, word.get(1..)?),
        _ => return None,
    };
    let mut d = [0i32; 4];
    let mut n = 0;
    for b in digits.bytes().filter(|&b| b != b':') {
        if !b.is_ascii_digit() {
            return None;
        }
        *d.get_mut(n)? = i32::from(b - b'0');
        n += 1;
    }
    if n != 4 {
        return None;
    }
    let [h1, h2, m1, m2] = d;
    let (h, m) = (h1 * 10 + h2, m1 * 10 + m2);
    (h <= 23 && m <= 59).then_some(sign * (h * 60 + m))
}

struct Time {
    h: u32,
    m: u32,
    s: u32,
    nanos: u32,
    digits: u8,
}

fn time_of(word: &str) -> Option<Time> {
    let mut parts = word.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let (s, nanos, digits) = match parts.next() {
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            let s: u32 = whole.parse().ok()?;
            if !frac.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let digits = frac.len().min(9);
            let padded = format!("{:0<9}", frac.get(..digits).unwrap_or_default());
            (s, padded.parse().unwrap_or(0), digits as u8)
        }
        None => (0, 0, 0),
    };
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(Time {
        h,
        m,
        s,
        nanos,
        digits,
    })
}

fn year_of(n: i64) -> i64 {
    match n {
        0..=49 => 2000 + n,
        50..=999 => 1900 + n,
        _ => n,
    }
}

/// Parse a date; `None` when no date and time can be found.
pub(crate) fn parse(text: &str) -> Option<Stamp> {
    strict(text).or_else(|| loose(text))
}

/// The RFC 5322 form nearly every MTA writes, `[Day, ]D Mon YYYY HH:MM[:SS]
/// +ZZZZ[ (comment)]`, read without allocating. Anything else is left to
/// [`loose`], which gives the same answer for these inputs (a test checks).
fn strict(text: &str) -> Option<Stamp> {
    let text = text.trim_ascii();
    // A trailing comment, `(PDT)`, with nothing after it.
    let text = match text.find('(') {
        Some(at) => {
            let comment = text
                .get(at + 1..)?
                .trim_end_matches(|c: char| c.is_ascii_whitespace());
            let inner = comment.strip_suffix(')')?;
            if inner.contains(['(', ')']) {
                return None;
            }
            text.get(..at)?
        }
        None => text,
    };
    let mut words = text.split(' ').filter(|w| !w.is_empty());
    let mut word = words.next()?;
    if let Some(day) = word.strip_suffix(',') {
        if day.len() != 3 || !is_weekday(day) {
            return None;
        }
        word = words.next()?;
    }
    let number = |w: &str, min: usize, max: usize| -> Option<u32> {
        (w.len() >= min && w.len() <= max && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
    };
    let d = number(word, 1, 2).filter(|d| (1..=31).contains(d))?;
    let mo = words.next().filter(|w| w.len() == 3).and_then(month)?;
    let y = i64::from(number(words.next()?, 4, 4)?);
    let clock = words.next()?;
    let mut hms = clock.split(':');
    let h = number(hms.next()?, 2, 2).filter(|h| *h <= 23)?;
    let m = number(hms.next()?, 2, 2).filter(|m| *m <= 59)?;
    let sec = match hms.next() {
        Some(sec) => number(sec, 2, 2).filter(|s| *s <= 60)?,
        None => 0,
    };
    if hms.next().is_some() {
        return None;
    }
    let zone = words.next()?;
    let offset_minutes = match zone.as_bytes().first() {
        Some(b'+' | b'-') if zone.len() == 5 => numeric_zone(zone)?,
        _ => return None,
    };
    if words.next().is_some() {
        return None;
    }
    Some(Stamp {
        unix: instant(y, mo, d, h, m, sec, offset_minutes)?,
        nanos: 0,
        offset_minutes,
        fraction_digits: 0,
        zone_assumed: false,
    })
}

/// Every date form this module knows.
fn loose(text: &str) -> Option<Stamp> {
    let mut y: Option<i64> = None;
    let mut mo: Option<u32> = None;
    let mut d: Option<u32> = None;
    let mut time: Option<Time> = None;
    let mut pm: Option<bool> = None;
    let mut zone: Option<i32> = None;
    let mut named: Option<i32> = None;
    // The day and year the bare numbers give, read as they come (a date of
    // a million numbers costs no list of them): the first in 1..=31 is the
    // day, unless a number over 31 came before it, which is the year.
    let (mut loose_d, mut loose_y): (Option<u32>, Option<i64>) = (None, None);
    // Comments such as `(PDT)` or `(envelope-from <x>)` are dropped.
    let cleaned = if text.bytes().any(|b| matches!(b, b'(' | b')' | b',')) {
        let mut cleaned = String::with_capacity(text.len());
        let mut depth = 0usize;
        for c in text.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => cleaned.push(' '),
                c if depth == 0 => cleaned.push(c),
                _ => {}
            }
        }
        std::borrow::Cow::Owned(cleaned)
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    for word in cleaned.split_whitespace() {
        if let Some(z) = numeric_zone(word) {
            zone.get_or_insert(z);
        } else if word.contains(':') {
            if time.is_none() {
                time = time_of(word);
                time.as_ref()?;
            }
        } else if let Some(m) = month(word) {
            mo.get_or_insert(m);
        } else if word.eq_ignore_ascii_case("am") || word.eq_ignore_ascii_case("pm") {
            pm = Some(word.eq_ignore_ascii_case("pm"));
        } else if let Some(z) = named_zone(word) {
            named.get_or_insert(z);
        } else if word.contains('/')
            || (word.contains('-') && word.bytes().next().is_some_and(|b| b.is_ascii_digit()))
        {
            let parts: Vec<i64> = word
                .split(['/', '-'])
                .map(|p| p.parse().ok())
                .collect::<Option<Vec<_>>>()?;
            // A month or day that does not fit is no date (not one cut
            // down to fit: 4294967297 is not 1).
            let small = |n: i64| u32::try_from(n).ok();
            match parts.as_slice() {
                // 2018-4-20 (ISO order when the first part is a 4-digit year)
                [a, b, c] if *a >= 1000 => {
                    (y, mo, d) = (Some(*a), Some(small(*b)?), Some(small(*c)?))
                }
                // 4/20/2018, 4-20-2018 (US order)
                [a, b, c] => (y, mo, d) = (Some(year_of(*c)), Some(small(*a)?), Some(small(*b)?)),
                _ => return None,
            }
        } else if let Ok(n) = word.parse::<i64>() {
            if loose_d.is_none() && (1..=31).contains(&n) && !(loose_y.is_none() && n > 31) {
                loose_d = u32::try_from(n).ok();
            } else if loose_y.is_none() {
                loose_y = Some(year_of(n));
            }
        } else if !is_weekday(word) {
            // Anything else means this is not (only) a date.
            return None;
        }
    }
    // `21 Apr 2018`, `Apr 21 2018`, asctime `Nov 13 … 2005`: a day and a
    // year. (The year is set only with the day, by `2018-4-20`: when the
    // day is missing, so is the year, and the numbers give both.)
    if d.is_none() {
        (d, y) = (loose_d, loose_y);
    }
    // A date without a time (`22 Apr 2018`) is taken as midnight.
    let t = time.unwrap_or(Time {
        h: 0,
        m: 0,
        s: 0,
        nanos: 0,
        digits: 0,
    });
    let (y, mo, d) = (y?, mo?, d?);
    if !(1..=12).contains(&mo) || d == 0 || d > 31 {
        return None;
    }
    let mut h = t.h;
    match pm {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    let offset = zone.or(named);
    let offset_minutes = offset.unwrap_or(0);
    Some(Stamp {
        unix: instant(y, mo, d, h, t.m, t.s, offset_minutes)?,
        nanos: t.nanos,
        offset_minutes,
        fraction_digits: t.digits,
        zone_assumed: offset.is_none(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_matches_standard_formatting() {
        fn reference(s: &Stamp) -> String {
            let local = s.unix + i64::from(s.offset_minutes) * 60;
            let (y, m, d) = civil_from_days(local.div_euclid(86_400));
            let secs = local.rem_euclid(86_400);
            let mut out = format!(
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            );
            if s.fraction_digits > 0 {
                let frac = format!("{:09}", s.nanos);
                out.push('.');
                out.push_str(&frac[..usize::from(s.fraction_digits.min(9))]);
            }
            let sign = if s.offset_minutes < 0 { '-' } else { '+' };
            let off = s.offset_minutes.unsigned_abs();
            out + &format!("{sign}{:02}:{:02}", off / 60, off % 60)
        }
        for unix in [
            0,
            1_795_800_000,
            -62_167_219_200 - 86_400 * 400,
            253_402_300_800,
            86_399,
        ] {
            for (nanos, digits) in [(0, 0), (270_951_634, 9), (5_000_000, 3), (100_000_000, 1)] {
                for offset in [0, -420, 330, 840] {
                    let s = Stamp {
                        unix,
                        nanos,
                        offset_minutes: offset,
                        fraction_digits: digits,
                        zone_assumed: false,
                    };
                    assert_eq!(s.rfc3339(), reference(&s));
                }
            }
        }
    }

    #[test]
    fn the_strict_reader_agrees_with_the_loose_one() {
        let cases = [
            "Wed, 10 Jun 2015 19:05:37 -0700 (PDT)",
            "Mon, 23 Nov 2026 10:00:00 +0000",
            "1 Jan 2024 00:00 +0100",
            "Sat, 29 Feb 2020 23:59:60 +0530",
            "  Tue, 31 Dec 1999 12:34:56 -1200 ( comment )  ",
            "Thu, 01 Jan 1970 00:00:00 +0000",
        ];
        for text in cases {
            let strict = strict(text);
            assert!(strict.is_some(), "{text}");
            assert_eq!(strict, loose(text), "{text}");
        }
        // Left to the loose reader.
        for text in [
            "Wed, 10 Jun 15 19:05:37 -0700",
            "Wed, 10 Jun 2015 19:05:37.123 -0700",
            "Wed, 10 Jun 2015 19:05:37 PDT",
            "Wed, 10 Jun 2015 19:05:37 -0700 (PDT) extra",
            "Wed, 10 Jun 2015 19:05:37",
            "4/20/2018 11:01:16 PM -0400",
            "Wednesday, 10 Jun 2015 19:05:37 -0700",
        ] {
            assert_eq!(strict(text), None, "{text}");
        }
    }

    #[test]
    fn rfc5322_with_zone_and_comment() {
        let s = parse("Wed, 10 Jun 2015 19:05:37 -0700 (PDT)").unwrap();
        assert_eq!(s.unix, 1_433_988_337);
        assert_eq!(s.rfc3339(), "2015-06-10T19:05:37-07:00");
        assert!(!s.zone_assumed);
    }

    #[test]
    fn fractions_are_kept() {
        let s = parse("2018-03-26 13:35:36.270951634 +0000 UTC").unwrap();
        assert_eq!(s.unix_ms(), 1_522_071_336_270);
        assert_eq!(s.rfc3339(), "2018-03-26T13:35:36.270951634+00:00");
        assert_eq!(
            parse("Mon, 26 Mar 2018 13:35:10.102 +0000 (UTC)")
                .unwrap()
                .unix_ms(),
            1_522_071_310_102
        );
    }

    #[test]
    fn us_and_12_hour_forms() {
        assert_eq!(
            parse("4/20/2018 11:01:16 PM -0400 (EDT)").unwrap().unix,
            1_524_279_676
        );
        assert_eq!(parse("4-20-2018 11:01:07 PM").unwrap().unix, 1_524_265_267);
        assert_eq!(parse("2018-4-20 11:01:08 PM").unwrap().unix, 1_524_265_268);
        assert!(parse("4/20/2018 11:01:36 PM").unwrap().zone_assumed);
    }

    #[test]
    fn month_first_asctime_two_digit_year_and_named_zone() {
        assert_eq!(
            parse("Apr 21 2018 3:01:05 +0000").unwrap().unix,
            1_524_279_665
        );
        assert_eq!(
            parse("Sun Nov 13 14:50:12 2005").unwrap().rfc3339(),
            "2005-11-13T14:50:12+00:00"
        );
        assert_eq!(
            parse("8 Mar 04 12:23:56 -0000").unwrap().rfc3339(),
            "2004-03-08T12:23:56+00:00"
        );
        assert_eq!(
            parse("Mon, 23 Nov 2026 18:02:03 JST").unwrap().rfc3339(),
            "2026-11-23T18:02:03+09:00"
        );
    }

    #[test]
    fn civil_round_trip_and_garbage() {
        for days in [-800_000, -1, 0, 1, 11_016, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(
            parse("Fri, 20 Apr 2018 17:51:19 -0400 (envelope-from <a@b.example>)")
                .unwrap()
                .unix,
            1_524_261_079
        );
        for bad in [
            "",
            "yesterday",
            "id 123 10:00:00 1 Jan 2020",
            "12:00",
            "32 Jan 2020 10:00:00",
            "Mon, 10 Foo 2020 10:00:00",
            "1 Jan 2020 25:00:00",
            "99:99:99:99",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
