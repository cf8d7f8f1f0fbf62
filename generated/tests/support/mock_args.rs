//! The arguments the generated mock dispatch (`tests/mock/vX_Y.rs`) builds operations from, and
//! the helpers it calls (`crate::arg`, `crate::opt`, `crate::body`, `crate::opt_body`): shared by
//! the test binaries that include the dispatch, each with its own `crate::send`.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

#[derive(Clone, Default)]
pub struct Args {
    pub params: Map<String, Value>,
    pub body: Option<Value>,
    pub prefer: Option<String>,
    /// Walk a paginated operation's `.pages()` stream instead of making one call.
    pub walk: bool,
}

impl Args {
    /// These arguments without a page position (`starting_after`, `page`, `scroll_param`, the
    /// body's `pagination.starting_after`), for a walk that starts at the first page.
    pub fn from_first_page(&self) -> Args {
        let mut args = self.clone();
        for position in ["starting_after", "page", "scroll_param"] {
            args.params.remove(position);
        }
        if let Some(Value::Object(pagination)) = args.body.as_mut().and_then(|b| b.get_mut("pagination")) {
            pagination.remove("starting_after");
        }
        args.walk = true;
        args
    }
}

/// Decodes a prepared argument (already repaired to the declared types by
/// `intercom_codegen::samples`) through the typed API.
pub fn decode_typed<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))
}

pub fn arg<T: DeserializeOwned>(args: &Args, name: &str) -> Result<T, String> {
    decode_typed(args.params.get(name).cloned().unwrap_or(Value::String("123".into())))
        .map_err(|e| format!("parameter {name}: {e}"))
}

pub fn opt<T: DeserializeOwned>(args: &Args, name: &str) -> Result<Option<T>, String> {
    args.params.get(name).cloned().map(decode_param).transpose().map_err(|e| format!("parameter {name}: {e}"))
}

/// A parameter value; an array parameter's example may be written in its comma-separated wire form
/// (`explode: false`): 2.16's `GET /content/search` has `?states` example `published,draft` (strings)
/// and `?tag_ids` example `1,2,3` (integers), so the pieces are tried as strings, then as JSON scalars.
fn decode_param<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    match (decode_typed(value.clone()), value) {
        (Err(e), Value::String(text)) if text.contains(',') => {
            let pieces = text.split(',');
            decode_typed(Value::Array(pieces.clone().map(|s| Value::String(s.to_string())).collect()))
                .or_else(|_| {
                    let scalars = pieces.map(|s| serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.into())));
                    decode_typed(Value::Array(scalars.collect()))
                })
                .map_err(|_| e)
        }
        (result, _) => result,
    }
}

pub fn body<T: DeserializeOwned>(args: &Args) -> Result<T, String> {
    decode_typed(args.body.clone().unwrap_or_else(|| Value::Object(Map::new()))).map_err(|e| format!("body: {e}"))
}

pub fn opt_body<T: DeserializeOwned>(args: &Args) -> Result<Option<T>, String> {
    args.body.clone().map(decode_typed).transpose().map_err(|e| format!("body: {e}"))
}
