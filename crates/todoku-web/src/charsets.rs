//! The browser's `TextDecoder` as the core's reader of the legacy CJK
//! charsets, so the page ships no decoding tables of its own.

use todoku_core::charset::{Charsets, Legacy};
use web_sys::{TextDecoder, TextDecoderOptions};

/// `TextDecoder` in fatal mode: malformed bytes are `None`, not U+FFFD.
#[derive(Debug, Default, Clone, Copy)]
pub struct BrowserCharsets;

impl Charsets for BrowserCharsets {
    fn decode(&self, charset: Legacy, bytes: &[u8]) -> Option<String> {
        let options = TextDecoderOptions::new();
        options.set_fatal(true);
        let decoder = TextDecoder::new_with_label_and_options(charset.name(), &options).ok()?;
        decoder.decode_with_u8_array(bytes).ok()
    }
}
