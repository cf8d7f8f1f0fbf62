//! The work of a failed strict pass, kept for the lenient pass that follows it.
//!
//! When a response's strict decode fails in a list of structs (a drifted member of the 24,999th
//! contact), the items before the failing one decoded strictly, so a lenient decode would decode
//! them to the same values. The strict pass therefore hands those items over ([`save`]) instead
//! of dropping them, and the lenient pass, when it reaches the list at the same path, takes them
//! back ([`take_at`]) and skips their text instead of decoding it again (BENCHMARKS.md, 8).
//!
//! Only the outermost failing list is kept (each enclosing list replaces what an inner one saved),
//! and only while [`first_pass`] runs: decoding outside the client's two passes keeps nothing.

use std::any::Any;
use std::cell::{Cell, RefCell};

use super::unwind;

thread_local! {
    static FIRST_PASS: Cell<bool> = const { Cell::new(false) };
    static SAVED: RefCell<Option<Saved>> = const { RefCell::new(None) };
}

struct Saved {
    /// How many failure steps were noted when the items were saved (the failing item's index
    /// last): the steps noted after it lead from the root to the list.
    mark: usize,
    /// The list's path, once the strict pass has ended ([`locate`]).
    path: Option<String>,
    /// The items that decoded, a `Vec<T>`.
    items: Box<dyn Any>,
}

/// Runs a strict pass whose lists of structs save the items they decoded before one failed.
pub(crate) fn first_pass<R>(f: impl FnOnce() -> R) -> R {
    clear();
    let before = FIRST_PASS.with(|p| p.replace(true));
    let result = f();
    FIRST_PASS.with(|p| p.set(before));
    result
}

/// Inside [`first_pass`], keeps the items of a list that decoded before the one that failed.
#[cold]
pub(crate) fn save<T: 'static>(items: Vec<T>) {
    if FIRST_PASS.with(Cell::get) {
        let saved = Saved { mark: unwind::mark(), path: None, items: Box::new(items) };
        SAVED.with(|s| *s.borrow_mut() = Some(saved));
    }
}

/// After the strict pass failed: finds the saved list's path from the failure's steps. Must be
/// called before the steps are taken ([`unwind::take`]).
pub(crate) fn locate() {
    SAVED.with(|s| {
        let mut saved = s.borrow_mut();
        let path = saved.as_ref().and_then(|saved| unwind::outer_path(saved.mark));
        match (saved.as_mut(), path) {
            (Some(saved), Some(path)) => saved.path = Some(path),
            // A list inside a container that notes no steps: its path is unknown.
            _ => *saved = None,
        }
    });
}

/// Whether items are waiting for a list: a lenient pass then asks [`take_at`] at each list.
#[inline]
pub(crate) fn pending() -> bool {
    SAVED.with(|s| s.borrow().is_some())
}

/// The saved items, if they belong to the list at `path` and are of its type.
#[cold]
pub(crate) fn take_at<T: 'static>(path: &str) -> Option<Vec<T>> {
    SAVED.with(|s| {
        let mut saved = s.borrow_mut();
        if saved.as_ref()?.path.as_deref()? != path {
            return None;
        }
        saved.take()?.items.downcast::<Vec<T>>().ok().map(|items| *items)
    })
}

/// Forgets what was saved.
pub(crate) fn clear() {
    SAVED.with(|s| *s.borrow_mut() = None);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_saved_in_a_first_pass_are_taken_back_once_at_their_path_and_type() {
        unwind::clear();
        first_pass(|| {
            unwind::member_failed("name");
            unwind::item_failed(2);
            save(vec![1u8, 2]);
            unwind::member_failed("data");
        });
        locate();
        assert!(pending());
        assert_eq!(take_at::<u8>("other"), None);
        assert!(pending(), "another list's path takes nothing");
        assert_eq!(take_at::<u8>("data"), Some(vec![1, 2]));
        assert!(!pending(), "taken once");
        unwind::clear();
    }

    #[test]
    fn nothing_is_saved_outside_a_first_pass() {
        clear();
        save(vec![1u8]);
        assert!(!pending());
    }
}
