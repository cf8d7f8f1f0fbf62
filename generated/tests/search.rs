//! The typed search builder (`runtime::search` + each version's generated `search` module): the
//! JSON it produces for every field type × operator, the conversion into the version's request
//! type, the client's `search` method end to end on a scripted transport, and every limit refused
//! with nothing sent. The README's three searches are here too, with the JSON the README shows.

#![cfg(all(feature = "test-util", feature = "v2_16"))]

use intercom_api::client::testing::{MockTransport, Scripted};
use intercom_api::runtime::search::{FieldType, Operator};
use intercom_api::v2_16::models::{ContactSearchRequest, SearchRequest};
use intercom_api::v2_16::search::{contacts, conversations, tickets};
use intercom_api::Error;
use serde_json::{json, Value};

/// The filter JSON Intercom documents.
fn filter(field: &str, operator: &str, value: Value) -> Value {
    json!({ "field": field, "operator": operator, "value": value })
}

/// `query` as JSON, and the same through the version's request type (the conversion must keep
/// every member).
fn contacts_json(query: contacts::Query) -> Value {
    let direct = query.to_json().unwrap();
    let body = ContactSearchRequest::try_from(query).unwrap();
    assert_eq!(serde_json::to_value(&body).unwrap(), json!({ "query": direct }));
    direct
}

fn conversations_json(query: conversations::Query) -> Value {
    let direct = query.to_json().unwrap();
    let body = SearchRequest::try_from(query).unwrap();
    assert_eq!(serde_json::to_value(&body).unwrap(), json!({ "query": direct }));
    direct
}

#[test]
fn string_operators() {
    let email = contacts::email;
    let cases = [
        (email().eq("ada@example.com"), "=", json!("ada@example.com")),
        (email().ne("ada@example.com"), "!=", json!("ada@example.com")),
        (email().is_in(["a@x.io", "b@x.io"]), "IN", json!(["a@x.io", "b@x.io"])),
        (email().not_in(vec![String::from("a@x.io")]), "NIN", json!(["a@x.io"])),
        (email().contains("ada"), "~", json!("ada")),
        (email().not_contains("ada"), "!~", json!("ada")),
        (email().starts_with("ada"), "^", json!("ada")),
        (email().ends_with("@example.com"), "$", json!("@example.com")),
    ];
    for (query, operator, value) in cases {
        assert_eq!(contacts_json(query), filter("email", operator, value));
    }
}

#[test]
fn integer_operators() {
    // Conversations accept `=` `!=` `IN` `NIN` `<` `>` on integers (no `<=`/`>=`)…
    let id = conversations::team_assignee_id;
    let cases = [
        (id().eq(7), "=", json!(7)),
        (id().ne(7), "!=", json!(7)),
        (id().is_in([1, 2]), "IN", json!([1, 2])),
        (id().not_in([3]), "NIN", json!([3])),
        (id().lt(7), "<", json!(7)),
        (id().gt(7), ">", json!(7)),
    ];
    for (query, operator, value) in cases {
        assert_eq!(conversations_json(query), filter("team_assignee_id", operator, value));
    }
    // …contacts accept `<=` and `>=` too (2.16's contacts have no integer field of their own:
    // an integer custom attribute).
    let seats = || contacts::custom_attribute("seats").integer();
    assert_eq!(contacts_json(seats().le(-7)), filter("custom_attributes.seats", "<=", json!(-7)));
    assert_eq!(contacts_json(seats().ge(i64::MAX)), filter("custom_attributes.seats", ">=", json!(i64::MAX)));
}

#[test]
fn boolean_operators() {
    let open = conversations::open;
    let cases = [
        (open().eq(true), "=", json!(true)),
        (open().ne(false), "!=", json!(false)),
        (open().is_in([true, false]), "IN", json!([true, false])),
        (open().not_in([true]), "NIN", json!([true])),
    ];
    for (query, operator, value) in cases {
        assert_eq!(conversations_json(query), filter("open", operator, value));
    }
}

#[test]
fn date_operators_take_unix_seconds() {
    let cases = [
        (contacts::created_at().on(1_577_836_800), "="),
        (contacts::created_at().before(1_577_836_800), "<"),
        (contacts::created_at().after(1_577_836_800), ">"),
    ];
    for (query, operator) in cases {
        assert_eq!(contacts_json(query), filter("created_at", operator, json!(1_577_836_800)));
    }
}

#[test]
fn conversations_and_tickets_have_their_own_date_operators() {
    // Conversations: `=` `!=` `IN` `NIN` `<` `>` on every date ("All" in their table).
    let created = conversations::created_at;
    let cases = [
        (created().on(1_577_836_800), "=", json!(1_577_836_800)),
        (created().ne(1_577_836_800), "!=", json!(1_577_836_800)),
        (created().is_in([1_577_836_800, 1_577_923_200]), "IN", json!([1_577_836_800, 1_577_923_200])),
        (created().not_in([1_577_836_800]), "NIN", json!([1_577_836_800])),
        (created().before(1_577_836_800), "<", json!(1_577_836_800)),
        (created().after(1_577_836_800), ">", json!(1_577_836_800)),
    ];
    for (query, operator, value) in cases {
        assert_eq!(conversations_json(query), filter("created_at", operator, value));
    }
    // Tickets: the same, and `<=`/`>=` on `created_at` alone ("You may use the `<=` or `>=`
    // operators to search by `created_at`").
    let tickets_json = |query: tickets::Query| {
        let direct = query.to_json().unwrap();
        let body = SearchRequest::try_from(query).unwrap();
        assert_eq!(serde_json::to_value(&body).unwrap(), json!({ "query": direct }));
        direct
    };
    let cases = [
        (tickets::created_at().at_or_before(1_577_836_800), "created_at", "<="),
        (tickets::created_at().at_or_after(1_577_836_800), "created_at", ">="),
        (tickets::created_at().ne(1_577_836_800), "created_at", "!="),
        (tickets::updated_at().ne(1_577_836_800), "updated_at", "!="),
        (tickets::snoozed_until().before(1_577_836_800), "snoozed_until", "<"),
    ];
    for (query, field, operator) in cases {
        assert_eq!(tickets_json(query), filter(field, operator, json!(1_577_836_800)));
    }
}

#[test]
fn fields_list_their_own_operators() {
    let ops = |fields: &[intercom_api::runtime::search::FieldInfo], name: &str| {
        fields.iter().find(|f| f.name == name).unwrap().operators.iter().map(|o| o.as_str()).collect::<Vec<_>>()
    };
    assert_eq!(ops(contacts::FIELDS, "tag_id"), ["=", "!="]);
    assert_eq!(ops(contacts::FIELDS, "created_at"), ["=", "<", ">"]);
    assert_eq!(ops(conversations::FIELDS, "created_at"), ["=", "!=", "IN", "NIN", "<", ">"]);
    assert_eq!(ops(tickets::FIELDS, "created_at"), ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="]);
    assert_eq!(ops(tickets::FIELDS, "updated_at"), ["=", "!=", "IN", "NIN", "<", ">"]);
    assert!(ops(contacts::FIELDS, "custom_attributes.{attribute_name}").is_empty());
}

#[test]
fn a_typed_attribute_is_checked_against_its_own_search() {
    // A date `!=`: refused for contacts (see `violations`), accepted for tickets.
    let renews = tickets::ticket_attribute("renews").typed(FieldType::Date).filter(Operator::Ne, 1_577_836_800);
    assert_eq!(renews.to_json().unwrap(), filter("ticket_attribute.renews", "!=", json!(1_577_836_800)));
    // Tickets have no `<=` on dates other than `created_at`.
    let refused = tickets::ticket_attribute("renews").typed(FieldType::Date).filter(Operator::Le, 1);
    let message = refused.to_json().unwrap_err().to_string();
    assert!(message.contains("declared date, which does not support <= in this search"), "{message}");
}

/// Rules that allow everything: every method of every handle, each checked for its operator.
enum Everything {}
impl<K, O> intercom_api::runtime::search::Allows<K, O> for Everything {}

#[test]
fn every_handle_method_sends_its_operator() {
    use intercom_api::runtime::search::{
        BooleanField, DateField, DatetimeField, IntegerField, Query, StringField, TagField,
    };
    let op = |q: Query<Everything>| q.to_json().unwrap()["operator"].as_str().unwrap().to_string();
    let (s, i) = (StringField::<Everything>::new("s"), IntegerField::<Everything>::new("i"));
    let (b, d) = (BooleanField::<Everything>::new("b"), DateField::<Everything>::new("d"));
    let (t, g) = (DatetimeField::<Everything>::new("t"), TagField::<Everything>::new("g"));
    let string = [
        s.eq("x"),
        s.ne("x"),
        s.is_in(["x"]),
        s.not_in(["x"]),
        s.contains("x"),
        s.not_contains("x"),
        s.starts_with("x"),
        s.ends_with("x"),
    ];
    let integer = [i.eq(1), i.ne(1), i.is_in([1]), i.not_in([1]), i.lt(1), i.gt(1), i.le(1), i.ge(1)];
    let boolean = [b.eq(true), b.ne(true), b.is_in([true]), b.not_in([true])];
    let date =
        [d.on(1), d.ne(1), d.is_in([1]), d.not_in([1]), d.before(1), d.after(1), d.at_or_before(1), d.at_or_after(1)];
    let datetime =
        [t.at(1), t.ne(1), t.is_in([1]), t.not_in([1]), t.before(1), t.after(1), t.at_or_before(1), t.at_or_after(1)];
    let tag = [g.eq("1"), g.ne("1")];
    let ops = |queries: &[Query<Everything>]| queries.iter().cloned().map(op).collect::<Vec<_>>();
    // The same lists as the generator's `handle_has` (`tests/search_fields.rs`).
    assert_eq!(ops(&string), ["=", "!=", "IN", "NIN", "~", "!~", "^", "$"]);
    assert_eq!(ops(&integer), ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="]);
    assert_eq!(ops(&boolean), ["=", "!=", "IN", "NIN"]);
    assert_eq!(ops(&date), ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="]);
    assert_eq!(ops(&datetime), ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="]);
    assert_eq!(ops(&tag), ["=", "!="]);
}

#[test]
fn tag_id_has_only_eq_and_ne() {
    // `tag_id` is a `TagField` by the fix-up `contacts-tag-id-operators`: no `is_in`, no `contains`.
    assert_eq!(contacts_json(contacts::tag_id().eq("123")), filter("tag_id", "=", json!("123")));
    assert_eq!(contacts_json(contacts::tag_id().ne("123")), filter("tag_id", "!=", json!("123")));
}

#[test]
fn dotted_fields_and_custom_attributes() {
    assert_eq!(contacts_json(contacts::location_country().eq("IE")), filter("location.country", "=", json!("IE")));
    let plan = contacts::custom_attribute("plan");
    assert_eq!(contacts_json(plan.eq("pro")), filter("custom_attributes.plan", "=", json!("pro")));
    assert_eq!(
        contacts_json(contacts::custom_attribute("seats").integer().ge(10)),
        filter("custom_attributes.seats", ">=", json!(10))
    );
    assert_eq!(
        contacts_json(contacts::custom_attribute("renews").date().after(1_700_000_000)),
        filter("custom_attributes.renews", ">", json!(1_700_000_000))
    );
    assert_eq!(
        contacts_json(contacts::custom_attribute("vip").boolean().eq(true)),
        filter("custom_attributes.vip", "=", json!(true))
    );
    assert_eq!(
        contacts_json(contacts::custom_attribute("tier").typed(FieldType::String).filter(Operator::StartsWith, "gold")),
        filter("custom_attributes.tier", "^", json!("gold"))
    );
    let ticket_attribute = tickets::ticket_attribute("_default_title_").string().contains("refund");
    assert_eq!(ticket_attribute.to_json().unwrap(), filter("ticket_attribute._default_title_", "~", json!("refund")));
}

#[test]
fn the_raw_escape_hatch_sends_what_it_is_given() {
    let raw = contacts::Query::raw("brand_new_field", Operator::Ne, json!({"any": "json"}));
    assert_eq!(contacts_json(raw), filter("brand_new_field", "!=", json!({"any": "json"})));
}

/// The README's three searches and the JSON it shows for them.
#[test]
fn the_readme_searches() {
    let by_domain_and_signup =
        contacts::email().ends_with("@example.com").and(contacts::signed_up_at().after(1_704_067_200));
    assert_eq!(
        contacts_json(by_domain_and_signup),
        json!({"operator": "AND", "value": [
            {"field": "email", "operator": "$", "value": "@example.com"},
            {"field": "signed_up_at", "operator": ">", "value": 1_704_067_200}]})
    );
    let open_for_team = conversations::open().eq(true).and(conversations::team_assignee_id().eq(5_017_691));
    assert_eq!(
        conversations_json(open_for_team),
        json!({"operator": "AND", "value": [
            {"field": "open", "operator": "=", "value": true},
            {"field": "team_assignee_id", "operator": "=", "value": 5_017_691}]})
    );
    let of_type_in_state =
        tickets::all_of([tickets::ticket_type_id().eq("1234"), tickets::state().is_in(["submitted", "in_progress"])]);
    let body = SearchRequest::try_from(of_type_in_state).unwrap();
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({"query": {"operator": "AND", "value": [
            {"field": "ticket_type_id", "operator": "=", "value": "1234"},
            {"field": "state", "operator": "IN", "value": ["submitted", "in_progress"]}]}})
    );
    let readme = include_str!("../README.md");
    for line in [
        r#"{"field": "email", "operator": "$", "value": "@example.com"},"#,
        r#"{"field": "signed_up_at", "operator": ">", "value": 1704067200}"#,
        r#"{"field": "team_assignee_id", "operator": "=", "value": 5017691}"#,
        r#"{"field": "state", "operator": "IN", "value": ["submitted", "in_progress"]}"#,
    ] {
        assert!(readme.contains(line), "README.md lacks `{line}`");
    }
}

fn client(mock: &MockTransport) -> intercom_api::Client {
    intercom_api::Client::builder("test-token").transport(mock.clone()).build()
}

const ONE_CONTACT: &str = r#"{"type":"list","data":[{"type":"contact","id":"c1","email":"ada@example.com"}],
    "total_count":1,"pages":{"type":"pages","page":1,"per_page":50,"total_pages":1}}"#;

#[tokio::test(start_paused = true)]
async fn the_search_call_takes_the_query_and_pages_through_items() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(200, ONE_CONTACT));
    let client = client(&mock);
    let query = contacts::email().ends_with("@example.com").and(contacts::created_at().after(1_577_836_800));
    let contacts: Vec<_> =
        client.v2_16().contacts().search(query.clone()).unwrap().items().try_collect().await.unwrap();
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0].id.as_deref(), Some("c1"));
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].uri().path(), "/contacts/search");
    let sent: Value = serde_json::from_slice(requests[0].body()).unwrap();
    assert_eq!(sent, json!({ "query": query.to_json().unwrap() }));
}

/// Queries Intercom rejects, each with the rule its error must name.
fn violations() -> Vec<(contacts::Query, &'static str)> {
    let email = contacts::email;
    let none: [&str; 0] = [];
    vec![
        (
            contacts::all_of([contacts::any_of([contacts::all_of([email().eq("a")])])]),
            "at most 2 levels of nested groups",
        ),
        (
            contacts::all_of((0..16).map(|i| email().eq(i.to_string()))),
            "between 1 and 15 queries in each AND or OR group",
        ),
        (contacts::any_of([]), "between 1 and 15 queries in each AND or OR group"),
        (email().is_in(none), "IN and NIN take a non-empty list"),
        (contacts::role().not_in(none), "IN and NIN take a non-empty list"),
        (contacts::Query::raw("email", Operator::In, json!([])), "IN and NIN take a non-empty list"),
        (
            contacts::custom_attribute("renews").typed(FieldType::Date).filter(Operator::Ne, 1_577_836_800),
            "an operator the field's type supports",
        ),
        (
            contacts::custom_attribute("vip").typed(FieldType::Boolean).filter(Operator::Contains, "x"),
            "an operator the field's type supports",
        ),
    ]
}

#[tokio::test(start_paused = true)]
async fn every_limit_is_refused_before_sending() {
    let mock = MockTransport::new();
    let client = client(&mock);
    for (query, rule) in violations() {
        let Err(error) = client.v2_16().contacts().search(query.clone()) else { panic!("{query:?} was accepted") };
        assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
        assert!(error.to_string().contains(rule), "`{error}` does not name `{rule}`");
        assert!(matches!(ContactSearchRequest::try_from(query), Err(Error::InvalidRequest(_))));
    }
    assert!(mock.requests().is_empty(), "a refused query was sent");
}

#[tokio::test(start_paused = true)]
async fn the_limits_themselves_are_accepted() {
    let mock = MockTransport::new();
    let client = client(&mock);
    let email = contacts::email;
    let fifteen = contacts::all_of((0..15).map(|i| email().eq(i.to_string())));
    let two_levels = contacts::all_of([
        contacts::any_of([email().eq("1"), email().eq("2")]),
        contacts::any_of([email().eq("3"), email().eq("4")]),
    ]);
    for query in [fifteen, two_levels] {
        mock.push(Scripted::json(200, ONE_CONTACT));
        client.v2_16().contacts().search(query).unwrap().await.unwrap();
    }
    assert_eq!(mock.requests().len(), 2);
}

#[cfg(feature = "v2_11")]
mod v2_11 {
    use super::*;
    use intercom_api::v2_11::search::{contacts, conversations, tickets};

    #[tokio::test(start_paused = true)]
    async fn the_readme_searches_go_through_the_2_11_client() {
        let mock = MockTransport::new();
        let client = client(&mock);
        let api = client.v2_11();
        mock.push(Scripted::json(200, ONE_CONTACT));
        let q = contacts::email().ends_with("@example.com").and(contacts::signed_up_at().after(1_704_067_200));
        api.contacts().search(q).unwrap().await.unwrap();
        mock.push(Scripted::json(200, r#"{"type":"conversation.list","conversations":[],"total_count":0}"#));
        let q = conversations::open().eq(true).and(conversations::team_assignee_id().eq(5_017_691));
        api.conversations().search(q).unwrap().await.unwrap();
        mock.push(Scripted::json(200, r#"{"type":"ticket.list","tickets":[],"total_count":0}"#));
        let q = tickets::ticket_type_id().eq("1234").and(tickets::state().is_in(["submitted"]));
        api.tickets().search(q).unwrap().await.unwrap();
        let paths: Vec<String> = mock.requests().iter().map(|r| r.uri().path().to_string()).collect();
        assert_eq!(paths, ["/contacts/search", "/conversations/search", "/tickets/search"]);
        let Err(Error::InvalidRequest(_)) = api.contacts().search(contacts::any_of([])) else { panic!() };
        assert_eq!(mock.requests().len(), 3);
    }
}

/// Preview's own rules: contacts' standard timestamps are Datetime (matched to the second, with
/// `!=`, `<=`, `>=`), their Date custom attributes keep `=` `<` `>`; companies accept `!=` on dates
/// but no `IN` on them, and `tag_id` takes `=` and `!=` only.
#[cfg(feature = "preview")]
mod preview {
    use super::*;
    use intercom_api::preview::search::{companies, contacts};

    #[test]
    fn datetime_fields_and_companies_have_their_own_operators() {
        let cases = [
            (contacts::created_at().at(1_577_869_200), "created_at", "="),
            (contacts::created_at().ne(1_577_869_200), "created_at", "!="),
            (contacts::updated_at().at_or_after(1_577_869_200), "updated_at", ">="),
            (contacts::last_seen_at().at_or_before(1_577_869_200), "last_seen_at", "<="),
            (contacts::custom_attribute("renews").date().after(1_577_869_200), "custom_attributes.renews", ">"),
        ];
        for (query, field, operator) in cases {
            assert_eq!(query.to_json().unwrap(), filter(field, operator, json!(1_577_869_200)));
        }
        let datetime = |name| contacts::FIELDS.iter().find(|f| f.name == name).unwrap().field_type;
        assert_eq!(datetime("created_at"), FieldType::Datetime);
        let renews = contacts::custom_attribute("renews").typed(FieldType::Date).filter(Operator::Ge, 1);
        assert!(renews.to_json().unwrap_err().to_string().contains("does not support >= in this search"));

        assert_eq!(companies::created_at().ne(1).to_json().unwrap(), filter("created_at", "!=", json!(1)));
        assert_eq!(companies::tag_id().ne("7").to_json().unwrap(), filter("tag_id", "!=", json!("7")));
        let ops = |name| {
            companies::FIELDS
                .iter()
                .find(|f| f.name == name)
                .unwrap()
                .operators
                .iter()
                .map(|o| o.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(ops("tag_id"), ["=", "!="]);
        assert_eq!(ops("created_at"), ["=", "!=", "<", ">"]);
    }
}
