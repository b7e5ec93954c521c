//! Keeping the app's heap small: glibc's allocator holds on to memory that a burst of work freed
//! unless told to give it back. Elsewhere this does nothing.

/// Gives the heap's free pages back to the system.
pub(crate) fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: malloc_trim takes no pointer and only hands free pages back; it is thread-safe.
    unsafe {
        libc::malloc_trim(0);
    }
}
