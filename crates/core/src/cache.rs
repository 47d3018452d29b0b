//! A small read cache for public read models (home page, member lists,
//! organisation pages), so the busiest pages do not run the same queries for
//! every visitor.
//!
//! An entry is valid while no write transaction has committed in this process
//! since it was computed ([`maillage_db::write_generation`]) and for at most
//! [`TTL`], which bounds staleness when another process writes (the CLI, or
//! another instance on PostgreSQL). Only data that is the same for every
//! viewer may go here: never anything filtered by permissions.

use std::{
    collections::HashMap,
    future::Future,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use crate::CoreResult;

pub const TTL: Duration = Duration::from_secs(5);
/// Entries kept at most per cache (distinct filters…); the oldest go first.
const MAX_ENTRIES: usize = 256;

struct Entry<T> {
    generation: u64,
    at: Instant,
    value: Arc<T>,
}

pub struct Memo<T> {
    entries: Mutex<HashMap<String, Entry<T>>>,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<T> Memo<T> {
    /// The cached value for `key`, or `compute`'s, stored for next time.
    pub async fn get_or_compute<F, Fut>(&self, key: &str, compute: F) -> CoreResult<Arc<T>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = CoreResult<T>>,
    {
        // Read the generation *before* computing: a write that commits during
        // the computation makes the stored entry stale at once.
        let generation = maillage_db::write_generation();
        if let Some(e) = self.lock().get(key)
            && e.generation == generation
            && e.at.elapsed() < TTL
        {
            return Ok(e.value.clone());
        }
        let value = Arc::new(compute().await?);
        let mut entries = self.lock();
        if entries.len() >= MAX_ENTRIES
            && let Some(oldest) = entries.iter().min_by_key(|(_, e)| e.at).map(|(k, _)| k.clone())
        {
            entries.remove(&oldest);
        }
        entries.insert(
            key.to_owned(),
            Entry {
                generation,
                at: Instant::now(),
                value: value.clone(),
            },
        );
        Ok(value)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry<T>>> {
        // A panic while holding the lock leaves a consistent map: reuse it.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The caches of one installation (in `Ctx`).
#[derive(Default)]
pub struct Caches {
    pub network_name: Memo<String>,
    pub home: Memo<crate::network::Home>,
    pub recent_members: Memo<Vec<crate::organisations::Organisation>>,
    pub organisation_lists: Memo<crate::organisations::Page<crate::organisations::Organisation>>,
    pub organisations: Memo<crate::organisations::Organisation>,
    pub schools: Memo<Vec<crate::schools::School>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn recomputes_only_when_stale() {
        let memo: Memo<u32> = Memo::default();
        let calls = std::sync::atomic::AtomicU32::new(0);
        let compute =
            || async { Ok::<_, crate::CoreError>(calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1) };
        assert_eq!(*memo.get_or_compute("k", compute).await.unwrap(), 1);
        assert_eq!(*memo.get_or_compute("k", compute).await.unwrap(), 1, "not cached");
        assert_eq!(*memo.get_or_compute("other", compute).await.unwrap(), 2);
    }
}
