//! Lenient decoding: a response whose members drifted from their declared JSON types still decodes.
//!
//! Decoding first runs at full speed and strictly ([`super::de::from_body`]). Only when that fails
//! is the body decoded again here: every generated struct then decodes each member on its own,
//! and a member that does not fit its declared type (a number where a string is declared, a
//! boolean in a string map, an object where a string is declared) leaves its typed field empty and
//! is kept verbatim in the struct's `extra_` map. Each such member is reported as a [`Mismatch`]
//! with its JSON path. Malformed JSON, trailing data and a body of the wrong overall shape still
//! fail.
//!
//! The second decode streams over the body's text like the first one ([`decode`]): structs and
//! lists of structs are decoded where they stay, and only a member that holds no struct (a string,
//! a number, a map, a union) is parsed into a `serde_json::Value` first, so that it can be kept raw
//! if it does not fit. Memory then stays that of a clean decode plus one member, whatever the size
//! of the body (issue 28; BENCHMARKS.md, 8). When the strict pass failed inside a list of
//! structs, the items it decoded before the failing one are taken back rather than decoded again
//! (`runtime::resume`). A body that this cannot take (a list item that is not
//! an object where a struct is declared: there is no `extra_` to keep it in) is decoded from a
//! parsed tree instead ([`decode_value`]), which keeps the whole list raw in its parent.
//!
//! The mode is a thread-local flag set for the duration of one [`decode`] call: decoding is
//! synchronous, so the flag never leaks into another decode, and a guard restores it even on panic.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// A member whose JSON type contradicts the declaration: its typed field was left empty and the
/// raw value kept in the owning struct's `extra_` map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// JSON path of the value that did not fit (`data[1].custom_attributes.paid_subscriber`).
    pub path: String,
    /// What was expected and what was found, as serde words it
    /// (`invalid type: boolean `true`, expected a string`).
    pub message: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.message)
    }
}

thread_local! {
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    /// Inside [`decode`]'s pass over the text (rather than over a parsed tree, [`Tracked`]).
    static STREAMING: Cell<bool> = const { Cell::new(false) };
    /// A value that did not fit, parsed, waiting for the struct that holds it to keep it raw.
    static UNFIT: RefCell<Option<Value>> = const { RefCell::new(None) };
    static STATE: RefCell<State> = RefCell::new(State::default());
}

#[derive(Default)]
struct State {
    /// The path from the root to the value being decoded.
    path: Vec<Segment>,
    /// Where the innermost error arose, captured before the stack unwinds.
    error_at: Option<String>,
    mismatches: Vec<Mismatch>,
}

/// One step of a JSON path: a member name or a list index.
pub(crate) enum Segment {
    /// Borrowed for a declared member's name, owned for a name read from the body.
    Key(Cow<'static, str>),
    Index(usize),
}

/// A path as mismatches name it: `data[1].custom_attributes`, `.` for the root.
fn render(path: &[Segment]) -> String {
    let out = render_steps(path);
    if out.is_empty() {
        ".".into()
    } else {
        out
    }
}

/// The steps of a path, `data[1].custom_attributes`; empty for the root (see [`render`]).
pub(crate) fn render_steps(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// Whether the current thread is inside a lenient [`decode`].
pub(crate) fn active() -> bool {
    ACTIVE.with(Cell::get)
}

/// Whether the current thread is inside [`decode`]'s pass over the body's text: then a member
/// that holds no struct is parsed before it is decoded ([`kept_if_unfit`]), and one that holds a
/// struct is decoded straight from the text.
#[inline]
pub(crate) fn streaming() -> bool {
    STREAMING.with(Cell::get)
}

/// Runs `f` with lenient decoding switched off (e.g. to try the branches of a `oneOf` strictly).
pub(crate) fn strictly<R>(f: impl FnOnce() -> R) -> R {
    let _guard = Mode::set(false);
    f()
}

/// Runs `f` over a parsed tree ([`Tracked`]) inside a lenient decode: members are then kept raw
/// by the struct that holds them, as [`decode_value`] does.
pub(crate) fn over_a_tree<R>(f: impl FnOnce() -> R) -> R {
    let _guard = Streaming::set(false);
    f()
}

/// Decodes a member that holds no struct inside [`decode`]'s pass over the text: first strictly
/// from its own text (`strict`, borrowed from the body, nothing copied), and only if that fails
/// from its parsed value (`lenient`, which also names the innermost path that failed). When that
/// fails too, the member is reported and its value left for the struct that holds it to keep raw
/// ([`take_unfit`]) and `None` is returned.
#[cold]
#[inline(never)]
pub(crate) fn kept_if_unfit<'de, D: Deserializer<'de>, V>(
    value: D,
    strict: impl FnOnce(&str) -> Result<V, serde_json::Error>,
    lenient: impl FnOnce(&Value) -> Result<V, serde_json::Error>,
) -> Result<Option<V>, D::Error> {
    // `decode` reads the body as text: the member's text is lent by it. (Anything else fails
    // here, and `decode` then decodes from a parsed tree.)
    let text = <&serde_json::value::RawValue as serde::Deserialize>::deserialize(value)?.get();
    if let Ok(decoded) = strictly(|| over_a_tree(|| strict(text))) {
        return Ok(Some(decoded));
    }
    let raw: Value = serde_json::from_str(text).map_err(de::Error::custom)?;
    forget_error();
    match over_a_tree(|| lenient(&raw)) {
        Ok(decoded) => Ok(Some(decoded)),
        Err(e) => {
            record_here(e.to_string());
            UNFIT.with(|u| *u.borrow_mut() = Some(raw));
            Ok(None)
        }
    }
}

/// A value of the wrong JSON kind where a struct or a list of structs is declared, met in
/// [`decode`]'s pass over the text: reported, and left for the struct that holds it to keep raw.
#[cold]
pub(crate) fn unfit(raw: Value, message: String) {
    record_here(message);
    UNFIT.with(|u| *u.borrow_mut() = Some(raw));
}

/// The value of the member just decoded, if it did not fit (see [`kept_if_unfit`]).
pub(crate) fn take_unfit() -> Option<Value> {
    UNFIT.with(|u| u.borrow_mut().take())
}

/// The current path, as mismatches name it (`data`, `.` for the root).
pub(crate) fn current_path() -> String {
    STATE.with(|s| render(&s.borrow().path))
}

/// Decodes a member of a struct or an item of a list with its step on the current path.
pub(crate) fn within<T, E>(segment: Segment, f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    STATE.with(|s| s.borrow_mut().path.push(segment));
    let result = f();
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        if result.is_err() && s.error_at.is_none() {
            s.error_at = Some(render(&s.path));
        }
        s.path.pop();
    });
    result
}

/// Records that the member `name` of the struct being decoded did not fit, at the innermost
/// failing path (or the member's own path).
pub(crate) fn record(name: &str, message: String) {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let path = s.error_at.take().unwrap_or_else(|| match s.path.last() {
            // Inside the member's own segment already (the usual case: a tracked map).
            Some(Segment::Key(k)) if k == name => render(&s.path),
            Some(_) => format!("{}.{name}", render(&s.path)),
            None => name.to_string(),
        });
        s.mismatches.push(Mismatch { path, message });
    });
}

/// Records that the value being decoded did not fit as a whole (a `oneOf` none of whose branches
/// takes it, kept raw), at the innermost failing path or the value's own path.
pub(crate) fn record_here(message: String) {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let path = s.error_at.take().unwrap_or_else(|| render(&s.path));
        s.mismatches.push(Mismatch { path, message });
    });
}

/// Sets the mode for a scope and restores the previous one when dropped.
struct Mode(bool);

impl Mode {
    fn set(on: bool) -> Mode {
        Mode(ACTIVE.with(|a| a.replace(on)))
    }
}

impl Drop for Mode {
    fn drop(&mut self) {
        ACTIVE.with(|a| a.set(self.0));
    }
}

/// Sets [`streaming`] for a scope and restores it when dropped.
struct Streaming(bool);

impl Streaming {
    fn set(on: bool) -> Streaming {
        Streaming(STREAMING.with(|a| a.replace(on)))
    }
}

impl Drop for Streaming {
    fn drop(&mut self) {
        STREAMING.with(|a| a.set(self.0));
    }
}

/// Decodes `body` leniently: the value, and every member that was kept raw because it did not fit.
///
/// Decoded from the text (see the module's documentation); only a body that pass cannot take is
/// parsed into a tree and decoded from it ([`decode_value`]), and then an error is that decode's.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<(T, Vec<Mismatch>), serde_json::Error> {
    if let Ok(text) = std::str::from_utf8(body) {
        // Without the text of the items a failed strict pass decoded, where it knew their place
        // (`resume`); if the list met is not theirs, the whole text is read, without them.
        if let Some(cut) = super::resume::cut(text) {
            if let Ok(decoded) = decode_text(&cut) {
                return Ok(decoded);
            }
            super::resume::clear();
        }
        if let Ok(decoded) = decode_text(text) {
            return Ok(decoded);
        }
    }
    let value: Value = super::de::from_body(body)?;
    decode_value(&value)
}

/// [`decode`]'s pass over the text.
fn decode_text<T: DeserializeOwned>(text: &str) -> Result<(T, Vec<Mismatch>), serde_json::Error> {
    let saved = STATE.with(|s| std::mem::take(&mut *s.borrow_mut()));
    let result = {
        let _mode = Mode::set(true);
        let _streaming = Streaming::set(true);
        let mut de = serde_json::Deserializer::from_str(text);
        T::deserialize(&mut de).and_then(|value| de.end().map(|()| value))
    };
    let unfit = take_unfit();
    let state = STATE.with(|s| std::mem::replace(&mut *s.borrow_mut(), saved));
    if unfit.is_some() {
        // Only a member's or an item's value is ever left unfit and taken by its holder: this is
        // the body as a whole.
        return Err(de::Error::custom("the body is not of the declared JSON type"));
    }
    result.map(|t| (t, state.mismatches))
}

/// [`decode`] from an already parsed value.
pub fn decode_value<T: DeserializeOwned>(value: &Value) -> Result<(T, Vec<Mismatch>), serde_json::Error> {
    let saved = STATE.with(|s| std::mem::take(&mut *s.borrow_mut()));
    let result = {
        let _guard = Mode::set(true);
        let _tree = Streaming::set(false);
        T::deserialize(Tracked(value))
    };
    let state = STATE.with(|s| std::mem::replace(&mut *s.borrow_mut(), saved));
    result.map(|t| (t, state.mismatches))
}

/// Forgets where an earlier, recovered error arose (before a member is decoded afresh).
pub(crate) fn forget_error() {
    STATE.with(|s| s.borrow_mut().error_at = None);
}

/// A `&Value` deserializer that keeps the current JSON path in the thread-local state.
#[derive(Clone, Copy)]
pub(crate) struct Tracked<'a>(pub &'a Value);

fn descend<T>(segment: Segment, f: impl FnOnce() -> Result<T, serde_json::Error>) -> Result<T, serde_json::Error> {
    within(segment, f)
}

impl<'a> Deserializer<'a> for Tracked<'a> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Items { items: items.iter(), index: 0 }),
            Value::Object(map) => visitor.visit_map(Members { members: map.iter(), pending: None }),
            Value::String(s) => visitor.visit_borrowed_str(s),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'a>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

struct Items<'a> {
    items: std::slice::Iter<'a, Value>,
    index: usize,
}

impl<'a> SeqAccess<'a> for Items<'a> {
    type Error = serde_json::Error;

    fn next_element_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> Result<Option<S::Value>, Self::Error> {
        let Some(item) = self.items.next() else { return Ok(None) };
        let index = self.index;
        self.index += 1;
        descend(Segment::Index(index), || seed.deserialize(Tracked(item))).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Members<'a> {
    members: serde_json::map::Iter<'a>,
    pending: Option<(&'a String, &'a Value)>,
}

impl<'a> MapAccess<'a> for Members<'a> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.members.next() else { return Ok(None) };
        self.pending = Some((key, value));
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, Self::Error> {
        let (key, value) =
            self.pending.take().ok_or_else(|| de::Error::custom("a value was asked for before its key"))?;
        descend(Segment::Key(Cow::Owned(key.clone())), || seed.deserialize(Tracked(value)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_keys_and_indices() {
        let path = [Segment::Key("data".into()), Segment::Index(1), Segment::Key("custom_attributes".into())];
        assert_eq!(render(&path), "data[1].custom_attributes");
        assert_eq!(render(&[]), ".");
    }

    #[test]
    fn the_mode_is_scoped_and_restored() {
        assert!(!active());
        let (v, m): (Value, _) = decode(br#"{"a": [1, {"b": null}]}"#).unwrap();
        assert_eq!(v, serde_json::json!({"a": [1, {"b": null}]}));
        assert!(m.is_empty());
        assert!(!active());
        assert!(decode::<Value>(b"{} {}").is_err(), "trailing data is an error");
        assert!(decode::<Value>(b"{").is_err(), "malformed JSON is an error");
    }
}
