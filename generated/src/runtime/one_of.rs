//! Decoding of `oneOf`/`anyOf` types. Intercom's branches are mostly objects whose fields are all
//! optional, so "first branch that decodes" would always pick the first one. Instead each branch
//! carries a [`Shape`] (JSON kind, tag values such as `type: "contact"`, required and known
//! properties); branches are ranked by how well the value fits and tried best-first. A value that
//! fits no branch is kept as raw JSON in the type's `Unknown` variant: decoding never fails.

use serde_json::Value;

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
}

impl Shape {
    /// `None` when the value cannot be this branch; otherwise a score, higher is better.
    fn score(&self, value: &Value) -> Option<(u8, usize, usize)> {
        let kind_ok = match (self.kind, value) {
            (JsonKind::Any, _) => true,
            (JsonKind::Object, Value::Object(_)) => true,
            (JsonKind::Array, Value::Array(_)) => true,
            (JsonKind::String, Value::String(_)) => true,
            (JsonKind::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
            (JsonKind::Number, Value::Number(_)) => true,
            (JsonKind::Bool, Value::Bool(_)) => true,
            _ => false,
        };
        if !kind_ok {
            return None;
        }
        let Value::Object(map) = value else {
            // Exact kinds beat `Any`.
            return Some((u8::from(self.kind != JsonKind::Any), 0, 0));
        };
        let mut tag_hits = 0;
        for (key, expected) in self.tags {
            match map.get(*key).and_then(Value::as_str) {
                Some(actual) if actual == *expected => tag_hits += 1,
                Some(_) => return None,
                None => {}
            }
        }
        let required_present = self.required.iter().all(|r| map.get(*r).is_some_and(|v| !v.is_null()));
        let known_hits = map.keys().filter(|k| self.known.contains(&k.as_str())).count();
        let unknown = map.len() - known_hits;
        // Tag matches first, then satisfied `required`, then most known and fewest unknown keys.
        Some((tag_hits as u8 * 2 + u8::from(required_present), known_hits, usize::MAX - unknown))
    }
}

/// Ranks the branches for `value` and decodes with the best one that succeeds.
pub fn decode<T>(
    value: Value,
    shapes: &[Shape],
    try_branch: impl Fn(usize, Value) -> Result<T, serde_json::Error>,
    unknown: impl FnOnce(Value) -> T,
) -> T {
    let mut ranked: Vec<(usize, (u8, usize, usize))> =
        shapes.iter().enumerate().filter_map(|(i, s)| s.score(&value).map(|score| (i, score))).collect();
    // Stable sort: equal scores keep the spec's order.
    ranked.sort_by_key(|&(_, score)| std::cmp::Reverse(score));
    // Branches are tried strictly even inside a lenient decode: a lenient attempt would accept the
    // first candidate with mismatches instead of moving on to the branch that fits.
    for &(index, _) in &ranked {
        if let Ok(decoded) = super::lenient::strictly(|| try_branch(index, value.clone())) {
            return decoded;
        }
    }
    // Nothing fits exactly: inside a lenient decode the best-ranked branch is decoded leniently
    // (typed access, the drifted members kept raw and reported); otherwise the raw value is kept.
    if super::lenient::active() {
        if let Some(Ok(decoded)) = ranked.first().map(|&(index, _)| try_branch(index, value.clone())) {
            return decoded;
        }
    }
    unknown(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SHAPES: &[Shape] = &[
        Shape { kind: JsonKind::Object, tags: &[("type", "user")], required: &[], known: &["type", "id"] },
        Shape { kind: JsonKind::Object, tags: &[("type", "lead")], required: &[], known: &["type", "id"] },
        Shape { kind: JsonKind::String, tags: &[], required: &[], known: &[] },
    ];

    fn pick(value: Value) -> Result<usize, Value> {
        decode(value, SHAPES, |i, _| Ok(Ok(i)), Err)
    }

    #[test]
    fn tags_decide_between_object_branches() {
        assert_eq!(pick(json!({"type": "lead", "id": "1"})), Ok(1));
        assert_eq!(pick(json!({"type": "user"})), Ok(0));
        assert_eq!(pick(json!("x")), Ok(2));
    }

    #[test]
    fn nothing_fitting_is_kept_raw() {
        assert_eq!(pick(json!({"type": "bot"})), Err(json!({"type": "bot"})));
        assert_eq!(pick(json!(3)), Err(json!(3)));
    }
}
