//! Which webhook topics a version has, and into which of its models each topic's item decodes:
//! `spec/webhook-topics.toml` checked against the version's description. A topic listed for a
//! version whose description lacks the named schema is an error naming topic, version and schema,
//! so that a re-pin or a new version cannot silently drop a topic. A row without a schema is a
//! known topic whose item stays JSON: nothing to check, and a `Topic` variant all the same.

use crate::config::{PinnedVersion, WebhookTopicsFile};
use crate::error::{Error, Result};
use crate::Prepared;

/// Where the table lives, for errors.
pub const TOPICS_FILE: &str = "spec/webhook-topics.toml";

/// One topic of one version, with its Rust names chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionTopic {
    /// As sent: `conversation.admin.replied`.
    pub topic: String,
    /// The variant of `Topic` (and of `Event`, for a typed item): `ConversationAdminReplied`.
    pub variant: String,
    /// The item's model and schema, `None` for a topic whose item stays JSON.
    pub item: Option<TopicItem>,
}

/// The model a topic's item decodes into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicItem {
    /// The model in the version's `models` module: `Conversation`.
    pub model: String,
    /// The upstream schema name: `conversation`.
    pub schema: String,
}

/// `Event` variants the generated module declares itself: no topic may take their names.
const RESERVED_VARIANTS: [&str; 3] = ["Ping", "Unknown", "Untyped"];

/// Every version a row names must be pinned: a typo would otherwise drop the topic silently.
pub fn check_versions(table: &WebhookTopicsFile, pinned: &[PinnedVersion]) -> Result<()> {
    for t in &table.topics {
        if let Some(v) = t.versions.iter().find(|v| !pinned.iter().any(|p| &p.name == *v)) {
            let known: Vec<&str> = pinned.iter().map(|p| p.name.as_str()).collect();
            return Err(Error::Toml {
                file: TOPICS_FILE.into(),
                message: format!("topic `{}`: version `{v}` is not pinned (pinned: {})", t.topic, known.join(", ")),
            });
        }
    }
    Ok(())
}

/// The topics `table` lists for `version`, in table order, each resolved to `prepared`'s model.
pub fn topics_for(version: &str, prepared: &Prepared, table: &WebhookTopicsFile) -> Result<Vec<VersionTopic>> {
    let mut out: Vec<VersionTopic> = Vec::new();
    for t in table.topics.iter().filter(|t| t.versions.iter().any(|v| v == version)) {
        let item = match &t.schema {
            None => None,
            Some(wanted) => {
                let Some((_, model)) = prepared.ir.components.iter().find(|(schema, _)| schema == wanted) else {
                    return Err(Error::Toml {
                        file: TOPICS_FILE.into(),
                        message: format!(
                            "topic `{}` is listed for version {version}, whose description has no component schema `{wanted}`",
                            t.topic
                        ),
                    });
                };
                Some(TopicItem { model: model.clone(), schema: wanted.clone() })
            }
        };
        let variant = crate::naming::variant_name(&t.topic);
        if RESERVED_VARIANTS.contains(&variant.as_str()) || out.iter().any(|o| o.variant == variant) {
            return Err(Error::Toml {
                file: TOPICS_FILE.into(),
                message: format!("topic `{}`: its variant name `{variant}` is taken", t.topic),
            });
        }
        out.push(VersionTopic { topic: t.topic.clone(), variant, item });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> WebhookTopicsFile {
        crate::config::parse_webhook_topics(TOPICS_FILE, text).unwrap()
    }

    const SPEC: &str = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {conversation: {type: object, properties: {id: {type: string}}}}}\n";

    fn prepared() -> Prepared {
        crate::prepare_unpinned("fixture", "1.0", SPEC.as_bytes(), &Default::default()).unwrap()
    }

    const ROW: &str = "evidence = ['https://example.com/webhook-models']\n";

    #[test]
    fn a_topic_resolves_to_its_model_and_short_variant() {
        let t = table(&format!(
            "[[topic]]\ntopic = 'conversation.admin.replied'\nschema = 'conversation'\nversions = ['1.0']\n{ROW}\
             [[topic]]\ntopic = 'contact.created'\nschema = 'contact'\nversions = ['2.0']\n{ROW}"
        ));
        let topics = topics_for("1.0", &prepared(), &t).unwrap();
        assert_eq!(
            topics,
            vec![VersionTopic {
                topic: "conversation.admin.replied".into(),
                variant: "ConversationAdminReplied".into(),
                item: Some(TopicItem { model: "Conversation".into(), schema: "conversation".into() }),
            }]
        );
    }

    #[test]
    fn a_row_without_schema_is_a_known_topic_with_a_raw_item_and_needs_no_schema() {
        // `ticket` is no schema of the fixture: a raw row names none, so nothing is checked.
        let t = table(&format!(
            "[[topic]]\ntopic = 'ticket.closed'\nversions = ['1.0']\nnote = 'the item wraps the ticket'\n{ROW}"
        ));
        let topics = topics_for("1.0", &prepared(), &t).unwrap();
        assert_eq!(
            topics,
            vec![VersionTopic { topic: "ticket.closed".into(), variant: "TicketClosed".into(), item: None }]
        );
    }

    #[test]
    fn a_topic_named_like_a_built_in_variant_is_refused() {
        let t = table(&format!("[[topic]]\ntopic = 'untyped'\nschema = 'conversation'\nversions = ['1.0']\n{ROW}"));
        let err = topics_for("1.0", &prepared(), &t).unwrap_err().to_string();
        assert!(err.contains("topic `untyped`: its variant name `Untyped` is taken"), "{err}");
    }

    #[test]
    fn a_missing_schema_names_topic_version_and_schema() {
        let t = table(&format!("[[topic]]\ntopic = 'ticket.created'\nschema = 'ticket'\nversions = ['1.0']\n{ROW}"));
        let err = topics_for("1.0", &prepared(), &t).unwrap_err().to_string();
        assert_eq!(
            err,
            "spec/webhook-topics.toml: malformed TOML: topic `ticket.created` is listed for version 1.0, whose \
             description has no component schema `ticket`"
        );
    }

    #[test]
    fn an_unpinned_version_is_an_error() {
        let t = table(&format!("[[topic]]\ntopic = 'ticket.created'\nschema = 'ticket'\nversions = ['9.9']\n{ROW}"));
        let pinned = [PinnedVersion { name: "1.0".into(), path: "p".into(), sha256: "0".repeat(64) }];
        let err = check_versions(&t, &pinned).unwrap_err().to_string();
        assert!(err.contains("topic `ticket.created`: version `9.9` is not pinned (pinned: 1.0)"), "{err}");
    }

    #[test]
    fn bad_rows_are_refused() {
        let parse = |text: &str| crate::config::parse_webhook_topics(TOPICS_FILE, text).unwrap_err().to_string();
        let row = |topic: &str, evidence: &str| {
            format!("[[topic]]\ntopic = '{topic}'\nschema = 's'\nversions = ['1.0']\nevidence = [{evidence}]\n")
        };
        assert!(parse(&row("ping", "'https://e.com'")).contains("built in"));
        assert!(parse(&row("a.b", "")).contains("evidence"));
        assert!(parse(&row("a.b", "'http://e.com'")).contains("evidence"));
        assert!(parse(&row("A.b", "'https://e.com'")).contains("lower-case"));
        assert!(parse(&format!("{}{}", row("a.b", "'https://e.com'"), row("a.b", "'https://e.com'"))).contains("twice"));
        assert!(parse("[[topic]]\ntopic = 'a'\nschema = 's'\nversions = ['1']\nevidence = ['https://e']\nextra = 1\n")
            .contains("unknown field"));
        // A raw item must say why; an empty schema is a typo, not a raw item.
        assert!(parse("[[topic]]\ntopic = 'a'\nversions = ['1']\nevidence = ['https://e']\n")
            .contains("`note` must say why"));
        assert!(parse("[[topic]]\ntopic = 'a'\nschema = ''\nversions = ['1']\nevidence = ['https://e']\n")
            .contains("`schema` is empty"));
    }
}
