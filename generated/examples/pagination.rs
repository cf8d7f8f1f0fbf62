//! Pagination streams, read with their own methods (no `futures` import): items of a page-number
//! list, pages of a cursor list, a scroll with an item cap, resuming a stream that failed, and why
//! each stream ended.
//!
//! `cargo run -p intercom-api --features v2_11,test-util --example pagination` runs it offline
//! against the scripted transport of `client::testing`; with `INTERCOM_TOKEN` set it calls
//! Intercom instead (read-only calls).

use intercom_api::client::testing::{MockTransport, Scripted};
use intercom_api::runtime::PageToken;
use intercom_api::{Client, Error, Items, Paginate};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = match std::env::var("INTERCOM_TOKEN") {
        Ok(token) => Client::new(token),
        Err(_) => Client::builder("offline").transport(scripted()).build(),
    };
    let api = client.v2_11();

    // Every company, page by page (`page`/`per_page`), as one stream of `Company`. The stream stops
    // after the page whose number is `total_pages`: no request for an empty page.
    let companies = api.companies().list_all_companies().per_page(2).items().try_collect().await?;
    let names: Vec<String> = companies.into_iter().map(|c| c.name.unwrap_or_default()).collect();
    println!("companies: {names:?}");

    // Contacts page by page (cursor in the query); each page is the typed `ContactList`.
    let mut pages = api.contacts().list_contacts().per_page(50).pages();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => println!("a page of {} contacts", page.data.map_or(0, |d| d.len())),
            Err(error) => {
                // The stream ends after an error and says where to pick up again.
                println!("page failed: {error}");
                if let Some(resume) = pages.resume_from() {
                    let rest = api.contacts().list_contacts().items_from(resume).try_collect().await?;
                    println!("resumed: {} more contacts", rest.len());
                }
                break;
            }
        }
    }

    // The first 3 items of a scroll, then stop: only the pages needed are fetched, and the stream
    // says it stopped at the cap, not at the end.
    let mut scrolled = api.companies().scroll_over_all_companies().items().max_items(3);
    let first = count(&mut scrolled).await?;
    println!("scrolled {first} companies, then: {:?}", scrolled.end_reason());

    // A stream can start from any saved position.
    let page_two = api.companies().list_all_companies().pages_from(PageToken::Page(2));
    println!("from page 2: {} pages", page_two.try_collect().await?.len());
    Ok(())
}

/// Any stream of items, with the one bound `Paginate`.
async fn count<O: Paginate>(items: &mut Items<O>) -> Result<usize, Error> {
    let mut n = 0;
    while let Some(item) = items.next().await {
        item?;
        n += 1;
    }
    Ok(n)
}

/// Offline answers for the calls above, in order.
fn scripted() -> MockTransport {
    let mock = MockTransport::new();
    let company_page = |page: u32, names: &[&str]| {
        let data: Vec<String> = names.iter().map(|n| format!(r#"{{"type":"company","name":"{n}"}}"#)).collect();
        Scripted::json(
            200,
            format!(r#"{{"type":"list","data":[{}],"pages":{{"page":{page},"total_pages":2}}}}"#, data.join(",")),
        )
    };
    let contacts = |ids: &[&str], next: Option<&str>| {
        let data: Vec<String> = ids.iter().map(|id| format!(r#"{{"type":"contact","id":"{id}"}}"#)).collect();
        let next = next.map_or("null".into(), |c| format!(r#"{{"starting_after":"{c}"}}"#));
        Scripted::json(200, format!(r#"{{"type":"list","data":[{}],"pages":{{"next":{next}}}}}"#, data.join(",")))
    };
    mock.push(company_page(1, &["Acme", "Globex"]));
    mock.push(company_page(2, &["Initech"]));
    mock.push(contacts(&["1", "2"], Some("c2")));
    mock.push(Scripted::status(404, r#"{"type":"error.list","errors":[{"code":"not_found","message":"gone"}]}"#));
    mock.push(contacts(&["3"], None));
    mock.push(Scripted::json(200, r#"{"data":[{"id":"a"},{"id":"b"}],"scroll_param":"s1","total_count":4}"#));
    mock.push(Scripted::json(200, r#"{"data":[{"id":"c"},{"id":"d"}],"scroll_param":"s1","total_count":4}"#));
    mock.push(company_page(2, &["Initech"]));
    mock
}
