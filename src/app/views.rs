//! A table on screen: the model's filtered, sorted rows plus where the cursor is.

use crate::model::filter::Filter;
use crate::model::node_rows::NodeRow;
use crate::model::pod_rows::PodRow;
use crate::model::table::{Sort, Table, TableRow};

pub struct TableView<R> {
    pub table: Table<R>,
    pub selected: usize,
    /// First row on screen.
    pub offset: usize,
    /// What the user typed for the current filter, shown again when they reopen it.
    pub filter_text: String,
}

impl<R: TableRow> TableView<R> {
    pub fn new(sort: Sort) -> Self {
        TableView {
            table: Table::new(sort),
            selected: 0,
            offset: 0,
            filter_text: String::new(),
        }
    }

    fn selected_key(&self) -> Option<(String, String)> {
        self.table
            .get(self.selected)
            .map(|r| (r.key().0.to_string(), r.key().1.to_string()))
    }

    /// Runs a change that reorders rows, keeping the cursor on the same object when
    /// it is still there.
    fn keeping_selection(&mut self, change: impl FnOnce(&mut Table<R>)) {
        let key = self.selected_key();
        change(&mut self.table);
        self.selected = key
            .and_then(|(ns, name)| self.table.position_of((&ns, &name)))
            .unwrap_or(self.selected)
            .min(self.table.len().saturating_sub(1));
    }

    pub fn replace_rows(&mut self, rows: Vec<R>) {
        self.keeping_selection(|t| t.set_rows(rows));
    }
}

/// What every table view can do, whatever its rows.
pub trait Navigable {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Rows before filtering.
    fn total(&self) -> usize;
    fn selected(&self) -> usize;
    fn select(&mut self, index: usize);
    fn offset(&self) -> usize;
    fn set_offset(&mut self, offset: usize);
    fn filter(&self) -> &Filter;
    fn filter_text(&self) -> &str;
    fn set_filter(&mut self, filter: Filter, text: String);
    fn sort(&self) -> Sort;
    fn set_sort(&mut self, sort: Sort);
    fn column_count(&self) -> usize;

    fn move_by(&mut self, delta: isize) {
        let last = self.len().saturating_sub(1) as isize;
        let target = (self.selected() as isize + delta).clamp(0, last.max(0));
        self.select(target as usize);
    }

    /// Keeps the cursor inside a window of `height` rows.
    fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        let selected = self.selected();
        let mut offset = self.offset().min(self.len().saturating_sub(height));
        if selected < offset {
            offset = selected;
        } else if selected >= offset + height {
            offset = selected + 1 - height;
        }
        self.set_offset(offset);
    }
}

impl<R: TableRow> Navigable for TableView<R> {
    fn len(&self) -> usize {
        self.table.len()
    }
    fn total(&self) -> usize {
        self.table.total()
    }
    fn selected(&self) -> usize {
        self.selected
    }
    fn select(&mut self, index: usize) {
        self.selected = index.min(self.table.len().saturating_sub(1));
    }
    fn offset(&self) -> usize {
        self.offset
    }
    fn set_offset(&mut self, offset: usize) {
        self.offset = offset;
    }
    fn filter(&self) -> &Filter {
        self.table.filter()
    }
    fn filter_text(&self) -> &str {
        &self.filter_text
    }
    fn set_filter(&mut self, filter: Filter, text: String) {
        self.filter_text = text;
        // Rows keep their order under a filter, so the cursor's row is found by
        // binary search; if it was filtered out, the nearest row after it.
        let row = self.table.row_index(self.selected);
        self.table.set_filter(filter);
        let position = match row.map(|r| self.table.position_of_row(r)) {
            Some(Ok(p) | Err(p)) => p,
            None => 0,
        };
        self.selected = position.min(self.table.len().saturating_sub(1));
    }
    fn sort(&self) -> Sort {
        self.table.sort()
    }
    fn set_sort(&mut self, sort: Sort) {
        self.keeping_selection(|t| t.set_sort(sort));
    }
    fn column_count(&self) -> usize {
        self.table.columns().len()
    }
}

/// One screen of the view stack.
pub enum Screen {
    /// All pods in scope, or only those bound to `node`.
    Pods {
        view: TableView<PodRow>,
        node: Option<String>,
    },
    Nodes {
        view: TableView<NodeRow>,
        /// Nodes marked for an operation on several at once (cordon, drain).
        marked: std::collections::BTreeSet<String>,
    },
    /// The table of any other kind (`:deploy`, `:svc`), from the app's
    /// generic session.
    Resources {
        resource: crate::model::api_catalog::ApiResource,
        view: TableView<crate::model::generic_rows::GenericRow>,
    },
    /// An inspection view: a document rebuilt from the cache on every change.
    Doc {
        kind: super::docs::DocKind,
        view: super::doc_view::DocView,
    },
}

impl Screen {
    pub fn pods(node: Option<String>) -> Screen {
        Screen::Pods {
            view: TableView::new(Sort {
                column: crate::model::pod_rows::NAMESPACE,
                descending: false,
            }),
            node,
        }
    }

    pub fn nodes() -> Screen {
        Screen::Nodes {
            view: TableView::new(Sort {
                column: crate::model::node_rows::NAME,
                descending: false,
            }),
            marked: Default::default(),
        }
    }

    pub fn nav(&mut self) -> &mut dyn Navigable {
        match self {
            Screen::Pods { view, .. } => view,
            Screen::Nodes { view, .. } => view,
            Screen::Resources { view, .. } => view,
            Screen::Doc { view, .. } => view,
        }
    }

    pub fn nav_ref(&self) -> &dyn Navigable {
        match self {
            Screen::Pods { view, .. } => view,
            Screen::Nodes { view, .. } => view,
            Screen::Resources { view, .. } => view,
            Screen::Doc { view, .. } => view,
        }
    }

    /// The resource this screen lists, as the `:` command names it.
    pub fn resource(&self) -> &str {
        match self {
            Screen::Pods { .. } => "pods",
            Screen::Nodes { .. } => "nodes",
            Screen::Resources { resource, .. } => &resource.plural,
            Screen::Doc { kind, .. } => kind.name(),
        }
    }
}
