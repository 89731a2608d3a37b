//! Tag lists (RFC 6376 3.2): `name=value; name=value; …`, the syntax of the
//! DKIM-Signature, ARC-Seal and ARC-Message-Signature fields, DKIM key
//! records and DMARC records. One reader for all of them; each caller keeps
//! its own rules (which problems matter, whether a repeated tag is an error or
//! the last one counts, which tag must come first).
//!
//! ```text
//! tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
//! tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
//! tag-name  =  ALPHA *ALNUMPUNC          ; ALNUMPUNC = ALPHA / DIGIT / "_"
//! ```
//!
//! White space around a name and around a value is dropped (FWS, and any
//! other white space `str::trim` knows, as every caller always accepted);
//! white space inside a value is kept for the caller (`b=` squeezes it out,
//! `rua=` does not). Names are compared byte for byte: RFC 6376 tag names are
//! case-sensitive (DMARC lower-cases them itself).
//!
//! Every slice borrows from the input, and offsets are byte offsets into it,
//! so a caller can make spans. The work is linear in the input and the memory
//! bounded: at most [`MAX_TAGS`] tags are kept (later ones are counted, not
//! read), at most [`MAX_PROBLEMS`] problems (later ones are counted), and a
//! repeated name is found in a sorted list of at most [`MAX_TAGS`] names.

/// The most tags a list keeps; later tags are counted in
/// [`TagList::tags_not_read`] and not read. Real lists have about a dozen.
pub const MAX_TAGS: usize = 64;

/// The most problems a list keeps; later ones are counted in
/// [`TagList::problems_not_kept`].
pub const MAX_PROBLEMS: usize = 32;

/// One `name=value` tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag<'a> {
    /// The name, white space around it removed (may be empty or invalid:
    /// see [`Tag::valid_name`]).
    pub name: &'a str,
    /// The value, white space around it removed.
    pub value: &'a str,
    /// The whole tag-spec, white space around it removed.
    pub text: &'a str,
    /// Byte offset of `text` (and so of `name`) in the input.
    pub at: usize,
    /// Byte offset of `value` in the input.
    pub value_at: usize,
    /// Which `;`-separated part of the list it is (0 = before the first `;`).
    pub index: usize,
    /// The name is `ALPHA *(ALPHA / DIGIT / "_")`.
    pub valid_name: bool,
    /// A valid name that an earlier tag already had (RFC 6376 3.2: the list
    /// is then invalid).
    pub repeated: bool,
}

/// What is wrong with one part of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// An empty part (`;;`, or a `;` first); only one `;` may end the list.
    Empty,
    /// A part without `=`.
    NoEquals,
    /// A name that is not `ALPHA *(ALPHA / DIGIT / "_")` (the [`Tag`] is
    /// still listed).
    BadName,
    /// A name an earlier tag already had (the [`Tag`] is still listed).
    Repeated,
}

/// A problem, where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem<'a> {
    /// What is wrong.
    pub kind: ProblemKind,
    /// The part, white space around it removed (empty for [`ProblemKind::Empty`]).
    pub text: &'a str,
    /// The name, for [`ProblemKind::BadName`] and [`ProblemKind::Repeated`]
    /// (empty otherwise).
    pub name: &'a str,
    /// Byte offset of `text` in the input (of the part for an empty one).
    pub at: usize,
    /// Which `;`-separated part of the list it is.
    pub index: usize,
}

/// One part of the list in input order: a tag or a problem. A tag with a
/// bad or repeated name comes right after its problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item<'a> {
    /// A `name=value` tag.
    Tag(Tag<'a>),
    /// A problem.
    Problem(Problem<'a>),
}

/// A tag list read once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TagList<'a> {
    tags: Vec<Tag<'a>>,
    problems: Vec<Problem<'a>>,
    problems_not_kept: usize,
    tags_not_read: usize,
    parts: usize,
}

/// `text` without white space around it, and the byte offset where that
/// starts within `text`.
fn trimmed(text: &str) -> (&str, usize) {
    let start = text.trim_start();
    (start.trim_end(), text.len() - start.len())
}

/// RFC 6376 3.2 `tag-name`.
fn valid_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl<'a> TagList<'a> {
    /// Read `input`. Never fails: what cannot be read is a [`Problem`].
    pub fn parse(input: &'a str) -> TagList<'a> {
        let mut list = TagList::default();
        // The valid names so far, sorted: at most MAX_TAGS, so finding and
        // inserting one is bounded, whatever the input's length.
        let mut names: Vec<&'a str> = Vec::new();
        let mut start = 0usize;
        let mut index = 0usize;
        loop {
            let rest = input.get(start..).unwrap_or_default();
            let (part, last) = match memchr::memchr(b';', rest.as_bytes()) {
                Some(end) => (rest.get(..end).unwrap_or_default(), false),
                None => (rest, true),
            };
            let (text, lead) = trimmed(part);
            let at = start + lead;
            if list.tags.len() >= MAX_TAGS {
                // Bounded: the rest is counted, not read.
                if !text.is_empty() {
                    list.tags_not_read += 1;
                }
            } else if text.is_empty() {
                if !last {
                    list.problem(ProblemKind::Empty, text, "", at, index);
                }
            } else if let Some(eq) = text.find('=') {
                let (name, _) = trimmed(text.get(..eq).unwrap_or_default());
                let raw_value = text.get(eq + 1..).unwrap_or_default();
                let (value, value_lead) = trimmed(raw_value);
                let valid = valid_name(name);
                let mut repeated = false;
                if !valid {
                    list.problem(ProblemKind::BadName, text, name, at, index);
                } else {
                    match names.binary_search(&name) {
                        Ok(_) => {
                            repeated = true;
                            list.problem(ProblemKind::Repeated, text, name, at, index);
                        }
                        Err(pos) => names.insert(pos, name),
                    }
                }
                list.tags.push(Tag {
                    name,
                    value,
                    text,
                    at,
                    value_at: at + eq + 1 + value_lead,
                    index,
                    valid_name: valid,
                    repeated,
                });
            } else {
                list.problem(ProblemKind::NoEquals, text, "", at, index);
            }
            index += 1;
            if last {
                break;
            }
            start += part.len() + 1;
        }
        list.parts = index;
        list
    }

    fn problem(
        &mut self,
        kind: ProblemKind,
        text: &'a str,
        name: &'a str,
        at: usize,
        index: usize,
    ) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem {
                kind,
                text,
                name,
                at,
                index,
            });
        } else {
            self.problems_not_kept += 1;
        }
    }

    /// Every tag read, in order, repeated and badly named ones included.
    pub fn tags(&self) -> &[Tag<'a>] {
        &self.tags
    }

    /// The problems kept, in order.
    pub fn problems(&self) -> &[Problem<'a>] {
        &self.problems
    }

    /// Problems found after [`MAX_PROBLEMS`] were kept.
    pub fn problems_not_kept(&self) -> usize {
        self.problems_not_kept
    }

    /// Non-empty parts after [`MAX_TAGS`] tags, which were not read.
    pub fn tags_not_read(&self) -> usize {
        self.tags_not_read
    }

    /// How many `;`-separated parts the input has (1 without a `;`).
    pub fn parts(&self) -> usize {
        self.parts
    }

    /// Whether something was left out: tags not read or problems not kept.
    pub fn truncated(&self) -> bool {
        self.tags_not_read > 0 || self.problems_not_kept > 0
    }

    /// The first tag named exactly `name`.
    pub fn get(&self, name: &str) -> Option<&Tag<'a>> {
        self.tags.iter().find(|t| t.name == name)
    }

    /// The tags of a DNS record (a DKIM key record, a DMARC record) in
    /// order, as those readers take them: empty parts are skipped, badly
    /// named and repeated tags read like any other, a part without `=` is
    /// the error, and a list not read whole (past [`MAX_TAGS`] tags or
    /// [`MAX_PROBLEMS`] problems) ends in an error rather than being used in
    /// part. The caller stops at the first error.
    pub fn record_tags(&self) -> impl Iterator<Item = Result<Tag<'a>, String>> + '_ {
        let rest = self.truncated().then(|| {
            Err(format!(
                "the record has more than {MAX_TAGS} tags or {MAX_PROBLEMS} malformed ones; it is not read"
            ))
        });
        self.items()
            .filter_map(|item| match item {
                Item::Tag(tag) => Some(Ok(tag)),
                Item::Problem(p) if p.kind == ProblemKind::NoEquals => {
                    Some(Err(format!("not a tag=value pair: {:?}", p.text)))
                }
                Item::Problem(_) => None,
            })
            .chain(rest)
    }

    /// Tags and problems merged in input order (a problem before the tag it
    /// is about).
    pub fn items(&self) -> impl Iterator<Item = Item<'a>> + '_ {
        let mut tags = self.tags.iter().peekable();
        let mut problems = self.problems.iter().peekable();
        std::iter::from_fn(move || match (problems.peek(), tags.peek()) {
            (Some(p), Some(t)) if p.index > t.index => tags.next().copied().map(Item::Tag),
            (Some(_), _) => problems.next().copied().map(Item::Problem),
            (None, _) => tags.next().copied().map(Item::Tag),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(list: &TagList<'_>) -> Vec<ProblemKind> {
        list.problems().iter().map(|p| p.kind).collect()
    }

    #[test]
    fn names_values_and_offsets_point_into_the_input() {
        let input = " v=1;\r\n\tbh = AB\r\n CD ;d=x.test;";
        let list = TagList::parse(input);
        assert!(list.problems().is_empty(), "{:?}", list.problems());
        let got: Vec<(&str, &str, usize)> = list
            .tags()
            .iter()
            .map(|t| (t.name, t.value, t.index))
            .collect();
        assert_eq!(
            got,
            vec![("v", "1", 0), ("bh", "AB\r\n CD", 1), ("d", "x.test", 2)]
        );
        for t in list.tags() {
            assert_eq!(input.get(t.at..t.at + t.name.len()), Some(t.name));
            assert_eq!(input.get(t.at..t.at + t.text.len()), Some(t.text));
            assert_eq!(
                input.get(t.value_at..t.value_at + t.value.len()),
                Some(t.value)
            );
        }
        let bh = list.get("bh").unwrap();
        assert_eq!((bh.at, bh.value_at), (8, 13));
        assert_eq!(bh.text, "bh = AB\r\n CD");
        assert_eq!(list.parts(), 4);
    }

    #[test]
    fn an_empty_value_and_an_empty_list_are_not_problems() {
        let list = TagList::parse("p=");
        assert_eq!(list.get("p").map(|t| t.value), Some(""));
        assert!(list.problems().is_empty());
        let empty = TagList::parse("");
        assert!(empty.tags().is_empty() && empty.problems().is_empty());
        assert_eq!(empty.parts(), 1);
        // One trailing ";" (with white space after it) is allowed.
        assert!(TagList::parse("a=1; \r\n ").problems().is_empty());
    }

    #[test]
    fn each_problem_is_named_with_its_place() {
        let input = "; a=1;; b ; 1x=2 ; =3; c-d=4; a=5";
        let list = TagList::parse(input);
        assert_eq!(
            kinds(&list),
            vec![
                ProblemKind::Empty,
                ProblemKind::Empty,
                ProblemKind::NoEquals,
                ProblemKind::BadName,
                ProblemKind::BadName,
                ProblemKind::BadName,
                ProblemKind::Repeated,
            ]
        );
        let p = list.problems();
        assert_eq!((p[0].at, p[0].index), (0, 0));
        assert_eq!((p[1].at, p[1].index), (6, 2));
        assert_eq!((p[2].text, p[2].at, p[2].index), ("b", 8, 3));
        assert_eq!((p[3].text, p[3].name, p[3].at), ("1x=2", "1x", 12));
        assert_eq!((p[4].text, p[4].name), ("=3", ""));
        assert_eq!((p[5].text, p[5].name), ("c-d=4", "c-d"));
        assert_eq!((p[6].text, p[6].name, p[6].index), ("a=5", "a", 7));
        // Badly named and repeated tags are still listed, flagged.
        let flags: Vec<(&str, bool, bool)> = list
            .tags()
            .iter()
            .map(|t| (t.name, t.valid_name, t.repeated))
            .collect();
        assert_eq!(
            flags,
            vec![
                ("a", true, false),
                ("1x", false, false),
                ("", false, false),
                ("c-d", false, false),
                ("a", true, true),
            ]
        );
        // The first of a repeated name is the one found.
        assert_eq!(list.get("a").map(|t| t.value), Some("1"));
    }

    #[test]
    fn names_are_case_sensitive_so_a_and_capital_a_are_not_repeats() {
        let list = TagList::parse("a=1; A=2");
        assert!(list.problems().is_empty());
    }

    #[test]
    fn items_merge_tags_and_problems_in_input_order() {
        let list = TagList::parse("a=1; junk; a=2;; b=3");
        let order: Vec<String> = list
            .items()
            .map(|item| match item {
                Item::Tag(t) => format!("tag {}", t.text),
                Item::Problem(p) => format!("{:?} {}", p.kind, p.text),
            })
            .collect();
        assert_eq!(
            order,
            vec![
                "tag a=1",
                "NoEquals junk",
                "Repeated a=2",
                "tag a=2",
                "Empty ",
                "tag b=3"
            ]
        );
    }

    /// Issue 19 item 1: a list is bounded whatever its length: 64 tags are
    /// kept, the rest counted unread, and repeats beyond them not looked for.
    #[test]
    fn only_the_first_64_tags_are_read_and_the_rest_counted() {
        let mut input = String::new();
        for n in 0..MAX_TAGS + 10 {
            input.push_str(&format!("t{n}=1; "));
        }
        input.push_str("t0=again; ;");
        let list = TagList::parse(&input);
        assert_eq!(list.tags().len(), MAX_TAGS);
        assert_eq!(list.tags().last().map(|t| t.name), Some("t63"));
        assert_eq!(list.tags_not_read(), 11);
        assert!(list.truncated());
        assert!(list.problems().is_empty(), "{:?}", list.problems());
        assert!(list.get("t64").is_none());
    }

    #[test]
    fn at_most_32_problems_are_kept_and_the_rest_counted() {
        let input = "x; ".repeat(MAX_PROBLEMS + 5) + "a=1";
        let list = TagList::parse(&input);
        assert_eq!(list.problems().len(), MAX_PROBLEMS);
        assert_eq!(list.problems_not_kept(), 5);
        assert!(list.truncated());
        assert_eq!(list.get("a").map(|t| t.value), Some("1"));
    }

    #[test]
    fn record_tags_skip_empty_parts_and_stop_at_a_part_without_equals() {
        let list = TagList::parse("; a=1;; 2b=2; a=3; junk; c=4");
        let got: Vec<Result<&str, String>> =
            list.record_tags().map(|t| t.map(|t| t.text)).collect();
        assert_eq!(
            got,
            vec![
                Ok("a=1"),
                Ok("2b=2"),
                Ok("a=3"),
                Err("not a tag=value pair: \"junk\"".to_string()),
                Ok("c=4"),
            ]
        );
        // A list not read whole ends in an error after what was read.
        let long = "a=1; ".repeat(MAX_TAGS + 1);
        let list = TagList::parse(&long);
        let last = list.record_tags().last().unwrap();
        assert!(last.unwrap_err().contains("more than 64 tags"));
        assert_eq!(list.record_tags().count(), MAX_TAGS + 1);
    }

    #[test]
    fn unicode_and_odd_bytes_never_split_a_character() {
        for input in [
            "é=ü; ü",
            "a=\u{a0}x\u{a0}; ;;",
            "\u{3000}=;",
            "=",
            ";",
            "a=b=c",
        ] {
            let list = TagList::parse(input);
            for t in list.tags() {
                assert_eq!(input.get(t.at..t.at + t.text.len()), Some(t.text));
                assert_eq!(
                    input.get(t.value_at..t.value_at + t.value.len()),
                    Some(t.value)
                );
            }
        }
        assert_eq!(
            TagList::parse("a=b=c").get("a").map(|t| t.value),
            Some("b=c")
        );
    }
}
