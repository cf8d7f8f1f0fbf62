//! Pagination, sans-IO: how an operation's pages link ([`Paginated`], generated for every operation
//! whose request and response shapes paginate), a loop guard ([`CycleGuard`]) that refuses any
//! position already followed (O(1) time and one `u64` per page), and which response mismatches
//! break the link to the next page ([`position_mismatch`]).

use std::hash::{BuildHasher, Hasher};

use super::Mismatch;

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
    /// Whether `output` says more pages follow, apart from its next position (a cursor list's
    /// `pages.page` below its `pages.total_pages`), when it says so: a next position missing from
    /// such a page is drift, not the end.
    fn more_pages(_output: &Self::Output) -> Option<bool> {
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

/// Refuses a page position already followed, however long the cycle: every position followed is
/// remembered as a 64-bit keyed hash, so a repeat is refused before it is requested and no page is
/// fetched twice. Memory: one `u64` per page followed (about 16 bytes with the set's overhead:
/// 160 KB for 10,000 pages), bounded by a stream's page cap when it has one. Two distinct
/// positions share a hash with probability about n²/2⁶⁵ for n pages (under 10⁻⁸ for a million
/// pages); the keys are random per guard, so a server cannot aim for a collision.
#[derive(Debug, Clone, Default)]
pub struct CycleGuard {
    hasher: std::collections::hash_map::RandomState,
    seen: std::collections::HashSet<u64, BuildIdentity>,
}

impl CycleGuard {
    /// Records `position` as about to be followed; `false` if it was already followed, i.e. the
    /// pages loop.
    pub fn visit(&mut self, position: &PageToken) -> bool {
        self.visit_hash(self.hasher.hash_one(position))
    }

    /// Records a page's content (a keyed hash of its JSON encoding) as seen; `false` if an
    /// identical page was seen before. A scroll repeats one `scroll_param` for the whole scroll,
    /// so its pages are told apart by what they hold.
    pub fn visit_content<T: serde::Serialize + ?Sized>(&mut self, page: &T) -> bool {
        match self.fingerprint(page) {
            Some(hash) => self.visit_hash(hash),
            // Not serializable (never the case for generated models): nothing to compare.
            None => true,
        }
    }

    /// A keyed hash of `page`'s JSON encoding, written straight into the hasher (no buffer).
    fn fingerprint<T: serde::Serialize + ?Sized>(&self, page: &T) -> Option<u64> {
        let mut writer = HashWriter(self.hasher.build_hasher());
        serde_json::to_writer(&mut writer, page).ok()?;
        Some(writer.0.finish())
    }

    fn visit_hash(&mut self, hash: u64) -> bool {
        self.seen.insert(hash)
    }

    /// How many positions (or scroll pages) were recorded.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether nothing was recorded yet.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

/// The set's keys are already keyed hashes: hashing them again would only cost time.
#[derive(Debug, Clone, Copy, Default)]
struct BuildIdentity;

impl BuildHasher for BuildIdentity {
    type Hasher = IdentityHasher;
    fn build_hasher(&self) -> IdentityHasher {
        IdentityHasher(0)
    }
}

struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used (the keys are `u64`); fold anything else in all the same.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

struct HashWriter<H>(H);

impl<H: Hasher> std::io::Write for HashWriter<H> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The response members that say where the next page starts, per style (the ones the generator
/// reads, see `generator/src/pagination.rs`), as JSON paths.
pub fn position_members(style: PaginationStyle) -> &'static [&'static str] {
    match style {
        PaginationStyle::QueryCursor | PaginationStyle::BodyCursor => &["pages.next.starting_after"],
        PaginationStyle::PageNumber => &["pages.page", "pages.total_pages"],
        PaginationStyle::Scroll => &["scroll_param", "total_count"],
    }
}

/// The first of `mismatches` that lies on the way to a member saying where the next page starts
/// (the member itself, an object holding it, or something inside it): with it, a stream cannot
/// tell where to go on, and ending there would silently drop the rest.
pub fn position_mismatch(style: PaginationStyle, mismatches: &[Mismatch]) -> Option<&Mismatch> {
    mismatches.iter().find(|m| position_members(style).iter().any(|member| on_path(&m.path, member)))
}

/// Whether JSON path `a` is `b`, holds `b`, or lies inside `b`.
fn on_path(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long.strip_prefix(short).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
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
    fn cycles_of_any_length_are_refused_at_the_first_repeat() {
        for (prefix, lap) in [(0u64, 100u64), (5, 1000), (1000, 37), (3, 10_000)] {
            let mut guard = CycleGuard::default();
            let position = |i: u64| if i < prefix { i } else { prefix + (i - prefix) % lap };
            let caught = (0..).find(|&i| !guard.visit(&PageToken::Page(position(i)))).unwrap();
            assert_eq!(caught, prefix + lap, "prefix {prefix}, lap {lap}");
        }
    }

    #[test]
    fn identical_pages_share_a_fingerprint_and_different_ones_do_not() {
        let mut guard = CycleGuard::default();
        assert!(guard.visit_content(&serde_json::json!({"data": [{"id": "a"}], "scroll_param": "s"})));
        assert!(guard.visit_content(&serde_json::json!({"data": [{"id": "b"}], "scroll_param": "s"})));
        assert!(!guard.visit_content(&serde_json::json!({"data": [{"id": "a"}], "scroll_param": "s"})));
        assert_eq!(guard.len(), 2);
    }

    #[test]
    fn mismatches_on_the_way_to_the_next_position_are_found() {
        let m = |path: &str| Mismatch { path: path.into(), message: "invalid type".into() };
        let cursor = PaginationStyle::QueryCursor;
        for hit in ["pages.next.starting_after", "pages.next", "pages", "pages.next.starting_after.x"] {
            assert!(position_mismatch(cursor, &[m("data[0].name"), m(hit)]).is_some(), "{hit}");
        }
        for miss in ["data[0].pages", "pages.nextish", "pages.per_page", "scroll_param"] {
            assert!(position_mismatch(cursor, &[m(miss)]).is_none(), "{miss}");
        }
        assert!(position_mismatch(PaginationStyle::PageNumber, &[m("pages.total_pages")]).is_some());
        assert!(position_mismatch(PaginationStyle::Scroll, &[m("scroll_param")]).is_some());
        assert!(position_mismatch(PaginationStyle::Scroll, &[m("pages.next")]).is_none());
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
