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

/// Argon2id runs on a few dedicated threads (one per core), never on the
/// async runtime nor its blocking pool. Each run allocates 19 MiB, and the
/// allocator keeps freed blocks per thread: with tokio's blocking pool, a
/// burst of logins spread them over hundreds of threads and the server stayed
/// at ~700 MB. A fixed pool bounds both the CPU and that memory; a burst
/// queues.
fn argon2_pool() -> &'static std::sync::Mutex<std::sync::mpsc::Sender<Box<dyn FnOnce() + Send>>> {
    use std::sync::{Arc, Mutex, OnceLock, mpsc};
    type Job = Box<dyn FnOnce() + Send>;
    static POOL: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        for i in 0..threads {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock().unwrap_or_else(|e| e.into_inner()).recv() {
                            Ok(job) => job,
                            Err(_) => return,
                        };
                        job();
                    }
                })
                .expect("cannot start the password hashing threads");
        }
        Mutex::new(tx)
    })
}

/// How many password computations may wait or run at once; beyond, the
/// request is refused at once (`Busy`) rather than queued for minutes.
const ARGON2_QUEUE: usize = 64;
static ARGON2_IN_FLIGHT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The password threads are saturated: try again in a moment.
#[derive(Debug, thiserror::Error)]
#[error("trop de connexions simultanées")]
pub struct Busy;

async fn on_argon2_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    use std::sync::atomic::Ordering;
    struct Slot;
    impl Drop for Slot {
        fn drop(&mut self) {
            ARGON2_IN_FLIGHT.fetch_sub(1, Ordering::AcqRel);
        }
    }
    if ARGON2_IN_FLIGHT.fetch_add(1, Ordering::AcqRel) >= ARGON2_QUEUE {
        ARGON2_IN_FLIGHT.fetch_sub(1, Ordering::AcqRel);
        return Err(Busy.into());
    }
    let slot = Slot;
    let (done, result) = tokio::sync::oneshot::channel::<T>();
    argon2_pool()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .send(Box::new(move || {
            // The request gave up (timeout, client gone): skip the work.
            if !done.is_closed() {
                let _ = done.send(f());
            }
            drop(slot);
        }))
        .map_err(|_| anyhow::anyhow!("password hashing threads stopped"))?;
    Ok(result.await?)
}

/// Argon2id (password-auth defaults: m=19456 KiB, t=2, p=1): tens of
/// milliseconds on purpose, off the async runtime.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    on_argon2_thread(move || password_auth::generate_hash(password)).await
}

pub async fn verify_password(password: String, hash: String) -> anyhow::Result<bool> {
    on_argon2_thread(move || password_auth::verify_password(password, &hash).is_ok()).await
}
