//! Keeping the app's heap small: glibc's allocator holds on to memory that a burst of work freed
//! unless told to give it back. Elsewhere this does nothing.

use optout_cache::{Cache, Status};
use optout_hub::Hub;

/// Gives the heap's free pages back to the system.
pub(crate) fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: malloc_trim takes no pointer and only hands free pages back; it is thread-safe.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Once a sync has pulled changes, empties the page caches of the cache's connections and of
/// the embedded hub's (which served the changes), and gives the heap's free pages back to the
/// system: glibc keeps what a burst of work freed. Figures in `bench/RESULTS.md`, "Settings the
/// code chose by measuring".
pub(crate) async fn trim_after_pulls(
    cache: &Cache,
    hub: Option<&Hub>,
    mut status: tokio::sync::watch::Receiver<Status>,
) {
    let mut pulling = false;
    while status.changed().await.is_ok() {
        let pulled = std::mem::replace(&mut pulling, status.borrow_and_update().progress.is_some());
        if pulled && !pulling {
            let _ = cache.shrink_memory().await;
            if let Some(hub) = hub {
                let _ = hub.shrink_memory().await;
            }
            let _ = tokio::task::spawn_blocking(trim).await;
        }
    }
}
