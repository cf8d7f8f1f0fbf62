//! The work of a failed strict pass, kept for the lenient pass that follows it.
//!
//! When a response's strict decode fails in a list of structs (a drifted member of the 24,999th
//! contact), the items before the failing one decoded strictly, so a lenient decode would decode
//! them to the same values. The strict pass therefore hands those items over ([`save`]) instead
//! of dropping them, and the lenient pass, when it reaches the list at the same path, takes them
//! back ([`take_at`]) instead of decoding them again (BENCHMARKS.md, 8).
//!
//! Their text is not read again either, where the strict pass knew where it was: each list item
//! notes the address of its first member name, which serde_json lends from the body. The lenient
//! pass then reads the body with that text cut out ([`cut`]), from the list's first item to the
//! one that failed, and checks that the item it meets after the saved ones is the failing one, at
//! the place the cut left it (a member sent twice has two lists at one path). Where the places
//! are unknown (a member name with escapes is not lent from the body), their text is skipped.
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
    /// Addresses of the first member names of the list's first item and of the failing one, in
    /// the body the strict pass read (0: unknown).
    starts: [usize; 2],
    /// Once [`cut`]: the address in the cut text at which the failing item's first member name
    /// must be met.
    expected: Option<usize>,
}

/// Runs a strict pass whose lists of structs save the items they decoded before one failed.
pub(crate) fn first_pass<R>(f: impl FnOnce() -> R) -> R {
    clear();
    let before = FIRST_PASS.with(|p| p.replace(true));
    let result = f();
    FIRST_PASS.with(|p| p.set(before));
    result
}

/// Inside [`first_pass`], keeps the items of a list that decoded before the one that failed, and
/// where the list's first item and the failing one start (see [`Saved::starts`]).
#[cold]
pub(crate) fn save<T: 'static>(items: Vec<T>, starts: [usize; 2]) {
    if FIRST_PASS.with(Cell::get) {
        let saved = Saved { mark: unwind::mark(), path: None, items: Box::new(items), starts, expected: None };
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

/// The saved items, if they belong to the list at `path` and are of its type, and, if their text
/// was [`cut`] out, the address at which the next item's first member name must be met.
#[cold]
pub(crate) fn take_at<T: 'static>(path: &str) -> Option<(Vec<T>, Option<usize>)> {
    SAVED.with(|s| {
        let mut saved = s.borrow_mut();
        if saved.as_ref()?.path.as_deref()? != path {
            return None;
        }
        let saved = saved.take()?;
        let expected = saved.expected;
        saved.items.downcast::<Vec<T>>().ok().map(|items| (*items, expected))
    })
}

/// After [`locate`]: `text` (the body the strict pass read) without the text of the saved items,
/// from the list's first item to the failing one, if both places are known. The lenient pass
/// reads that instead, and meets the failing item right after the list's opening bracket.
#[cold]
pub(crate) fn cut(text: &str) -> Option<String> {
    SAVED.with(|s| {
        let mut saved = s.borrow_mut();
        let saved = saved.as_mut().filter(|saved| saved.path.is_some())?;
        let base = text.as_ptr() as usize;
        let offset = |address: usize| address.checked_sub(base).filter(|&at| at > 0 && at < text.len());
        let (first_key, failing_key) = (offset(saved.starts[0])?, offset(saved.starts[1])?);
        let (from, to) = (object_start(text, first_key)?, object_start(text, failing_key)?);
        if from >= to {
            return None;
        }
        let mut cut = String::with_capacity(text.len() - (to - from));
        cut.push_str(&text[..from]);
        cut.push_str(&text[to..]);
        // The cut text's buffer stays where it is while the lenient pass reads it.
        saved.expected = Some(cut.as_ptr() as usize + from + (failing_key - to));
        Some(cut)
    })
}

/// The `{` that opens the object whose first member name starts at `key` (just after its opening
/// quote), if that is what precedes it.
fn object_start(text: &str, key: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = key.checked_sub(1)?;
    if bytes[quote] != b'"' {
        return None;
    }
    let brace = bytes[..quote].iter().rposition(|b| !b.is_ascii_whitespace())?;
    (bytes[brace] == b'{').then_some(brace)
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
            save(vec![1u8, 2], [0, 0]);
            unwind::member_failed("data");
        });
        locate();
        assert!(pending());
        assert_eq!(take_at::<u8>("other"), None);
        assert!(pending(), "another list's path takes nothing");
        assert_eq!(take_at::<u8>("data"), Some((vec![1, 2], None)));
        assert!(!pending(), "taken once");
        unwind::clear();
    }

    #[test]
    fn the_text_of_the_saved_items_is_cut_out_where_their_places_are_known() {
        let text = r#"{"data": [ {"id":"a"}, {"id":"b"},
  {"id":"c"}], "total": 3}"#;
        let key = |name: &str| text.as_ptr() as usize + text.find(name).unwrap() + 1;
        let saved = |starts| {
            unwind::clear();
            first_pass(|| {
                unwind::item_failed(2);
                save(vec![1u8, 2], starts);
                unwind::member_failed("data");
            });
            locate();
        };
        saved([key(r#""id":"a""#), key(r#""id":"c""#)]);
        let cut_text = cut(text).expect("both places known");
        assert_eq!(cut_text, r#"{"data": [ {"id":"c"}], "total": 3}"#);
        let expected = cut_text.as_ptr() as usize + cut_text.find(r#""id""#).unwrap() + 1;
        assert_eq!(take_at::<u8>("data"), Some((vec![1, 2], Some(expected))));
        // An address outside the body (a name with escapes, copied by serde_json) cuts nothing.
        saved([key(r#""id":"a""#), 7]);
        assert_eq!(cut(text), None);
        assert_eq!(take_at::<u8>("data"), Some((vec![1, 2], None)));
        // Nor does a place that is no object's first member name.
        saved([key(r#""id":"a""#), text.as_ptr() as usize + text.find("total").unwrap()]);
        assert_eq!(cut(text), None);
        unwind::clear();
        clear();
    }

    #[test]
    fn nothing_is_saved_outside_a_first_pass() {
        clear();
        save(vec![1u8], [0, 0]);
        assert!(!pending());
    }
}
