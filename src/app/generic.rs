//! The table of any kind (`:deploy`, `:svc`, `:widgets`): its rows as a live
//! server prints them (streamed Tables), or as kubectl's printers print the
//! objects of a snapshot. One session at a time: opening another kind stops
//! the previous stream.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;
use serde_json::Value;

use crate::cache::Stores;
use crate::model::api_catalog::ApiResource;
use crate::model::generic_rows::{GenericColumns, GenericRow, RowData};
use crate::model::printers::{self, ColumnDef, CustomColumns};
use crate::ops::tables::{TableEvent, TableHandle, TableRow};

/// The cells of one object.
type RowFn = Box<dyn Fn(&Value) -> Vec<Value>>;

pub struct GenericSession {
    /// Tells this session's stream events from a previous one's.
    pub id: u64,
    pub resource: ApiResource,
    pub columns: Vec<ColumnDef>,
    rows: BTreeMap<(String, String), Arc<RowData>>,
    /// `-o wide`: every column, not only priority 0.
    pub wide: bool,
    /// The whole list has arrived (from a live server; files are whole at once).
    pub listed: bool,
    /// The last failure of the stream, until it recovers.
    pub error: Option<String>,
    /// When the rows were last known complete (what a stale table holds).
    since: Timestamp,
    dirty: bool,
    _handle: Option<TableHandle>,
}

impl GenericSession {
    /// A session fed by a live stream.
    pub fn live(id: u64, resource: ApiResource, handle: TableHandle) -> GenericSession {
        GenericSession {
            id,
            resource,
            columns: Vec::new(),
            rows: BTreeMap::new(),
            wide: false,
            listed: false,
            error: None,
            since: Timestamp::UNIX_EPOCH,
            dirty: true,
            _handle: Some(handle),
        }
    }

    /// A session of the objects loaded from files, printed as the server would.
    pub fn from_files(id: u64, resource: ApiResource, stores: &Stores, now: Timestamp) -> Self {
        let objects = stores.others.all();
        let of_kind: Vec<&Value> = objects
            .iter()
            .filter(|o| {
                o["kind"].as_str() == Some(resource.kind.as_str())
                    && api_group(o["apiVersion"].as_str().unwrap_or_default()) == resource.group
            })
            .collect();
        let (columns, row): (Vec<ColumnDef>, RowFn) =
            match printers::builtin(&resource.group, &resource.kind) {
                Some(printer) => (
                    (printer.columns)(),
                    Box::new(move |o| (printer.row)(o, now)),
                ),
                None => match custom_resource_definition(&objects, &resource) {
                    Some(crd) => {
                        let custom = CustomColumns::of_crd(crd, &resource.version);
                        (custom.defs(), Box::new(move |o| custom.row(o, now)))
                    }
                    None => (
                        printers::default_columns(),
                        Box::new(move |o| printers::default_row(o, now)),
                    ),
                },
            };
        let rows = of_kind
            .into_iter()
            .map(|object| (key_of(object), Arc::new(RowData::new(object, row(object)))))
            .collect();
        GenericSession {
            id,
            resource,
            columns,
            rows,
            wide: false,
            listed: true,
            error: None,
            since: now,
            dirty: true,
            _handle: None,
        }
    }

    /// Folds one event of the stream in.
    pub fn apply(&mut self, event: TableEvent, now: Timestamp) {
        match event {
            TableEvent::Listed { columns, rows } => {
                self.columns = columns;
                self.rows = rows.into_iter().map(entry).collect();
                self.listed = true;
                self.error = None;
                self.since = now;
            }
            TableEvent::Upserted(row) => {
                let (key, data) = entry(row);
                self.rows.insert(key, data);
                self.error = None;
                self.since = now;
            }
            TableEvent::Deleted(row) => {
                self.rows.remove(&key_of(&row.object));
                self.since = now;
            }
            TableEvent::Failed(message) => self.error = Some(message),
        }
        self.dirty = true;
    }

    /// Whether the view's rows need rebuilding, once.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    pub fn mark_dirty(&mut self) {
        self.dirty = true;
    }

    /// The view's columns and rows, in `namespace` (or all).
    /// Across namespaces a namespaced kind's table starts with NAMESPACE, as
    /// `kubectl get -A` prints it.
    pub fn table(&self, namespace: Option<&str>) -> (Arc<GenericColumns>, Vec<GenericRow>) {
        let with_namespace = self.resource.namespaced && namespace.is_none();
        let columns = Arc::new(GenericColumns::new(
            self.columns.clone(),
            self.wide,
            with_namespace,
        ));
        let rows = self
            .rows
            .iter()
            .filter(|((ns, _), _)| namespace.is_none_or(|n| n == ns) || ns.is_empty())
            .map(|(_, data)| GenericRow::new(data.clone(), columns.clone()))
            .collect();
        (columns, rows)
    }

    /// How current the rows are, as a store's status reads.
    pub fn status(&self) -> crate::cache::KindStatus {
        use crate::cache::Freshness;
        let freshness = match (&self.error, self.listed, self._handle.is_some()) {
            (Some(reason), _, _) => Freshness::Stale {
                since: self.since,
                reason: reason.clone(),
            },
            (None, false, _) => Freshness::Syncing {
                objects: self.rows.len(),
            },
            (None, true, true) => Freshness::Live,
            (None, true, false) => Freshness::Static,
        };
        crate::cache::KindStatus {
            freshness,
            scope: crate::cache::Scope::Cluster,
            narrowed: None,
            retry_at: None,
            listed: self.listed,
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// A streamed row as kept: its key and what its view needs, the rest of its
/// metadata dropped.
fn entry(row: TableRow) -> ((String, String), Arc<RowData>) {
    (
        key_of(&row.object),
        Arc::new(RowData::new(&row.object, row.cells)),
    )
}

fn key_of(object: &Value) -> (String, String) {
    let text = |field: &str| {
        object["metadata"][field]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    (text("namespace"), text("name"))
}

/// `apps` of `apps/v1`; `""` of `v1`.
fn api_group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// The CRD that defines `resource`, among objects loaded from files.
fn custom_resource_definition<'a>(
    objects: &'a [Value],
    resource: &ApiResource,
) -> Option<&'a Value> {
    objects.iter().find(|o| {
        o["kind"] == "CustomResourceDefinition"
            && o["spec"]["group"] == resource.group.as_str()
            && o["spec"]["names"]["plural"] == resource.plural.as_str()
    })
}
