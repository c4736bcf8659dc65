//! A sorted, filtered table of rows: the view model behind the pods and nodes
//! views. Sorting and filtering cost O(n) once per change; drawing a frame then only
//! touches the rows on screen.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;

use jiff::Timestamp;

use super::filter::Filter;

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

pub trait TableRow {
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

pub struct Table<R> {
    rows: Vec<R>,
    visible: Vec<usize>,
    sort: Sort,
    filter: Filter,
    content_widths: Vec<u16>,
}

impl<R: TableRow> Table<R> {
    pub fn new(sort: Sort) -> Self {
        Table {
            rows: Vec::new(),
            visible: Vec::new(),
            sort,
            filter: Filter::All,
            content_widths: Vec::new(),
        }
    }

    /// Replaces every row (after a cache change), re-sorting and re-filtering.
    pub fn set_rows(&mut self, rows: Vec<R>) {
        self.rows = rows;
        self.sort_rows();
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
        let column = sort.column.min(R::columns().len().saturating_sub(1));
        self.sort = Sort { column, ..sort };
        self.sort_rows();
        self.refilter();
    }

    pub fn sort(&self) -> Sort {
        self.sort
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

    pub fn position_of(&self, key: (&str, &str)) -> Option<usize> {
        self.visible.iter().position(|&i| self.rows[i].key() == key)
    }

    /// Natural width of each column over the filtered rows.
    pub fn content_widths(&self) -> &[u16] {
        &self.content_widths
    }

    fn sort_rows(&mut self) {
        let Sort { column, descending } = self.sort;
        // Stable, with the key as tie-breaker, so equal rows never swap places
        // between refreshes.
        self.rows.sort_by(|a, b| {
            let ord = a.compare(b, column).then_with(|| a.key().cmp(&b.key()));
            if descending { ord.reverse() } else { ord }
        });
    }

    fn refilter(&mut self) {
        let filter = &self.filter;
        self.visible = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| filter.matches(r.name(), r.labels()))
            .map(|(i, _)| i)
            .collect();
        self.measure();
    }

    fn measure(&mut self) {
        self.content_widths = R::columns()
            .iter()
            .enumerate()
            .map(|(c, column)| {
                let widest = self
                    .visible
                    .iter()
                    .map(|&i| self.rows[i].measure(c))
                    .max()
                    .unwrap_or(0)
                    .max(column.title.len());
                (widest.min(usize::from(column.max)) as u16).max(column.min)
            })
            .collect();
    }
}

pub fn display_width(s: &str) -> usize {
    s.chars().count()
}

/// Compare helper for columns that sort numerically but display text.
pub fn by<T: Ord>(a: T, b: T) -> Ordering {
    a.cmp(&b)
}
