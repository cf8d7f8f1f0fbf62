//! Pagination streams in all four of Intercom's styles, through the scripted transport: three pages
//! each, a repeated and a cycling cursor, an empty first page, an error on page 2 with resumption,
//! and a scroll that is already open. Each test also checks that no request is made after the last
//! page.

#![cfg(all(feature = "test-util", feature = "v2_11"))]

use futures_util::{StreamExt, TryStreamExt};
use intercom_api::client::testing::{MockTransport, Scripted};
use intercom_api::runtime::{ErrorCode, PageToken, PaginationStyle, RetryPolicy};
use intercom_api::v2_11::models;
use intercom_api::{Client, Error};

fn client(mock: &MockTransport) -> Client {
    Client::builder("t").transport(mock.clone()).retry_policy(RetryPolicy::default().with_jitter(false)).build()
}

fn contacts(ids: &[&str], next: Option<&str>) -> Scripted {
    let data: Vec<String> = ids.iter().map(|id| format!(r#"{{"type":"contact","id":"{id}"}}"#)).collect();
    let next = next.map_or("null".to_string(), |c| format!(r#"{{"starting_after":"{c}"}}"#));
    Scripted::json(
        200,
        format!(r#"{{"type":"list","data":[{}],"pages":{{"type":"pages","next":{next}}}}}"#, data.join(",")),
    )
}

fn companies(ids: &[&str], page: u64, total_pages: u64) -> Scripted {
    let data: Vec<String> = ids.iter().map(|id| format!(r#"{{"type":"company","id":"{id}"}}"#)).collect();
    Scripted::json(
        200,
        format!(
            r#"{{"type":"list","data":[{}],"pages":{{"type":"pages","page":{page},"per_page":1,"total_pages":{total_pages}}},"total_count":3}}"#,
            data.join(",")
        ),
    )
}

fn scroll(ids: &[&str], total: Option<u64>) -> Scripted {
    let data: Vec<String> = ids.iter().map(|id| format!(r#"{{"type":"company","id":"{id}"}}"#)).collect();
    let total = total.map_or(String::new(), |t| format!(r#","total_count":{t}"#));
    Scripted::json(200, format!(r#"{{"type":"list","data":[{}],"scroll_param":"scroll-1"{total}}}"#, data.join(",")))
}

fn queries(mock: &MockTransport) -> Vec<String> {
    mock.requests().iter().map(|r| r.uri().query().unwrap_or("").to_string()).collect()
}

fn contact_ids(items: Vec<models::Contact>) -> Vec<String> {
    items.into_iter().filter_map(|c| c.id).collect()
}

#[tokio::test(start_paused = true)]
async fn cursor_in_the_query() {
    let mock = MockTransport::new();
    mock.push(contacts(&["1"], Some("c1")));
    mock.push(contacts(&["2"], Some("c2")));
    mock.push(contacts(&["3"], None));
    let api = client(&mock);
    let call = api.v2_11().contacts().list_contacts().per_page(1);
    let items: Vec<_> = call.header("x-trace", "run-7").items().try_collect().await.unwrap();
    assert_eq!(contact_ids(items), ["1", "2", "3"]);
    assert_eq!(queries(&mock), ["per_page=1", "per_page=1&starting_after=c1", "per_page=1&starting_after=c2"]);
    // Extra headers go with every page.
    assert!(mock.requests().iter().all(|r| r.headers()["x-trace"] == "run-7"));
}

fn search() -> models::SearchRequest {
    let query = models::SearchRequestQuery::Single(models::SingleFilterSearchRequest {
        field: Some("email".into()),
        operator: Some(models::SingleFilterSearchRequestOperator::Eq),
        value: Some(models::SingleFilterSearchRequestValue::String("ada@example.com".into())),
        ..Default::default()
    });
    models::SearchRequest::new(query)
}

#[tokio::test(start_paused = true)]
async fn cursor_in_the_body() {
    let mock = MockTransport::new();
    mock.push(contacts(&["1"], Some("c1")));
    mock.push(contacts(&["2"], Some("c2")));
    mock.push(contacts(&["3"], None));
    let api = client(&mock);
    let pages = api.v2_11().contacts().search_contacts(search()).pages();
    assert_eq!(pages.style(), PaginationStyle::BodyCursor);
    let pages: Vec<_> = pages.try_collect().await.unwrap();
    assert_eq!(pages.len(), 3);
    let cursors: Vec<serde_json::Value> = mock
        .requests()
        .iter()
        .map(|r| serde_json::from_slice::<serde_json::Value>(r.body()).unwrap()["pagination"].clone())
        .collect();
    assert_eq!(
        cursors,
        [
            serde_json::Value::Null,
            serde_json::json!({"starting_after": "c1"}),
            serde_json::json!({"starting_after": "c2"})
        ]
    );
    assert!(mock.requests().iter().all(|r| r.method() == http::Method::POST));
}

#[tokio::test(start_paused = true)]
async fn page_numbers() {
    let mock = MockTransport::new();
    mock.push(companies(&["a"], 1, 3));
    mock.push(companies(&["b"], 2, 3));
    mock.push(companies(&["c"], 3, 3));
    let api = client(&mock);
    let items = api.v2_11().companies().list_all_companies().per_page(1).items();
    assert_eq!(items.pages().style(), PaginationStyle::PageNumber);
    let ids: Vec<String> = items.map(|c| c.unwrap().id.unwrap()).collect().await;
    assert_eq!(ids, ["a", "b", "c"]);
    // No fourth request: `page` 3 of `total_pages` 3 is the last.
    assert_eq!(queries(&mock), ["per_page=1", "page=2&per_page=1", "page=3&per_page=1"]);
}

#[tokio::test(start_paused = true)]
async fn scroll_stops_at_its_total_without_an_empty_page() {
    let mock = MockTransport::new();
    mock.push(scroll(&["a"], Some(3)));
    mock.push(scroll(&["b"], Some(3)));
    mock.push(scroll(&["c"], Some(3)));
    let api = client(&mock);
    let items = api.v2_11().companies().scroll_over_all_companies().items();
    assert_eq!(items.pages().style(), PaginationStyle::Scroll);
    let ids: Vec<String> = items.map(|c| c.unwrap().id.unwrap()).collect().await;
    assert_eq!(ids, ["a", "b", "c"]);
    // The same `scroll_param` names the whole scroll: it is followed, not taken for a loop.
    assert_eq!(queries(&mock), ["", "scroll_param=scroll-1", "scroll_param=scroll-1"]);
}

#[tokio::test(start_paused = true)]
async fn scroll_without_a_total_ends_at_the_empty_page() {
    let mock = MockTransport::new();
    mock.push(scroll(&["a"], None));
    mock.push(scroll(&["b"], None));
    mock.push(scroll(&[], None));
    let api = client(&mock);
    let pages: Vec<_> = api.v2_11().companies().scroll_over_all_companies().pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(mock.remaining(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_second_scroll_gets_a_typed_error() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(
        400,
        r#"{"type":"error.list","request_id":"r1","errors":[{"code":"scroll_exists","message":"scroll already exists for this workspace"}]}"#,
    ));
    let api = client(&mock);
    let mut pages = api.v2_11().companies().scroll_over_all_companies().pages();
    let err = pages.next().await.unwrap().unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::ScrollExists));
    assert!(pages.next().await.is_none());
    assert_eq!(mock.request_count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_repeated_cursor_is_not_followed() {
    let mock = MockTransport::new();
    mock.push(contacts(&["1"], Some("c1")));
    mock.push(contacts(&["2"], Some("c1")));
    mock.push(contacts(&["never"], None));
    let api = client(&mock);
    let mut pages = api.v2_11().contacts().list_contacts().pages();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        page.unwrap();
        count += 1;
    }
    assert_eq!((count, mock.request_count()), (2, 2));
    assert!(pages.loop_detected());
}

#[tokio::test(start_paused = true)]
async fn a_cycling_cursor_is_not_followed() {
    // A → B → A: the server sends cursor A again after B.
    let mock = MockTransport::new();
    mock.push(contacts(&["1"], Some("A")));
    mock.push(contacts(&["2"], Some("B")));
    mock.push(contacts(&["3"], Some("A")));
    mock.push(contacts(&["never"], None));
    let api = client(&mock);
    let mut pages = api.v2_11().contacts().list_contacts().pages();
    let ids: Vec<String> = (&mut pages).map(|p| contact_ids(p.unwrap().data.unwrap_or_default())).concat().await;
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(mock.request_count(), 3);
    assert!(pages.loop_detected());
}

#[tokio::test(start_paused = true)]
async fn an_empty_first_page_ends_the_stream() {
    let mock = MockTransport::new();
    // Even with a cursor: a page without items is the last.
    mock.push(contacts(&[], Some("c1")));
    let api = client(&mock);
    let items: Vec<_> = api.v2_11().contacts().list_contacts().items().collect().await;
    assert!(items.is_empty());
    assert_eq!(mock.request_count(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_error_on_page_two_ends_the_stream_and_says_where_to_resume() {
    let mock = MockTransport::new();
    mock.push(contacts(&["1"], Some("c1")));
    mock.push(Scripted::json(
        404,
        r#"{"type":"error.list","request_id":"r2","errors":[{"code":"not_found","message":"gone"}]}"#,
    ));
    let api = client(&mock);
    let mut items = api.v2_11().contacts().list_contacts().items();
    assert_eq!(items.next().await.unwrap().unwrap().id.as_deref(), Some("1"));
    let err = items.next().await.unwrap().unwrap_err();
    assert!(items.next().await.is_none(), "the stream ends after an error");
    let resume = items.resume_from().cloned().unwrap();
    assert_eq!(resume, PageToken::Cursor("c1".into()));
    assert_eq!(err.page(), Some(&resume));
    assert!(err.to_string().contains("cursor c1"), "{err}");
    assert_eq!(mock.request_count(), 2);

    // A new stream from the saved cursor picks up where the failed one stopped.
    mock.push(contacts(&["2"], None));
    let rest: Vec<_> = api.v2_11().contacts().list_contacts().items_from(resume).try_collect().await.unwrap();
    assert_eq!(contact_ids(rest), ["2"]);
    assert_eq!(queries(&mock)[2], "starting_after=c1");
}

#[tokio::test(start_paused = true)]
async fn a_page_that_fails_transiently_is_retried_within_the_stream() {
    let mock = MockTransport::new();
    mock.push(contacts(&["1"], Some("c1")));
    mock.push(Scripted::status(503, "busy"));
    mock.push(contacts(&["2"], None));
    let api = client(&mock);
    let items: Vec<_> = api.v2_11().contacts().list_contacts().items().try_collect().await.unwrap();
    assert_eq!(contact_ids(items), ["1", "2"]);
    assert_eq!(queries(&mock), ["", "starting_after=c1", "starting_after=c1"]);

    // `POST /companies/list` is a POST: a 503 is not retried (the policy goes by method).
    let mock = MockTransport::new();
    mock.push(companies(&["a"], 1, 2));
    mock.push(Scripted::status(503, "busy"));
    let results: Vec<_> = client(&mock).v2_11().companies().list_all_companies().items().collect().await;
    assert!(results[0].is_ok() && results[1].is_err() && results.len() == 2);
}

#[tokio::test(start_paused = true)]
async fn a_page_number_stream_starts_from_a_saved_page_and_times_out_per_page() {
    let mock = MockTransport::new();
    mock.push(companies(&["c"], 3, 3));
    let api = client(&mock);
    let ids: Vec<String> = api
        .v2_11()
        .companies()
        .list_all_companies()
        .items_from(PageToken::Page(3))
        .map(|c| c.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, ["c"]);
    assert_eq!(queries(&mock), ["page=3"]);

    // The call's timeout applies to every page.
    mock.push(companies(&["a"], 1, 2));
    mock.push(companies(&["b"], 2, 2).after(std::time::Duration::from_secs(5)));
    let mut pages = api.v2_11().companies().list_all_companies().timeout(std::time::Duration::from_secs(1)).pages();
    pages.next().await.unwrap().unwrap();
    let err = pages.next().await.unwrap().unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(pages.resume_from(), Some(&PageToken::Page(2)));
}

#[tokio::test(start_paused = true)]
async fn client_pages_takes_any_paginated_operation_value() {
    let mock = MockTransport::new();
    mock.push(contacts(&["1"], None));
    let api = client(&mock);
    let mut op = intercom_api::v2_11::operations::ListContacts::new();
    op.per_page = Some(5);
    let pages: Vec<_> = api.pages(op).try_collect().await.unwrap();
    assert_eq!(pages.len(), 1);
}

#[tokio::test]
async fn an_invalid_header_fails_the_call_when_sent_and_sends_nothing() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(200, r#"{"type":"admin","id":"1"}"#));
    let client = intercom_api::Client::builder("test-token").transport(mock.clone()).build();
    // `.header` chains; the bad name is reported by the await, not mid-chain.
    let call = client.v2_11().admins().identify_admin().header("bad name", "x").header("x-ok", "1");
    match call.await {
        Err(intercom_api::Error::InvalidRequest(message)) => assert!(message.contains("bad name"), "{message}"),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(mock.requests().is_empty(), "nothing may be sent");
}
