//! Random tokens, their hashes, HMAC signatures and password hashing.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// 32 random bytes, URL-safe base64 (43 characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source is unavailable");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored for a token: its SHA-256, hex. Tokens are 256-bit random,
/// so a fast hash is enough (no dictionary to attack).
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sign(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// Constant-time comparison of a signature.
pub fn verify(key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(message);
    mac.verify_slice(signature).is_ok()
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(s: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(s).ok()
}

/// At most this many Argon2id computations at once (each takes 19 MiB and a
/// core for tens of milliseconds): a burst of logins queues instead of
/// spawning hundreds of blocking threads and their memory.
fn argon2_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores * 2)
    })
}

/// Argon2id (password-auth defaults: m=19456 KiB, t=2, p=1), off the async
/// runtime: hashing takes tens of milliseconds on purpose.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    let _permit = argon2_permits().acquire().await?;
    Ok(tokio::task::spawn_blocking(move || password_auth::generate_hash(password)).await?)
}

pub async fn verify_password(password: String, hash: String) -> anyhow::Result<bool> {
    let _permit = argon2_permits().acquire().await?;
    Ok(tokio::task::spawn_blocking(move || password_auth::verify_password(password, &hash).is_ok()).await?)
}
