//! Random tokens, their hashes, and password hashing (argon2id).

use crate::AppError;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

/// A random token of 32 bytes as 64 hex characters.
pub(crate) fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("random source: {e}")))?;
    Ok(hex(&bytes))
}

/// SHA-256 of a high-entropy token (session ids, API tokens): fast to look up, and a leaked
/// table does not reveal usable tokens.
pub(crate) fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hasher(fast: bool) -> Argon2<'static> {
    if fast {
        // Tests only: the minimum parameters argon2 accepts, so suites stay quick.
        let params = argon2::Params::new(8, 1, 1, None).unwrap_or_default();
        Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
    } else {
        Argon2::default()
    }
}

pub(crate) fn hash_password(password: &str, fast: bool) -> Result<String, AppError> {
    hasher(fast)
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing: {e}")))
}

pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A password the user can type: 16 characters without look-alikes (0/O, 1/l/I).
pub(crate) fn generated_password() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("random source: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn password_hashes_verify_and_reject_wrong_passwords() {
        let hash = hash_password("doğru parola", true).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("doğru parola", &hash));
        assert!(!verify_password("yanlış parola", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let a = random_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token().unwrap());
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_eq!(generated_password().unwrap().len(), 16);
    }
}
