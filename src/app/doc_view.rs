//! A document on screen: the model's [`Doc`] plus the cursor line, the scroll
//! offset and the search. The cursor moves over every line (a pager with a cursor),
//! so Enter can follow the line's link and search can land anywhere.

use crate::model::doc::{Doc, ObjectRef};
use crate::model::filter::Filter;
use crate::model::table::Sort;

use super::views::Navigable;

pub struct DocView {
    pub doc: Doc,
    pub selected: usize,
    pub offset: usize,
    /// What `/` searches for; empty when no search is active.
    pub search: String,
    filter: Filter,
    /// Columns scrolled sideways, when lines are not wrapped.
    pub column: usize,
    /// The width lines wrap at, when they wrap: a line may then take several
    /// rows, which scrolling has to count.
    pub wrap_width: Option<usize>,
}

impl DocView {
    pub fn new(doc: Doc) -> Self {
        DocView {
            doc,
            selected: 0,
            offset: 0,
            search: String::new(),
            filter: Filter::All,
            column: 0,
            wrap_width: None,
        }
    }

    /// Swaps in a rebuilt document, keeping the cursor on the line that names the
    /// same object when there is one, else at the same position.
    pub fn replace(&mut self, doc: Doc) {
        let target = self.selected_target().cloned();
        let position =
            target.and_then(|t| doc.lines.iter().position(|l| l.target.as_ref() == Some(&t)));
        self.doc = doc;
        self.selected = position
            .unwrap_or(self.selected)
            .min(self.doc.lines.len().saturating_sub(1));
    }

    pub fn selected_target(&self) -> Option<&ObjectRef> {
        self.doc
            .lines
            .get(self.selected)
            .and_then(|l| l.target.as_ref())
    }

    /// Whether line `index` contains the search text (case-insensitive).
    pub fn line_matches(&self, index: usize) -> bool {
        !self.search.is_empty()
            && index >= self.doc.preamble
            && self.doc.lines.get(index).is_some_and(|l| {
                l.text()
                    .to_lowercase()
                    .contains(&self.search.to_lowercase())
            })
    }

    /// Moves to the next (or previous) line matching the search, wrapping around;
    /// `from_current` includes the cursor's own line.
    pub fn jump_to_match(&mut self, forward: bool, from_current: bool) -> bool {
        let len = self.doc.lines.len();
        if len == 0 || self.search.is_empty() {
            return false;
        }
        let start = if from_current { 0 } else { 1 };
        for step in start..=len {
            let index = if forward {
                (self.selected + step) % len
            } else {
                (self.selected + len - step % len) % len
            };
            if self.line_matches(index) {
                self.selected = index;
                return true;
            }
        }
        false
    }

    /// Screen rows line `index` takes.
    pub fn rows_of(&self, index: usize) -> usize {
        match (self.wrap_width, self.doc.lines.get(index)) {
            (Some(width), Some(line)) => crate::model::doc_wrap::row_count(&line.spans, width),
            _ => 1,
        }
    }

    /// How many lines match the search.
    pub fn match_count(&self) -> usize {
        (0..self.doc.lines.len())
            .filter(|i| self.line_matches(*i))
            .count()
    }
}

impl Navigable for DocView {
    fn len(&self) -> usize {
        self.doc.lines.len()
    }
    fn total(&self) -> usize {
        self.doc.lines.len()
    }
    fn selected(&self) -> usize {
        self.selected
    }
    fn select(&mut self, index: usize) {
        self.selected = index.min(self.doc.lines.len().saturating_sub(1));
    }
    fn offset(&self) -> usize {
        self.offset
    }
    fn set_offset(&mut self, offset: usize) {
        self.offset = offset;
    }
    /// Keeps the cursor line inside `height` rows, counting the rows wrapped
    /// lines take. Only the lines near the window are measured.
    fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        let len = self.doc.lines.len();
        // No empty rows below the last line while earlier lines would fit.
        let mut rows = 0;
        let mut filled_from = len;
        for index in (0..len).rev() {
            rows += self.rows_of(index);
            if rows > height {
                break;
            }
            filled_from = index;
        }
        let selected = self.selected.min(len.saturating_sub(1));
        let mut offset = self.offset.min(filled_from).min(selected);
        // Every line takes a row at least: a cursor far below starts the
        // search near it.
        offset = offset.max((selected + 1).saturating_sub(height));
        while offset < selected
            && (offset..=selected).map(|i| self.rows_of(i)).sum::<usize>() > height
        {
            offset += 1;
        }
        self.offset = offset;
    }
    fn filter(&self) -> &Filter {
        &self.filter
    }
    fn filter_text(&self) -> &str {
        &self.search
    }
    /// In a document `/` searches rather than hides lines: the cursor goes to the
    /// first match from where it is.
    fn set_filter(&mut self, filter: Filter, text: String) {
        self.filter = filter;
        self.search = text;
        self.jump_to_match(true, true);
    }
    fn sort(&self) -> Sort {
        Sort {
            column: 0,
            descending: false,
        }
    }
    fn set_sort(&mut self, _sort: Sort) {}
    fn column_count(&self) -> usize {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::Kind;
    use crate::model::table::Tone;

    fn doc() -> Doc {
        let mut doc = Doc::new("t");
        doc.text("alpha", Tone::Normal);
        doc.link(
            vec![crate::model::doc::Span::new("web-1", Tone::Good)],
            ObjectRef::new(Kind::Pod, "shop", "web-1"),
        );
        doc.text("beta alpha", Tone::Normal);
        doc
    }

    #[test]
    fn search_jumps_forward_and_wraps() {
        let mut view = DocView::new(doc());
        view.set_filter(Filter::All, "ALPHA".into());
        assert_eq!(view.selected, 0);
        assert_eq!(view.match_count(), 2);
        assert!(view.jump_to_match(true, false));
        assert_eq!(view.selected, 2);
        assert!(view.jump_to_match(true, false));
        assert_eq!(view.selected, 0);
        assert!(view.jump_to_match(false, false));
        assert_eq!(view.selected, 2);
    }

    #[test]
    fn a_rebuilt_doc_keeps_the_cursor_on_the_same_object() {
        let mut view = DocView::new(doc());
        view.select(1);
        let mut moved = Doc::new("t");
        moved.text("new first line", Tone::Normal);
        moved.lines.extend(doc().lines);
        view.replace(moved);
        assert_eq!(view.selected, 2);
        assert_eq!(
            view.selected_target().map(|t| t.name.as_str()),
            Some("web-1")
        );
    }
}
