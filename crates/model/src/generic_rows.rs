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

/// The columns of one kind's table, all of them and those shown (priority 0,
/// or every one with `-o wide`).
#[derive(Debug, Clone, PartialEq)]
pub struct GenericColumns {
    pub defs: Vec<ColumnDef>,
    pub shown: Vec<usize>,
}

impl GenericColumns {
    pub fn new(defs: Vec<ColumnDef>, wide: bool) -> GenericColumns {
        let shown = defs
            .iter()
            .enumerate()
            .filter(|(_, d)| wide || d.priority == 0)
            .map(|(i, _)| i)
            .collect();
        GenericColumns { defs, shown }
    }

    /// The table's columns as the ui lays them out: titles as kubectl prints
    /// them (upper case), the name never hidden, later columns hidden first.
    pub fn table_columns(&self) -> Vec<Column> {
        self.shown
            .iter()
            .enumerate()
            .map(|(position, &i)| {
                let def = &self.defs[i];
                let title = intern(&def.name.to_uppercase());
                let text = matches!(def.kind, ColumnType::String);
                // Names are never cut (kubectl never cuts them); other text
                // gives way on a narrow screen.
                let name = def.format == "name";
                Column {
                    title,
                    min: display_width(title).min(12) as u16,
                    max: if text { 80 } else { 20 },
                    priority: if position == 0 {
                        0
                    } else {
                        u8::try_from(30usize.saturating_sub(position))
                            .unwrap_or(1)
                            .max(1)
                    },
                    flexible: text && !name,
                }
            })
            .collect()
    }

    fn is_age(&self, column: usize) -> bool {
        self.shown
            .get(column)
            .and_then(|&i| self.defs.get(i))
            .is_some_and(|d| {
                d.name == "Age" && matches!(d.kind, ColumnType::String | ColumnType::Date)
            })
    }
}

/// One object's row.
#[derive(Debug, Clone)]
pub struct GenericRow {
    namespace: String,
    name: String,
    labels: Option<BTreeMap<String, String>>,
    created: Option<Timestamp>,
    cells: Vec<Value>,
    columns: Arc<GenericColumns>,
}

impl GenericRow {
    /// The row of `object` (a whole object, or a Table row's
    /// PartialObjectMetadata) with its printed `cells`.
    pub fn new(object: &Value, cells: Vec<Value>, columns: Arc<GenericColumns>) -> GenericRow {
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
        GenericRow {
            namespace: text("namespace"),
            name: text("name"),
            labels,
            created: text("creationTimestamp").parse().ok(),
            cells,
            columns,
        }
    }

    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The cell of table column `column`, as the Table has it.
    fn value(&self, column: usize) -> Option<(&Value, &ColumnDef)> {
        let def_index = *self.columns.shown.get(column)?;
        Some((
            self.cells.get(def_index)?,
            self.columns.defs.get(def_index)?,
        ))
    }
}

impl TableRow for GenericRow {
    /// Generic tables carry their columns ([`GenericColumns::table_columns`]).
    fn columns() -> &'static [Column] {
        &[]
    }

    fn key(&self) -> (&str, &str) {
        (&self.namespace, &self.name)
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn labels(&self) -> Option<&BTreeMap<String, String>> {
        self.labels.as_ref()
    }

    fn cell(&self, column: usize, now: Timestamp) -> Cow<'_, str> {
        if self.columns.is_age(column) && self.created.is_some() {
            return Cow::Owned(age_since(self.created, now));
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
        if self.columns.is_age(column) {
            return other.created.cmp(&self.created);
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
