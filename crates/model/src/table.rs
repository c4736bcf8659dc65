//! A sorted, filtered table of rows: the view model behind the pods and nodes
//! views. Sorting and filtering cost O(n) once per change; drawing a frame then only
//! touches the rows on screen.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;

use jiff::Timestamp;

use super::filter::Filter;
use super::selector::LabelLookup;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub title: &'static str,
    /// Bounds on the natural width (the widest cell of the filtered rows).
    pub min: u16,
    pub max: u16,
    /// Columns with a lower priority are hidden first on narrow screens; 0 never is.
    pub priority: u8,
    /// Whether the column may shrink (truncating its cells) to make room.
    pub flexible: bool,
}

/// The semantic role of a row, which a theme turns into a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tone {
    Normal,
    Good,
    Progressing,
    Warning,
    Bad,
    Muted,
}

pub trait TableRow: Send + Sync {
    fn columns() -> &'static [Column];
    /// Stable identity (namespace, name; namespace empty for cluster-scoped kinds),
    /// used to keep the selection on the same object across refreshes.
    fn key(&self) -> (&str, &str);
    fn name(&self) -> &str;
    fn labels(&self) -> Option<&BTreeMap<String, String>>;
    fn cell(&self, column: usize, now: Timestamp) -> Cow<'_, str>;
    /// The widest this cell can get. Time-dependent cells (ages) override this so
    /// that widths need not be recomputed as the clock moves.
    fn measure(&self, column: usize) -> usize {
        display_width(&self.cell(column, Timestamp::UNIX_EPOCH))
    }
    fn compare(&self, other: &Self, column: usize) -> Ordering;
    fn tone(&self) -> Tone;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: usize,
    pub descending: bool,
}

/// Every row's name and labels in one contiguous buffer. Filtering 100k rows
/// through `Arc<Pod>` → metadata → heap strings is a few cache misses per row;
/// scanning this is not.
#[derive(Default)]
struct SearchIndex {
    text: String,
    /// Per row: the name's byte range in `text`.
    names: Vec<(usize, usize)>,
    /// Per row: its range in `labels`.
    label_ranges: Vec<(usize, usize)>,
    /// (key start, key end, value start, value end) in `text`.
    labels: Vec<[usize; 4]>,
}

impl SearchIndex {
    fn build<R: TableRow>(rows: &[R]) -> SearchIndex {
        let mut index = SearchIndex::default();
        let push = |text: &mut String, s: &str| {
            let start = text.len();
            text.push_str(s);
            (start, text.len())
        };
        for row in rows {
            index.names.push(push(&mut index.text, row.name()));
            let first = index.labels.len();
            for (key, value) in row.labels().into_iter().flatten() {
                let (ks, ke) = push(&mut index.text, key);
                let (vs, ve) = push(&mut index.text, value);
                index.labels.push([ks, ke, vs, ve]);
            }
            index.label_ranges.push((first, index.labels.len()));
        }
        index
    }

    fn name(&self, row: usize) -> &str {
        let (start, end) = self.names[row];
        &self.text[start..end]
    }

    fn labels(&self, row: usize) -> RowLabels<'_> {
        let (start, end) = self.label_ranges[row];
        RowLabels {
            text: &self.text,
            entries: &self.labels[start..end],
        }
    }
}

struct RowLabels<'a> {
    text: &'a str,
    entries: &'a [[usize; 4]],
}

impl LabelLookup for RowLabels<'_> {
    fn label(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|[ks, ke, _, _]| &self.text[*ks..*ke] == key)
            .map(|[_, _, vs, ve]| &self.text[*vs..*ve])
    }
}

pub struct Table<R> {
    /// The columns: the row type's own, or those a generic kind's printer
    /// declares.
    columns: Cow<'static, [Column]>,
    rows: Vec<R>,
    search: SearchIndex,
    visible: Vec<usize>,
    sort: Sort,
    filter: Filter,
    content_widths: Vec<u16>,
}

impl<R: TableRow> Table<R> {
    pub fn new(sort: Sort) -> Self {
        Self::with_columns(sort, Cow::Borrowed(R::columns()))
    }

    /// A table with columns known only at run time (a kind's printer).
    pub fn with_columns(sort: Sort, columns: Cow<'static, [Column]>) -> Self {
        Table {
            columns,
            rows: Vec::new(),
            search: SearchIndex::default(),
            visible: Vec::new(),
            sort,
            filter: Filter::All,
            content_widths: Vec::new(),
        }
    }

    /// Replaces every row (after a cache change), re-sorting, re-measuring and
    /// re-filtering.
    pub fn set_rows(&mut self, rows: Vec<R>) {
        self.rows = rows;
        self.sort_rows();
        self.reindex();
        self.refilter();
    }

    pub fn set_filter(&mut self, filter: Filter) {
        self.filter = filter;
        self.refilter();
    }

    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    pub fn set_sort(&mut self, sort: Sort) {
        let column = sort.column.min(self.columns.len().saturating_sub(1));
        self.sort = Sort { column, ..sort };
        self.sort_rows();
        self.reindex();
        self.refilter();
    }

    pub fn sort(&self) -> Sort {
        self.sort
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    pub fn total(&self) -> usize {
        self.rows.len()
    }

    pub fn len(&self) -> usize {
        self.visible.len()
    }

    pub fn is_empty(&self) -> bool {
        self.visible.is_empty()
    }

    /// The `index`-th row after filtering and sorting.
    pub fn get(&self, index: usize) -> Option<&R> {
        self.visible.get(index).map(|&i| &self.rows[i])
    }

    /// Where the row at `row` (an index into all rows, see [`Table::row_index`])
    /// is shown; when filtered out, where it would be.
    pub fn position_of_row(&self, row: usize) -> Result<usize, usize> {
        self.visible.binary_search(&row)
    }

    /// The index among all rows of the `index`-th visible row. Stable until the
    /// rows are replaced or re-sorted.
    pub fn row_index(&self, index: usize) -> Option<usize> {
        self.visible.get(index).copied()
    }

    pub fn position_of(&self, key: (&str, &str)) -> Option<usize> {
        self.visible.iter().position(|&i| self.rows[i].key() == key)
    }

    /// Natural width of each column over all rows. Measured per data change, not
    /// per filter: filtering stays one cheap pass, and columns do not jump about
    /// while a filter is typed.
    pub fn content_widths(&self) -> &[u16] {
        &self.content_widths
    }

    fn sort_rows(&mut self) {
        let Sort { column, descending } = self.sort;
        // The key breaks ties, so the order is total and equal rows never swap
        // places between refreshes.
        super::parallel::sort(&mut self.rows, |a, b| {
            let ord = a.compare(b, column).then_with(|| a.key().cmp(&b.key()));
            if descending { ord.reverse() } else { ord }
        });
    }

    fn reindex(&mut self) {
        let rows = &self.rows;
        let columns = &self.columns;
        let (search, widths) =
            super::parallel::join(|| SearchIndex::build(rows), || Self::measure(columns, rows));
        self.search = search;
        self.content_widths = widths;
    }

    fn refilter(&mut self) {
        let (filter, search) = (&self.filter, &self.search);
        // `visible` stays in ascending row order; cursors rely on it.
        self.visible = (0..self.rows.len())
            .filter(|&i| filter.matches(search.name(i), &search.labels(i)))
            .collect();
    }

    fn measure(columns: &[Column], rows: &[R]) -> Vec<u16> {
        columns
            .iter()
            .enumerate()
            .map(|(c, column)| {
                let cap = usize::from(column.max);
                let mut widest = column.title.len();
                for row in rows {
                    widest = widest.max(row.measure(c));
                    // Nothing can be wider than the cap: stop looking.
                    if widest >= cap {
                        break;
                    }
                }
                (widest.min(cap) as u16).max(column.min)
            })
            .collect()
    }
}

/// A column title known only at run time, kept for the life of the process:
/// titles are few (the columns of the kinds a user opens), and a `Column` is
/// `Copy` with a `&'static str` title.
pub fn intern(title: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock, PoisonError};
    static TITLES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut titles = TITLES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = titles.get(title) {
        return known;
    }
    let leaked: &'static str = Box::leak(title.to_string().into_boxed_str());
    titles.insert(leaked);
    leaked
}

pub fn display_width(s: &str) -> usize {
    // Kubernetes names and statuses are ASCII; counting characters is the slow path.
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Compare helper for columns that sort numerically but display text.
pub fn by<T: Ord>(a: T, b: T) -> Ordering {
    a.cmp(&b)
}
