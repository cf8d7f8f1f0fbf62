//! Pagination streams in all four of Intercom's styles, through the scripted transport: three pages
//! each, a repeated and a cycling cursor, an empty first page, an error on page 2 with resumption,
//! and a scroll that is already open. Each test also checks that no request is made after the last
//! page. Then every way a stream ends (the fault probe's cases of issue 28): a next cursor of the
//! wrong type or missing while pages remain, cycles of 100 and 10,000 cursors, a scroll repeating
//! its pages, page and item caps; and the inherent methods (`next`, `try_collect`,
//! `collect_items`) with the one-bound helper `Paginate`.

#![cfg(all(feature = "test-util", feature = "v2_11"))]

// `StreamExt` for the `Stream` impls (`map`, `concat`); everything else is inherent.
use futures_util::StreamExt;
use intercom_api::client::testing::{MockTransport, Scripted};
use intercom_api::runtime::{ErrorCode, PageToken, PaginationStyle, RetryPolicy};
use intercom_api::v2_11::models;
use intercom_api::{Client, EndReason, Error};

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
    assert_eq!(pages.end_reason(), Some(EndReason::Cycle { position: Some(PageToken::Cursor("c1".into())) }));
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
    let resume = items.resume_from().unwrap();
    assert_eq!(items.end_reason(), Some(EndReason::Failed));
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
    assert_eq!(pages.resume_from(), Some(PageToken::Page(2)));
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

// ---- Every end is explicit (issue 28 item 1) ------------------------------------------------------

/// A contact list page whose `pages` member is given raw.
fn contacts_with_pages(ids: &[&str], pages: &str) -> Scripted {
    let data: Vec<String> = ids.iter().map(|id| format!(r#"{{"type":"contact","id":"{id}"}}"#)).collect();
    Scripted::json(200, format!(r#"{{"type":"list","data":[{}],"pages":{pages}}}"#, data.join(",")))
}

#[tokio::test(start_paused = true)]
async fn a_next_cursor_of_the_wrong_type_is_an_error_not_a_silent_end() {
    let mock = MockTransport::new();
    mock.push(contacts_with_pages(&["1"], r#"{"type":"pages","next":{"starting_after":7},"page":1,"total_pages":10}"#));
    mock.push(contacts(&["never"], None));
    let api = client(&mock);
    let mut pages = api.v2_11().contacts().list_contacts().pages();
    // The page itself is good data and is returned; then the stream says why it cannot go on.
    let page = pages.next().await.unwrap().unwrap();
    assert_eq!(contact_ids(page.data.unwrap_or_default()), ["1"]);
    let err = pages.next().await.unwrap().unwrap_err();
    match &err {
        Error::Pagination { path, .. } => assert_eq!(path, "pages.next.starting_after"),
        other => panic!("expected Error::Pagination, got {other:?}"),
    }
    assert!(err.to_string().contains("pages.next.starting_after"), "{err}");
    assert!(pages.next().await.is_none());
    assert_eq!(pages.end_reason(), Some(EndReason::Drift { path: "pages.next.starting_after".into() }));
    assert!(pages.failed());
    // The page's mismatch reaches the stream's user, with the page it came from.
    let mismatches = pages.mismatches();
    assert_eq!(mismatches.len(), 1);
    assert_eq!((mismatches[0].page, mismatches[0].mismatch.path.as_str()), (1, "pages.next.starting_after"));
    assert_eq!(pages.last_response().unwrap().mismatches, [mismatches[0].mismatch.clone()]);
    assert_eq!(mock.request_count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_missing_next_cursor_while_pages_remain_is_an_error_and_at_the_last_page_is_the_end() {
    let mock = MockTransport::new();
    mock.push(contacts_with_pages(&["1"], r#"{"type":"pages","page":1,"total_pages":10}"#));
    let api = client(&mock);
    let mut items = api.v2_11().contacts().list_contacts().items();
    assert!(items.next().await.unwrap().is_ok());
    assert!(matches!(items.next().await, Some(Err(Error::Pagination { .. }))));
    assert!(items.next().await.is_none());
    assert!(matches!(items.end_reason(), Some(EndReason::Drift { .. })));

    // Page 10 of 10 without a cursor: the ordinary last page.
    mock.push(contacts_with_pages(&["10"], r#"{"type":"pages","page":10,"total_pages":10}"#));
    let mut pages = api.v2_11().contacts().list_contacts().pages();
    assert_eq!(pages.try_collect_len().await, Ok(1));
}

/// `Pages::try_collect`, counted (a helper for the assertions above and below).
trait CollectLen {
    async fn try_collect_len(&mut self) -> Result<usize, String>;
}

impl<O: intercom_api::Paginate> CollectLen for intercom_api::Pages<O> {
    async fn try_collect_len(&mut self) -> Result<usize, String> {
        let mut n = 0;
        while let Some(page) = self.next().await {
            page.map_err(|e| e.to_string())?;
            n += 1;
        }
        assert_eq!(self.end_reason(), Some(EndReason::Last));
        Ok(n)
    }
}

#[tokio::test(start_paused = true)]
async fn page_numbers_of_the_wrong_type_and_a_scroll_short_of_its_total_are_errors() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(
        200,
        r#"{"type":"list","data":[{"type":"company","id":"a"}],"pages":{"type":"pages","page":1,"total_pages":"3"}}"#,
    ));
    let api = client(&mock);
    let result = api.v2_11().companies().list_all_companies().items().try_collect().await;
    assert!(matches!(result, Err(Error::Pagination { ref path, .. }) if path == "pages.total_pages"), "{result:?}");

    mock.push(scroll(&["a"], Some(5)));
    mock.push(Scripted::json(200, r#"{"type":"list","data":[{"type":"company","id":"b"}],"total_count":5}"#));
    let mut items = api.v2_11().companies().scroll_over_all_companies().items();
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    while let Some(item) = items.next().await {
        match item {
            Ok(company) => ids.push(company.id.unwrap()),
            Err(e) => errors.push(e),
        }
    }
    assert_eq!(ids, ["a", "b"]);
    assert!(matches!(errors.as_slice(), [Error::Pagination { path, .. }] if path == "scroll_param"), "{errors:?}");
}

/// A server whose cursors cycle: the first page links to `c0`, `c<i>` to `c<i+1>`, and the last of
/// `lap` cursors back to `c0`. Each page holds one contact named after the cursor it answers.
async fn cycle_of(lap: usize) {
    let mock = MockTransport::new();
    mock.push(contacts(&["first"], Some("c0")));
    for i in 0..lap {
        mock.push(contacts(&[&format!("c{i}")], Some(&format!("c{}", (i + 1) % lap))));
    }
    // What the server would answer for `c0` a second time: never asked for.
    mock.push(contacts(&["c0"], Some("c1")));
    let api = client(&mock);
    let mut items = api.v2_11().contacts().list_contacts().items();
    let mut seen = std::collections::HashSet::new();
    while let Some(item) = items.next().await {
        let id = item.unwrap().id.unwrap();
        assert!(seen.insert(id.clone()), "{id} was yielded twice (lap {lap})");
    }
    assert_eq!(seen.len(), lap + 1);
    assert_eq!(mock.request_count(), lap + 1);
    assert_eq!(mock.remaining(), 1);
    assert_eq!(items.end_reason(), Some(EndReason::Cycle { position: Some(PageToken::Cursor("c0".into())) }));
}

#[tokio::test(start_paused = true)]
async fn a_cycle_of_100_cursors_yields_no_page_twice() {
    cycle_of(100).await;
}

#[tokio::test(start_paused = true)]
async fn a_cycle_of_10_000_cursors_yields_no_page_twice() {
    cycle_of(10_000).await;
}

#[tokio::test(start_paused = true)]
async fn a_scroll_that_repeats_its_pages_ends_as_a_cycle() {
    // The same `scroll_param` for every page is normal; the same page again is a loop.
    let mock = MockTransport::new();
    for _ in 0..50 {
        mock.push(scroll(&["a"], None));
    }
    let api = client(&mock);
    let pages = api.v2_11().companies().scroll_over_all_companies().pages();
    let mut pages = pages;
    let mut count = 0;
    while let Some(page) = pages.next().await {
        page.unwrap();
        count += 1;
    }
    assert_eq!((count, mock.request_count()), (1, 2));
    assert_eq!(pages.end_reason(), Some(EndReason::Cycle { position: Some(PageToken::Cursor("scroll-1".into())) }));

    // A cycle of two pages: a, b, a.
    let mock = MockTransport::new();
    for id in ["a", "b", "a", "b"] {
        mock.push(scroll(&[id], None));
    }
    let items = client(&mock).v2_11().companies().scroll_over_all_companies().items();
    let ids: Vec<String> = items.try_collect().await.unwrap().into_iter().map(|c| c.id.unwrap()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(mock.remaining(), 1);
}

/// Pages of two contacts each, linked by cursor, without end.
fn endless(mock: &MockTransport, pages: usize) {
    for i in 0..pages {
        let (a, b) = (format!("{}", 2 * i), format!("{}", 2 * i + 1));
        mock.push(contacts(&[&a, &b], Some(&format!("c{}", i + 1))));
    }
}

#[tokio::test(start_paused = true)]
async fn page_and_item_caps_end_the_stream_with_their_reason() {
    let mock = MockTransport::new();
    endless(&mock, 10);
    let api = client(&mock);
    let mut pages = api.v2_11().contacts().list_contacts().pages().max_pages(2);
    assert_eq!(pages.try_collect_len_any().await, 2);
    assert_eq!(pages.end_reason(), Some(EndReason::PageCap { limit: 2 }));
    assert_eq!(pages.resume_from(), Some(PageToken::Cursor("c2".into())));
    assert_eq!(mock.request_count(), 2);

    // Exactly 3 items: the second page is cut short, so there is no page boundary to resume from.
    let mock = MockTransport::new();
    endless(&mock, 10);
    let api = client(&mock);
    let mut items = api.v2_11().contacts().list_contacts().items().max_items(3);
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        ids.push(item.unwrap().id.unwrap());
    }
    assert_eq!(ids, ["0", "1", "2"]);
    assert_eq!(items.end_reason(), Some(EndReason::ItemCap { limit: 3 }));
    assert_eq!(items.resume_from(), None);
    assert!(items.next().await.is_none());
    assert_eq!(items.end_reason(), Some(EndReason::ItemCap { limit: 3 }));
    assert_eq!(mock.request_count(), 2);

    // 4 items end on a page boundary: resume at the third page.
    let mock = MockTransport::new();
    endless(&mock, 10);
    let api = client(&mock);
    let mut items = api.v2_11().contacts().list_contacts().items().max_items(4);
    let all = {
        let mut n = 0;
        while let Some(item) = items.next().await {
            item.unwrap();
            n += 1;
        }
        n
    };
    assert_eq!(all, 4);
    assert_eq!(items.end_reason(), Some(EndReason::ItemCap { limit: 4 }));
    assert_eq!(items.resume_from(), Some(PageToken::Cursor("c2".into())));
    assert_eq!(mock.request_count(), 2);

    // A page stream with an item cap returns whole pages: 3 items need 2 pages.
    let mock = MockTransport::new();
    endless(&mock, 10);
    let pages = client(&mock).v2_11().contacts().list_contacts().pages().max_items(3);
    assert_eq!(pages.try_collect().await.unwrap().len(), 2);
    assert_eq!(mock.request_count(), 2);

    // A cap of 0 sends nothing.
    let mock = MockTransport::new();
    let mut pages = client(&mock).v2_11().contacts().list_contacts().pages().max_pages(0);
    assert!(pages.next().await.is_none());
    assert_eq!(pages.end_reason(), Some(EndReason::PageCap { limit: 0 }));
    assert_eq!(mock.request_count(), 0);
}

trait CountAny {
    async fn try_collect_len_any(&mut self) -> usize;
}

impl<O: intercom_api::Paginate> CountAny for intercom_api::Pages<O> {
    async fn try_collect_len_any(&mut self) -> usize {
        let mut n = 0;
        while let Some(page) = self.next().await {
            page.unwrap();
            n += 1;
        }
        n
    }
}

// ---- A newcomer's program (issue 26 items 2 and 3) -------------------------------------------------

/// The position is returned by value: printing it, then reading on, compiles (with
/// `resume_from() -> Option<&PageToken>` this was E0502), and so does keeping it across `next`.
#[tokio::test(start_paused = true)]
async fn resume_from_can_be_printed_and_kept_while_the_stream_is_read() {
    let mock = MockTransport::new();
    mock.push(contacts(&["1"], Some("c1")));
    mock.push(Scripted::json(404, r#"{"type":"error.list","errors":[{"code":"not_found","message":"gone"}]}"#));
    let api = client(&mock);
    let mut pages = api.v2_11().contacts().list_contacts().pages();
    println!("{:?}", pages.resume_from());
    pages.next().await.unwrap().unwrap();
    assert!(pages.next().await.unwrap().is_err());
    let saved = pages.resume_from();
    println!("{:?} {:?}", pages.resume_from(), pages.next().await.is_none());
    assert_eq!(saved, Some(PageToken::Cursor("c1".into())));
}

/// A helper generic over any paginated operation, with the one bound the crate root exports; it
/// can be spawned (the stream is `Send`). No `futures` import and no `runtime` import.
async fn count_items<O: intercom_api::Paginate>(mut items: intercom_api::Items<O>) -> Result<usize, Error> {
    let mut n = 0;
    while let Some(item) = items.next().await {
        item?;
        n += 1;
    }
    Ok(n)
}

#[tokio::test(start_paused = true)]
async fn inherent_methods_need_no_imports_and_one_bound_suffices() {
    let mock = MockTransport::new();
    mock.push(contacts(&["1", "2"], Some("c1")));
    mock.push(contacts(&["3"], None));
    mock.push(companies(&["a"], 1, 1));
    mock.push(contacts(&["4"], Some("c1")));
    mock.push(contacts(&["5"], None));
    let api = client(&mock);
    let n = tokio::spawn(count_items(api.v2_11().contacts().list_contacts().items())).await.unwrap().unwrap();
    assert_eq!(n, 3);
    assert_eq!(count_items(api.v2_11().companies().list_all_companies().items()).await.unwrap(), 1);
    let items = api.v2_11().contacts().list_contacts().pages().collect_items().await.unwrap();
    assert_eq!(contact_ids(items), ["4", "5"]);
}

#[tokio::test(start_paused = true)]
async fn every_pages_mismatches_and_response_reach_the_user() {
    let mock = MockTransport::new();
    mock.push(
        Scripted::json(
            200,
            r#"{"type":"list","data":[{"type":"contact","id":"1","name":5}],"pages":{"type":"pages","next":{"starting_after":"c1"}}}"#,
        )
        .header("x-request-id", "req-1"),
    );
    mock.push(Scripted::json(
        200,
        r#"{"type":"list","data":[{"type":"contact","id":"2"},{"type":"contact","id":"3","email":false}],"pages":{"type":"pages","next":null}}"#,
    ));
    let api = client(&mock);
    let mut pages = api.v2_11().contacts().list_contacts().pages();
    let first = pages.next_response().await.unwrap().unwrap();
    assert_eq!(first.request_id.as_deref(), Some("req-1"));
    assert_eq!(first.mismatches.len(), 1);
    assert_eq!(pages.last_response().unwrap().request_id.as_deref(), Some("req-1"));
    pages.next().await.unwrap().unwrap();
    assert!(pages.next().await.is_none());
    let found: Vec<(u64, Option<PageToken>, &str)> =
        pages.mismatches().iter().map(|m| (m.page, m.position.clone(), m.mismatch.path.as_str())).collect();
    assert_eq!(found, [(1, None, "data[0].name"), (2, Some(PageToken::Cursor("c1".into())), "data[1].email")]);
    assert_eq!(pages.end_reason(), Some(EndReason::Last));
}
