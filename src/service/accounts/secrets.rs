//! Random secrets, their digests, and password hashes.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

use crate::service::error::ServiceError;

/// `bytes` random bytes from the operating system, as lowercase hex.
pub fn random_hex(bytes: usize) -> Result<String, ServiceError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf)
        .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("no randomness: {e}")))?;
    Ok(hex(&buf))
}

/// Characters of one-time passwords: no 0/O, 1/l/I, so they can be read out and typed.
const READABLE: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A one-time password of `len` readable characters (about 5.8 bits each).
pub fn readable_password(len: usize) -> Result<String, ServiceError> {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let mut buf = [0u8; 64];
        getrandom::fill(&mut buf)
            .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("no randomness: {e}")))?;
        // Rejection sampling keeps every character equally likely.
        let limit = (256 / READABLE.len() * READABLE.len()) as u8;
        for b in buf.into_iter().filter(|b| *b < limit) {
            if out.len() == len {
                break;
            }
            out.push(char::from(READABLE[usize::from(b) % READABLE.len()]));
        }
    }
    Ok(out)
}

/// SHA-256 of a secret, as lowercase hex: what is stored for session ids and API tokens.
/// They are long random values, so a fast hash suffices (nothing to brute-force).
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Whether two secrets are equal, in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// An Argon2id PHC string (m = 19 MiB, t = 2, p = 1: the OWASP minimum the crate defaults to).
pub fn hash_password(password: &str) -> Result<String, ServiceError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash: PasswordHash| hash.to_string())
        .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("Failed to hash a password: {e}")))
}

/// Whether `password` matches the stored PHC string. A corrupt string never matches.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a password nobody has, verified against when a username does not exist so
/// that a wrong username takes as long as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password for unknown usernames").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let stored = hash_password("correct horse battery").expect("hash");
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify_password("correct horse battery", &stored));
        assert!(!verify_password("correct horse batterz", &stored));
        assert!(!verify_password(
            "correct horse battery",
            "not a phc string"
        ));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        assert_ne!(
            hash_password("same").expect("hash"),
            hash_password("same").expect("hash")
        );
    }

    #[test]
    fn random_secrets_are_long_distinct_and_readable() {
        let a = random_hex(32).expect("random");
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_hex(32).expect("random"));
        let p = readable_password(20).expect("random");
        assert_eq!(p.chars().count(), 20);
        assert!(p.bytes().all(|b| READABLE.contains(&b)), "{p}");
    }

    #[test]
    fn digests_are_stable_and_secrets_compare_exactly() {
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
