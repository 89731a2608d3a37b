//! DKIM key records (RFC 6376 section 3.6.1) and the signature crypto.

use serde::Serialize;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::future::Future;
use std::pin::Pin;

use crate::header::tags::TagList;

/// The key algorithm (`k=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum KeyType {
    /// RSA (the default).
    Rsa,
    /// Ed25519 (RFC 8463).
    Ed25519,
}

/// A parsed key record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KeyRecord {
    /// `k=`.
    pub key_type: KeyType,
    /// `h=`: acceptable hash algorithms; empty means any.
    pub hashes: Vec<String>,
    /// `t=y`: the domain is testing DKIM.
    pub testing: bool,
    /// `t=s`: `i=` must be exactly `d=`, not a subdomain.
    pub strict_identity: bool,
    /// `p=` was empty: the key is revoked.
    pub revoked: bool,
    /// RSA modulus size in bits (0 for Ed25519 or a revoked key).
    pub bits: usize,
    /// `s=` allows email (`*` or `email`).
    pub for_email: bool,
    /// The public key as the verifiers take it: for RSA a
    /// SubjectPublicKeyInfo (a bare RSAPublicKey in `p=` is wrapped in one),
    /// for Ed25519 the 32 raw bytes.
    #[serde(skip)]
    pub public: Vec<u8>,
}

/// Parse a key record; the error says what is wrong, quoting it.
pub fn parse(text: &str) -> Result<KeyRecord, String> {
    let mut record = KeyRecord {
        key_type: KeyType::Rsa,
        hashes: Vec::new(),
        testing: false,
        strict_identity: false,
        revoked: false,
        bits: 0,
        for_email: true,
        public: Vec::new(),
    };
    let mut p = None;
    let list = TagList::parse(text);
    // The last of a name counts.
    for tag in list.record_tags() {
        let tag = tag?;
        let (name, value) = (tag.name, tag.value);
        match name {
            "v" => {
                if tag.index != 0 || value != "DKIM1" {
                    return Err(format!("v= must be first and \"DKIM1\": {:?}", tag.text));
                }
            }
            "k" => {
                record.key_type = match value.to_ascii_lowercase().as_str() {
                    "rsa" => KeyType::Rsa,
                    "ed25519" => KeyType::Ed25519,
                    _ => return Err(format!("unknown key type k={value}")),
                }
            }
            "h" => {
                record.hashes = value
                    .split(':')
                    .map(|h| h.trim().to_ascii_lowercase())
                    .collect();
            }
            "t" => {
                for flag in value.split(':').map(str::trim) {
                    match flag {
                        "y" => record.testing = true,
                        "s" => record.strict_identity = true,
                        _ => {}
                    }
                }
            }
            "s" => {
                record.for_email = value.split(':').any(|s| matches!(s.trim(), "*" | "email"));
            }
            "p" => {
                let b64: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                p = Some(b64);
            }
            _ => {}
        }
    }
    let Some(p) = p else {
        return Err("the record has no p= (public key) tag".to_string());
    };
    if p.is_empty() {
        record.revoked = true;
        return Ok(record);
    }
    record.public = crate::header::base64::decode(p.as_bytes())
        .ok_or_else(|| format!("p= is not valid base64: {:?}", truncate(&p)))?;
    match record.key_type {
        KeyType::Rsa => {
            let (spki, modulus_bytes) = rsa_key(&record.public)?;
            record.public = spki;
            record.bits = modulus_bytes * 8;
        }
        KeyType::Ed25519 => {
            if record.public.len() != 32 {
                return Err(format!(
                    "an Ed25519 key is 32 bytes, this one is {}",
                    record.public.len()
                ));
            }
        }
    }
    Ok(record)
}

fn truncate(text: &str) -> String {
    text.chars().take(40).collect()
}

/// One DER element: (tag, contents, the rest after it).
fn der(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = match first {
        0..=0x7f => (usize::from(first), rest),
        0x81..=0x84 => {
            let n = usize::from(first & 0x7f);
            let bytes = rest.get(..n)?;
            let len = bytes
                .iter()
                .fold(0usize, |acc, &b| acc << 8 | usize::from(b));
            (len, rest.get(n..)?)
        }
        _ => return None,
    };
    Some((tag, rest.get(..len)?, rest.get(len..)?))
}

/// The modulus size in bytes of an RSAPublicKey (SEQUENCE of the modulus
/// and the exponent, both positive INTEGERs), with nothing after it.
fn rsa_public_key(der_bytes: &[u8]) -> Option<usize> {
    let (0x30, body, []) = der(der_bytes)? else {
        return None;
    };
    let (0x02, n, rest) = der(body)? else {
        return None;
    };
    let (0x02, e, []) = der(rest)? else {
        return None;
    };
    let significant = |x: &[u8]| x.iter().skip_while(|&&b| b == 0).count();
    let positive = |x: &[u8]| x.first().is_some_and(|&b| b & 0x80 == 0);
    (positive(n) && positive(e) && significant(e) > 0).then(|| significant(n))
}

/// rsaEncryption (1.2.840.113549.1.1.1) with its NULL parameters.
const RSA_ALGORITHM: [u8; 15] = [
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];

/// A DER length field: short form under 128, else 0x80 + the number of
/// length bytes, then the length in as few bytes as it needs.
fn der_len(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
        return;
    }
    let bytes = len.to_be_bytes();
    let significant: Vec<u8> = bytes.iter().copied().skip_while(|&b| b == 0).collect();
    out.push(0x80 | significant.len() as u8);
    out.extend_from_slice(&significant);
}

/// SubjectPublicKeyInfo (what RFC 6376 specifies) or a bare RSAPublicKey:
/// the key as a SubjectPublicKeyInfo, and its modulus size in bytes.
fn rsa_key(der_bytes: &[u8]) -> Result<(Vec<u8>, usize), String> {
    let not_rsa = || {
        "p= is not an RSA public key (neither SubjectPublicKeyInfo nor RSAPublicKey)".to_string()
    };
    // SEQUENCE { AlgorithmIdentifier, BIT STRING { 0 unused bits, RSAPublicKey } }
    let spki = der(der_bytes).and_then(|(tag, body, rest)| {
        let (0x30, []) = (tag, rest) else {
            return None;
        };
        let algorithm = body.get(..RSA_ALGORITHM.len())?;
        let (0x03, bits, []) = der(body.get(RSA_ALGORITHM.len()..)?)? else {
            return None;
        };
        let (&0, key) = bits.split_first()? else {
            return None;
        };
        (algorithm == RSA_ALGORITHM)
            .then(|| rsa_public_key(key))
            .flatten()
    });
    if let Some(size) = spki {
        return Ok((der_bytes.to_vec(), size));
    }
    let size = rsa_public_key(der_bytes).ok_or_else(not_rsa)?;
    let mut bit_string = vec![0x03];
    der_len(der_bytes.len() + 1, &mut bit_string);
    bit_string.push(0);
    bit_string.extend_from_slice(der_bytes);
    let mut out = vec![0x30];
    der_len(RSA_ALGORITHM.len() + bit_string.len(), &mut out);
    out.extend_from_slice(&RSA_ALGORITHM);
    out.extend_from_slice(&bit_string);
    Ok((out, size))
}

/// The hash in `a=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    /// SHA-1 (obsolete, RFC 8301).
    Sha1,
    /// SHA-256.
    Sha256,
}

impl Hash {
    /// Hash bytes.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => Sha1::digest(data).to_vec(),
            Hash::Sha256 => Sha256::digest(data).to_vec(),
        }
    }

    /// The name in `h=` of a key record.
    pub fn name(self) -> &'static str {
        match self {
            Hash::Sha1 => "sha1",
            Hash::Sha256 => "sha256",
        }
    }
}

/// Split `a=` into key type and hash.
pub fn algorithm(a: &str) -> Option<(KeyType, Hash)> {
    match a.trim().to_ascii_lowercase().as_str() {
        "rsa-sha256" => Some((KeyType::Rsa, Hash::Sha256)),
        "rsa-sha1" => Some((KeyType::Rsa, Hash::Sha1)),
        "ed25519-sha256" => Some((KeyType::Ed25519, Hash::Sha256)),
        _ => None,
    }
}

/// A verification in progress: `Ok(valid)`, or `Err` when the backend
/// could not use the key at all.
pub type Verifying<'a> = Pin<Box<dyn Future<Output = Result<bool, String>> + 'a>>;

/// Signature verification, supplied by the caller: the pure-Rust
/// [`Builtin`] (feature `crypto`: the CLI, the tests) or the browser's
/// WebCrypto (in `todoku-web`), which keeps the page free of big-number
/// and curve arithmetic.
pub trait Signatures {
    /// Verify `signature` over `message` with `public` (see
    /// [`KeyRecord::public`]): RSASSA-PKCS1-v1_5 with `hash` for RSA, plain
    /// Ed25519 (the message is then already a SHA-256 hash, RFC 8463).
    fn verify<'a>(
        &'a self,
        key_type: KeyType,
        hash: Hash,
        public: &'a [u8],
        message: &'a [u8],
        signature: &'a [u8],
    ) -> Verifying<'a>;

    /// The largest RSA modulus, in bits, this verifier can check. A larger
    /// key is not broken (RFC 8301 asks verifiers for 1024 to 4096 bits and
    /// allows more): signatures made with it are left unchecked.
    fn max_rsa_bits(&self) -> usize {
        usize::MAX
    }
}

/// No verifier: every signature is unverifiable (`Err`).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoSignatures;

impl Signatures for NoSignatures {
    fn verify<'a>(
        &'a self,
        _: KeyType,
        _: Hash,
        _: &'a [u8],
        _: &'a [u8],
        _: &'a [u8],
    ) -> Verifying<'a> {
        Box::pin(std::future::ready(Err(
            "no signature verifier in this build".to_string(),
        )))
    }
}

/// RustCrypto's `rsa` and `ed25519-dalek`.
#[cfg(feature = "crypto")]
#[derive(Debug, Default, Clone, Copy)]
pub struct Builtin;

#[cfg(feature = "crypto")]
impl Signatures for Builtin {
    fn verify<'a>(
        &'a self,
        key_type: KeyType,
        hash: Hash,
        public: &'a [u8],
        message: &'a [u8],
        signature: &'a [u8],
    ) -> Verifying<'a> {
        Box::pin(std::future::ready(builtin_verify(
            key_type, hash, public, message, signature,
        )))
    }

    /// RustCrypto's `rsa` refuses moduli over 4096 bits.
    fn max_rsa_bits(&self) -> usize {
        rsa::RsaPublicKey::MAX_SIZE
    }
}

#[cfg(feature = "crypto")]
fn builtin_verify(
    key_type: KeyType,
    hash: Hash,
    public: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<bool, String> {
    match key_type {
        KeyType::Rsa => {
            use rsa::pkcs8::DecodePublicKey;
            let key = rsa::RsaPublicKey::from_public_key_der(public)
                .map_err(|e| format!("the RSA key cannot be used ({e})"))?;
            let scheme = match hash {
                Hash::Sha1 => rsa::Pkcs1v15Sign::new::<Sha1>(),
                Hash::Sha256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
            };
            Ok(key.verify(scheme, &hash.digest(message), signature).is_ok())
        }
        KeyType::Ed25519 => {
            let bytes = <[u8; 32]>::try_from(public)
                .map_err(|_| "an Ed25519 key is 32 bytes".to_string())?;
            let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                .map_err(|_| "the Ed25519 key is not a curve point".to_string())?;
            let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
                return Ok(false);
            };
            Ok(key.verify_strict(message, &sig).is_ok())
        }
    }
}

/// The verifier [`crate::analyze_live`] uses: [`Builtin`] with the
/// `crypto` feature, else [`NoSignatures`].
pub fn builtin() -> &'static dyn Signatures {
    #[cfg(feature = "crypto")]
    {
        &Builtin
    }
    #[cfg(not(feature = "crypto"))]
    {
        &NoSignatures
    }
}

/// Verify `signature` over `data` (the canonicalised header input).
pub async fn verify(
    signatures: &dyn Signatures,
    key: &KeyRecord,
    hash: Hash,
    data: &[u8],
    signature: &[u8],
) -> Result<bool, String> {
    // RFC 8463: Ed25519 signs the SHA-256 hash of the header input.
    let digest;
    let message = match key.key_type {
        KeyType::Rsa => data,
        KeyType::Ed25519 => {
            digest = hash.digest(data);
            &digest
        }
    };
    signatures
        .verify(key.key_type, hash, &key.public, message, signature)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoked_and_broken_records() {
        let revoked = parse("v=DKIM1; k=rsa; p=").unwrap();
        assert!(revoked.revoked);
        assert!(parse("v=DKIM2; p=AAAA").unwrap_err().contains("DKIM1"));
        assert!(parse("k=dsa; p=AAAA").unwrap_err().contains("k=dsa"));
        assert!(parse("v=DKIM1; k=rsa").unwrap_err().contains("no p="));
        assert!(parse("p=!!!").unwrap_err().contains("base64"));
    }

    #[test]
    fn tags_are_read_in_order_and_the_last_of_a_name_counts() {
        // The first error in the record's order is the one reported.
        assert!(
            parse("k=dsa; junk; p=AAAA")
                .unwrap_err()
                .contains("unknown key type k=dsa")
        );
        assert_eq!(
            parse("p=AAAA;; junk").unwrap_err(),
            "not a tag=value pair: \"junk\""
        );
        // v= must be the very first part, even after an empty one.
        assert_eq!(
            parse("; v=DKIM1; p=").unwrap_err(),
            "v= must be first and \"DKIM1\": \"v=DKIM1\""
        );
        // Repeated and oddly named tags are read, not refused.
        assert!(parse("v=DKIM1; p=AAAA; p=; x-note=1").unwrap().revoked);
    }

    /// Issue 19 item 1: a tag list is read to 64 tags at most; a longer key
    /// record is refused rather than read in part.
    #[test]
    fn a_record_with_more_than_64_tags_is_refused() {
        let mut text = String::from("v=DKIM1; k=rsa");
        for n in 0..100 {
            text.push_str(&format!("; n{n}=x"));
        }
        text.push_str("; p=");
        assert!(
            parse(&text).unwrap_err().contains("more than 64 tags"),
            "{:?}",
            parse(&text)
        );
    }

    #[test]
    fn ed25519_key_from_rfc8463() {
        let k =
            parse("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=").unwrap();
        assert_eq!(k.key_type, KeyType::Ed25519);
        assert_eq!(k.public.len(), 32);
    }

    /// An RSAPublicKey with a `bytes`-byte modulus and e = 65537, in DER.
    fn pkcs1(bytes: usize) -> Vec<u8> {
        let mut n = vec![0x00, 0xc0];
        n.extend(std::iter::repeat_n(0x5a, bytes - 2));
        n.push(0x01);
        let mut body = vec![0x02];
        der_len(n.len(), &mut body);
        body.extend_from_slice(&n);
        body.extend_from_slice(&[0x02, 0x03, 0x01, 0x00, 0x01]);
        let mut out = vec![0x30];
        der_len(body.len(), &mut out);
        out.extend_from_slice(&body);
        out
    }

    #[test]
    fn rsa_keys_in_either_form_become_one_subject_public_key_info() {
        for bytes in [64, 128, 256, 512] {
            let bare = pkcs1(bytes);
            let (spki, size) = rsa_key(&bare).unwrap();
            assert_eq!(size, bytes);
            // The wrapped form reads back the same, and RustCrypto agrees.
            assert_eq!(rsa_key(&spki).unwrap(), (spki.clone(), bytes));
            #[cfg(feature = "crypto")]
            {
                use rsa::pkcs8::DecodePublicKey;
                use rsa::traits::PublicKeyParts;
                let key = rsa::RsaPublicKey::from_public_key_der(&spki).unwrap();
                assert_eq!(key.size(), bytes);
            }
        }
        // Not RSA: garbage, trailing bytes, another algorithm's OID.
        assert!(rsa_key(b"\x30\x03\x02\x01\x01").is_err());
        let mut trailing = pkcs1(128);
        trailing.push(0);
        assert!(rsa_key(&trailing).is_err());
        let (mut spki, _) = rsa_key(&pkcs1(128)).unwrap();
        spki[14] ^= 1; // the OID's last byte
        assert!(rsa_key(&spki).is_err());
    }
}
