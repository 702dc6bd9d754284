//! Heap allocations per request render (validate + map + serialize + sign), counted by a
//! wrapping global allocator: the per-request numbers behind `benches/request.rs`.
//!
//! `cargo run --release -p wabakit-bench --bin allocs`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use wabakit::Provider;
use wabakit_bench::{operations, pinned, providers, without_cams_fields, Providers};

/// The system allocator, counting allocations and the bytes they asked for.
struct Counting;

static CALLS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        CALLS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` or `realloc` above, that is from `System`.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        CALLS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        // SAFETY: as for `dealloc`; `new_size` is the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations (and reallocations) and bytes asked for by one call of `f`, after a warm-up call
/// (so that lazily built tables are not counted).
fn count<T>(mut f: impl FnMut() -> T) -> (u64, u64) {
    drop(f());
    let (c, b) = (CALLS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
    drop(f());
    (
        CALLS.load(Ordering::Relaxed) - c,
        BYTES.load(Ordering::Relaxed) - b,
    )
}

fn main() {
    let Providers { nx, ali, meta } = providers();
    let at = pinned();
    println!("| request | NXCloud allocations (bytes) | Alibaba allocations (bytes) | Meta allocations (bytes) |");
    println!("|---|---|---|---|");
    for (label, op) in operations() {
        let plain = without_cams_fields(&op);
        let (nc, nb) = count(|| nx.render(&plain, &at).unwrap());
        let (ac, ab) = count(|| ali.render(&op, &at).unwrap());
        let (mc, mb) = count(|| meta.render(&plain, &at).unwrap());
        println!(
            "| {} {label} | {nc} ({nb}) | {ac} ({ab}) | {mc} ({mb}) |",
            op.name()
        );
    }
}
