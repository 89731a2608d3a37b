//! The core's top-level folders form a pipeline (input → header → trace →
//! recorded → auth → diagnose → report, with span and wording beside them):
//! no folder may import, through `crate::…` paths, a folder that imports it
//! back. A new cycle fails here with the folders and the lines that close it.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to: `src/auth/spf/mod.rs` → `auth`,
/// `src/span.rs` → `span`.
fn unit_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("file under src");
    let first = rel.components().next().expect("non-empty path");
    let name = first.as_os_str().to_string_lossy().into_owned();
    name.strip_suffix(".rs").map(str::to_owned).unwrap_or(name)
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The first path segments named after `crate::` in one line of code, with
/// grouped imports (`use crate::{a::b, c};`) split into their members.
fn crate_targets(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let before_ok = at == 0 || !rest[..at].chars().next_back().is_some_and(is_ident);
        let after = &rest[at + "crate::".len()..];
        if before_ok {
            if let Some(group) = after.strip_prefix('{') {
                let mut depth = 0usize;
                let mut member = String::new();
                let mut at_start = true;
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => at_start = true,
                        c if at_start && is_ident(c) => member.push(c),
                        c if at_start && !member.is_empty() && !is_ident(c) => {
                            out.push(std::mem::take(&mut member));
                            at_start = false;
                        }
                        _ => {}
                    }
                }
                if !member.is_empty() {
                    out.push(member);
                }
            } else {
                let name: String = after.chars().take_while(|&c| is_ident(c)).collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        }
        rest = after;
    }
    out
}

/// `pub use report::{Report, …};` in lib.rs: the root names and the module
/// they come from, so `crate::Report` counts as a use of `report`.
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let text = lib.replace('\n', " ");
    for stmt in text.split(';') {
        let Some(path) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, names)) = path.split_once("::") else {
            continue;
        };
        let names = names.trim().trim_start_matches('{').trim_end_matches('}');
        for name in names.split(',') {
            let name = name.trim().rsplit("::").next().unwrap_or("").trim();
            if !name.is_empty() {
                map.insert(name.to_owned(), module.trim().to_owned());
            }
        }
    }
    map
}

#[test]
fn top_level_folders_import_each_other_without_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let lib = fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let reexports = root_reexports(&lib);
    let units: BTreeSet<String> = files.iter().map(|f| unit_of(&src, f)).collect();
    assert!(
        units.len() >= 8,
        "the layout has its stage folders: {units:?}"
    );

    // edges[a][b] = the first line in `a` that uses `b`.
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for file in &files {
        let from = unit_of(&src, file);
        if from == "lib" {
            continue;
        }
        let text = fs::read_to_string(file).expect("source file");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for target in crate_targets(code) {
                let to = reexports.get(&target).cloned().unwrap_or(target);
                if to != from && units.contains(&to) {
                    let place = format!(
                        "{}:{}",
                        file.strip_prefix(&src).unwrap_or(file).display(),
                        n + 1
                    );
                    edges
                        .entry(from.clone())
                        .or_default()
                        .entry(to)
                        .or_insert(place);
                }
            }
        }
    }
    for (from, tos) in &edges {
        println!("layout {from} -> {:?}", tos.keys().collect::<Vec<_>>());
    }

    // A cycle exists if some unit reaches itself: report every such pair.
    let reach = |start: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start.to_owned()];
        while let Some(u) = stack.pop() {
            for v in edges.get(&u).map(|m| m.keys()).into_iter().flatten() {
                if seen.insert(v.clone()) {
                    stack.push(v.clone());
                }
            }
        }
        seen
    };
    let mut cycles = Vec::new();
    for (from, tos) in &edges {
        for (to, place) in tos {
            if reach(to).contains(from) {
                cycles.push(format!(
                    "{from} -> {to} ({place}) and {to} reaches {from} back"
                ));
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "import cycles between top-level folders:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_reader_finds_grouped_and_plain_crate_paths() {
    assert_eq!(crate_targets("use crate::span::Span;"), vec!["span"]);
    assert_eq!(
        crate_targets("use crate::{auth::dns::Resolver, report::{Report, Auth}, Span};"),
        vec!["auth", "report", "Span"]
    );
    assert_eq!(
        crate_targets("let x = crate::header::text::likely_aligned(a, b);"),
        vec!["header"]
    );
    assert!(crate_targets("let krate::x = 1; // notcrate::y").len() <= 1);
    assert!(crate_targets("notcrate::y").is_empty());
    let map = root_reexports("pub use report::{\n Auth, Report,\n};\npub use span::Span;");
    assert_eq!(map.get("Report").map(String::as_str), Some("report"));
    assert_eq!(map.get("Span").map(String::as_str), Some("span"));
}
