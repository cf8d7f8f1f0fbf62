//! Decoding of generated structs whose fields are all optional (every type a response can carry).
//!
//! serde's derive would expand, per struct, a field-identifier enum with its own `Deserialize`
//! impl, a visitor with both `visit_seq` and `visit_map`, and a local per field. Over the ~200
//! structs of a version that expansion was half of the crate's compile time (BENCHMARKS.md, 2).
//! Here the loop over the JSON object, the key lookup and the keeping of unknown members are
//! written once; a generated struct only lists its wire names and stores the value of the member
//! at a given index ([`Fields`]), through decoders shared by every struct ([`member`],
//! [`member_in_place`]).
//!
//! Behaviour: members may come in any order; unknown members are kept in the struct's catch-all
//! map (forward compatibility, nothing lost); a missing member or `null` leaves the field `None`.
//! A repeated member keeps its last value, as `serde_json::Value` does.
//!
//! Request-only structs with required fields decode the same way, into a private copy of the
//! struct whose fields are all optional; each required field is then taken out, or reported
//! missing by name ([`required`]). Unknown members of a request are dropped: skipped, never built.

use std::cell::Cell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::lenient::{self, Segment, Tracked};
use super::unwind;

/// The catch-all map of a generated struct: every member its description does not declare.
pub type Extra = Map<String, Value>;

/// A generated struct that decodes member by member into its `Default` value.
pub trait Fields: Default + 'static {
    /// The type's name, for error messages ("expected a JSON object for Contact").
    const NAME: &'static str;
    /// The wire names of the fields, in the order [`Fields::set`] numbers them.
    const FIELDS: &'static [&'static str];
    /// Decodes the member named `Self::FIELDS[index]` from `value` into its field.
    fn set<'de, D: Deserializer<'de>>(&mut self, index: usize, value: D) -> Result<(), D::Error>;
    /// The catch-all map that keeps every member the type does not declare; `None` for a type
    /// that drops them (the partial copy a request-only struct decodes through), which then skips
    /// their values instead of building them.
    fn extra(&mut self) -> Option<&mut Extra>;
}

/// `Deserialize::deserialize` for every [`Fields`] type.
pub fn deserialize<'de, D: Deserializer<'de>, T: Fields>(deserializer: D) -> Result<T, D::Error> {
    let mut out = T::default();
    deserializer.deserialize_map(Fill::new(&mut out))?;
    Ok(out)
}

/// Decodes a member that holds a generated struct or a list of them (`Option<T>`,
/// `Option<Vec<T>>`) straight into its field, each struct built where it stays.
///
/// Not built on the stack and moved: some structs are large (2.16's `ArticleTranslatedContent`,
/// 38 optional `ArticleContent`s, is 13 KB) and every move of one is a copy of all of it.
#[inline(never)]
pub fn member_in_place<'de, T: InPlace, D: Deserializer<'de>>(field: &mut Option<T>, value: D) -> Result<(), D::Error> {
    value.deserialize_option(OptionInPlace { field, place: |field| field.insert(T::empty()) })
}

/// [`member_in_place`] for a member held in a `Box` (`Option<Box<T>>`: an optional struct of a
/// response, boxed so that an absent one costs 8 bytes): the box is allocated, then its struct
/// filled where it stays.
#[inline(never)]
pub fn member_boxed_in_place<'de, T: InPlace, D: Deserializer<'de>>(
    field: &mut Option<Box<T>>,
    value: D,
) -> Result<(), D::Error> {
    value.deserialize_option(OptionInPlace { field, place: |field| &mut **field.insert(Box::new(T::empty())) })
}

/// Decodes a JSON body (what the client does with every response body, fast path first).
///
/// The body is checked as UTF-8 once, as a whole, and then decoded as text: serde_json then skips
/// validating each string on its own, which is most of the gain, and its text reader scans
/// strings faster than its byte reader (BENCHMARKS.md, 3e). A body that is not UTF-8 is decoded
/// from the bytes, so that the error is serde_json's own, with its line and column.
pub fn from_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
}

/// The scalar `visit_*` methods of a visitor that expects a JSON object or array (a struct's, a
/// list's): every scalar is [`unfit`].
macro_rules! unfit_scalars {
    () => {
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<(), E> {
            unfit(Value::Bool(v), &self)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
            unfit(Value::from(v), &self)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
            unfit(Value::from(v), &self)
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
            unfit(Value::from(v), &self)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
            unfit(Value::from(v), &self)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
            unfit(Value::Null, &self)
        }
    };
}

/// Fills a struct from a JSON object's members.
struct Fill<'o, T> {
    out: &'o mut T,
    /// Where to note the address of the object's first member name, if asked: the name is lent
    /// from the body's text, so the address tells where in the body the object is (a list's
    /// items, for `runtime::resume`). Nothing else is recorded, and only the first name.
    start: Option<&'o Cell<usize>>,
}

impl<'o, T> Fill<'o, T> {
    fn new(out: &'o mut T) -> Self {
        Fill { out, start: None }
    }
}

impl<'de, T: Fields> Visitor<'de> for Fill<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object for {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Fill { out, mut start } = self;
        let lenient = lenient::active();
        // Where the next member's name is looked for first: members mostly come in the order
        // the description declares them, so most names are found at the first comparison.
        let mut expected = 0;
        while let Some((key, at)) = next_key(&mut map, T::FIELDS, expected)? {
            if let Some(start) = start.take() {
                start.set(at);
            }
            match key {
                Key::Known(index) => {
                    expected = index + 1;
                    if lenient {
                        lenient_member(&mut map, out, index)?
                    } else if let Err(e) = map.next_value_seed(Member { out: &mut *out, index }) {
                        // Noted only on the way out of a failure: see `unwind`.
                        unwind::member_failed(T::FIELDS[index]);
                        return Err(e);
                    }
                }
                Key::Unknown(name) => match out.extra() {
                    Some(extra) => keep_unknown(&mut map, name, extra)?,
                    None => map.next_value::<IgnoredAny>().map(drop)?,
                },
            }
        }
        Ok(())
    }

    unfit_scalars!();
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        if !lenient::streaming() {
            return Err(serde::de::Error::invalid_type(serde::de::Unexpected::Seq, &self));
        }
        let raw = <Value as serde::Deserialize>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        unfit(raw, &self)
    }
}

/// A value of the wrong JSON kind where a struct or a list of structs is declared: an error, or,
/// in a lenient decode's pass over the text, a mismatch left for the struct that holds the member
/// to keep raw (see [`lenient`]).
#[cold]
#[inline(never)]
fn unfit<E: serde::de::Error>(found: Value, expected: &dyn serde::de::Expected) -> Result<(), E> {
    let unexpected = match &found {
        Value::Null => serde::de::Unexpected::Unit,
        Value::Bool(b) => serde::de::Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => serde::de::Unexpected::Unsigned(u),
            (_, Some(i), _) => serde::de::Unexpected::Signed(i),
            (_, _, f) => serde::de::Unexpected::Float(f.unwrap_or(f64::NAN)),
        },
        Value::String(s) => serde::de::Unexpected::Str(s),
        Value::Array(_) => serde::de::Unexpected::Seq,
        Value::Object(_) => serde::de::Unexpected::Map,
    };
    if !lenient::streaming() {
        return Err(E::invalid_type(unexpected, expected));
    }
    let message = <serde::de::value::Error as serde::de::Error>::invalid_type(unexpected, expected).to_string();
    lenient::unfit(found, message);
    Ok(())
}

/// `null` (or no value) leaves the field `None`; anything else is decoded into a fresh value in
/// the field, so a repeated member keeps its last value. `S` is what the field holds: the value
/// itself, or its box; `place` puts a fresh empty value in the field and returns it.
struct OptionInPlace<'f, S, T> {
    field: &'f mut Option<S>,
    place: fn(&mut Option<S>) -> &mut T,
}

impl<'de, S, T: InPlace> Visitor<'de> for OptionInPlace<'_, S, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::expecting(f)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        *self.field = None;
        Ok(())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let result = T::fill((self.place)(self.field), deserializer);
        if result.is_err() {
            // A value that does not fit leaves the field empty, as decoding by value would: the
            // lenient path keeps the member raw in the catch-all map instead.
            *self.field = None;
        }
        result
    }
}

/// What can be decoded into an existing value: a generated struct, or a list of them (see
/// [`member_in_place`]).
pub trait InPlace {
    fn empty() -> Self;
    fn expecting(f: &mut fmt::Formatter<'_>) -> fmt::Result;
    fn fill<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error>;
}

impl<T: Fields> InPlace for T {
    fn empty() -> Self {
        T::default()
    }
    fn expecting(f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object for {}", T::NAME)
    }
    fn fill<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        if lenient::streaming() {
            // serde_json hands a value of another kind to the visitor only from `deserialize_any`.
            return deserializer.deserialize_any(Fill::new(self));
        }
        deserializer.deserialize_map(Fill::new(self))
    }
}

impl<T: Fields> InPlace for Vec<T> {
    fn empty() -> Self {
        Vec::new()
    }
    fn expecting(f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON array of {}", T::NAME)
    }
    fn fill<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        if lenient::streaming() {
            return deserializer.deserialize_any(Items(self));
        }
        deserializer.deserialize_seq(Items(self))
    }
}

/// Appends each item of a JSON array to a list, decoding it where it will stay.
struct Items<'v, T>(&'v mut Vec<T>);

impl<'de, T: Fields> Visitor<'de> for Items<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON array of {}", T::NAME)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let items = self.0;
        if lenient::streaming() && super::resume::pending() {
            resume_items(&mut seq, items)?;
        }
        // Bounded like serde's own `Vec` visitor: a hostile size hint cannot reserve much.
        items.reserve(seq.size_hint().unwrap_or(0).min(64));
        let (first, start) = (Cell::new(0), Cell::new(0));
        while seq.next_element_seed(NextItem { items: &mut *items, first: &first, start: &start })?.is_some() {}
        Ok(())
    }

    unfit_scalars!();
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        if !lenient::streaming() {
            return Err(serde::de::Error::invalid_type(serde::de::Unexpected::Map, &self));
        }
        let raw = <Value as serde::Deserialize>::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        unfit(raw, &self)
    }
}

/// In a lenient pass after a strict one that failed in this list: takes back the items the strict
/// pass decoded before the failing one (see `runtime::resume`). Their text was cut out of the body
/// when their place in it was known; the item that follows must then be the one that failed, at
/// the place the cut left it. Otherwise their text is skipped.
#[cold]
#[inline(never)]
fn resume_items<'de, A: SeqAccess<'de>, T: Fields>(seq: &mut A, items: &mut Vec<T>) -> Result<(), A::Error> {
    let Some((decoded, cut)) = super::resume::take_at::<T>(&lenient::current_path()) else { return Ok(()) };
    if let Some(expected) = cut {
        *items = decoded;
        let (first, start) = (Cell::new(0), Cell::new(0));
        let next = seq.next_element_seed(NextItem { items: &mut *items, first: &first, start: &start })?;
        if next.is_none() || start.get() != expected {
            // Another list at the same path (a repeated member) came first: this pass fails, and
            // the whole text is read again without the saved items.
            return Err(serde::de::Error::custom("the list resumed is not the one the strict pass saw"));
        }
        return Ok(());
    }
    for index in 0..decoded.len() {
        if seq.next_element::<IgnoredAny>()?.is_none() {
            // Not the list the strict pass saw: this pass fails, and the body is decoded from a
            // parsed tree instead.
            return Err(serde::de::Error::custom(format_args!("the list ended at item {index} on a second reading")));
        }
    }
    *items = decoded;
    Ok(())
}

/// Decodes one array item into a new last element of the list, noting where its text starts
/// (the address of its first member name, see [`Fill`]); the list's first item's is kept in
/// `first`.
struct NextItem<'v, T> {
    items: &'v mut Vec<T>,
    first: &'v Cell<usize>,
    start: &'v Cell<usize>,
}

impl<'de, T: Fields> DeserializeSeed<'de> for NextItem<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let NextItem { items, first, start } = self;
        let index = items.len();
        make_room(items);
        items.push(T::default());
        start.set(0);
        let fill = Fill { out: &mut items[index], start: Some(start) };
        if lenient::streaming() {
            return streaming_item(deserializer, fill, index);
        }
        let result = deserializer.deserialize_map(fill);
        if index == 0 {
            first.set(start.get());
        }
        if result.is_err() {
            unwind::item_failed(index);
            // The items before this one decoded: kept for a lenient pass, if one follows, with
            // where the list's text and this item's start.
            let mut decoded = std::mem::take(items);
            decoded.truncate(index);
            super::resume::save(decoded, [first.get(), start.get()]);
        }
        result
    }
}

/// Room for one more item in a list being decoded. A full `Vec` doubles its capacity, so a long
/// list of large structs can hold nearly twice the memory its items need (281,876 contacts once
/// sat in 524,288 slots: BENCHMARKS.md, 8). Past 1 MiB of items the list grows by a quarter
/// instead: at most 1.25 times its items. The extra reallocations are few at that size and the
/// allocator moves large blocks by remapping pages, not copying them.
fn make_room<T>(items: &mut Vec<T>) {
    if items.len() < items.capacity() {
        return;
    }
    let bytes = items.len().saturating_mul(std::mem::size_of::<T>());
    let more = if bytes < GROW_BY_A_QUARTER_FROM { items.len().max(4) } else { items.len() / 4 };
    items.reserve_exact(more);
}

/// The size of a list's items from which it grows by a quarter rather than doubling.
const GROW_BY_A_QUARTER_FROM: usize = 1 << 20;

/// An item of a list of structs in a lenient decode's pass over the text, with its index on the
/// path. An item that is not an object cannot be kept raw (a list has no `extra_`): that pass
/// then fails, and the body is decoded from a parsed tree, which keeps the whole list raw.
#[cold]
#[inline(never)]
fn streaming_item<'de, D: Deserializer<'de>, T: Fields>(
    deserializer: D,
    item: Fill<'_, T>,
    index: usize,
) -> Result<(), D::Error> {
    lenient::within(Segment::Index(index), || deserializer.deserialize_any(item))?;
    match lenient::take_unfit() {
        None => Ok(()),
        Some(_) => Err(serde::de::Error::custom(format_args!("item {index} is not a JSON object for {}", T::NAME))),
    }
}

// The helpers below are generic over the deserializer only, not over the struct, and never
// inlined: one copy serves every struct, which keeps each struct's own decoding code small.

/// Reads the next member name and finds it among `fields`.
#[inline(never)]
fn next_key<'de, A: MapAccess<'de>>(
    map: &mut A,
    fields: &'static [&'static str],
    expected: usize,
) -> Result<Option<(Key, usize)>, A::Error> {
    map.next_key_seed(KeyPosition { fields, expected })
}

/// Keeps a member the struct does not declare in its catch-all map.
#[inline(never)]
fn keep_unknown<'de, A: MapAccess<'de>>(
    map: &mut A,
    name: String,
    extra: &mut Map<String, Value>,
) -> Result<(), A::Error> {
    let value: Value = map.next_value()?;
    extra.insert(name, value);
    super::undeclared::note_kept();
    Ok(())
}

/// The lenient path, taken only when the strict decoding of a response has failed.
#[cold]
#[inline(never)]
fn lenient_member<'de, A: MapAccess<'de>, T: Fields>(map: &mut A, out: &mut T, index: usize) -> Result<(), A::Error> {
    if !lenient::streaming() {
        return map.next_value_seed(LenientMember { out, index });
    }
    // Over the text: the member is decoded where it stays, with its name on the path; a value
    // that does not fit is parsed and left unfit by the decoder of its field (`member`, `tag`,
    // or a struct's or list's visitor) and kept raw here.
    let name = T::FIELDS[index];
    lenient::within(Segment::Key(name.into()), || map.next_value_seed(Member { out: &mut *out, index }))?;
    if let Some(raw) = lenient::take_unfit() {
        // The field stays empty even if an earlier repeat of the member had set it.
        let _ = out.set(index, Tracked(&Value::Null));
        if let Some(extra) = out.extra() {
            extra.insert(name.to_string(), raw);
        }
    }
    Ok(())
}

/// Decodes a declared member straight into its field (the fast, strict path).
struct Member<'o, T> {
    out: &'o mut T,
    index: usize,
}

impl<'de, T: Fields> DeserializeSeed<'de> for Member<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.out.set(self.index, deserializer)
    }
}

/// Decodes a declared member leniently: a value that does not fit the field is kept raw in the
/// catch-all map and reported (see [`lenient`]).
struct LenientMember<'o, T> {
    out: &'o mut T,
    index: usize,
}

impl<'de, T: Fields> DeserializeSeed<'de> for LenientMember<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let raw = <Value as serde::Deserialize>::deserialize(deserializer)?;
        let name = T::FIELDS[self.index];
        lenient::forget_error();
        if let Err(e) = self.out.set(self.index, Tracked(&raw)) {
            lenient::record(name, e.to_string());
            // The field stays empty even if an earlier repeat of the member had set it: the raw
            // value in `extra_` is the member's value, and re-encoding writes it once.
            let _ = self.out.set(self.index, Tracked(&Value::Null));
            if let Some(extra) = self.out.extra() {
                extra.insert(name.to_string(), raw);
            }
        }
        Ok(())
    }
}

enum Key {
    Known(usize),
    Unknown(String),
}

/// Reads a member name and finds it among the known ones, allocating only for an unknown name
/// (which the catch-all map keeps), whether the deserializer lends the name from its input or
/// only for the duration of the call.
struct KeyPosition {
    fields: &'static [&'static str],
    /// Where the search starts; it wraps around to the start of `fields`.
    expected: usize,
}

/// A member name found, and the address of its text (see [`Fill`]'s `start`).
impl<'de> DeserializeSeed<'de> for KeyPosition {
    type Value = (Key, usize);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(Key, usize), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyPosition {
    type Value = (Key, usize);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<(Key, usize), E> {
        let (earlier, from_expected) = self.fields.split_at(self.expected.min(self.fields.len()));
        let found = from_expected
            .iter()
            .position(|known| same_name(known, name))
            .map(|i| i + earlier.len())
            .or_else(|| earlier.iter().position(|known| same_name(known, name)));
        let key = match found {
            Some(index) => Key::Known(index),
            None => Key::Unknown(name.to_owned()),
        };
        Ok((key, name.as_ptr() as usize))
    }

    fn visit_bytes<E: serde::de::Error>(self, name: &[u8]) -> Result<(Key, usize), E> {
        match std::str::from_utf8(name) {
            Ok(text) => self.visit_str(text),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(name), &self)),
        }
    }
}

/// Whether two member names are equal, compared eight bytes at a time.
///
/// Names are short, and ranking a union compares each of a value's members with each name its
/// branches declare: `==` on strings calls `memcmp` whenever the lengths agree, and that call
/// costs more than comparing such short names in place (BENCHMARKS.md, 3h).
#[inline]
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let (mut a_words, mut b_words) = (a.chunks_exact(8), b.chunks_exact(8));
    for (x, y) in (&mut a_words).zip(&mut b_words) {
        if word(x) != word(y) {
            return false;
        }
    }
    a_words.remainder().iter().zip(b_words.remainder()).all(|(x, y)| x == y)
}

/// Eight bytes as one number, for [`same_name`].
#[inline]
fn word(bytes: &[u8]) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(bytes);
    u64::from_ne_bytes(word)
}

/// Decodes a member into its field. Never inlined, so that the decoding of one field type (say
/// `Option<String>`) is compiled once and shared by every struct that has such a field, instead of
/// being copied into each struct's [`Fields::set`]: a pass over many different models then runs
/// code that is already in the instruction cache (BENCHMARKS.md, 3d).
///
/// A failure of a member decoded by serde's own container code (a `Vec<String>`, a map) is named
/// by the member: those containers note no index or key (see `runtime::unwind`).
#[inline(never)]
pub fn member<'de, T: serde::de::DeserializeOwned, D: Deserializer<'de>>(
    field: &mut T,
    value: D,
) -> Result<(), D::Error> {
    if lenient::streaming() {
        // Kept raw by the struct if it does not fit, which also empties the field.
        if let Some(decoded) = lenient::kept_if_unfit(
            value,
            |text| T::deserialize(&mut serde_json::Deserializer::from_str(text)),
            |raw| T::deserialize(Tracked(raw)),
        )? {
            *field = decoded;
        }
        return Ok(());
    }
    match T::deserialize(value) {
        Ok(decoded) => {
            *field = decoded;
            Ok(())
        }
        Err(e) => {
            if holds_a_container::<T>() {
                unwind::opaque_failed();
            }
            Err(e)
        }
    }
}

/// Whether a field's type is (an option of) a list or a map, by its name: asked only on the way
/// out of a failure.
#[cold]
fn holds_a_container<T>() -> bool {
    let name = std::any::type_name::<T>();
    name.contains("Vec<") || name.contains("Map<")
}

/// A `type` member with one documented value (`"contact"`): that value, `null` or absence decode;
/// any other string does not fit, so that an object of another kind (a company answered where a
/// contact is declared) is a mismatch in lenient decoding, kept raw in `extra_`, and an error
/// naming the path in strict decoding.
pub fn tag<'de, D: Deserializer<'de>>(
    field: &mut Option<String>,
    value: D,
    expected: &'static str,
) -> Result<(), D::Error> {
    if lenient::streaming() {
        let decode = |raw: &Value| {
            let mut found = None;
            tag(&mut found, Tracked(raw), expected).map(|()| found)
        };
        // Decoded from the parsed value either way: a tag is one short string.
        if let Some(found) = lenient::kept_if_unfit(value, |_| Err(serde::de::Error::custom("")), decode)? {
            *field = found;
        }
        return Ok(());
    }
    let found = <Option<String> as serde::Deserialize>::deserialize(value)?;
    match found {
        Some(found) if found != expected => {
            *field = None;
            Err(serde::de::Error::invalid_value(serde::de::Unexpected::Str(&found), &format!("`{expected}`").as_str()))
        }
        found => {
            *field = found;
            Ok(())
        }
    }
}

/// A required member of a request-only struct, decoded into its partial copy (see the generator's
/// `partial_decoding`): missing or `null` is the error serde's derive gives, naming the member.
pub fn required<T, E: serde::de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

/// Skips a value; kept for generated code that must consume a member it does not store.
pub fn skip<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
    <IgnoredAny as serde::Deserialize>::deserialize(deserializer).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Sample {
        id: Option<String>,
        count: Option<i64>,
        extra_: Map<String, Value>,
    }

    impl Fields for Sample {
        const NAME: &'static str = "Sample";
        const FIELDS: &'static [&'static str] = &["id", "count"];
        fn set<'de, D: Deserializer<'de>>(&mut self, index: usize, value: D) -> Result<(), D::Error> {
            match index {
                0 => self.id = serde::Deserialize::deserialize(value)?,
                _ => self.count = serde::Deserialize::deserialize(value)?,
            }
            Ok(())
        }
        fn extra(&mut self) -> Option<&mut Extra> {
            Some(&mut self.extra_)
        }
    }

    impl<'de> serde::Deserialize<'de> for Sample {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    #[test]
    fn a_list_doubles_while_small_and_grows_by_a_quarter_once_large() {
        let mut small: Vec<[u8; 16]> = Vec::new();
        for _ in 0..1000 {
            make_room(&mut small);
            small.push([0; 16]);
        }
        assert_eq!(small.capacity(), 1024, "16 KB of items: doubling");
        let mut large: Vec<[u8; 1024]> = Vec::new();
        let mut most_spare = 0.0f64;
        for n in 1..=5000 {
            make_room(&mut large);
            large.push([0; 1024]);
            if n * 1024 >= GROW_BY_A_QUARTER_FROM * 2 {
                most_spare = most_spare.max(large.capacity() as f64 / n as f64);
            }
        }
        assert!(most_spare <= 1.25 + 1e-9, "at most a quarter more slots than items: {most_spare}");
        assert!(most_spare > 1.2, "the quarter is reached, so growth stays amortized: {most_spare}");
    }

    #[test]
    fn member_names_compare_equal_exactly_when_they_are_equal() {
        let names = ["", "a", "b", "type", "typf", "created", "updated_at", "updated_as", "created_at_x"];
        for a in names {
            for b in names {
                assert_eq!(same_name(a, b), a == b, "{a:?} and {b:?}");
            }
        }
        // A difference in each byte of a name of two whole words and a remainder.
        let name = "abcdefghijklmnopqr";
        for at in 0..name.len() {
            let mut other = name.as_bytes().to_vec();
            other[at] = b'_';
            assert!(!same_name(name, std::str::from_utf8(&other).unwrap()), "differs at {at}");
        }
    }

    #[test]
    fn members_in_any_order_unknown_kept_null_and_missing_are_none() {
        let s: Sample = serde_json::from_str(r#"{"extra":{"deep":[1,2]},"count":3,"id":null}"#).unwrap();
        let extra: Map<String, Value> = serde_json::from_str(r#"{"extra":{"deep":[1,2]}}"#).unwrap();
        assert_eq!(s, Sample { id: None, count: Some(3), extra_: extra });
        let s: Sample = serde_json::from_str("{}").unwrap();
        assert_eq!(s, Sample::default());
    }

    /// A type that drops the members it does not declare, as a request-only struct's partial
    /// copy does.
    #[derive(Debug, Default, PartialEq)]
    struct Dropping {
        id: Option<String>,
    }

    impl Fields for Dropping {
        const NAME: &'static str = "Dropping";
        const FIELDS: &'static [&'static str] = &["id"];
        fn set<'de, D: Deserializer<'de>>(&mut self, _: usize, value: D) -> Result<(), D::Error> {
            member(&mut self.id, value)
        }
        fn extra(&mut self) -> Option<&mut Extra> {
            None
        }
    }

    impl<'de> serde::Deserialize<'de> for Dropping {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    #[test]
    fn a_type_without_a_catch_all_skips_undeclared_members_and_drifted_ones() {
        let s: Dropping = serde_json::from_str(r#"{"x":{"deep":[1,"\u00e9"]},"id":"a","y":null}"#).unwrap();
        assert_eq!(s, Dropping { id: Some("a".into()) });
        // Skipped, not ignored: a malformed value is still an error.
        assert!(serde_json::from_str::<Dropping>(r#"{"x":[1,}"#).is_err());
        // Leniently, a member that does not fit is reported and dropped, not kept.
        let (s, mismatches) = lenient::decode::<Dropping>(br#"{"id":5,"x":1}"#).unwrap();
        assert_eq!(s, Dropping::default());
        assert_eq!(mismatches.len(), 1, "{mismatches:?}");
        assert_eq!(mismatches[0].path, "id");
    }

    #[test]
    fn escaped_names_are_matched_too() {
        // `\u0069d` is "id": serde_json cannot lend this name from the input.
        let s: Sample = serde_json::from_str(r#"{"\u0069d":"a"}"#).unwrap();
        assert_eq!(s.id.as_deref(), Some("a"));
        let s: Sample = serde_json::from_reader(&br#"{"id":"b"}"#[..]).unwrap();
        assert_eq!(s.id.as_deref(), Some("b"));
    }

    #[test]
    fn bodies_decode_as_text_and_invalid_utf8_gets_serde_jsons_own_error() {
        let body = "{\"id\":\"\\u00e9t\u{e9}\",\"count\":2,\"extra\":\"\u{20ac}\"}".as_bytes();
        let (text, bytes): (Sample, Sample) = (from_body(body).unwrap(), serde_json::from_slice(body).unwrap());
        assert_eq!(text, bytes);
        assert_eq!(text.id.as_deref(), Some("\u{e9}t\u{e9}"));
        let invalid = b"{\"id\":\"a\xff\"}";
        let (ours, theirs) =
            (from_body::<Sample>(invalid).unwrap_err(), serde_json::from_slice::<Sample>(invalid).unwrap_err());
        assert_eq!(ours.to_string(), theirs.to_string());
        assert!(ours.to_string().contains("line 1 column"), "{ours}");
    }

    #[test]
    fn repeated_member_keeps_the_last_value() {
        let s: Sample = serde_json::from_str(r#"{"count":1,"count":2}"#).unwrap();
        assert_eq!(s.count, Some(2));
    }

    #[test]
    fn wrong_shapes_are_errors_naming_the_type_and_the_member() {
        let e = serde_json::from_str::<Sample>("[1]").unwrap_err().to_string();
        assert!(e.contains("a JSON object for Sample"), "{e}");
        let e = serde_json::from_str::<Sample>(r#"{"count":"x"}"#).unwrap_err().to_string();
        assert!(e.contains("expected i64"), "{e}");
        let mut de = serde_json::Deserializer::from_str(r#"{"id":"a","count":true}"#);
        let e = serde_path_to_error::deserialize::<_, Sample>(&mut de).unwrap_err();
        assert_eq!(e.path().to_string(), "count");
    }
}

#[cfg(test)]
mod lenient_tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Inner {
        name: Option<String>,
        extra_: Map<String, Value>,
    }

    impl Fields for Inner {
        const NAME: &'static str = "Inner";
        const FIELDS: &'static [&'static str] = &["name"];
        fn set<'de, D: Deserializer<'de>>(&mut self, _index: usize, value: D) -> Result<(), D::Error> {
            self.name = serde::Deserialize::deserialize(value)?;
            Ok(())
        }
        fn extra(&mut self) -> Option<&mut Extra> {
            Some(&mut self.extra_)
        }
    }

    impl<'de> serde::Deserialize<'de> for Inner {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    #[derive(Debug, Default, PartialEq)]
    struct Outer {
        data: Option<Vec<Inner>>,
        tags: Option<Vec<String>>,
        extra_: Map<String, Value>,
    }

    impl Fields for Outer {
        const NAME: &'static str = "Outer";
        const FIELDS: &'static [&'static str] = &["data", "tags"];
        fn set<'de, D: Deserializer<'de>>(&mut self, index: usize, value: D) -> Result<(), D::Error> {
            match index {
                0 => self.data = serde::Deserialize::deserialize(value)?,
                _ => self.tags = serde::Deserialize::deserialize(value)?,
            }
            Ok(())
        }
        fn extra(&mut self) -> Option<&mut Extra> {
            Some(&mut self.extra_)
        }
    }

    impl<'de> serde::Deserialize<'de> for Outer {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    #[test]
    fn drifted_members_are_kept_raw_with_their_path() {
        let body = br#"{"data": [{"name": "a"}, {"name": 5, "x": 1}], "tags": ["t", true]}"#;
        assert!(serde_json::from_slice::<Outer>(body).is_err(), "strict decoding refuses the drift");
        let (outer, mismatches) = lenient::decode::<Outer>(body).unwrap();
        let data = outer.data.unwrap();
        assert_eq!(data[0].name.as_deref(), Some("a"));
        assert_eq!(data[1].name, None);
        assert_eq!(Value::Object(data[1].extra_.clone()), json!({"name": 5, "x": 1}));
        assert_eq!(outer.tags, None);
        assert_eq!(Value::Object(outer.extra_), json!({"tags": ["t", true]}));
        let paths: Vec<&str> = mismatches.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, ["data[1].name", "tags[1]"]);
        assert!(mismatches[0].message.contains("expected a string"), "{}", mismatches[0]);
    }

    #[test]
    fn the_wrong_overall_shape_stays_an_error() {
        assert!(lenient::decode::<Outer>(b"[1, 2]").is_err());
        assert!(lenient::decode::<Outer>(b"\"text\"").is_err());
    }
}

#[cfg(test)]
mod in_place_tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Leaf {
        name: Option<String>,
        extra_: Map<String, Value>,
    }

    impl Fields for Leaf {
        const NAME: &'static str = "Leaf";
        const FIELDS: &'static [&'static str] = &["name"];
        fn set<'de, D: Deserializer<'de>>(&mut self, _index: usize, value: D) -> Result<(), D::Error> {
            member(&mut self.name, value)
        }
        fn extra(&mut self) -> Option<&mut Extra> {
            Some(&mut self.extra_)
        }
    }

    #[derive(Debug, Default, PartialEq)]
    struct Tree {
        leaf: Option<Leaf>,
        leaves: Option<Vec<Leaf>>,
        extra_: Map<String, Value>,
    }

    impl Fields for Tree {
        const NAME: &'static str = "Tree";
        const FIELDS: &'static [&'static str] = &["leaf", "leaves"];
        fn set<'de, D: Deserializer<'de>>(&mut self, index: usize, value: D) -> Result<(), D::Error> {
            match index {
                0 => member_in_place(&mut self.leaf, value),
                _ => member_in_place(&mut self.leaves, value),
            }
        }
        fn extra(&mut self) -> Option<&mut Extra> {
            Some(&mut self.extra_)
        }
    }

    impl<'de> serde::Deserialize<'de> for Tree {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    fn leaf(name: &str, extra: Value) -> Leaf {
        let Value::Object(extra_) = extra else { panic!("an object") };
        Leaf { name: Some(name.into()), extra_ }
    }

    #[test]
    fn structs_and_lists_of_structs_decode_in_place_with_their_unknown_members() {
        let tree: Tree =
            serde_json::from_str(r#"{"leaf":{"name":"a","x":1},"leaves":[{"name":"b"},{"name":"c","y":[2]}]}"#)
                .unwrap();
        assert_eq!(tree.leaf, Some(leaf("a", json!({"x": 1}))));
        assert_eq!(tree.leaves, Some(vec![leaf("b", json!({})), leaf("c", json!({"y": [2]}))]));
    }

    #[test]
    fn null_and_missing_are_none_an_empty_list_is_kept_and_the_last_repeat_wins() {
        let tree: Tree = serde_json::from_str(r#"{"leaf":null,"leaves":[]}"#).unwrap();
        assert_eq!((tree.leaf, tree.leaves), (None, Some(vec![])));
        let tree: Tree = serde_json::from_str(r#"{"leaf":{"name":"a","x":1},"leaf":{"name":"b"}}"#).unwrap();
        assert_eq!(tree.leaf, Some(leaf("b", json!({}))), "the repeat starts from an empty struct");
        let tree: Tree = serde_json::from_str(r#"{"leaf":{"name":"a"},"leaf":null}"#).unwrap();
        assert_eq!(tree.leaf, None);
    }

    #[test]
    fn wrong_shapes_are_errors_strictly_and_leave_the_field_empty_leniently() {
        let e = serde_json::from_str::<Tree>(r#"{"leaf":"text"}"#).unwrap_err().to_string();
        assert!(e.contains("a JSON object for Leaf"), "{e}");
        let e = serde_json::from_str::<Tree>(r#"{"leaves":[{"name":"a"},7]}"#).unwrap_err().to_string();
        assert!(e.contains("a JSON object for Leaf"), "{e}");
        let (tree, mismatches) = lenient::decode::<Tree>(br#"{"leaf":"text","leaves":[{"name":3}]}"#).unwrap();
        assert_eq!(tree.leaf, None, "not an empty struct left behind by the failed attempt");
        let leaves = tree.leaves.unwrap();
        assert_eq!((leaves[0].name.as_ref(), &leaves[0].extra_), (None, &leaf("x", json!({"name": 3})).extra_));
        assert_eq!(Value::Object(tree.extra_), json!({"leaf": "text"}));
        let paths: Vec<&str> = mismatches.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, ["leaf", "leaves[0].name"]);
    }

    #[test]
    fn a_list_where_a_struct_is_declared_and_an_object_where_a_list_is_are_kept_raw_leniently() {
        let body = br#"{"leaf":[1,{"name":"x"}],"leaves":{"name":"y"}}"#;
        let (tree, mismatches) = lenient::decode::<Tree>(body).unwrap();
        assert_eq!((tree.leaf, tree.leaves), (None, None));
        assert_eq!(Value::Object(tree.extra_), json!({"leaf": [1, {"name": "x"}], "leaves": {"name": "y"}}));
        let found: Vec<(&str, &str)> = mismatches.iter().map(|m| (m.path.as_str(), m.message.as_str())).collect();
        assert_eq!(
            found,
            [
                ("leaf", "invalid type: sequence, expected a JSON object for Leaf"),
                ("leaves", "invalid type: map, expected a JSON array of Leaf")
            ]
        );
    }

    #[test]
    fn a_strict_failure_notes_its_path_on_the_way_out_and_a_success_notes_nothing() {
        unwind::clear();
        let body = r#"{"leaf":{"name":"a"},"leaves":[{"name":"b"},{"name":3}]}"#;
        assert!(serde_json::from_str::<Tree>(body).is_err());
        assert_eq!(unwind::take(), "leaves[1].name");
        let e = serde_json::from_str::<Tree>(r#"{"leaf":"text"}"#).unwrap_err();
        assert!(e.to_string().contains("a JSON object for Leaf"), "{e}");
        assert_eq!(unwind::take(), "leaf");
        let _: Tree = serde_json::from_str(r#"{"leaves":[{"name":"b"}]}"#).unwrap();
        assert_eq!(unwind::take(), ".");
    }

    /// A strict pass that fails in a list, as the client runs it; returns the lenient decode.
    fn strict_then_lenient(body: &str) -> (Tree, Vec<String>, Option<String>) {
        unwind::clear();
        let strict = super::super::resume::first_pass(|| from_body::<Tree>(body.as_bytes()));
        assert!(strict.is_err(), "the strict pass fails");
        super::super::resume::locate();
        unwind::take();
        // What the lenient pass will read (`cut` is asked again by `lenient::decode`, and gives
        // the same text).
        let cut = super::super::resume::cut(body);
        let (tree, mismatches) = lenient::decode::<Tree>(body.as_bytes()).unwrap();
        super::super::resume::clear();
        (tree, mismatches.into_iter().map(|m| m.path).collect(), cut)
    }

    #[test]
    fn the_lenient_pass_reads_the_body_without_the_items_the_strict_pass_decoded() {
        let body = r#"{"leaves":[{"name":"a"}, {"name":"b","x":1},
            {"name":3},{"name":"d"}],"leaf":{"name":"e"}}"#;
        let (tree, paths, cut) = strict_then_lenient(body);
        assert_eq!(cut.as_deref(), Some(r#"{"leaves":[{"name":3},{"name":"d"}],"leaf":{"name":"e"}}"#));
        let mut third = Leaf::default();
        third.extra_.insert("name".into(), Value::from(3));
        let expected = vec![leaf("a", json!({})), leaf("b", json!({"x": 1})), third, leaf("d", json!({}))];
        assert_eq!(tree.leaves, Some(expected), "the saved items, then the rest, in order");
        assert_eq!(tree.leaf, Some(leaf("e", json!({}))));
        assert_eq!(paths, ["leaves[2].name"], "indexes count the items cut out");
    }

    #[test]
    fn a_repeated_list_whose_first_copy_is_met_first_is_read_again_whole() {
        // The second copy fails; the lenient pass meets the first copy at the same path first,
        // finds another item than the failing one after the saved ones, and reads the whole text.
        let body = r#"{"leaves":[{"name":"x"},{"name":"y"},{"name":"z"}],"leaves":[{"name":"a"},{"name":3}]}"#;
        let (tree, paths, cut) = strict_then_lenient(body);
        assert!(cut.is_some());
        let mut second = Leaf::default();
        second.extra_.insert("name".into(), Value::from(3));
        assert_eq!(tree.leaves, Some(vec![leaf("a", json!({})), second]), "the last copy");
        assert_eq!(paths, ["leaves[1].name"]);
        // A first copy that ends before the saved items do: read again whole as well.
        let body = r#"{"leaves":[],"leaves":[{"name":"a"},{"name":"b"},{"name":3}]}"#;
        let (tree, paths, _) = strict_then_lenient(body);
        assert_eq!(tree.leaves.map(|l| l.len()), Some(3));
        assert_eq!(paths, ["leaves[2].name"]);
    }
}
