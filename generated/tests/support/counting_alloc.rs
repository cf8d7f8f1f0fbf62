//! A global allocator that counts, per thread, the live heap bytes, their high-water mark and all
//! the bytes allocated: exact and repeatable figures (unlike resident memory), which count a
//! `Vec`'s whole capacity. Included by the targets that measure memory (`tests/drift_memory.rs`,
//! `benches/drift.rs`) with `#[path]`: it becomes that binary's allocator, so only a binary that
//! measures memory includes it. Per thread, so that tests running in parallel do not see each
//! other's allocations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// Counts the live heap bytes of each thread and their high-water mark.
pub struct Counting;

thread_local! {
    // Const-initialized `Cell`s of plain numbers: no allocation and no destructor, so the
    // allocator may use them.
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
    static TOTAL: Cell<usize> = const { Cell::new(0) };
}

fn grew(bytes: usize) {
    let _ = TOTAL.try_with(|total| total.set(total.get() + bytes));
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + bytes as isize);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

fn shrank(bytes: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get() - bytes as isize));
}

// SAFETY: every call is forwarded to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        shrank(layout.size());
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    // A reallocation counts as its change in size: the allocator moves large blocks by
    // remapping pages, so the old and the new block do not both take memory.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What a piece of work cost this thread: its peak heap growth and all the bytes it allocated.
#[derive(Debug, Clone, Copy)]
pub struct Cost {
    pub peak: usize,
    pub total: usize,
}

/// Runs `f` and returns its result and what it cost.
pub fn cost_of<R>(f: impl FnOnce() -> R) -> (R, Cost) {
    let before = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(before));
    let total_before = TOTAL.with(Cell::get);
    let result = f();
    let peak = (PEAK.with(Cell::get) - before).max(0) as usize;
    (result, Cost { peak, total: TOTAL.with(Cell::get) - total_before })
}
