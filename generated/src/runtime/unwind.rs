//! Where a strict decode failed, recorded while its error unwinds.
//!
//! The fast decoder tracks no path: tracking one would slow every response. Instead, each level
//! that knows its place notes it only when its child returned an error: a struct's member its
//! name ([`member_failed`]), a list of structs the item's index ([`item_failed`]). The steps
//! arrive innermost first; [`take`] turns them into the path a [`Mismatch`](super::Mismatch)
//! would name (`data[24999].name`). A decode that succeeds records nothing and pays nothing, and a
//! failed one names its path without being decoded a second time.
//!
//! Containers that serde decodes for us (a `Vec<String>`, a map) do not note their key or index,
//! so a failure inside one is named by the member that holds it ([`opaque_failed`] drops the
//! steps noted inside, which would otherwise appear to hang off the wrong parent).

use std::cell::RefCell;

thread_local! {
    static STEPS: RefCell<Vec<Step>> = const { RefCell::new(Vec::new()) };
}

/// One step of the failing path, noted on the way out.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    Key(&'static str),
    Index(usize),
    /// The steps noted before this one came from inside a container that notes no steps itself.
    Opaque,
}

/// More steps than any one decode notes (serde_json nests at most 128 deep): what is beyond it was
/// left by failures nobody asked about (a caller's own `serde_json::from_str`), forgotten so that
/// the thread-local never grows without bound.
const MAX_STEPS: usize = 1024;

fn note(step: Step) {
    STEPS.with(|s| {
        let mut steps = s.borrow_mut();
        if steps.len() >= MAX_STEPS {
            steps.clear();
        }
        steps.push(step);
    });
}

/// The member `name` of a struct failed to decode.
#[cold]
pub(crate) fn member_failed(name: &'static str) {
    note(Step::Key(name));
}

/// The item at `index` of a list of structs failed to decode.
#[cold]
pub(crate) fn item_failed(index: usize) {
    note(Step::Index(index));
}

/// A member decoded by serde's own container code failed: what was noted inside is not a path.
#[cold]
pub(crate) fn opaque_failed() {
    note(Step::Opaque);
}

/// Forgets every step (before a decode, so that nothing from an earlier one is reported).
pub(crate) fn clear() {
    STEPS.with(|s| s.borrow_mut().clear());
}

/// How many steps are noted: where an attempt that may be recovered from starts.
pub(crate) fn mark() -> usize {
    STEPS.with(|s| s.borrow().len())
}

/// Takes the steps noted since `mark` (an attempt that failed and was recovered from), so that
/// they can be [`restore`]d if its error is the one finally returned.
pub(crate) fn split_off(mark: usize) -> Vec<Step> {
    STEPS.with(|s| {
        let mut steps = s.borrow_mut();
        let at = mark.min(steps.len());
        steps.split_off(at)
    })
}

/// Puts back steps taken by [`split_off`].
pub(crate) fn restore(steps: Vec<Step>) {
    STEPS.with(|s| s.borrow_mut().extend(steps));
}

/// The path of the value that noted the step at `mark - 1` (a list whose item failed): the steps
/// noted after it, from the root down. `None` if one of them is [`Step::Opaque`].
pub(crate) fn outer_path(mark: usize) -> Option<String> {
    STEPS.with(|s| {
        let steps = s.borrow();
        let outer = steps.get(mark..)?;
        if outer.contains(&Step::Opaque) {
            return None;
        }
        Some(render(outer))
    })
}

/// The failing path, `data[24999].name` (`.` for the root), and forgets the steps.
pub(crate) fn take() -> String {
    let steps = STEPS.with(|s| std::mem::take(&mut *s.borrow_mut()));
    render(&steps)
}

/// Renders steps noted innermost first, from the root down; the steps noted inside an opaque
/// container (before its marker) are left out.
fn render(steps: &[Step]) -> String {
    let outer = match steps.iter().rposition(|s| *s == Step::Opaque) {
        Some(at) => &steps[at + 1..],
        None => steps,
    };
    let mut out = String::new();
    for step in outer.iter().rev() {
        match step {
            Step::Key(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Step::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
            Step::Opaque => {}
        }
    }
    if out.is_empty() {
        ".".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_noted_innermost_first_render_from_the_root() {
        clear();
        member_failed("name");
        item_failed(3);
        member_failed("data");
        assert_eq!(take(), "data[3].name");
        assert_eq!(take(), ".", "taking forgets");
    }

    #[test]
    fn failures_nobody_asks_about_do_not_accumulate() {
        clear();
        for _ in 0..10 * MAX_STEPS {
            member_failed("x");
        }
        assert!(mark() <= MAX_STEPS);
        clear();
    }

    #[test]
    fn steps_inside_an_opaque_container_are_left_out() {
        clear();
        member_failed("inner");
        opaque_failed();
        member_failed("by_key");
        assert_eq!(take(), "by_key");
    }

    #[test]
    fn a_recovered_attempt_can_be_split_off_and_restored() {
        clear();
        member_failed("x");
        let at = mark();
        member_failed("tried");
        let tried = split_off(at);
        assert_eq!(tried, [Step::Key("tried")]);
        restore(tried);
        member_failed("outer");
        assert_eq!(take(), "outer.tried.x");
    }
}
