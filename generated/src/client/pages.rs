//! Pagination streams: [`Pages`] yields one typed page at a time, [`Items`] the elements of every
//! page. Both have inherent async methods (`next`, `try_collect`, `collect_items`), so reading a
//! stream needs no other crate, and both also implement `futures::Stream` (and are `Send`).
//!
//! A stream fetches a page only when asked and holds at most one page. Every end is explicit:
//! [`Pages::end_reason`] says why a stream stopped ([`EndReason`]):
//!
//! - [`EndReason::Last`]: the server said the page was the last (no next position, `page` =
//!   `total_pages`, a scroll's `total_count` reached, or a page without items).
//! - [`EndReason::Cycle`]: the next position was one already followed (a cycle of any length), or
//!   a scroll sent a page identical to one already returned. No page is ever yielded twice.
//! - [`EndReason::PageCap`] / [`EndReason::ItemCap`]: the cap set with `max_pages` / `max_items`.
//! - [`EndReason::Drift`]: the page says more remain but its next position is missing or of the
//!   wrong JSON type. The stream yields the page, then an [`Error::Pagination`], then ends.
//! - [`EndReason::Failed`]: a page failed; the stream yields the error and ends, and
//!   [`Pages::resume_from`] says where to start a new stream.
//!
//! Every page's [`Response`] metadata is kept: [`Pages::last_response`] (status, headers,
//! mismatches, rate limit, request id, attempts of the latest page), [`Pages::mismatches`] (every
//! page's members of the wrong type, with the page they came from), or [`Pages::next_response`] to
//! read whole `Response`s.
//!
//! ```no_run
//! use intercom_api::{Error, Pages, Paginate};
//!
//! // `pages` is, say, `client.v2_11().contacts().list_contacts().per_page(50).pages()`.
//! async fn walk<O: Paginate>(pages: Pages<O>) -> Result<(), Error> {
//!     let mut pages = pages.max_pages(100);
//!     while let Some(page) = pages.next().await {
//!         let _page: O::Output = page?;
//!         println!("next: {:?}", pages.next_page());
//!     }
//!     println!("ended: {:?}, drifted members: {}", pages.end_reason(), pages.mismatches().len());
//!     Ok(())
//! }
//! ```
//!
//! A helper generic over any paginated operation needs one bound, [`Paginate`](crate::Paginate):
//!
//! ```no_run
//! use intercom_api::{client::Items, Error, Paginate};
//!
//! async fn count<O: Paginate>(mut items: Items<O>) -> Result<usize, Error> {
//!     let mut n = 0;
//!     while let Some(item) = items.next().await {
//!         item?;
//!         n += 1;
//!     }
//!     Ok(n)
//! }
//! ```

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::{CallOptions, Client, Response};
use crate::runtime::pagination::position_mismatch;
use crate::runtime::{CallContext, CycleGuard, Error, Mismatch, Operation, PageToken, Paginated, PaginationStyle};

/// What a stream needs of an operation, as one bound for code generic over streams
/// (`fn f<O: Paginate>(pages: Pages<O>)`): a [`Paginated`] operation that can move between
/// threads, whose pages and items can too. Implemented for every such operation; never implement
/// it yourself.
pub trait Paginate: Paginated<Output: Send + serde::Serialize, Item: Send> + Send + Sync + 'static {}

impl<O> Paginate for O
where
    O: Paginated + Send + Sync + 'static,
    O::Output: Send + serde::Serialize,
    O::Item: Send,
{
}

/// Why a stream ended ([`Pages::end_reason`], [`Items::end_reason`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndReason {
    /// The last page was returned: the server said no page follows.
    Last,
    /// The server pointed at a page already fetched (`position`), or a scroll sent a page identical
    /// to one already returned (`position` is its `scroll_param`). The repeat was not returned.
    Cycle { position: Option<PageToken> },
    /// `max_pages` pages were returned; [`Pages::resume_from`] is where the next one starts.
    PageCap { limit: u64 },
    /// `max_items` items were returned; [`Pages::resume_from`] is where the next page starts
    /// (`None` when the cap fell inside a page).
    ItemCap { limit: u64 },
    /// A page said more remain but gave no usable next position: `path` is the member that was
    /// missing or of the wrong JSON type. The stream yielded an [`Error::Pagination`].
    Drift { path: String },
    /// A page failed; the stream yielded the error ([`Pages::resume_from`] says where to resume).
    Failed,
}

/// A member of the wrong JSON type in one page of a stream ([`Pages::mismatches`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageMismatch {
    /// The page, counting from 1.
    pub page: u64,
    /// The position the page was fetched from (`None` for a first page without one).
    pub position: Option<PageToken>,
    pub mismatch: Mismatch,
}

type PageFuture<O> = Pin<Box<dyn Future<Output = (O, Result<Response<<O as Operation>::Output>, Error>)> + Send>>;

/// The pages of a [`Paginated`] operation, fetched one at a time as the stream is read.
pub struct Pages<O: Paginated> {
    client: Client,
    options: Arc<CallOptions>,
    /// The request for the next page; `None` once none follows or after an error. Kept after a cap
    /// so that [`Pages::resume_from`] can say where the next page starts.
    next: Option<O>,
    in_flight: Option<PageFuture<O>>,
    /// Every position followed (scrolls: every page's content).
    guard: CycleGuard,
    end: Option<EndReason>,
    /// Yielded after the page that drifted, then the stream ends.
    pending_error: Option<Error>,
    /// The position of the page that failed (`Some(None)`: the first page, which had none).
    failed_at: Option<Option<PageToken>>,
    pages: u64,
    /// Items returned so far (a scroll ends when it reaches the response's total).
    items: u64,
    max_pages: Option<u64>,
    max_items: Option<u64>,
    last_response: Option<Response<()>>,
    mismatches: Vec<PageMismatch>,
}

// The operation is only ever moved, never pinned in place.
impl<O: Paginated> Unpin for Pages<O> {}

impl<O: Paginated> Pages<O> {
    pub(crate) fn new(client: Client, operation: O, options: CallOptions) -> Self {
        let mut guard = CycleGuard::default();
        // A scroll's `scroll_param` names the scroll, not a page: its pages are compared instead.
        if O::STYLE != PaginationStyle::Scroll {
            if let Some(start) = operation.page() {
                guard.visit(&start);
            }
        }
        Pages {
            client,
            options: Arc::new(options),
            next: Some(operation),
            in_flight: None,
            guard,
            end: None,
            pending_error: None,
            failed_at: None,
            pages: 0,
            items: 0,
            max_pages: None,
            max_items: None,
            last_response: None,
            mismatches: Vec::new(),
        }
    }

    /// Ends the stream after `pages` pages ([`EndReason::PageCap`]); no request is made after the
    /// cap.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// Ends the stream once pages holding `items` items were returned ([`EndReason::ItemCap`]);
    /// the page that reaches the cap is returned whole ([`Items::max_items`] stops at the item).
    pub fn max_items(mut self, items: u64) -> Self {
        self.max_items = Some(items);
        self
    }

    /// How this operation paginates.
    pub fn style(&self) -> PaginationStyle {
        O::STYLE
    }

    /// Pages returned so far.
    pub fn pages_returned(&self) -> u64 {
        self.pages
    }

    /// Items in the pages returned so far.
    pub fn items_returned(&self) -> u64 {
        self.items
    }

    /// Why the stream ended; `None` while it has not.
    pub fn end_reason(&self) -> Option<EndReason> {
        self.end.clone()
    }

    /// Where a new stream would pick up ([`Call::pages_from`](super::Call::pages_from)): after a
    /// failure, the position of the page that failed; after a page or item cap, the position of
    /// the next page. `None` otherwise, and when that page has no position (a first page: start
    /// over). Returned by value, so it can be printed while the stream is read on.
    pub fn resume_from(&self) -> Option<PageToken> {
        match self.end {
            Some(EndReason::Failed) => self.failed_at.clone().flatten(),
            Some(EndReason::PageCap { .. } | EndReason::ItemCap { .. }) => self.next.as_ref()?.page(),
            _ => None,
        }
    }

    /// Whether the stream yielded an error (a failed page, or a page that drifted).
    pub fn failed(&self) -> bool {
        matches!(self.end, Some(EndReason::Failed | EndReason::Drift { .. }))
    }

    /// Whether the stream ended because the server pointed back at a page already fetched.
    pub fn loop_detected(&self) -> bool {
        matches!(self.end, Some(EndReason::Cycle { .. }))
    }

    /// The position of the next page to fetch, if there is one (`None` also for a first page
    /// without a position, and once the stream ended).
    pub fn next_page(&self) -> Option<PageToken> {
        if self.end.is_some() {
            return None;
        }
        self.next.as_ref()?.page()
    }

    /// The latest page's response without its data: status, headers, mismatches, rate limit,
    /// request id, attempts.
    pub fn last_response(&self) -> Option<&Response<()>> {
        self.last_response.as_ref()
    }

    /// Members of the wrong JSON type in every page so far (each kept raw in its struct's `extra_`
    /// map), with the page they came from. Grows by one entry per drifted member.
    pub fn mismatches(&self) -> &[PageMismatch] {
        &self.mismatches
    }

    /// The end to record when no more pages may be fetched, before fetching the next one.
    fn cap_reached(&self) -> Option<EndReason> {
        if let Some(limit) = self.max_pages.filter(|&limit| self.pages >= limit) {
            return Some(EndReason::PageCap { limit });
        }
        self.max_items.filter(|&limit| self.items >= limit).map(|limit| EndReason::ItemCap { limit })
    }

    /// Records a page that arrived and decides what follows it. `None`: the page is a repeat and is
    /// not returned.
    fn accept(&mut self, mut operation: O, response: Response<O::Output>) -> Option<Response<O::Output>>
    where
        O::Output: serde::Serialize,
    {
        let position = operation.page();
        if O::STYLE == PaginationStyle::Scroll && !self.guard.visit_content(&response.data) {
            self.finish(EndReason::Cycle { position });
            return None;
        }
        let page = &response.data;
        self.pages += 1;
        let count = O::item_count(page) as u64;
        self.items += count;
        let page_number = self.pages;
        self.mismatches.extend(response.mismatches.iter().map(|mismatch| PageMismatch {
            page: page_number,
            position: position.clone(),
            mismatch: mismatch.clone(),
        }));
        self.last_response = Some(response.metadata());

        let total = O::total_count(page);
        if count == 0 || total.is_some_and(|total| self.items >= total) {
            // An empty page is the last, whatever it links to.
            self.finish(EndReason::Last);
            return Some(response);
        }
        match operation.next_page(page) {
            Some(next) => {
                if O::STYLE == PaginationStyle::Scroll || self.guard.visit(&next) {
                    operation.set_page(next);
                    self.next = Some(operation);
                } else {
                    self.finish(EndReason::Cycle { position: Some(next) });
                }
            }
            None => match self.drift(page, total, &response.mismatches) {
                Some((path, message)) => {
                    let mut context = CallContext::of::<O>();
                    context.request_id = response.request_id.clone();
                    context.attempts = response.attempts;
                    context.rate_limit = response.rate_limit;
                    context.page = position;
                    self.pending_error =
                        Some(Error::Pagination { path: path.clone(), message, context: Some(Box::new(context)) });
                    self.finish(EndReason::Drift { path });
                }
                None => self.finish(EndReason::Last),
            },
        }
        Some(response)
    }

    /// Why a page without a next position is not the last: a member on the way to that position of
    /// the wrong type, or a page that says more remain. `None`: it is the last.
    fn drift(&self, page: &O::Output, total: Option<u64>, mismatches: &[Mismatch]) -> Option<(String, String)> {
        if let Some(mismatch) = position_mismatch(O::STYLE, mismatches) {
            return Some((
                mismatch.path.clone(),
                format!("the next page's position is of the wrong type ({})", mismatch.message),
            ));
        }
        if O::more_pages(page) == Some(true) {
            return Some((
                "pages.next.starting_after".into(),
                "the page says more pages remain (`pages.page` < `pages.total_pages`) but gives no next cursor".into(),
            ));
        }
        if let Some(total) = total.filter(|&total| self.items < total) {
            return Some((
                "scroll_param".into(),
                format!("{} of {total} items were returned, but the page gives no `scroll_param`", self.items),
            ));
        }
        None
    }

    fn finish(&mut self, reason: EndReason) {
        if self.end.is_none() {
            warn_end::<O>(&reason);
            self.end = Some(reason);
        }
    }
}

impl<O: Paginate> Pages<O> {
    /// The next page, or `None` once the stream ended ([`Pages::end_reason`] says why).
    #[allow(clippy::should_implement_trait)] // the `Stream` impl is there too; this needs no import
    pub async fn next(&mut self) -> Option<Result<O::Output, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The next page with its response's status, headers, mismatches and rate limit.
    pub async fn next_response(&mut self) -> Option<Result<Response<O::Output>, Error>> {
        std::future::poll_fn(|cx| self.poll_response(cx)).await
    }

    /// Every remaining page, stopping at the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O::Output>, Error> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }

    /// Every item of every remaining page, in order, stopping at the first error.
    pub async fn collect_items(self) -> Result<Vec<O::Item>, Error> {
        Items::new(self).try_collect().await
    }

    fn poll_response(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Response<O::Output>, Error>>> {
        loop {
            if let Some(in_flight) = self.in_flight.as_mut() {
                let (operation, result) = match in_flight.as_mut().poll(cx) {
                    Poll::Ready(done) => done,
                    Poll::Pending => return Poll::Pending,
                };
                self.in_flight = None;
                return Poll::Ready(match result {
                    Ok(response) => self.accept(operation, response).map(Ok),
                    Err(error) => {
                        self.failed_at = Some(operation.page());
                        self.finish(EndReason::Failed);
                        Some(Err(error))
                    }
                });
            }
            if let Some(error) = self.pending_error.take() {
                return Poll::Ready(Some(Err(error)));
            }
            if self.end.is_some() {
                return Poll::Ready(None);
            }
            if let Some(cap) = self.cap_reached() {
                self.finish(cap);
                return Poll::Ready(None);
            }
            let Some(operation) = self.next.take() else {
                self.finish(EndReason::Last);
                return Poll::Ready(None);
            };
            let (client, options) = (self.client.clone(), Arc::clone(&self.options));
            self.in_flight = Some(Box::pin(async move {
                let page = operation.page();
                let result = client.execute(&operation, &options, page).await;
                (operation, result)
            }));
        }
    }
}

impl<O: Paginate> Stream for Pages<O> {
    type Item = Result<O::Output, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_response(cx).map(|page| page.map(|result| result.map(|response| response.data)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.end.is_some() && self.pending_error.is_none() && self.in_flight.is_none() {
            (0, Some(0))
        } else {
            (usize::from(self.in_flight.is_some() || self.pending_error.is_some()), None)
        }
    }
}

/// A stream that ends for another reason than its last page or a cap says so in the log too.
#[cfg(feature = "tracing")]
fn warn_end<O: Paginated>(reason: &EndReason) {
    match reason {
        EndReason::Cycle { position } => tracing::warn!(
            operation = O::OPERATION_ID,
            position = ?position,
            "pagination stopped: the server pointed back at a page already returned"
        ),
        EndReason::Drift { path } => tracing::warn!(
            operation = O::OPERATION_ID,
            member = %crate::runtime::error::sanitize(path, 200),
            "pagination stopped: the page says more remain but its next position is missing or of the wrong type"
        ),
        _ => {}
    }
}

#[cfg(not(feature = "tracing"))]
#[allow(clippy::extra_unused_type_parameters)] // the same signature as with `tracing`
fn warn_end<O: Paginated>(_: &EndReason) {}

/// The items of every page of a [`Paginated`] operation, in order; holds at most one page.
pub struct Items<O: Paginated> {
    pages: Pages<O>,
    current: VecDeque<O::Item>,
    /// Items yielded so far, for [`Items::max_items`].
    yielded: u64,
    max_items: Option<u64>,
    /// Whether the item cap cut a page short.
    cut: bool,
}

impl<O: Paginated> Unpin for Items<O> {}

impl<O: Paginated> Items<O> {
    pub(crate) fn new(pages: Pages<O>) -> Self {
        Items { pages, current: VecDeque::new(), yielded: 0, max_items: None, cut: false }
    }

    /// Ends the stream after `pages` pages ([`Pages::max_pages`]).
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.pages = self.pages.max_pages(pages);
        self
    }

    /// Ends the stream after exactly `items` items ([`EndReason::ItemCap`]); no page is fetched
    /// after the one holding the last of them.
    pub fn max_items(mut self, items: u64) -> Self {
        self.max_items = Some(items);
        self.pages = self.pages.max_items(items);
        self
    }

    /// The page stream underneath (its position, mismatches, last response).
    pub fn pages(&self) -> &Pages<O> {
        &self.pages
    }

    /// Why the stream ended; `None` while it has not ([`Pages::end_reason`]).
    pub fn end_reason(&self) -> Option<EndReason> {
        match self.max_items {
            Some(limit) if self.cut => Some(EndReason::ItemCap { limit }),
            _ if !self.current.is_empty() => None,
            _ => self.pages.end_reason(),
        }
    }

    /// Where a new stream would pick up ([`Pages::resume_from`]); `None` when an item cap fell
    /// inside a page.
    pub fn resume_from(&self) -> Option<PageToken> {
        if self.cut {
            return None;
        }
        self.pages.resume_from()
    }

    /// Members of the wrong JSON type in every page so far ([`Pages::mismatches`]).
    pub fn mismatches(&self) -> &[PageMismatch] {
        self.pages.mismatches()
    }
}

impl<O: Paginate> Items<O> {
    /// The next item, or `None` once the stream ended ([`Items::end_reason`] says why).
    #[allow(clippy::should_implement_trait)] // the `Stream` impl is there too; this needs no import
    pub async fn next(&mut self) -> Option<Result<O::Item, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every remaining item, stopping at the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O::Item>, Error> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    /// Every remaining item (the same as [`Items::try_collect`], named as on [`Pages`]).
    pub async fn collect_items(self) -> Result<Vec<O::Item>, Error> {
        self.try_collect().await
    }
}

impl<O: Paginate> Stream for Items<O> {
    type Item = Result<O::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(limit) = this.max_items.filter(|&limit| this.yielded >= limit) {
                if !this.current.is_empty() {
                    // The cap fell inside a page: the rest of it is dropped, and said so.
                    this.cut = true;
                    this.current.clear();
                } else if !this.cut {
                    // On a page boundary: the page stream records it (unless that page was the last).
                    this.pages.finish(EndReason::ItemCap { limit });
                }
                return Poll::Ready(None);
            }
            if let Some(item) = this.current.pop_front() {
                this.yielded += 1;
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
