//! The process's heap: glibc's malloc keeps what a scan frees unless told otherwise, and the
//! peak resident memory (at most 150 MB whatever the repository's size, bench/README.md)
//! is mostly what it kept. Other allocators and platforms: nothing to do here.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
extern "C" {
    fn malloc_trim(pad: usize) -> std::os::raw::c_int;
    fn mallopt(param: std::os::raw::c_int, value: std::os::raw::c_int) -> std::os::raw::c_int;
}

/// glibc's `M_MMAP_THRESHOLD`.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const M_MMAP_THRESHOLD: std::os::raw::c_int = -3;

/// Allocations of at least this many bytes get their own mapping, unmapped when freed.
const MMAP_THRESHOLD: std::os::raw::c_int = 256 << 10;

/// Sets the allocator up for a scan; call once, first thing in `main`.
///
/// A working-tree scan reads files of up to 4 MiB into buffers (larger ones are mapped), and
/// decodes and copies some of them. glibc serves a large allocation with its own mapping at
/// first, but each time one is freed it raises that threshold (up to 32 MiB), so later large
/// buffers come from the per-thread arenas instead, between small blocks still in use, and
/// stay there when freed. On the bench corpus (1.2 GB of source) that held the peak at
/// 146-160 MB; with the threshold fixed at 256 KiB it is 70 MB, at the same CPU time (a few
/// thousand more `mmap` calls). Setting the threshold also turns the raising off.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` takes no pointers; called before any thread is started, as glibc
    // asks of changes to its parameters.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

/// Hands the heap's free pages back to the kernel (glibc's `malloc_trim`).
///
/// The tree diffs leave the heap riddled with freed blocks (their object caches, the commits
/// and their per-commit change lists) that glibc keeps in its per-thread arenas, between
/// blocks still in use, and does not return on its own. The blob scan then takes fresh pages
/// for its own cache on top of them: on an 80,000-commit history that was 20-30 MiB of peak
/// resident memory that held nothing (bench/README.md, "History memory"). One call between
/// the phases costs a few milliseconds.
pub fn release_free_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` takes no pointers and may be called at any time from any
    // thread; it only gives unused pages of glibc's arenas back to the kernel.
    unsafe {
        malloc_trim(0);
    }
}

/// Drops `value` on a thread of its own, so the caller goes on without waiting.
///
/// What a scan leaves at its end (the scan cache as loaded and added to, the compiled
/// rules) takes milliseconds to free, a few per cent of a scan the cache answers, and the
/// process usually exits right after: there the thread is simply ended with it, and the
/// kernel takes the memory back whole. If no thread can be started, `value` is dropped here
/// (with the closure that failed to start).
pub fn drop_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
}
