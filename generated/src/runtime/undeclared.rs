//! Which members of a decoded value the description does not declare: the paths of what landed in
//! the `extra_` maps, so that drift is visible without reading `{:?}`.
//!
//! Decoding keeps an undeclared member in its struct's `extra_` without knowing where in the body
//! it is: the fast decoder tracks no path, and tracking one would slow every response. Instead a
//! decode only notes that *some* member was kept (`note_kept`, one thread-local flag), and only
//! then is the decoded value walked once by [`paths`]: an encoder that writes nothing, keeps the
//! path to the value it is in, and asks each struct's catch-all (`runtime::ser::extra`) for the
//! names it holds. A body without undeclared members costs nothing more.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::ser::{self, Serialize};

use super::lenient::{render_steps as render, Segment};

thread_local! {
    /// Set when a decode kept a member its struct does not declare.
    static KEPT: Cell<bool> = const { Cell::new(false) };
    /// Inside [`paths`]: the path to the value being walked, and the paths found.
    static WALK: RefCell<Option<Walk>> = const { RefCell::new(None) };
}

#[derive(Default)]
struct Walk {
    path: Vec<Segment>,
    found: Vec<String>,
}

/// Called by decoding for each undeclared member kept in an `extra_` map.
pub(crate) fn note_kept() {
    KEPT.with(|k| k.set(true));
}

/// Runs `decode` and says whether it kept an undeclared member anywhere.
pub(crate) fn watch<R>(decode: impl FnOnce() -> R) -> (R, bool) {
    let before = KEPT.with(|k| k.replace(false));
    let result = decode();
    let kept = KEPT.with(|k| k.replace(false));
    // An enclosing watch sees what this one saw too.
    KEPT.with(|k| k.set(before || kept));
    (result, kept)
}

/// Whether an `extra_` map is being asked for its names rather than encoded.
pub(crate) fn walking() -> bool {
    WALK.with(|w| w.borrow().is_some())
}

/// Records the undeclared member `name` of the struct being walked.
pub(crate) fn found(name: &str) {
    WALK.with(|w| {
        if let Some(walk) = w.borrow_mut().as_mut() {
            let mut path = render(&walk.path);
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(name);
            walk.found.push(path);
        }
    });
}

/// The JSON paths (`data[1].custom_attributes_v2`, the format of
/// [`Mismatch::path`](super::Mismatch)) of every member of `value` that its struct does not
/// declare, in document order. Members kept raw because their value did not fit a declared field
/// are not listed here: they are mismatches.
pub fn paths<T: Serialize + ?Sized>(value: &T) -> Vec<String> {
    let previous = WALK.with(|w| w.replace(Some(Walk::default())));
    // The walker writes nothing and fails only where a value's own `Serialize` fails, which the
    // walk cannot repair: what was found until then is still the answer.
    let _ = value.serialize(Walker);
    let walk = WALK.with(|w| w.replace(previous));
    walk.map(|w| w.found).unwrap_or_default()
}

fn within<R>(segment: Segment, f: impl FnOnce() -> R) -> R {
    WALK.with(|w| w.borrow_mut().as_mut().map(|walk| walk.path.push(segment)));
    let result = f();
    WALK.with(|w| w.borrow_mut().as_mut().map(|walk| walk.path.pop()));
    result
}

/// The walker's only error: a value whose own `Serialize` failed.
#[derive(Debug)]
pub struct WalkError(String);

impl fmt::Display for WalkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WalkError {}

impl ser::Error for WalkError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        WalkError(msg.to_string())
    }
}

/// An encoder that writes nothing and descends into every list and map.
struct Walker;

/// A list's or map's elements, walked with their index or key on the path.
struct Elements {
    next_index: usize,
    key: Option<String>,
}

impl Elements {
    fn new() -> Self {
        Elements { next_index: 0, key: None }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WalkError> {
        let index = self.next_index;
        self.next_index += 1;
        within(Segment::Index(index), || value.serialize(Walker))
    }

    fn member<T: Serialize + ?Sized>(&mut self, name: String, value: &T) -> Result<(), WalkError> {
        within(Segment::Key(name.into()), || value.serialize(Walker))
    }
}

impl ser::Serializer for Walker {
    type Ok = ();
    type Error = WalkError;
    type SerializeSeq = Elements;
    type SerializeTuple = Elements;
    type SerializeTupleStruct = Elements;
    type SerializeTupleVariant = Elements;
    type SerializeMap = Elements;
    type SerializeStruct = Elements;
    type SerializeStructVariant = Elements;

    fn serialize_bool(self, _: bool) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_f64(self, _: f64) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_char(self, _: char) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_str(self, _: &str) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), WalkError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), WalkError> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), WalkError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), WalkError> {
        // Unions encode as their branch's value, without a wrapper: the path does not change.
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Elements, WalkError> {
        Ok(Elements::new())
    }
    fn serialize_tuple(self, _: usize) -> Result<Elements, WalkError> {
        Ok(Elements::new())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Elements, WalkError> {
        Ok(Elements::new())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Elements, WalkError> {
        Ok(Elements::new())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Elements, WalkError> {
        Ok(Elements::new())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Elements, WalkError> {
        Ok(Elements::new())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Elements, WalkError> {
        Ok(Elements::new())
    }
}

impl ser::SerializeSeq for Elements {
    type Ok = ();
    type Error = WalkError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WalkError> {
        self.element(value)
    }
    fn end(self) -> Result<(), WalkError> {
        Ok(())
    }
}

impl ser::SerializeTuple for Elements {
    type Ok = ();
    type Error = WalkError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WalkError> {
        self.element(value)
    }
    fn end(self) -> Result<(), WalkError> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Elements {
    type Ok = ();
    type Error = WalkError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WalkError> {
        self.element(value)
    }
    fn end(self) -> Result<(), WalkError> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Elements {
    type Ok = ();
    type Error = WalkError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WalkError> {
        self.element(value)
    }
    fn end(self) -> Result<(), WalkError> {
        Ok(())
    }
}

impl ser::SerializeMap for Elements {
    type Ok = ();
    type Error = WalkError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), WalkError> {
        // Map keys are strings in JSON; anything else is named by its JSON text.
        self.key = Some(match serde_json::to_value(key) {
            Ok(serde_json::Value::String(s)) => s,
            Ok(other) => other.to_string(),
            Err(e) => return Err(ser::Error::custom(e)),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WalkError> {
        let key = self.key.take().unwrap_or_default();
        self.member(key, value)
    }
    fn end(self) -> Result<(), WalkError> {
        Ok(())
    }
}

impl ser::SerializeStruct for Elements {
    type Ok = ();
    type Error = WalkError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), WalkError> {
        self.member(name.to_string(), value)
    }
    fn end(self) -> Result<(), WalkError> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Elements {
    type Ok = ();
    type Error = WalkError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), WalkError> {
        self.member(name.to_string(), value)
    }
    fn end(self) -> Result<(), WalkError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_found_outside_a_catch_all() {
        let value = serde_json::json!({"a": [1, {"b": 2}], "c": "d"});
        assert!(paths(&value).is_empty());
    }

    #[test]
    fn watch_reports_a_kept_member_and_restores_the_outer_state() {
        let ((), kept) = watch(|| {
            let ((), inner) = watch(note_kept);
            assert!(inner);
        });
        assert!(kept, "an enclosing watch sees an inner watch's member");
        let ((), kept) = watch(|| ());
        assert!(!kept);
    }

    #[test]
    fn paths_are_rendered_like_mismatch_paths() {
        let path = [Segment::Key("data".into()), Segment::Index(1), Segment::Key("custom".into())];
        assert_eq!(render(&path), "data[1].custom");
        assert_eq!(render(&[]), "");
    }
}
