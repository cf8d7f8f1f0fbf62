//! Decoding of `oneOf`/`anyOf` types. Intercom's branches are mostly objects whose fields are all
//! optional, so "first branch that decodes" would always pick the first one. Instead each branch
//! carries a [`Shape`] (JSON kind, tag values such as `type: "contact"`, required and known
//! properties, the declared kind and enum values of its members); branches are ranked by how well
//! the value fits and tried best-first. A value that
//! fits no branch is kept as raw JSON in the type's `Unknown` variant: decoding never fails.
//!
//! A branch that is itself a union (`ReplyConversationRequest` → `ContactReplyConversationRequest`
//! → its three identifier branches) is ranked as one: the generator lists the inner union's
//! shapes among the outer one's, and `branch` decodes such an entry through the inner union's own
//! `branch`. The value is then buffered, probed and ranked once, and a value none of the inner
//! shapes admits is the outer union's `Unknown`, not an inner `Unknown` reached because a union
//! branch, having no shape of its own, admits anything.
//!
//! The value is buffered once as raw JSON text (`serde_json::value::RawValue`, a copy of the bytes,
//! no tree): only its top-level members are looked at to rank the branches, and the chosen branch
//! decodes from the text at full speed. Inside a lenient decode (see [`super::lenient`]) the value
//! is a parsed tree already and branches decode from it by reference.
//!
//! Buffering as raw text needs a serde_json deserializer (from text, bytes, a reader or a
//! `serde_json::Value`): a model holding a `oneOf` cannot be decoded from another serde format.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

use super::de::same_name;
use super::lenient;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Any,
    Object,
    Array,
    String,
    Integer,
    Number,
    Bool,
}

/// What a branch accepts, as generated from its schema.
#[derive(Debug)]
pub struct Shape {
    pub kind: JsonKind,
    pub tags: &'static [(&'static str, &'static str)],
    pub required: &'static [&'static str],
    pub known: &'static [&'static str],
    /// Properties whose schema names one JSON kind: a member of another kind counts against
    /// the branch when branches otherwise rank equally.
    pub kinds: &'static [(&'static str, JsonKind)],
    /// String properties with an enum of several values: a member with another value counts
    /// against the branch the same way (enums stay open: this only ranks).
    pub values: &'static [(&'static str, &'static [&'static str])],
}

/// A generated `oneOf` type: its branches' shapes, how to decode a branch, and the catch-all.
pub trait OneOf: Sized {
    const SHAPES: &'static [Shape];
    /// Decodes the branch ranked as `SHAPES[index]` from `deserializer` (for an entry that came
    /// from an inner union, through that union's own `branch`).
    fn branch<'de, D: Deserializer<'de>>(index: usize, deserializer: D) -> Result<Self, D::Error>;
    /// The value that fits no branch, kept verbatim.
    fn unknown(value: Value) -> Self;
}

/// `Deserialize::deserialize` for every [`OneOf`] type.
pub fn deserialize<'de, D: Deserializer<'de>, T: OneOf>(deserializer: D) -> Result<T, D::Error> {
    if lenient::active() {
        let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
        return Ok(lenient::over_a_tree(|| decode_value(value)));
    }
    let raw = <Box<RawValue> as serde::Deserialize>::deserialize(deserializer)?;
    decode_raw(&raw).map_err(serde::de::Error::custom)
}

/// An object member as ranking sees it: name, its text if it is a string, its JSON kind.
type Member<'a> = (Cow<'a, str>, Option<Cow<'a, str>>, Kind);

/// The top-level facts of a value that ranking needs.
struct Probe<'a> {
    kind: Kind,
    members: Vec<Member<'a>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    Object,
    Array,
    String,
    Integer,
    Float,
    Bool,
}

impl Probe<'_> {
    fn member(&self, name: &str) -> Option<&Member<'_>> {
        self.members.iter().find(|(k, _, _)| same_name(k, name))
    }
}

impl Shape {
    /// Whether the value can be this branch at all (its JSON kind is admitted and no tag member
    /// has another value), and if so how many tag members it has with the tag's value (`0` for a
    /// value that is not an object).
    fn fit(&self, probe: &Probe<'_>) -> Option<u8> {
        if !admits(self.kind, probe.kind) {
            return None;
        }
        if probe.kind != Kind::Object {
            return Some(0);
        }
        let mut hits = 0;
        for (key, expected) in self.tags {
            match probe.member(key).and_then(|(_, text, _)| text.as_deref()) {
                Some(actual) if actual == *expected => hits += 1,
                Some(_) => return None,
                None => {}
            }
        }
        Some(hits)
    }

    /// `None` when the value cannot be this branch; otherwise a score, higher is better.
    fn score(&self, probe: &Probe<'_>) -> Option<Score> {
        self.fit(probe).map(|tag_hits| self.score_fitting(probe, tag_hits))
    }

    /// The score of a value this branch admits with `tag_hits` matching tags (see [`Shape::fit`]).
    fn score_fitting(&self, probe: &Probe<'_>, tag_hits: u8) -> Score {
        if probe.kind != Kind::Object {
            return (u8::from(self.kind != JsonKind::Any), 0, 0, 0);
        }
        let required_present =
            self.required.iter().all(|r| probe.member(r).is_some_and(|(_, _, kind)| *kind != Kind::Null));
        // `null` members count as absent, like everywhere else: a branch's encoding leaves out its
        // empty fields, and decoding that encoding again must rank the branches the same way.
        let present = || probe.members.iter().filter(|(_, _, kind)| *kind != Kind::Null);
        let known_hits = present().filter(|(k, _, _)| self.known.iter().any(|known| same_name(known, k))).count();
        let unknown = present().count() - known_hits;
        let wrong_kind = self
            .kinds
            .iter()
            .filter(|(name, kind)| {
                probe.member(name).is_some_and(|(_, _, found)| *found != Kind::Null && !admits(*kind, *found))
            })
            .count();
        let wrong_value = self
            .values
            .iter()
            .filter(|(name, values)| {
                probe.member(name).and_then(|(_, text, _)| text.as_deref()).is_some_and(|text| !values.contains(&text))
            })
            .count();
        let fits = usize::MAX - wrong_kind - wrong_value;
        (tag_hits * 2 + u8::from(required_present), known_hits, fits, usize::MAX - unknown)
    }
}

/// How well a value fits a branch, compared in order: tags and required members, members the
/// branch declares, members of the declared kind and value, fewest undeclared members.
type Score = (u8, usize, usize, usize);

/// Whether a value of kind `found` can be of the declared kind.
fn admits(declared: JsonKind, found: Kind) -> bool {
    matches!(
        (declared, found),
        (JsonKind::Any, _)
            | (JsonKind::Object, Kind::Object)
            | (JsonKind::Array, Kind::Array)
            | (JsonKind::String, Kind::String)
            | (JsonKind::Bool, Kind::Bool)
            | (JsonKind::Integer, Kind::Integer)
            | (JsonKind::Number, Kind::Integer | Kind::Float)
    )
}

/// Branch indices that can hold the value, best first.
fn ranked(shapes: &[Shape], probe: &Probe<'_>) -> Vec<usize> {
    let mut ranked: Vec<(usize, Score)> =
        shapes.iter().enumerate().filter_map(|(i, s)| s.score(probe).map(|score| (i, score))).collect();
    ranked.sort_by_key(|&(_, score)| std::cmp::Reverse(score));
    ranked.into_iter().map(|(i, _)| i).collect()
}

/// The fast path: rank from the raw text's top level, decode the chosen branch from the text.
///
/// A value that some branch's shape admits but no branch decodes strictly is a drifted member of
/// a known kind of value, not a new kind: it fails here like any other drift, so that strict
/// decoding reports it and lenient decoding (which the client then runs) picks the same branch
/// [`decode_value`] picks. Only a value no shape admits (an unknown tag, another JSON kind) is
/// kept raw in `Unknown`. Either way the outcome depends on the value alone, never on whether
/// something elsewhere in the body made the client decode leniently.
fn decode_raw<T: OneOf>(raw: &RawValue) -> Result<T, serde_json::Error> {
    let text = raw.get();
    let probe = probe_text(text)?;
    let decode = |index| {
        let mut de = serde_json::Deserializer::from_str(text);
        T::branch(index, &mut de).and_then(|v| de.end().map(|()| v))
    };
    // The best-ranked branch almost always decodes: found without ranking them all.
    let Some(best) = best(T::SHAPES, &probe) else {
        return serde_json::from_str(text).map(T::unknown);
    };
    // Where the best branch failed is the path a strict error names (see `unwind`); what the
    // other branches' attempts note is forgotten.
    let mark = super::unwind::mark();
    let first_error = match decode(best) {
        Ok(decoded) => return Ok(decoded),
        Err(e) => e,
    };
    let failed_at = super::unwind::split_off(mark);
    // Items a list inside a branch kept for a lenient pass are of no use to it: that pass decodes
    // a union from its parsed value (`resume`).
    super::resume::clear();
    for index in ranked(T::SHAPES, &probe).into_iter().filter(|&i| i != best) {
        let decoded = decode(index);
        super::unwind::split_off(mark);
        super::resume::clear();
        if let Ok(decoded) = decoded {
            return Ok(decoded);
        }
    }
    super::unwind::restore(failed_at);
    Err(first_error)
}

/// The first of the best-scoring branches: what [`ranked`] puts first.
///
/// Most of Intercom's unions are tagged (`type`, `data_type`), so the tags alone usually leave
/// one branch: it is returned without scoring the members, which is most of the ranking's cost.
fn best(shapes: &[Shape], probe: &Probe<'_>) -> Option<usize> {
    let mut admitted = shapes.iter().enumerate().filter_map(|(i, shape)| shape.fit(probe).map(|hits| (i, hits)));
    let first = admitted.next()?;
    let Some(second) = admitted.next() else {
        return Some(first.0);
    };
    // Several admit it: score those alone, each shape's tags looked up once. The first of equal
    // scores wins, as in `ranked`'s stable sort.
    let mut best: Option<(usize, Score)> = None;
    for (index, tag_hits) in [first, second].into_iter().chain(admitted) {
        let score = shapes[index].score_fitting(probe, tag_hits);
        if best.is_none() || best.is_some_and(|(_, top)| score > top) {
            best = Some((index, score));
        }
    }
    best.map(|(index, _)| index)
}

/// Inside a lenient decode: the same ranking on the parsed tree; branches are tried strictly, and
/// if none fits, the best-ranked one leniently (typed access, drifted members kept raw).
fn decode_value<T: OneOf>(value: Value) -> T {
    let probe = probe_value(&value);
    let order = ranked(T::SHAPES, &probe);
    for &index in &order {
        if let Ok(decoded) = lenient::strictly(|| T::branch(index, &value)) {
            return decoded;
        }
    }
    if let Some(&best) = order.first() {
        lenient::forget_error();
        match T::branch(best, lenient::Tracked(&value)) {
            Ok(decoded) => return decoded,
            // Kept raw, and reported: a shape admits the value, so this is drift, not a new kind.
            Err(e) => lenient::record_here(format!("fits none of its {} possible shapes: {e}", T::SHAPES.len())),
        }
    }
    T::unknown(value)
}

fn probe_value(value: &Value) -> Probe<'_> {
    let members = match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (Cow::Borrowed(k.as_str()), v.as_str().map(Cow::Borrowed), kind_of_value(v)))
            .collect(),
        _ => Vec::new(),
    };
    Probe { kind: kind_of_value(value), members }
}

fn kind_of_value(value: &Value) -> Kind {
    match value {
        Value::Null => Kind::Null,
        Value::Bool(_) => Kind::Bool,
        Value::Number(n) if n.is_i64() || n.is_u64() => Kind::Integer,
        Value::Number(_) => Kind::Float,
        Value::String(_) => Kind::String,
        Value::Array(_) => Kind::Array,
        Value::Object(_) => Kind::Object,
    }
}

/// The kind of a JSON value from its text, which serde_json has already checked.
fn kind_of_text(text: &str) -> Kind {
    match text.trim_start().as_bytes().first().copied() {
        Some(b'{') => Kind::Object,
        Some(b'[') => Kind::Array,
        Some(b'"') => Kind::String,
        Some(b't' | b'f') => Kind::Bool,
        Some(b'n') | None => Kind::Null,
        Some(_) if text.contains(['.', 'e', 'E']) => Kind::Float,
        Some(_) => Kind::Integer,
    }
}

fn probe_text(text: &str) -> Result<Probe<'_>, serde_json::Error> {
    let kind = kind_of_text(text);
    let members = if kind == Kind::Object {
        serde_json::Deserializer::from_str(text).deserialize_map(TopLevel)?
    } else {
        Vec::new()
    };
    Ok(Probe { kind, members })
}

/// Reads an object's members without building their values: names (borrowed unless escaped), the
/// text of string values (tags), and each value's kind.
struct TopLevel;

impl<'de> Visitor<'de> for TopLevel {
    type Value = Vec<Member<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Room for a typical object's members, so the list is not regrown member by member.
        let mut out = Vec::with_capacity(16);
        while let Some(key) = map.next_key_seed(Text)? {
            let raw: &'de RawValue = map.next_value()?;
            let value = raw.get();
            let text = match value.strip_prefix('"') {
                // serde_json has checked the string: without escapes its text is what is between
                // the quotes.
                Some(quoted) if !quoted.contains('\\') => Some(Cow::Borrowed(&quoted[..quoted.len() - 1])),
                Some(_) => Some(
                    Text.deserialize(&mut serde_json::Deserializer::from_str(value))
                        .map_err(serde::de::Error::custom)?,
                ),
                None => None,
            };
            out.push((key, text, kind_of_text(value)));
        }
        Ok(out)
    }
}

/// A string, borrowed from the input when it has no escapes.
struct Text;

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Text {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Which branch a value goes to, or the raw value.
    #[derive(Debug, PartialEq)]
    enum Pick {
        Branch(usize, Value),
        Unknown(Value),
    }

    impl OneOf for Pick {
        const SHAPES: &'static [Shape] = &[
            Shape {
                kind: JsonKind::Object,
                tags: &[("type", "user")],
                required: &[],
                known: &["type", "id"],
                kinds: &[],
                values: &[],
            },
            Shape {
                kind: JsonKind::Object,
                tags: &[("type", "lead")],
                required: &[],
                known: &["type", "id"],
                kinds: &[],
                values: &[],
            },
            Shape { kind: JsonKind::String, tags: &[], required: &[], known: &[], kinds: &[], values: &[] },
        ];
        fn branch<'de, D: Deserializer<'de>>(index: usize, deserializer: D) -> Result<Self, D::Error> {
            let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
            Ok(Pick::Branch(index, value))
        }
        fn unknown(value: Value) -> Self {
            Pick::Unknown(value)
        }
    }

    impl<'de> serde::Deserialize<'de> for Pick {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::deserialize(deserializer)
        }
    }

    fn pick(value: Value) -> Pick {
        let text = serde_json::from_slice::<Pick>(&serde_json::to_vec(&value).unwrap()).unwrap();
        let tree = serde_json::from_value::<Pick>(value.clone()).unwrap();
        let (lenient, _) = lenient::decode_value::<Pick>(&value).unwrap();
        assert_eq!(text, tree, "from text and from a tree alike");
        assert_eq!(text, lenient, "strict and lenient alike");
        text
    }

    #[test]
    fn tags_decide_between_object_branches() {
        assert_eq!(pick(json!({"type": "lead", "id": "1"})), Pick::Branch(1, json!({"type": "lead", "id": "1"})));
        assert_eq!(pick(json!({"id": null, "type": "user"})), Pick::Branch(0, json!({"id": null, "type": "user"})));
        assert_eq!(pick(json!("x")), Pick::Branch(2, json!("x")));
    }

    #[test]
    fn escaped_names_and_tags_count() {
        let picked: Pick = serde_json::from_str(r#"{"typ\u0065": "l\u0065ad"}"#).unwrap();
        assert_eq!(picked, Pick::Branch(1, json!({"type": "lead"})));
    }

    #[test]
    fn nothing_fitting_is_kept_raw() {
        assert_eq!(pick(json!({"type": "bot"})), Pick::Unknown(json!({"type": "bot"})));
        assert_eq!(pick(json!(3)), Pick::Unknown(json!(3)));
        assert_eq!(pick(json!([1.5])), Pick::Unknown(json!([1.5])));
    }

    /// One branch with a typed member, to see drift inside a branch.
    #[derive(Debug, PartialEq)]
    enum Typed {
        User(String),
        Unknown(Value),
    }

    impl OneOf for Typed {
        const SHAPES: &'static [Shape] = &[Shape {
            kind: JsonKind::Object,
            tags: &[("type", "user")],
            required: &["id"],
            known: &["type", "id"],
            kinds: &[],
            values: &[],
        }];
        fn branch<'de, D: Deserializer<'de>>(_: usize, deserializer: D) -> Result<Self, D::Error> {
            #[derive(serde::Deserialize)]
            struct User {
                id: String,
            }
            <User as serde::Deserialize>::deserialize(deserializer).map(|u| Typed::User(u.id))
        }
        fn unknown(value: Value) -> Self {
            Typed::Unknown(value)
        }
    }

    impl<'de> serde::Deserialize<'de> for Typed {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::deserialize(deserializer)
        }
    }

    #[test]
    fn drift_inside_an_admitted_branch_is_an_error_strictly_and_reported_leniently() {
        // Strictly, the value is a user with a wrong member, not a new kind of value: an error,
        // never a silent `Unknown` (which lenient decoding would then contradict).
        let drifted = json!({"type": "user", "id": 7});
        assert!(serde_json::from_value::<Typed>(drifted.clone()).is_err());
        let (decoded, mismatches) = lenient::decode_value::<Typed>(&drifted).unwrap();
        assert_eq!(decoded, Typed::Unknown(drifted));
        assert_eq!(mismatches.len(), 1, "{mismatches:?}");
        assert_eq!(mismatches[0].path, "id");
        // A tag no shape admits is a new kind of value: raw, silently, both ways.
        let new_kind = json!({"type": "bot", "id": 7});
        assert_eq!(serde_json::from_value::<Typed>(new_kind.clone()).unwrap(), Typed::Unknown(new_kind.clone()));
        assert_eq!(lenient::decode_value::<Typed>(&new_kind).unwrap(), (Typed::Unknown(new_kind), Vec::new()));
    }

    #[test]
    fn ranking_ignores_member_order_and_nulls() {
        let scores = |value: Value| {
            let probe = probe_value(&value);
            Pick::SHAPES.iter().map(|s| s.score(&probe)).collect::<Vec<_>>()
        };
        assert_eq!(scores(json!({"type": null, "id": "1", "extra": null})), scores(json!({"id": "1"})));
        assert_eq!(scores(json!({"id": "1", "type": "lead"})), scores(json!({"type": "lead", "id": "1"})));
    }

    #[test]
    fn the_best_branch_is_the_first_ranked_one_ties_going_to_the_earlier_branch() {
        let first_ranked = |value: Value| {
            let probe = probe_value(&value);
            (best(Pick::SHAPES, &probe), ranked(Pick::SHAPES, &probe).first().copied())
        };
        for value in [
            json!({"id": "1"}),
            json!({"type": "lead"}),
            json!({"type": "user", "id": "1"}),
            json!({"type": "bot"}),
            json!("text"),
            json!(3),
        ] {
            let (best, ranked) = first_ranked(value.clone());
            assert_eq!(best, ranked, "{value}");
        }
        // `{"id": "1"}` fits both object branches equally: the first declared wins.
        assert_eq!(first_ranked(json!({"id": "1"})).0, Some(0));
    }

    #[test]
    fn member_kinds_and_enum_values_break_ties_between_branches_with_the_same_names() {
        // Intercom's search filters: one filter, or `AND`/`OR` over a list of filters.
        const FILTERS: &[Shape] = &[
            Shape {
                kind: JsonKind::Object,
                tags: &[],
                required: &[],
                known: &["field", "operator", "value"],
                kinds: &[("field", JsonKind::String), ("operator", JsonKind::String), ("value", JsonKind::String)],
                values: &[("operator", &["=", "IN"])],
            },
            Shape {
                kind: JsonKind::Object,
                tags: &[],
                required: &[],
                known: &["operator", "value"],
                kinds: &[("operator", JsonKind::String), ("value", JsonKind::Array)],
                values: &[("operator", &["AND", "OR"])],
            },
        ];
        let best_of = |value: Value| {
            let probe = probe_value(&value);
            let best = best(FILTERS, &probe);
            assert_eq!(best, ranked(FILTERS, &probe).first().copied(), "{value}");
            best
        };
        assert_eq!(best_of(json!({"operator": "AND", "value": [{"field": "a"}]})), Some(1));
        assert_eq!(best_of(json!({"operator": "=", "value": "x"})), Some(0), "a value not in the enum");
        // Both reject `XOR`; only the single filter also expects a string `value`.
        assert_eq!(best_of(json!({"operator": "XOR", "value": [1]})), Some(1), "a member of another kind");
        assert_eq!(best_of(json!({"field": "a", "operator": "AND", "value": []})), Some(0), "names come first");
        // Only a ranking: a value of another kind or outside the enum never rules a branch out.
        let unknown_operator = json!({"operator": "XOR", "value": 1});
        let probe = probe_value(&unknown_operator);
        assert!(FILTERS.iter().all(|shape| shape.score(&probe).is_some()));
    }

    #[test]
    fn kinds_from_text() {
        let kind = |t| probe_text(t).unwrap().kind;
        assert_eq!(kind(" 12"), Kind::Integer);
        assert_eq!(kind("-1.5e3"), Kind::Float);
        assert_eq!(kind("null"), Kind::Null);
        assert_eq!(kind("true"), Kind::Bool);
        assert_eq!(kind("[]"), Kind::Array);
    }
}
