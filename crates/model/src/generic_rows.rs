//! Rows of any kind's table: the cells its printer gives (or the server's
//! Table carries), with the metadata that filtering, sorting and navigation
//! need. Ages are computed when drawn, so they move with the clock even for
//! rows the server printed long ago.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;
use serde_json::Value;

use super::age::age_since;
use super::printers::{ColumnDef, ColumnType, cell_text};
use super::quantity::parse_milli;
use super::table::{Column, TableRow, Tone, display_width, intern};

/// Which cell a shown column reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// The object's namespace, as `kubectl get -A` puts it first.
    Namespace,
    /// The printer's column of this index.
    Def(usize),
}

/// The columns of one kind's table, all of them and those shown (priority 0,
/// or every one with `-o wide`), after NAMESPACE across namespaces.
#[derive(Debug, Clone, PartialEq)]
pub struct GenericColumns {
    pub defs: Vec<ColumnDef>,
    pub shown: Vec<Shown>,
}

impl GenericColumns {
    pub fn new(defs: Vec<ColumnDef>, wide: bool, with_namespace: bool) -> GenericColumns {
        let mut shown: Vec<Shown> = Vec::new();
        if with_namespace {
            shown.push(Shown::Namespace);
        }
        shown.extend(
            defs.iter()
                .enumerate()
                .filter(|(_, d)| wide || d.priority == 0)
                .map(|(i, _)| Shown::Def(i)),
        );
        GenericColumns { defs, shown }
    }

    /// The table's columns as the ui lays them out: titles as kubectl prints
    /// them (upper case), the name never hidden, later columns hidden first.
    pub fn table_columns(&self) -> Vec<Column> {
        self.shown
            .iter()
            .enumerate()
            .map(|(position, shown)| {
                let (title, text, name) = match shown {
                    Shown::Namespace => ("NAMESPACE", true, true),
                    Shown::Def(i) => {
                        let def = &self.defs[*i];
                        (
                            intern(&def.name.to_uppercase()),
                            matches!(def.kind, ColumnType::String),
                            def.format == "name",
                        )
                    }
                };
                Column {
                    title,
                    min: display_width(title).min(12) as u16,
                    max: if text { 80 } else { 20 },
                    priority: if position == 0 || name {
                        0
                    } else {
                        u8::try_from(30usize.saturating_sub(position))
                            .unwrap_or(1)
                            .max(1)
                    },
                    // Names are never cut (kubectl never cuts them); other
                    // text gives way on a narrow screen.
                    flexible: text && !name,
                }
            })
            .collect()
    }

    fn def(&self, column: usize) -> Option<(usize, &ColumnDef)> {
        match self.shown.get(column)? {
            Shown::Def(i) => Some((*i, self.defs.get(*i)?)),
            Shown::Namespace => None,
        }
    }

    fn is_age(&self, column: usize) -> bool {
        self.def(column).is_some_and(|(_, d)| {
            d.name == "Age" && matches!(d.kind, ColumnType::String | ColumnType::Date)
        })
    }
}

/// What a row keeps of its object: the metadata filtering, sorting and
/// opening need, and the printed cells. Shared between the kind's session
/// and the views (a reference count, not a copy).
#[derive(Debug, Clone, PartialEq)]
pub struct RowData {
    pub namespace: String,
    pub name: String,
    pub labels: Option<BTreeMap<String, String>>,
    pub created: Option<Timestamp>,
    pub cells: Vec<Value>,
}

impl RowData {
    /// From a whole object or a Table row's PartialObjectMetadata: nothing
    /// else of it is kept.
    pub fn new(object: &Value, cells: Vec<Value>) -> RowData {
        let meta = object.get("metadata");
        let text = |field: &str| {
            meta.and_then(|m| m.get(field))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let labels = meta
            .and_then(|m| m.get("labels"))
            .and_then(|l| serde_json::from_value(l.clone()).ok());
        let mut cells = cells;
        cells.shrink_to_fit();
        RowData {
            namespace: text("namespace"),
            name: text("name"),
            labels,
            created: text("creationTimestamp").parse().ok(),
            cells,
        }
    }
}

/// One object's row in a view.
#[derive(Debug, Clone)]
pub struct GenericRow {
    data: Arc<RowData>,
    columns: Arc<GenericColumns>,
}

impl GenericRow {
    pub fn new(data: Arc<RowData>, columns: Arc<GenericColumns>) -> GenericRow {
        GenericRow { data, columns }
    }

    pub fn namespace(&self) -> &str {
        &self.data.namespace
    }

    /// The text of the printer's column of this name, shown or not (a Table
    /// row carries its wide cells too).
    pub fn cell_named(&self, name: &str) -> Option<String> {
        let index = self.columns.defs.iter().position(|d| d.name == name)?;
        self.data.cells.get(index).map(cell_text)
    }

    /// The cell of table column `column`, as the Table has it.
    fn value(&self, column: usize) -> Option<(&Value, &ColumnDef)> {
        let (index, def) = self.columns.def(column)?;
        Some((self.data.cells.get(index)?, def))
    }
}

impl TableRow for GenericRow {
    /// Generic tables carry their columns ([`GenericColumns::table_columns`]).
    fn columns() -> &'static [Column] {
        &[]
    }

    fn key(&self) -> (&str, &str) {
        (&self.data.namespace, &self.data.name)
    }

    fn name(&self) -> &str {
        &self.data.name
    }

    fn labels(&self) -> Option<&BTreeMap<String, String>> {
        self.data.labels.as_ref()
    }

    fn cell(&self, column: usize, now: Timestamp) -> Cow<'_, str> {
        if self.columns.shown.get(column) == Some(&Shown::Namespace) {
            return Cow::Borrowed(&self.data.namespace);
        }
        if self.columns.is_age(column) && self.data.created.is_some() {
            return Cow::Owned(age_since(self.data.created, now));
        }
        match self.value(column) {
            Some((Value::String(text), _)) => Cow::Borrowed(text.as_str()),
            Some((value, _)) => Cow::Owned(cell_text(value)),
            None => Cow::Borrowed(""),
        }
    }

    fn measure(&self, column: usize) -> usize {
        if self.columns.is_age(column) {
            // `5d23h`, `123m`: wide enough for any age, without a clock.
            6
        } else {
            display_width(&self.cell(column, Timestamp::UNIX_EPOCH))
        }
    }

    /// Numbers as numbers, ages and dates by time (newest first is "least
    /// old"), quantities by amount, other text as text.
    fn compare(&self, other: &Self, column: usize) -> Ordering {
        if self.columns.shown.get(column) == Some(&Shown::Namespace) {
            return self.data.namespace.cmp(&other.data.namespace);
        }
        if self.columns.is_age(column) {
            return other.data.created.cmp(&self.data.created);
        }
        let (Some((a, def)), Some((b, _))) = (self.value(column), other.value(column)) else {
            return Ordering::Equal;
        };
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => x
                .as_f64()
                .partial_cmp(&y.as_f64())
                .unwrap_or(Ordering::Equal),
            (Value::String(x), Value::String(y)) if def.kind == ColumnType::Date => {
                let parse = |t: &str| t.parse::<Timestamp>().ok();
                parse(y).cmp(&parse(x))
            }
            (Value::String(x), Value::String(y)) => match (parse_milli(x), parse_milli(y)) {
                (Ok(qx), Ok(qy)) => qx.cmp(&qy),
                _ => x.cmp(y),
            },
            (Value::Null, Value::Null) => Ordering::Equal,
            (Value::Null, _) => Ordering::Greater,
            (_, Value::Null) => Ordering::Less,
            (x, y) => x.to_string().cmp(&y.to_string()),
        }
    }

    fn tone(&self) -> Tone {
        Tone::Normal
    }
}
