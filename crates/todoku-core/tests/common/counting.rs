//! A counting global allocator for the memory and growth suites
//! (tests/memory.rs, tests/growth.rs) and examples/hostile.rs: bytes live
//! now, the peak since [`reset`], and how many allocations and bytes were
//! asked for. Include it with `#[path = "common/counting.rs"] mod
//! counting;` in a test binary of its own: it becomes that binary's
//! allocator.
#![allow(dead_code, unreachable_pub, unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts every allocation of the process, then forwards it to [`System`].
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static COUNT: AtomicUsize = AtomicUsize::new(0);
static TOTAL: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
    COUNT.fetch_add(1, Ordering::Relaxed);
    TOTAL.fetch_add(by, Ordering::Relaxed);
}

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: the caller's layout is passed on unchanged.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        // A realloc may copy: old and new are counted as live at once.
        grew(new);
        // SAFETY: as for `alloc` and `dealloc`.
        let out = unsafe { System.realloc(ptr, layout, new) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        out
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Held by each test that measures, for its whole run: the counters are
/// global, so two measuring tests must not overlap (the harness runs tests
/// on several threads).
pub fn serial() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What one measured run allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// The most bytes live at once during the run, above what was live
    /// when it started.
    pub peak: usize,
    /// Allocations (and reallocations) made.
    pub allocations: usize,
    /// Bytes asked for by them, in all.
    pub allocated: usize,
}

/// Run `f` and measure it (hold [`serial`] around it in a test).
pub fn measure<T>(f: impl FnOnce() -> T) -> (T, Usage) {
    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let (count, total) = (COUNT.load(Ordering::SeqCst), TOTAL.load(Ordering::SeqCst));
    let out = f();
    let usage = Usage {
        peak: PEAK.load(Ordering::SeqCst).saturating_sub(base),
        allocations: COUNT.load(Ordering::SeqCst) - count,
        allocated: TOTAL.load(Ordering::SeqCst) - total,
    };
    (out, usage)
}
