//! The allocator, and giving memory back.
//!
//! mimalloc rather than glibc's malloc: an initial list allocates tens of
//! thousands of small objects from several threads at once, where glibc's
//! per-thread arenas grow a page at a time (a page fault and an mprotect each)
//! and free slowly. Built without transparent huge pages (`no_thp`): they saved a
//! few page faults but held a third more memory, and their compaction stalled
//! some starts by 100 ms. A big initial list also leaves free memory behind (the
//! decoded pages, the replaced rows) that is handed back once the stores are
//! ready.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Returns the allocator's free pages to the operating system. Cheap enough to run
/// after a large rebuild.
pub fn release_free_memory() {
    // SAFETY: mi_collect only walks mimalloc's own free lists and segments; it
    // has no preconditions and touches no memory the program still uses.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
}
