//! Streaming a long list through `items()` (issue 24, item 5): 1,000,000 contacts, 10,000 pages of
//! 100, from `GET /contacts` through `client.v2_11().contacts().list_contacts().items()`, with the
//! process's peak resident memory (`VmHWM`, reset with `clear_refs` just before the first page)
//! read at 1%, 10% and 100% of the items.
//!
//! The pages come from a transport in this file that writes page `n` when it is asked for
//! (`starting_after=p<n>`), so the only things that grow with the length of the list are on the
//! client's side: the stream holds one page, and its `CycleGuard` one `u64` per page followed
//! (about 16 bytes with the set's overhead). "Flat" therefore means: the peak grows by at most one
//! page's body plus 16 bytes per page between the first and the last reading. Each contact is
//! Intercom's 2.11 example of `GET /contacts/{contact_id}` (about 2 KB) with its own id.
//!
//! `cargo bench -p intercom-api --features v2_11,client --bench streaming` measures (1,000,000
//! items unless `INTERCOM_BENCH_ITEMS` says otherwise); without `--bench` (under `cargo test`)
//! 1,000 items check that every item arrives once, in order, decoded without a mismatch.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use intercom_api::client::{Transport, TransportError, TransportErrorKind, TransportFuture};
use intercom_api::EndReason;

/// Contacts per page: the `per_page` a bulk export would ask for.
const PER_PAGE: u64 = 100;

/// Intercom's 2.11 example contact; `{ID}` is replaced by each contact's own id.
const CONTACT: &str = r#"{"type":"contact","id":"{ID}","workspace_id":"this_is_an_id252_that_should_be_at_least_","external_id":"70","role":"user","email":"joe@bloggs.com","phone":null,"name":"Joe Bloggs","avatar":null,"owner_id":null,"social_profiles":{"type":"list","data":[]},"has_hard_bounced":false,"marked_email_as_spam":false,"unsubscribed_from_emails":false,"created_at":1719492777,"updated_at":1719492777,"signed_up_at":1719492777,"last_seen_at":null,"last_replied_at":null,"last_contacted_at":null,"last_email_opened_at":null,"last_email_clicked_at":null,"language_override":null,"browser":null,"browser_version":null,"browser_language":null,"os":null,"location":{"type":"location","country":null,"region":null,"city":null,"country_code":null,"continent_code":null},"android_app_name":null,"android_app_version":null,"android_device":null,"android_os_version":null,"android_sdk_version":null,"android_last_seen_at":null,"ios_app_name":null,"ios_app_version":null,"ios_device":null,"ios_os_version":null,"ios_sdk_version":null,"ios_last_seen_at":null,"custom_attributes":{},"tags":{"type":"list","data":[],"url":"/contacts/{ID}/tags","total_count":0,"has_more":false},"notes":{"type":"list","data":[],"url":"/contacts/{ID}/notes","total_count":0,"has_more":false},"companies":{"type":"list","data":[],"url":"/contacts/{ID}/companies","total_count":0,"has_more":false},"opted_out_subscription_types":{"type":"list","data":[],"url":"/contacts/{ID}/subscriptions","total_count":0,"has_more":false},"opted_in_subscription_types":{"type":"list","data":[],"url":"/contacts/{ID}/subscriptions","total_count":0,"has_more":false},"utm_campaign":null,"utm_content":null,"utm_medium":null,"utm_source":null,"utm_term":null,"referrer":null}"#;

/// The id of the contact at `index` (24 hex digits, as Intercom's ids).
fn contact_id(index: u64) -> String {
    format!("{index:024x}")
}

/// Serves `total` contacts, `PER_PAGE` a page, writing each page when it is requested.
struct PagedContacts {
    total: u64,
    /// The size of the largest page body written, for the "one page" bound.
    largest_page: Arc<AtomicU64>,
    requests: Arc<AtomicU64>,
}

impl PagedContacts {
    fn pages(&self) -> u64 {
        self.total.div_ceil(PER_PAGE)
    }

    /// The body of page `n` (from 0), or why the request names no page.
    fn page(&self, query: Option<&str>) -> Result<Vec<u8>, String> {
        let n = match query.and_then(|q| q.split('&').find_map(|p| p.strip_prefix("starting_after="))) {
            None => 0,
            Some(cursor) => cursor
                .strip_prefix('p')
                .and_then(|n| n.parse::<u64>().ok())
                .filter(|&n| n < self.pages())
                .ok_or_else(|| format!("no page has the cursor {cursor:?}"))?,
        };
        let first = n * PER_PAGE;
        let contacts: Vec<String> =
            (first..(first + PER_PAGE).min(self.total)).map(|i| CONTACT.replace("{ID}", &contact_id(i))).collect();
        let next = if n + 1 < self.pages() { format!(r#"{{"starting_after":"p{}"}}"#, n + 1) } else { "null".into() };
        let body = format!(
            r#"{{"type":"list","data":[{}],"total_count":{},"pages":{{"type":"pages","next":{next},"page":{},"per_page":{PER_PAGE},"total_pages":{}}}}}"#,
            contacts.join(","),
            self.total,
            n + 1,
            self.pages(),
        );
        self.largest_page.fetch_max(body.len() as u64, Ordering::Relaxed);
        Ok(body.into_bytes())
    }
}

impl Transport for PagedContacts {
    fn send(&self, request: http::Request<Vec<u8>>) -> TransportFuture<'_> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let answer = if request.uri().path() == "/contacts" {
            self.page(request.uri().query())
        } else {
            Err(format!("only GET /contacts is served, not {}", request.uri().path()))
        };
        Box::pin(async move {
            let body = answer.map_err(|e| TransportError::new(TransportErrorKind::Other, e))?;
            let mut response = http::Response::new(body);
            response.headers_mut().insert(http::header::CONTENT_TYPE, "application/json".parse().expect("a header"));
            Ok(response)
        })
    }
}

/// Resets the process's peak resident set (Linux: `clear_refs` 5), so `VmHWM` covers the stream.
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// `VmHWM` (peak) and `VmRSS` (now) in KiB.
fn memory_kib() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        status.lines().find(|l| l.starts_with(name))?.split_whitespace().nth(1)?.parse().ok()
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

/// One reading: items and pages streamed so far, peak and current resident memory.
struct Reading {
    items: u64,
    pages: u64,
    memory: Option<(u64, u64)>,
}

/// Streams every item, checking each is the next contact, and reads memory at `checkpoints`.
async fn stream(total: u64, checkpoints: &[u64]) -> (Vec<Reading>, u64, u64) {
    let largest_page = Arc::new(AtomicU64::new(0));
    let requests = Arc::new(AtomicU64::new(0));
    let transport = PagedContacts { total, largest_page: Arc::clone(&largest_page), requests: Arc::clone(&requests) };
    let pages = transport.pages();
    let client = intercom_api::Client::builder("bench-token").transport(transport).build();
    let mut items = client.v2_11().contacts().list_contacts().per_page(PER_PAGE as i64).items();
    let mut readings = Vec::new();
    reset_peak_memory();
    let mut count = 0u64;
    while let Some(item) = items.next().await {
        let contact = item.unwrap_or_else(|e| panic!("item {count} failed: {e}"));
        let expected = contact_id(count);
        assert_eq!(contact.id.as_deref(), Some(expected.as_str()), "item {count} out of order");
        count += 1;
        if checkpoints.contains(&count) {
            readings.push(Reading { items: count, pages: items.pages().pages_returned(), memory: memory_kib() });
        }
    }
    assert_eq!(count, total, "every item arrives once");
    assert_eq!(items.end_reason(), Some(EndReason::Last), "the stream ends at its last page");
    assert!(items.mismatches().is_empty(), "the example contact decodes exactly: {:?}", items.mismatches());
    assert_eq!(requests.load(Ordering::Relaxed), pages, "one request per page");
    (readings, pages, largest_page.load(Ordering::Relaxed))
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let total: u64 = std::env::var("INTERCOM_BENCH_ITEMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &u64| n >= 100)
        .unwrap_or(if full { 1_000_000 } else { 1_000 });
    let checkpoints = [total / 100, total / 10, total];
    println!(
        "streaming: {total} contacts through items(), {PER_PAGE} per page{}",
        if full { "" } else { " (smoke mode: pass --bench to measure)" }
    );
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let started = std::time::Instant::now();
    let (readings, pages, largest_page) = runtime.block_on(stream(total, &checkpoints));
    let seconds = started.elapsed().as_secs_f64();
    println!("{pages} pages, largest page body {:.1} KiB, {seconds:.1} s", largest_page as f64 / 1024.0);
    println!("{:>10} {:>7} {:>14} {:>14}", "items", "pages", "peak RSS KiB", "RSS KiB");
    for r in &readings {
        let (peak, now) = r.memory.map_or(("n/a".into(), "n/a".into()), |(p, n)| (p.to_string(), n.to_string()));
        println!("{:>10} {:>7} {:>14} {:>14}", r.items, r.pages, peak, now);
    }
    let (Some(first), Some(last)) = (readings.first(), readings.last()) else { return };
    let (Some((first_peak, _)), Some((last_peak, _))) = (first.memory, last.memory) else {
        println!("peak memory is not readable here (/proc/self/status): no verdict");
        return;
    };
    if first.pages < 2 {
        // Before the second page nothing was replaced yet: the first reading is not the steady state.
        println!("the first reading comes before the second page: too few items for a verdict");
        return;
    }
    // One page's body, plus what the cycle guard adds per page followed in between.
    let bound_kib = (largest_page + 16 * (last.pages - first.pages)).div_ceil(1024);
    let growth_kib = last_peak.saturating_sub(first_peak);
    let met = growth_kib <= bound_kib;
    println!(
        "peak grew {growth_kib} KiB from {} to {} items; bound (one page + 16 B per page): {bound_kib} KiB: {}",
        first.items,
        last.items,
        if met { "flat" } else { "NOT flat" }
    );
    // For `cargo xtask bench`'s table (xtask/src/bench.rs reads `summary` lines).
    println!(
        "summary\t6 streaming\titems() over {total} contacts ({pages} pages of {PER_PAGE})\tpeak at {} items: {:.1} MiB\tat {total}: {:.1} MiB\t+{growth_kib} KiB\t<= one page + 16 B/page ({bound_kib} KiB)\t{}",
        first.items,
        first_peak as f64 / 1024.0,
        last_peak as f64 / 1024.0,
        if met { "met" } else { "not met" }
    );
}
