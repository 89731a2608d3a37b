//! DKIM key records (RFC 6376 3.6.1) and the DER reader behind `p=`; each
//! key that parses is used to verify a signature. The first byte chooses
//! how the rest is read: as the record text, or as the raw DER bytes of an
//! RSA key put into `v=DKIM1; k=rsa; p=<base64>` (so the DER reader sees
//! the fuzzer's bytes directly).
#![no_main]
use libfuzzer_sys::fuzz_target;
use todoku_core::auth::dkim::key::{self, Hash, KeyType};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = if mode & 1 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        format!("v=DKIM1; k=rsa; p={}", todoku_fuzz::base64(rest))
    };
    let Ok(record) = key::parse(&text) else {
        return;
    };
    if record.revoked {
        return;
    }
    match record.key_type {
        KeyType::Ed25519 => assert_eq!(record.public.len(), 32),
        // What the reader accepts reads back the same from its own output.
        KeyType::Rsa => {
            let again = key::parse(&format!("p={}", todoku_fuzz::base64(&record.public)))
                .expect("a key the reader wrote reads back");
            assert_eq!(
                (again.public.as_slice(), again.bits),
                (record.public.as_slice(), record.bits)
            );
        }
    }
    let signature = rest.get(..record.bits / 8).unwrap_or(rest);
    let _ = todoku_fuzz::block_on(key::verify(
        key::builtin(),
        &record,
        Hash::Sha256,
        b"from:x\r\n",
        signature,
    ));
});
