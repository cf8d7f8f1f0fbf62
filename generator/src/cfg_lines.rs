//! The generated lines a feature set compiles (`cargo xtask bench resources`): a generated file
//! with the items whose `#[cfg(…)]` is false for that set removed (items, impl members, enum
//! variants; match arms are kept), re-rendered and counted. Test support (feature `test-kit`).

use syn::punctuated::Punctuated;
use syn::{Attribute, Item, Meta, Token};

use crate::error::{Error, Result};

/// Lines of `source` (a rendered generated file) left once the items `enabled` rules out by their
/// `cfg` are removed, counted as `prettyplease` renders what is left (so counts of one file under
/// different feature sets compare, whatever the original layout).
pub fn lines_enabled(path: &str, source: &str, enabled: &dyn Fn(&str) -> bool) -> Result<usize> {
    let mut file: syn::File = syn::parse_file(source)
        .map_err(|e| Error::Render { file: path.into(), message: format!("does not parse: {e}") })?;
    retain_items(&mut file.items, enabled);
    Ok(prettyplease::unparse(&file).lines().count())
}

fn retain_items(items: &mut Vec<Item>, enabled: &dyn Fn(&str) -> bool) {
    items.retain(|item| attrs_of(item).is_none_or(|attrs| compiled(attrs, enabled)));
    for item in items {
        match item {
            Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    retain_items(inner, enabled);
                }
            }
            Item::Impl(i) => i.items.retain(|member| match member {
                syn::ImplItem::Fn(f) => compiled(&f.attrs, enabled),
                syn::ImplItem::Const(c) => compiled(&c.attrs, enabled),
                syn::ImplItem::Type(t) => compiled(&t.attrs, enabled),
                _ => true,
            }),
            Item::Enum(e) => {
                e.variants =
                    std::mem::take(&mut e.variants).into_iter().filter(|v| compiled(&v.attrs, enabled)).collect();
            }
            _ => {}
        }
    }
}

fn attrs_of(item: &Item) -> Option<&[Attribute]> {
    Some(match item {
        Item::Struct(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Const(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        _ => return None,
    })
}

/// Whether every `#[cfg(…)]` of `attrs` holds.
fn compiled(attrs: &[Attribute], enabled: &dyn Fn(&str) -> bool) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("cfg")).all(|a| a.parse_args::<Meta>().is_ok_and(|m| holds(&m, enabled)))
}

/// A `cfg` predicate: `feature = "x"`, `any(…)`, `all(…)`, `not(…)`; any other name (`docsrs`,
/// `test`) is false, as in a user's build.
fn holds(meta: &Meta, enabled: &dyn Fn(&str) -> bool) -> bool {
    match meta {
        Meta::NameValue(nv) if nv.path.is_ident("feature") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => enabled(&s.value()),
            _ => false,
        },
        Meta::List(list) => {
            let Ok(nested) = list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) else {
                return false;
            };
            if list.path.is_ident("any") {
                nested.iter().any(|m| holds(m, enabled))
            } else if list.path.is_ident("all") {
                nested.iter().all(|m| holds(m, enabled))
            } else if list.path.is_ident("not") {
                !nested.iter().any(|m| holds(m, enabled))
            } else {
                false
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_what_the_features_rule_out() {
        let source = r#"
#[cfg(feature = "a")]
pub struct A;
#[cfg(any(feature = "a", feature = "b"))]
pub struct Ab;
pub struct Always;
impl Always {
    #[cfg(feature = "b")]
    pub fn b() {}
    pub fn c() {}
}
pub enum E {
    #[cfg(feature = "a")]
    A,
    B,
}
"#;
        let count = |on: &[&str]| lines_enabled("x.rs", source, &|f| on.contains(&f)).unwrap();
        let full = count(&["a", "b"]);
        let only_b = count(&["b"]);
        let none = count(&[]);
        assert!(full > only_b && only_b > none, "{full} {only_b} {none}");
        assert_eq!(full - only_b, 4, "`struct A` and the variant `A`, each with its cfg line");
        assert!(lines_enabled("x.rs", "fn (", &|_| true).is_err());
    }
}
