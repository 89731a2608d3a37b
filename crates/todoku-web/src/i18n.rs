//! The page's language: Japanese or English, from the browser's language,
//! switchable, remembered in localStorage. Every word comes from the core
//! (`todoku_core::wording::Ui` for the page's labels, the report's own
//! texts in both languages); this module only chooses the language.

use std::cell::Cell;

use todoku_core::wording::{Lang, Text, Ui};
use wasm_bindgen::prelude::*;
use web_sys::Element;

const STORAGE_LANG: &str = "todoku.lang";

thread_local! {
    static LANG: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// The current language.
pub fn lang() -> Lang {
    LANG.with(Cell::get)
}

/// The page word in the current language (the words are the core's
/// [`Ui`]: this crate has none of its own).
pub fn t(word: Ui) -> &'static str {
    word.get(lang())
}

/// Pick a core text in the current language.
pub fn pick(text: Text) -> &'static str {
    text.get(lang())
}

fn storage() -> Option<web_sys::Storage> {
    crate::dom::window().ok()?.local_storage().ok()?
}

/// Take the language the page is shown in (the root element's `lang`, which
/// [`set`] writes): the engine follows the choice the first module made.
pub fn adopt() {
    let tag = crate::dom::document()
        .ok()
        .and_then(|d| d.document_element())
        .and_then(|root| root.get_attribute("lang"));
    LANG.with(|l| l.set(tag.map_or(Lang::En, |t| Lang::from_tag(&t))));
}

/// The saved choice, else the browser's language.
pub fn initial() -> Lang {
    if let Some(saved) = storage().and_then(|s| s.get_item(STORAGE_LANG).ok().flatten()) {
        return Lang::from_tag(&saved);
    }
    crate::dom::window()
        .ok()
        .and_then(|w| w.navigator().language())
        .map_or(Lang::En, |tag| Lang::from_tag(&tag))
}

/// Switch to `lang`, remember it, and translate the page's static text
/// (elements with `data-i18n`).
pub fn set(lang: Lang) -> Result<(), JsValue> {
    LANG.with(|l| l.set(lang));
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_LANG, lang.tag());
    }
    let document = crate::dom::window()?
        .document()
        .ok_or_else(|| JsValue::from_str("no document"))?;
    if let Some(root) = document.document_element() {
        root.set_attribute("lang", lang.tag())?;
    }
    let nodes = document.query_selector_all("[data-i18n]")?;
    for i in 0..nodes.length() {
        let Some(node) = nodes.item(i) else {
            continue;
        };
        let element: Element = node.dyn_into()?;
        if let Some(word) = element
            .get_attribute("data-i18n")
            .and_then(|key| Ui::from_key(&key))
        {
            element.set_text_content(Some(word.get(lang)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use todoku_core::wording::Ui;

    /// Every `data-i18n` key in www/index.html is a core word; a typo
    /// would leave the element in English.
    #[test]
    fn every_data_i18n_key_is_a_core_word() {
        let html = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/index.html"),
        )
        .unwrap();
        let keys: Vec<&str> = html
            .split("data-i18n=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect();
        assert!(keys.len() >= 5, "{keys:?}");
        let unknown: Vec<_> = keys.iter().filter(|k| Ui::from_key(k).is_none()).collect();
        assert!(
            unknown.is_empty(),
            "data-i18n keys without a core word: {unknown:?}"
        );
    }

    /// Regression (issue 18): about 35 sentences and labels in the page's
    /// code bypassed the translation ("Recorded by the receiver", "Total
    /// transit time", table headings). The page's code holds no words:
    /// no string literal of three or more words outside comments and
    /// internal error values. (This file is also the first module's,
    /// todoku-web-shell: there the test reads that crate's code.)
    #[test]
    fn the_page_code_has_no_sentences_of_its_own() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rs"))
            // Backends, not the page: their strings are internal error values
            // and transport details carried as data (DnsFailure::Network).
            // api.rs: the JS API's rejections are for programmers calling
            // analyze() (docs/js-api.md), in English like the error values;
            // the page never shows them.
            .filter(|n| {
                ![
                    "dom.rs",
                    "webcrypto.rs",
                    "resolver.rs",
                    "charsets.rs",
                    "api.rs",
                ]
                .contains(&n.as_str())
            })
            .collect();
        names.sort();
        assert!(names.len() >= 3, "{names:?}");
        for name in &names {
            let code = std::fs::read_to_string(dir.join(name)).unwrap();
            let code = code.split("#[cfg(test)]").next().unwrap();
            for line in code.lines() {
                let line = line.trim();
                if line.starts_with("//") || line.contains("JsValue::from_str(\"") {
                    continue;
                }
                for (i, literal) in line.split('"').enumerate() {
                    let words = literal
                        .split(' ')
                        .filter(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_alphabetic()))
                        .count();
                    if i % 2 == 1 && words >= 3 {
                        found.push(format!("{name}: {literal}"));
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "words outside the core:\n{}",
            found.join("\n")
        );
    }
}
