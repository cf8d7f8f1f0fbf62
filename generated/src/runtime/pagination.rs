//! Pagination, sans-IO: how an operation's pages link ([`Paginated`], generated for every operation
//! whose request and response shapes paginate), and a loop guard ([`CycleGuard`]) that costs O(1)
//! time per page and constant memory.

use std::hash::BuildHasher;

/// The four ways Intercom paginates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaginationStyle {
    /// `starting_after` in the query, from the response's `pages.next.starting_after`
    /// (`GET /contacts`, `GET /conversations`).
    QueryCursor,
    /// `pagination.starting_after` in the request body, from `pages.next.starting_after`
    /// (`POST /contacts/search`, …).
    BodyCursor,
    /// `page` (and `per_page`) in the query, up to the response's `pages.total_pages`
    /// (`GET /companies`, `GET /articles`, …).
    PageNumber,
    /// `scroll_param` in the query, from the response's `scroll_param` (`GET /companies/scroll`).
    /// Only one scroll may be open per workspace: a second one fails with the `scroll_exists` code.
    Scroll,
}

impl PaginationStyle {
    pub fn as_str(self) -> &'static str {
        match self {
            PaginationStyle::QueryCursor => "cursor (query)",
            PaginationStyle::BodyCursor => "cursor (body)",
            PaginationStyle::PageNumber => "page number",
            PaginationStyle::Scroll => "scroll",
        }
    }
}

/// Where a page starts: a cursor (`starting_after`, `scroll_param`) or a page number. Save the one
/// a failed stream reports and start a new stream from it to resume.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageToken {
    Cursor(String),
    Page(u64),
}

impl std::fmt::Display for PageToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageToken::Cursor(c) => write!(f, "cursor {}", super::error::sanitize(c, 200)),
            PageToken::Page(n) => write!(f, "page {n}"),
        }
    }
}

/// An operation whose results come in pages. Generated, with its style, for every operation whose
/// request takes a page position and whose response says where the next page starts.
pub trait Paginated: super::Operation {
    /// One element of a page (`Company` for `listAllCompanies`).
    type Item;
    const STYLE: PaginationStyle;

    /// The page this request asks for; `None` for the first page when none was set.
    fn page(&self) -> Option<PageToken>;
    /// Points the request at `page`. A token of the other kind (a page number for a cursor
    /// operation) is ignored.
    fn set_page(&mut self, page: PageToken);
    /// Where the page after `output` starts, or `None` when `output` says it is the last one.
    /// `self` is the request that fetched `output`.
    fn next_page(&self, output: &Self::Output) -> Option<PageToken>;
    /// How many items `output` holds.
    fn item_count(output: &Self::Output) -> usize;
    /// The items of `output`, in order.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
    /// How many items all pages hold together, when the response says (scrolls: their
    /// `total_count`, so that a stream stops at the last page instead of asking for an empty one).
    fn total_count(_output: &Self::Output) -> Option<u64> {
        None
    }
}

/// The page number after `page` when there are `total_pages` (`None` when `page` is the last one or
/// a number is out of range). Used by generated page-number impls.
pub fn next_page_number(page: Option<i64>, requested: Option<i64>, total_pages: Option<i64>) -> Option<PageToken> {
    let page = page.or(requested).unwrap_or(1);
    let total = total_pages?;
    (page >= 1 && page < total).then(|| PageToken::Page(page as u64 + 1))
}

/// The number in a page-number token, as the request parameter wants it.
pub fn page_number(page: &PageToken) -> Option<i64> {
    match page {
        PageToken::Page(n) => i64::try_from(*n).ok(),
        PageToken::Cursor(_) => None,
    }
}

/// The string in a cursor token.
pub fn cursor(page: PageToken) -> Option<String> {
    match page {
        PageToken::Cursor(c) => Some(c),
        PageToken::Page(_) => None,
    }
}

/// Refuses a page position already followed. Short cycles (the last [`CycleGuard::RECENT`]
/// positions, e.g. a repeated cursor or A → B → A) are caught before the repeat is requested;
/// longer cycles by Brent's algorithm within at most two laps. Positions are kept as 64-bit keyed
/// hashes: O(1) time per page and a fixed amount of memory, however many pages there are.
#[derive(Debug, Clone)]
pub struct CycleGuard {
    hasher: std::collections::hash_map::RandomState,
    recent: [u64; CycleGuard::RECENT],
    filled: usize,
    next_slot: usize,
    /// Brent: the saved position, the step count since it was saved, and the current power of two.
    saved: Option<u64>,
    steps: u64,
    power: u64,
}

impl Default for CycleGuard {
    fn default() -> Self {
        CycleGuard {
            hasher: std::collections::hash_map::RandomState::new(),
            recent: [0; CycleGuard::RECENT],
            filled: 0,
            next_slot: 0,
            saved: None,
            steps: 0,
            power: 1,
        }
    }
}

impl CycleGuard {
    /// How many of the latest positions are remembered exactly (as hashes).
    pub const RECENT: usize = 32;

    /// Records `position` as about to be followed; `false` if it was already followed, i.e. the
    /// pages loop.
    pub fn visit(&mut self, position: &PageToken) -> bool {
        let hash = self.hasher.hash_one(position);
        if self.recent[..self.filled].contains(&hash) || self.saved == Some(hash) {
            return false;
        }
        self.recent[self.next_slot] = hash;
        self.next_slot = (self.next_slot + 1) % Self::RECENT;
        self.filled = (self.filled + 1).min(Self::RECENT);
        // Brent: move the saved position forward at every power of two.
        self.steps += 1;
        if self.saved.is_none() || self.steps == self.power {
            self.saved = Some(hash);
            self.power = self.power.saturating_mul(2);
            self.steps = 0;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> PageToken {
        PageToken::Cursor(s.into())
    }

    #[test]
    fn short_cycles_are_refused_before_a_repeat_is_fetched() {
        let mut guard = CycleGuard::default();
        assert!(guard.visit(&c("A")));
        assert!(!guard.visit(&c("A")));
        let mut guard = CycleGuard::default();
        assert!(guard.visit(&c("A")) && guard.visit(&c("B")));
        assert!(!guard.visit(&c("A")));
    }

    #[test]
    fn long_cycles_are_caught_within_two_laps() {
        for (prefix, lap) in [(0u64, 100u64), (5, 1000), (1000, 37), (3, 4096)] {
            let mut guard = CycleGuard::default();
            let position = |i: u64| if i < prefix { i } else { prefix + (i - prefix) % lap };
            let caught = (0..).find(|&i| !guard.visit(&PageToken::Page(position(i)))).unwrap();
            assert!(caught >= prefix + lap, "a false alarm at {caught}");
            assert!(caught <= prefix + 3 * lap, "caught late at {caught} (prefix {prefix}, lap {lap})");
        }
    }

    #[test]
    fn many_distinct_positions_pass() {
        let mut guard = CycleGuard::default();
        for i in 0..200_000 {
            assert!(guard.visit(&c(&format!("cursor-{i}"))));
        }
    }

    #[test]
    fn page_numbers() {
        assert_eq!(next_page_number(Some(1), None, Some(3)), Some(PageToken::Page(2)));
        assert_eq!(next_page_number(None, Some(2), Some(3)), Some(PageToken::Page(3)));
        assert_eq!(next_page_number(Some(3), None, Some(3)), None);
        assert_eq!(next_page_number(None, None, None), None);
        assert_eq!(next_page_number(Some(0), None, Some(3)), None);
        assert_eq!(page_number(&PageToken::Page(4)), Some(4));
        assert_eq!(cursor(PageToken::Page(4)), None);
    }
}
