//! Giving memory back. A big initial list leaves the allocator holding what the
//! decoded pages, the reflector's copies and the replaced rows used: tens of MiB
//! on a 5,000-pod cluster that nothing uses any more but that glibc keeps resident.

/// Returns the allocator's free pages to the operating system. Cheap enough to run
/// after a large rebuild; a no-op where the allocator is not glibc's.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own free lists; it has no
    // preconditions and touches no memory the program still uses.
    unsafe {
        libc::malloc_trim(0);
    }
}
