//! DKIM key records (RFC 6376 section 3.6.1) and the signature crypto.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use serde::Serialize;
use sha1::Sha1;
use sha2::{Digest, Sha256};

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
    /// The public key bytes, decoded from base64.
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
    for (index, tag) in text.split(';').enumerate() {
        let tag = tag.trim();
        if tag.is_empty() {
            continue;
        }
        let Some((name, value)) = tag.split_once('=') else {
            return Err(format!("not a tag=value pair: {tag:?}"));
        };
        let (name, value) = (name.trim(), value.trim());
        match name {
            "v" => {
                if index != 0 || value != "DKIM1" {
                    return Err(format!("v= must be first and \"DKIM1\": {tag:?}"));
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
    record.public = STANDARD
        .decode(p.as_bytes())
        .map_err(|_| format!("p= is not valid base64: {:?}", truncate(&p)))?;
    match record.key_type {
        KeyType::Rsa => {
            let key = rsa_key(&record.public)?;
            record.bits = key.size() * 8;
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

/// SubjectPublicKeyInfo (what RFC 6376 specifies) or a bare RSAPublicKey.
fn rsa_key(der: &[u8]) -> Result<rsa::RsaPublicKey, String> {
    rsa::RsaPublicKey::from_public_key_der(der)
        .or_else(|_| rsa::RsaPublicKey::from_pkcs1_der(der))
        .map_err(|e| format!("p= is not an RSA public key ({e})"))
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

/// Verify `signature` over `data` (the canonicalised header input).
pub fn verify(key: &KeyRecord, hash: Hash, data: &[u8], signature: &[u8]) -> bool {
    let digest = hash.digest(data);
    match key.key_type {
        KeyType::Rsa => {
            let Ok(public) = rsa_key(&key.public) else {
                return false;
            };
            let scheme = match hash {
                Hash::Sha1 => rsa::Pkcs1v15Sign::new::<Sha1>(),
                Hash::Sha256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
            };
            public.verify(scheme, &digest, signature).is_ok()
        }
        KeyType::Ed25519 => {
            let Ok(bytes) = <[u8; 32]>::try_from(key.public.as_slice()) else {
                return false;
            };
            let Ok(public) = ed25519_dalek::VerifyingKey::from_bytes(&bytes) else {
                return false;
            };
            let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
                return false;
            };
            // RFC 8463: Ed25519 signs the SHA-256 hash of the header input.
            public.verify_strict(&digest, &sig).is_ok()
        }
    }
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
    fn ed25519_key_from_rfc8463() {
        let k =
            parse("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=").unwrap();
        assert_eq!(k.key_type, KeyType::Ed25519);
        assert_eq!(k.public.len(), 32);
    }
}
