//! Pagination streams: [`Pages`] yields one typed page at a time, [`Items`] the elements of every
//! page. Both implement `futures::Stream` (and are `Send`), fetch a page only when asked, hold at
//! most one page, stop after the last page without asking for an empty one, never follow a page
//! position twice ([`CycleGuard`]: O(1) per page, constant memory), and after a failed page end
//! with the error and say where to resume ([`Pages::resume_from`]).

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::{CallOptions, Client, Response};
use crate::runtime::{CycleGuard, Error, PageToken, Paginated, PaginationStyle};

type PageFuture<O> =
    Pin<Box<dyn Future<Output = (O, Result<Response<<O as crate::runtime::Operation>::Output>, Error>)> + Send>>;

/// The pages of a [`Paginated`] operation, fetched one at a time as the stream is polled.
pub struct Pages<O: Paginated> {
    client: Client,
    options: Arc<CallOptions>,
    /// The request for the next page; `None` once the last page was returned or after an error.
    next: Option<O>,
    in_flight: Option<PageFuture<O>>,
    guard: CycleGuard,
    /// The position of the page that failed (`Some(None)`: the first page, which had none).
    failed: Option<Option<PageToken>>,
    loop_detected: bool,
    pages: u64,
    /// Items returned so far (a scroll ends when it reaches the response's total).
    items: u64,
}

// The operation is only ever moved, never pinned in place.
impl<O: Paginated> Unpin for Pages<O> {}

impl<O: Paginated> Pages<O> {
    pub(crate) fn new(client: Client, operation: O, options: CallOptions) -> Self {
        let mut guard = CycleGuard::default();
        if let Some(start) = operation.page() {
            guard.visit(&start);
        }
        Pages {
            client,
            options: Arc::new(options),
            next: Some(operation),
            in_flight: None,
            guard,
            failed: None,
            loop_detected: false,
            pages: 0,
            items: 0,
        }
    }

    /// How this operation paginates.
    pub fn style(&self) -> PaginationStyle {
        O::STYLE
    }

    /// Pages returned so far.
    pub fn pages_returned(&self) -> u64 {
        self.pages
    }

    /// After the stream returned an error: the position of the page that failed, to start a new
    /// stream there ([`Call::pages_from`](super::Call::pages_from)); `None` if the first page
    /// failed without a position (start over), or if nothing failed.
    pub fn resume_from(&self) -> Option<&PageToken> {
        self.failed.as_ref()?.as_ref()
    }

    /// Whether the stream failed (and so ended early).
    pub fn failed(&self) -> bool {
        self.failed.is_some()
    }

    /// Whether the stream ended because the server pointed back at a page already fetched (a
    /// repeated or cycling cursor) instead of following it.
    pub fn loop_detected(&self) -> bool {
        self.loop_detected
    }

    /// The position of the next page to fetch, if there is one (`None` also for a first page
    /// without a position).
    pub fn next_page(&self) -> Option<PageToken> {
        self.next.as_ref()?.page()
    }
}

impl<O> Stream for Pages<O>
where
    O: Paginated + Send + Sync + 'static,
    O::Output: Send,
{
    type Item = Result<O::Output, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(in_flight) = this.in_flight.as_mut() {
                let (mut operation, result) = match in_flight.as_mut().poll(cx) {
                    Poll::Ready(done) => done,
                    Poll::Pending => return Poll::Pending,
                };
                this.in_flight = None;
                return Poll::Ready(Some(match result {
                    Ok(response) => {
                        let page = response.data;
                        this.pages += 1;
                        let count = O::item_count(&page) as u64;
                        this.items += count;
                        let complete = O::total_count(&page).is_some_and(|total| this.items >= total);
                        // An empty page is the last, whatever it links to.
                        if count > 0 && !complete {
                            if let Some(next) = operation.next_page(&page) {
                                // A scroll sends the same `scroll_param` for every page of one
                                // scroll: it names the scroll, not a page, so it cannot cycle.
                                if O::STYLE == PaginationStyle::Scroll || this.guard.visit(&next) {
                                    operation.set_page(next);
                                    this.next = Some(operation);
                                } else {
                                    this.loop_detected = true;
                                    warn_loop::<O>(&next);
                                }
                            }
                        }
                        Ok(page)
                    }
                    Err(error) => {
                        this.failed = Some(operation.page());
                        Err(error)
                    }
                }));
            }
            let Some(operation) = this.next.take() else { return Poll::Ready(None) };
            let (client, options) = (this.client.clone(), Arc::clone(&this.options));
            this.in_flight = Some(Box::pin(async move {
                let page = operation.page();
                let result = client.execute(&operation, &options, page).await;
                (operation, result)
            }));
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.next.is_none() && self.in_flight.is_none() {
            (0, Some(0))
        } else {
            (usize::from(self.in_flight.is_some()), None)
        }
    }
}

#[cfg(feature = "tracing")]
fn warn_loop<O: Paginated>(next: &PageToken) {
    tracing::warn!(operation = O::OPERATION_ID, next = %next, "pagination stopped: the next page was already fetched");
}

#[cfg(not(feature = "tracing"))]
#[allow(clippy::extra_unused_type_parameters)] // the same signature as with `tracing`
fn warn_loop<O: Paginated>(_: &PageToken) {}

/// The items of every page of a [`Paginated`] operation, in order; holds at most one page.
pub struct Items<O: Paginated> {
    pages: Pages<O>,
    current: VecDeque<O::Item>,
}

impl<O: Paginated> Unpin for Items<O> {}

impl<O: Paginated> Items<O> {
    pub(crate) fn new(pages: Pages<O>) -> Self {
        Items { pages, current: VecDeque::new() }
    }

    /// The page stream underneath (its position, whether it failed, where to resume).
    pub fn pages(&self) -> &Pages<O> {
        &self.pages
    }

    /// After an error: the position of the page that failed ([`Pages::resume_from`]).
    pub fn resume_from(&self) -> Option<&PageToken> {
        self.pages.resume_from()
    }
}

impl<O> Stream for Items<O>
where
    O: Paginated + Send + Sync + 'static,
    O::Output: Send,
{
    type Item = Result<O::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Ready(Some(Ok(page))) => this.current = O::into_items(page).into(),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}
