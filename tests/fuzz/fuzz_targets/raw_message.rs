//! The message as the signature checks see it (`raw_message`: paste repair,
//! header split, body), and the plain split of the same bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let message = todoku_core::raw_message(data);
    for field in message.fields() {
        let _ = field.value();
    }
    let plain = todoku_core::input::message::split(data);
    for field in plain.fields() {
        let _ = field.value();
    }
});
