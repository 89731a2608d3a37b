//! The browser's `TextDecoder` as the core's reader of charsets other than
//! UTF-8 (the legacy CJK ones, ISO-8859-x, windows-125x…), so the page ships
//! no decoding tables of its own.

use todoku_core::header::charset::{Charsets, Legacy};
use web_sys::{TextDecoder, TextDecoderOptions};

/// `TextDecoder`: fatal mode for the legacy charsets (malformed bytes are
/// `None`, not U+FFFD), replacement for any other label.
#[derive(Debug, Default, Clone, Copy)]
pub struct BrowserCharsets;

impl Charsets for BrowserCharsets {
    fn decode(&self, charset: Legacy, bytes: &[u8]) -> Option<String> {
        // Read in replacement mode first: a fatal decoder throws a TypeError
        // at a malformed byte, and the core tries four charsets on raw 8-bit
        // text, most of which fail. Those exceptions were most of the time
        // of a message with raw ISO-8859-1 in its header (corpus
        // stalwart-mail-parser/eml/legacy/009.eml: 75 us to analyse, now
        // 35 us; 12 us natively). Without U+FFFD the text is what fatal mode
        // gives; with it, the bytes were malformed, unless the charset can
        // hold U+FFFD itself.
        let text = TextDecoder::new_with_label(charset.name())
            .ok()?
            .decode_with_u8_array(bytes)
            .ok()?;
        if !text.contains(char::REPLACEMENT_CHARACTER) {
            return Some(text);
        }
        if !charset.encodes_replacement_character() {
            return None;
        }
        let options = TextDecoderOptions::new();
        options.set_fatal(true);
        let decoder = TextDecoder::new_with_label_and_options(charset.name(), &options).ok()?;
        decoder.decode_with_u8_array(bytes).ok()
    }

    fn decode_label(&self, label: &str, bytes: &[u8]) -> Option<String> {
        let decoder = TextDecoder::new_with_label(label.trim()).ok()?;
        decoder.decode_with_u8_array(bytes).ok()
    }
}
