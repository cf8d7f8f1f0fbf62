//! The maintainers' data files, parsed from text handed in by the caller (the library never reads
//! files): `spec/versions.toml` (which versions, pinned how) and `spec/fixups.toml` (per-version
//! corrections of upstream defects).

use serde::Deserialize;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionsFile {
    pub upstream: Upstream,
    #[serde(rename = "version")]
    pub versions: Vec<PinnedVersion>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upstream {
    pub repository: String,
    pub commit: String,
    /// URL template with `{repository}`, `{commit}` and `{path}`.
    pub raw_url: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinnedVersion {
    /// The API version as Intercom spells it: `2.11`.
    pub name: String,
    /// Path of the description inside the upstream repository.
    pub path: String,
    pub sha256: String,
}

impl PinnedVersion {
    /// A numbered, published version (`2.16`), as opposed to a named channel such as `Preview`
    /// whose contents change without notice.
    pub fn is_stable(&self) -> bool {
        self.name.starts_with(|c: char| c.is_ascii_digit())
    }

    /// Rust module / cargo feature name: `2.11` → `v2_11`.
    pub fn module_name(&self) -> String {
        crate::naming::version_module(&self.name)
    }
}

impl VersionsFile {
    /// The newest stable version (the last numbered one listed): the crate's default feature and
    /// the version benchmarks and the derived baseline use.
    pub fn latest_stable(&self) -> Option<&PinnedVersion> {
        latest_stable(&self.versions)
    }
}

/// The last numbered version in `versions` (see [`PinnedVersion::is_stable`]).
pub fn latest_stable(versions: &[PinnedVersion]) -> Option<&PinnedVersion> {
    versions.iter().rev().find(|v| v.is_stable())
}

impl Upstream {
    pub fn raw_url_for(&self, path: &str) -> String {
        self.raw_url.replace("{repository}", &self.repository).replace("{commit}", &self.commit).replace("{path}", path)
    }
}

pub fn parse_versions(file: &str, text: &str) -> Result<VersionsFile> {
    let parsed: VersionsFile =
        toml::from_str(text).map_err(|e| Error::Toml { file: file.into(), message: e.to_string() })?;
    let mut seen = std::collections::BTreeSet::new();
    for v in &parsed.versions {
        if !seen.insert(v.module_name()) {
            return Err(Error::Toml { file: file.into(), message: format!("version `{}` is listed twice", v.name) });
        }
        if v.sha256.len() != 64 || !v.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::Toml {
                file: file.into(),
                message: format!("version `{}`: sha256 must be 64 hex digits", v.name),
            });
        }
    }
    Ok(parsed)
}

/// `spec/fixups.toml`: corrections applied to the parsed description before anything else looks at it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixupsFile {
    #[serde(default, rename = "fixup")]
    pub fixups: Vec<Fixup>,
    /// Corrections of the search operations' "Accepted Fields" tables (`search.rs`).
    #[serde(default, rename = "search")]
    pub search: Vec<SearchFixup>,
}

/// A searchable field's type, as the typed query builder knows it (`runtime::search::FieldType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchFieldType {
    String,
    Integer,
    Boolean,
    /// A Unix timestamp, matched by calendar day.
    Date,
    /// A Unix timestamp matched to the second (Preview's contacts: "Datetime").
    Datetime,
    /// A tag id: `=` and `!=` only.
    Tag,
    /// A family named by the caller (`custom_attributes.{name}`), each member of its own type.
    Custom,
}

impl SearchFieldType {
    /// The name in reports and in the runtime's `FieldType`.
    pub fn label(self) -> &'static str {
        match self {
            SearchFieldType::String => "String",
            SearchFieldType::Integer => "Integer",
            SearchFieldType::Boolean => "Boolean",
            SearchFieldType::Date => "Date",
            SearchFieldType::Datetime => "Datetime",
            SearchFieldType::Tag => "Tag",
            SearchFieldType::Custom => "Custom",
        }
    }
}

/// Sets the type of one row of a search operation's "Accepted Fields" table, where the table is
/// wrong or less precise than the prose around it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchFixup {
    /// Short stable identifier, shown in reports and errors.
    pub id: String,
    /// The versions it applies to; the row must exist in each, or generation fails.
    pub versions: Vec<String>,
    /// The search's resource (`contacts` for `POST /contacts/search`).
    pub resource: String,
    /// The row's field as written in the table.
    pub field: String,
    /// The type the field really has.
    #[serde(rename = "type")]
    pub field_type: SearchFieldType,
    /// Why: the upstream defect in one sentence.
    pub why: String,
    /// Where Intercom says so (a reference page URL, or the description's own prose).
    pub evidence: String,
}

/// Why a fix-up exists, for the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixupKind {
    /// An upstream defect that stops generation or misleads it (a dangling `$ref`, a typo).
    #[default]
    Defect,
    /// A schema that the description's own examples disprove (an undeclared member, a value type):
    /// the report counts response examples with undeclared members with and without these.
    Examples,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixup {
    /// What kind of correction this is; see [`FixupKind`].
    #[serde(default)]
    pub kind: FixupKind,
    /// Short stable identifier, shown in reports and errors.
    pub id: String,
    /// The versions it applies to; each must still have the defect, or generation fails (a stale
    /// fix-up is a sign that upstream changed under us).
    pub versions: Vec<String>,
    pub op: FixupOp,
    /// JSON pointer (RFC 6901) of the node to change.
    pub pointer: String,
    /// The new value for `add` and `replace` (TOML, converted to JSON).
    #[serde(default)]
    pub value: Option<toml::Value>,
    /// Why the fix is needed: the upstream defect in one sentence.
    pub why: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FixupOp {
    /// Insert a member that must not exist yet.
    Add,
    /// Replace a node that must exist.
    Replace,
    /// Delete a node that must exist.
    Remove,
}

pub fn parse_fixups(file: &str, text: &str) -> Result<FixupsFile> {
    let parsed: FixupsFile =
        toml::from_str(text).map_err(|e| Error::Toml { file: file.into(), message: e.to_string() })?;
    for f in &parsed.fixups {
        let needs_value = matches!(f.op, FixupOp::Add | FixupOp::Replace);
        if needs_value != f.value.is_some() {
            return Err(Error::Toml {
                file: file.into(),
                message: format!("fix-up `{}`: `value` is required for add/replace and forbidden for remove", f.id),
            });
        }
        if !f.pointer.starts_with('/') {
            return Err(Error::Toml {
                file: file.into(),
                message: format!("fix-up `{}`: pointer must start with `/`", f.id),
            });
        }
    }
    Ok(parsed)
}

/// `spec/webhook-topics.toml`: the webhook topics Intercom documents, each with the component
/// schema its `data.item` decodes into, the versions it is documented for, and the reference pages
/// that say so. Intercom's descriptions declare no webhooks, so this table is the only source.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookTopicsFile {
    #[serde(default, rename = "topic")]
    pub topics: Vec<WebhookTopic>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookTopic {
    /// The topic as a notification names it: `conversation.admin.replied`.
    pub topic: String,
    /// The upstream component schema the item decodes into: `conversation`. `None` when no
    /// reference page gives the item a schema of the descriptions (an object only webhooks send,
    /// two objects, or an item the pages say is shaped otherwise): the topic is known, its item
    /// kept as JSON, and adding the schema later gives it a typed variant.
    #[serde(default)]
    pub schema: Option<String>,
    /// The versions (as `spec/versions.toml` names them) the topic is documented for.
    pub versions: Vec<String>,
    /// The reference pages (URLs) the row was read from.
    pub evidence: Vec<String>,
    /// What is inferred rather than read, and disagreements between pages and descriptions.
    #[serde(default)]
    pub note: Option<String>,
}

/// The topic every subscription has, whatever the table says: it is no row of it.
pub const PING_TOPIC: &str = "ping";

pub fn parse_webhook_topics(file: &str, text: &str) -> Result<WebhookTopicsFile> {
    let parsed: WebhookTopicsFile =
        toml::from_str(text).map_err(|e| Error::Toml { file: file.into(), message: e.to_string() })?;
    let err = |message: String| Error::Toml { file: file.into(), message };
    let mut seen = std::collections::BTreeSet::new();
    for t in &parsed.topics {
        if t.topic == PING_TOPIC {
            return Err(err(format!("topic `{PING_TOPIC}` is built in; it is no row of the table")));
        }
        if t.topic.is_empty() || !t.topic.bytes().all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_') {
            return Err(err(format!("topic `{}`: lower-case words joined by `.` or `_` expected", t.topic)));
        }
        if !seen.insert(t.topic.as_str()) {
            return Err(err(format!("topic `{}` is listed twice", t.topic)));
        }
        if t.versions.is_empty() {
            return Err(err(format!("topic `{}`: no versions", t.topic)));
        }
        if t.schema.as_deref().is_some_and(str::is_empty) {
            return Err(err(format!("topic `{}`: `schema` is empty (leave it out to keep the item raw)", t.topic)));
        }
        if t.schema.is_none() && t.note.as_deref().is_none_or(str::is_empty) {
            return Err(err(format!("topic `{}`: no `schema`, so a `note` must say why the item stays raw", t.topic)));
        }
        if t.evidence.is_empty() || t.evidence.iter().any(|url| !url.starts_with("https://")) {
            return Err(err(format!("topic `{}`: evidence must be one or more https:// URLs", t.topic)));
        }
    }
    Ok(parsed)
}

/// `spec/resources.toml`: the cargo feature of each operation tag (a resource), for every version.
/// A tag renamed between versions is listed under both names with one feature.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourcesFile {
    /// Tag as the descriptions spell it → feature name.
    #[serde(default)]
    pub tags: std::collections::BTreeMap<String, String>,
}

/// Hand-written features of `intercom-api` that a resource feature must not take over.
pub const RESERVED_FEATURES: &[&str] = &["default", "client", "tracing", "webhooks", "test-util"];

/// A feature name in kebab-case: lower-case ASCII words joined by single `-`.
fn is_kebab_case(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
        && name.starts_with(|c: char| c.is_ascii_lowercase())
}

pub fn parse_resources(file: &str, text: &str) -> Result<ResourcesFile> {
    let parsed: ResourcesFile =
        toml::from_str(text).map_err(|e| Error::Toml { file: file.into(), message: e.to_string() })?;
    let err = |message: String| Error::Toml { file: file.into(), message };
    for (tag, feature) in &parsed.tags {
        if !is_kebab_case(feature) {
            return Err(err(format!("tag `{tag}`: feature `{feature}` must be kebab-case (`help-center`)")));
        }
        // Version features (`v2_16`, `v2_16-core`, `preview`) have an underscore or are `preview`.
        if RESERVED_FEATURES.contains(&feature.as_str()) || feature == "preview" || feature.starts_with("preview-") {
            return Err(err(format!("tag `{tag}`: feature `{feature}` is taken by the crate itself")));
        }
    }
    Ok(parsed)
}
