//! The browser's WebCrypto as the core's signature verifier, so the page
//! ships no RSA or Ed25519 arithmetic of its own.

use js_sys::{Array, Object, Reflect, Uint8Array};
use todoku_core::auth::dkim::key::{Hash, KeyType, Signatures, Verifying};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

/// `crypto.subtle` of the page or worker.
fn subtle() -> Result<SubtleCrypto, String> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
        .ok()
        .and_then(|c| c.dyn_into::<web_sys::Crypto>().ok())
        .ok_or("WebCrypto is not available here")?;
    Ok(crypto.subtle())
}

fn algorithm(key_type: KeyType, hash: Hash) -> Result<Object, String> {
    let o = Object::new();
    let set = |k: &str, v: &str| {
        Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v))
            .map(|_| ())
            .map_err(|_| "cannot build the WebCrypto algorithm".to_string())
    };
    match key_type {
        KeyType::Rsa => {
            set("name", "RSASSA-PKCS1-v1_5")?;
            set(
                "hash",
                match hash {
                    Hash::Sha1 => "SHA-1",
                    Hash::Sha256 => "SHA-256",
                },
            )?;
        }
        KeyType::Ed25519 => set("name", "Ed25519")?,
    }
    Ok(o)
}

fn message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| "unknown error".to_string())
}

/// Verification with `crypto.subtle`: RSASSA-PKCS1-v1_5 (SHA-1/SHA-256) and
/// Ed25519. A key WebCrypto refuses is an `Err` with its message.
#[derive(Debug, Default, Clone, Copy)]
pub struct WebCrypto;

impl WebCrypto {
    async fn run(
        key_type: KeyType,
        hash: Hash,
        public: &[u8],
        data: &[u8],
        signature: &[u8],
    ) -> Result<bool, String> {
        let subtle = subtle()?;
        let algorithm = algorithm(key_type, hash)?;
        let format = match key_type {
            KeyType::Rsa => "spki",
            KeyType::Ed25519 => "raw",
        };
        let usages = Array::of1(&JsValue::from_str("verify"));
        let key_data = Uint8Array::from(public);
        let import = subtle
            .import_key_with_object(format, &key_data, &algorithm, false, &usages)
            .map_err(|e| message(&e))?;
        let key: CryptoKey = JsFuture::from(import)
            .await
            .map_err(|e| format!("the key cannot be used: {}", message(&e)))?
            .dyn_into()
            .map_err(|_| "WebCrypto returned no key".to_string())?;
        let verify = subtle
            .verify_with_object_and_u8_array_and_u8_array(&algorithm, &key, signature, data)
            .map_err(|e| message(&e))?;
        let valid = JsFuture::from(verify)
            .await
            .map_err(|e| format!("verification failed: {}", message(&e)))?;
        Ok(valid.as_bool() == Some(true))
    }
}

impl Signatures for WebCrypto {
    fn verify<'a>(
        &'a self,
        key_type: KeyType,
        hash: Hash,
        public: &'a [u8],
        message: &'a [u8],
        signature: &'a [u8],
    ) -> Verifying<'a> {
        Box::pin(WebCrypto::run(key_type, hash, public, message, signature))
    }
}
