//! The compound file reader behind Outlook `.msg` files (issue 17): open,
//! walk every storage (each entry once), read every stream, then the
//! transport headers and their analysis. Errors are fine; a panic, a hang
//! or an allocation beyond the input's size is not.
#![no_main]
use libfuzzer_sys::fuzz_target;
use todoku_core::input::cfb::Cfb;

fuzz_target!(|data: &[u8]| {
    // Inputs without the signature get it, so every run reaches the reader.
    let mut bytes = todoku_core::input::cfb::SIGNATURE.to_vec();
    bytes.extend_from_slice(data.get(8..).unwrap_or_default());
    if let Ok(cfb) = Cfb::open(&bytes) {
        let mut storages = vec![cfb.root()];
        let mut seen = 0usize;
        while let Some(storage) = storages.pop() {
            for child in cfb.children(storage) {
                seen += 1;
                if seen > 10_000 {
                    break;
                }
                match cfb.entry(child).map(|e| e.kind) {
                    Some(1) => storages.push(child),
                    _ => {
                        let _ = cfb.stream(child, 1 << 20);
                    }
                }
            }
        }
    }
    let opened = todoku_core::open(&bytes, todoku_core::header::charset::builtin());
    if opened.problem.is_none() {
        let report = todoku_core::analyze(&bytes, 0);
        assert!(report.input.outlook.is_some());
    }
});
