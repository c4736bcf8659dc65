//! A document: the view model of every inspection view (pod detail, QoS, probes,
//! rollout history, events, ownership tree, drain plan, PDBs). Lines of toned text,
//! some of which point at an object, so one scrollable, searchable widget draws
//! them all and Enter on a line can jump to what it names. Pure data: building a
//! `Doc` is model code, drawing it is the ui's job.

use crate::cluster::Kind;

use super::table::{Tone, display_width};

/// An object a line names, by kind, namespace ("" when cluster-scoped) and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectRef {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl ObjectRef {
    pub fn new(kind: Kind, namespace: impl Into<String>, name: impl Into<String>) -> Self {
        ObjectRef {
            kind,
            namespace: namespace.into(),
            name: name.into(),
        }
    }
}

/// A run of text with one semantic role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub tone: Tone,
}

impl Span {
    pub fn new(text: impl Into<String>, tone: Tone) -> Self {
        Span {
            text: text.into(),
            tone,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocLine {
    pub spans: Vec<Span>,
    /// The object Enter on this line opens, if any.
    pub target: Option<ObjectRef>,
    /// A section title: drawn emphasised, and a place `[`/`]` can jump between.
    pub heading: bool,
}

impl DocLine {
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

/// A cell of a [`Doc::table`].
pub type Cell = (String, Tone);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc {
    pub title: String,
    pub lines: Vec<DocLine>,
    /// How many lines at the top describe the document rather than belong to
    /// it (the log view's state and filter line): search skips them, so a
    /// count of matches is a count of the document's own lines.
    pub preamble: usize,
}

impl Doc {
    pub fn new(title: impl Into<String>) -> Self {
        Doc {
            title: title.into(),
            lines: Vec::new(),
            preamble: 0,
        }
    }

    /// A section title, preceded by a blank line unless it opens the document.
    pub fn heading(&mut self, text: impl Into<String>) {
        if !self.lines.is_empty() {
            self.blank();
        }
        self.lines.push(DocLine {
            spans: vec![Span::new(text, Tone::Normal)],
            target: None,
            heading: true,
        });
    }

    pub fn blank(&mut self) {
        self.lines.push(DocLine::default());
    }

    /// One line of spans.
    pub fn line(&mut self, spans: Vec<Span>) {
        self.lines.push(DocLine {
            spans,
            ..DocLine::default()
        });
    }

    /// One line of spans that Enter follows to `target`.
    pub fn link(&mut self, spans: Vec<Span>, target: ObjectRef) {
        self.lines.push(DocLine {
            spans,
            target: Some(target),
            heading: false,
        });
    }

    /// Plain text in one tone.
    pub fn text(&mut self, text: impl Into<String>, tone: Tone) {
        self.line(vec![Span::new(text, tone)]);
    }

    /// `key: value` pairs with the values aligned after the longest key.
    pub fn fields(&mut self, pairs: &[(&str, Cell)]) {
        let width = pairs
            .iter()
            .map(|(k, _)| display_width(k))
            .max()
            .unwrap_or(0);
        for (key, (value, tone)) in pairs {
            let pad = width - display_width(key);
            self.line(vec![
                Span::new(format!("{key}:{} ", " ".repeat(pad)), Tone::Muted),
                Span::new(value.clone(), *tone),
            ]);
        }
    }

    /// `key: value` fields whose values may be lists (labels, tolerations): the
    /// first item on the key's line, the rest aligned under it, `<none>` for
    /// an empty list, as `kubectl describe` prints them.
    pub fn field_lists(&mut self, pairs: &[(&str, Vec<Cell>)]) {
        let width = pairs
            .iter()
            .map(|(k, _)| display_width(k))
            .max()
            .unwrap_or(0);
        for (key, values) in pairs {
            let pad = width - display_width(key);
            let label = format!("{key}:{} ", " ".repeat(pad));
            let indent = " ".repeat(display_width(&label));
            if values.is_empty() {
                self.line(vec![
                    Span::new(label, Tone::Muted),
                    Span::new("<none>", Tone::Muted),
                ]);
                continue;
            }
            for (i, (value, tone)) in values.iter().enumerate() {
                let lead = if i == 0 {
                    label.clone()
                } else {
                    indent.clone()
                };
                self.line(vec![
                    Span::new(lead, Tone::Muted),
                    Span::new(value.clone(), *tone),
                ]);
            }
        }
    }

    /// Columns aligned to their widest cell, two spaces apart, under a muted header
    /// row. Each row may name the object Enter opens.
    pub fn table(&mut self, header: &[&str], rows: Vec<(Vec<Cell>, Option<ObjectRef>)>) {
        let columns = header.len();
        let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
        for (cells, _) in &rows {
            for (i, (text, _)) in cells.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(display_width(text));
            }
        }
        let header_cells: Vec<Cell> = header
            .iter()
            .map(|h| (h.to_string(), Tone::Muted))
            .collect();
        self.line(aligned(&header_cells, &widths));
        for (cells, target) in rows {
            let spans = aligned(&cells, &widths);
            match target {
                Some(target) => self.link(spans, target),
                None => self.line(spans),
            }
        }
    }

    /// The whole document as plain text, one line per line.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(line.text().trim_end());
            out.push('\n');
        }
        out
    }
}

fn aligned(cells: &[Cell], widths: &[usize]) -> Vec<Span> {
    let last = cells.len().min(widths.len()).saturating_sub(1);
    cells
        .iter()
        .zip(widths)
        .enumerate()
        .map(|(i, ((text, tone), width))| {
            let pad = if i == last {
                0
            } else {
                width - display_width(text) + 2
            };
            Span::new(format!("{text}{}", " ".repeat(pad)), *tone)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_columns_align_on_the_widest_cell() {
        let mut doc = Doc::new("t");
        doc.table(
            &["NAME", "READY"],
            vec![
                (
                    vec![("a".into(), Tone::Normal), ("1/1".into(), Tone::Good)],
                    None,
                ),
                (
                    vec![
                        ("longer-name".into(), Tone::Normal),
                        ("0/1".into(), Tone::Bad),
                    ],
                    Some(ObjectRef::new(Kind::Pod, "ns", "longer-name")),
                ),
            ],
        );
        assert_eq!(
            doc.to_text(),
            "NAME         READY\na            1/1\nlonger-name  0/1\n"
        );
        assert_eq!(
            doc.lines[2].target.as_ref().map(|t| t.name.as_str()),
            Some("longer-name")
        );
        assert_eq!(doc.lines[2].spans[1].tone, Tone::Bad);
    }

    #[test]
    fn fields_align_values_and_headings_are_separated() {
        let mut doc = Doc::new("t");
        doc.heading("Pod");
        doc.fields(&[
            ("Node", ("n1".into(), Tone::Normal)),
            ("QoS Class", ("Burstable".into(), Tone::Normal)),
        ]);
        doc.heading("Events");
        assert_eq!(
            doc.to_text(),
            "Pod\nNode:      n1\nQoS Class: Burstable\n\nEvents\n"
        );
        assert!(doc.lines[0].heading && doc.lines[4].heading);
    }
}
