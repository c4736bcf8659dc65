//! `:NAME`: the table of any kind, and `:api`, the list of kinds. A live
//! source streams the server's own Tables; files are printed with kubectl's
//! printers. Discovery fills the catalog of names in the background.

use std::time::Instant;

use crate::app::docs::{DocKind, ObjectView};
use crate::app::generic::GenericSession;
use crate::app::tasks::TaskResult;
use crate::app::views::{Screen, TableView};
use crate::app::*;
use crate::model::api_catalog::ApiResource;
use crate::model::table::{Sort, TableRow};

/// How often a streaming table's rows are rebuilt at most, however many
/// events arrive.
const REBUILD_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

impl App {
    /// The kinds the source has beyond the built-in ones: a live server's
    /// discovery (in the background), or the CRDs among a snapshot's objects.
    pub fn discover_kinds(&mut self) {
        if self.client.is_some() {
            self.start_discovery();
        } else {
            self.catalog_from_files();
        }
    }

    /// Asks the server which resources it serves (custom ones included);
    /// false when it cannot be asked (no client, no runtime).
    pub(in crate::app) fn start_discovery(&mut self) -> bool {
        let Some(client) = self.client.clone() else {
            return false;
        };
        if tokio::runtime::Handle::try_current().is_err() {
            return false;
        }
        self.tasks.spawn(async move {
            TaskResult::Discovered(crate::ops::discovery::discover(&client).await)
        });
        true
    }

    /// The kinds a snapshot's files hold beyond the built-in ones: its CRDs.
    pub(in crate::app) fn catalog_from_files(&mut self) {
        for object in self.cache.stores.others.all().iter() {
            if let Some(resource) = resource_of_crd(object) {
                self.catalog.add(resource);
            }
        }
    }

    /// `:NAME`: the table of the kind `name` names; `Err` when nothing does.
    /// A live cluster may serve kinds created since it was last asked (a new
    /// CRD): it is asked again, and the table opens when the name turns up.
    pub fn open_resource(&mut self, name: &str) -> Result<(), String> {
        self.open_resource_asking(name, true)
    }

    /// `:NAME` with what the catalog knows now, without asking the server.
    pub fn open_resource_known(&mut self, name: &str) -> Result<(), String> {
        self.open_resource_asking(name, false)
    }

    fn open_resource_asking(&mut self, name: &str, may_ask: bool) -> Result<(), String> {
        if may_ask
            && self.catalog.resolve(name).is_none()
            && !self.rediscovering
            && self.start_discovery()
        {
            self.rediscovering = true;
            self.pending_resource = Some(name.to_string());
            self.flash = Some(Flash {
                text: format!("{name}: asking the server which resources it serves…"),
                is_error: false,
            });
            return Ok(());
        }
        let resource = self.catalog.resolve(name).cloned().ok_or_else(|| {
            let near = self
                .catalog
                .complete(&name.chars().take(2).collect::<String>());
            let hint = if near.is_empty() {
                ":api lists every resource".to_string()
            } else {
                format!("did you mean {}? (:api lists them all)", near.join(", "))
            };
            format!("unknown command or resource {name:?}; {hint}")
        })?;
        // The kinds with views of their own keep them.
        match (resource.group.as_str(), resource.kind.as_str()) {
            ("", "Pod") => {
                self.run_command(command::Command::Pods);
                return Ok(());
            }
            ("", "Node") => {
                self.run_command(command::Command::Nodes);
                return Ok(());
            }
            _ => {}
        }
        if !resource.verbs.iter().any(|v| v == "list") {
            return Err(format!("{} cannot be listed", resource.qualified()));
        }
        self.generic_sessions += 1;
        let id = self.generic_sessions;
        let session = match self.client.clone() {
            Some(client) if tokio::runtime::Handle::try_current().is_ok() => {
                let (events, handle) = crate::ops::tables::stream(client, resource.clone(), None);
                self.tasks
                    .forward_bounded(events, move |event| TaskResult::Table(id, event));
                GenericSession::live(id, resource.clone(), handle)
            }
            _ => GenericSession::from_files(
                id,
                resource.clone(),
                &self.cache.stores,
                self.clock.now(),
            ),
        };
        self.generic = Some(session);
        self.show(Screen::Resources {
            resource,
            view: TableView::new(Sort {
                column: 0,
                descending: false,
            }),
        });
        self.rebuild_generic(true);
        Ok(())
    }

    /// Discovery answered: a name that waited for it opens now, or says it
    /// is unknown.
    pub(in crate::app) fn after_discovery(&mut self) {
        self.rediscovering = false;
        if let Some(name) = self.pending_resource.take()
            && let Err(error) = self.open_resource_asking(&name, false)
        {
            self.flash_error(error);
        }
    }

    /// A step of the open kind's stream.
    pub(in crate::app) fn on_table_event(
        &mut self,
        id: u64,
        event: crate::ops::tables::TableEvent,
    ) {
        let Some(session) = self.generic.as_mut().filter(|s| s.id == id) else {
            return;
        };
        let first_list = !session.listed;
        session.apply(event, self.clock.now());
        self.rebuild_generic(first_list);
    }

    /// The open kind's rows again, when they changed (at most every
    /// [`REBUILD_EVERY`] unless `force`).
    pub(in crate::app) fn rebuild_generic(&mut self, force: bool) {
        let now = Instant::now();
        if !force
            && self
                .generic_built
                .is_some_and(|at| now.duration_since(at) < REBUILD_EVERY)
        {
            return;
        }
        let Some(session) = self.generic.as_mut() else {
            return;
        };
        if !session.take_dirty() {
            return;
        }
        let (columns, rows) = session.table(self.namespace.as_deref());
        let table_columns = columns.table_columns();
        for screen in &mut self.stack {
            if let Screen::Resources { view, .. } = screen {
                if view.table.columns() != table_columns.as_slice() {
                    let sort = view.table.sort();
                    view.table = crate::model::table::Table::with_columns(
                        sort,
                        std::borrow::Cow::Owned(table_columns.clone()),
                    );
                }
                view.replace_rows(rows.clone());
            }
        }
        self.generic_built = Some(now);
        self.follow_cursor();
    }

    /// `o` on a generic table: kubectl's `-o wide` columns, or not.
    pub(in crate::app) fn toggle_wide(&mut self) {
        if let Some(session) = self.generic.as_mut()
            && matches!(self.stack.last(), Some(Screen::Resources { .. }))
        {
            session.wide = !session.wide;
            session.mark_dirty();
            self.rebuild_generic(true);
        }
    }

    /// The open kind's table with every column, for `render KIND -o wide`.
    pub fn toggle_wide_now(&mut self) {
        self.toggle_wide();
    }

    /// Whether the open kind's rows are all there.
    pub fn generic_listed(&self) -> bool {
        self.generic.as_ref().is_some_and(|s| s.listed)
    }

    /// Why the open kind's table could not be read, if it could not.
    pub fn generic_error(&self) -> Option<String> {
        self.generic.as_ref().and_then(|s| s.error.clone())
    }

    /// `y` (or `x`, decoded, for a Secret) on a row of a kind kubesight does
    /// not cache: the object, read from the server or from the files.
    pub(in crate::app) fn open_generic_object(&mut self, view: ObjectView) {
        let decoded = view == ObjectView::Decoded;
        let Some(Screen::Resources {
            resource,
            view: table,
        }) = self.stack.last()
        else {
            if decoded {
                self.flash_error("x decodes a Secret: open :secrets first".into());
            }
            return;
        };
        let resource = resource.clone();
        if decoded && !(resource.group.is_empty() && resource.kind == "Secret") {
            self.flash_error(format!(
                "x decodes Secrets; {} has nothing to decode",
                resource.plural
            ));
            return;
        }
        let Some(row) = table.table.get(table.selected) else {
            return;
        };
        let (namespace, name) = row.key();
        let (namespace, name) = (namespace.to_string(), name.to_string());
        let path = format!("{}/{name}", resource.path(Some(&namespace)));
        self.push_doc(DocKind::ObjectYaml {
            resource,
            namespace,
            name,
            fetched: None,
            view,
        });
        if let Some(client) = self.client.clone() {
            self.tasks.spawn(async move {
                let result = crate::ops::fetch::fetch_path(client, &path).await;
                TaskResult::FetchedPath { path, result }
            });
        }
    }

    /// An object read by path arrives for the document waiting for it.
    pub(in crate::app) fn on_fetched_path(
        &mut self,
        path: &str,
        result: Result<serde_json::Value, String>,
    ) {
        let object = match result {
            Ok(object) => object,
            Err(message) => {
                self.flash_error(format!("cannot read {path}: {message}"));
                return;
            }
        };
        for screen in &mut self.stack {
            if let Screen::Doc {
                kind:
                    DocKind::ObjectYaml {
                        resource,
                        namespace,
                        name,
                        fetched,
                        ..
                    },
                ..
            } = screen
                && format!("{}/{name}", resource.path(Some(namespace))) == path
            {
                *fetched = Some(object.clone());
            }
        }
        self.refresh_all();
    }

    /// `:describe KIND/NAME`: the object of that kind and name, in the
    /// namespace in scope, else wherever the one of that name is.
    pub(in crate::app) fn describe_named(&mut self, target: &str) {
        let Some((kind, name)) = target.split_once('/') else {
            return self.flash_error("usage: :describe KIND/NAME".into());
        };
        let Some(resource) = self.catalog.resolve(kind).cloned() else {
            return self.flash_error(format!("unknown kind {kind:?}; :api lists every resource"));
        };
        let name = name.to_string();
        let namespace = if resource.namespaced {
            self.namespace.clone()
        } else {
            Some(String::new())
        };
        let Some(client) = self.client.clone() else {
            // From files: the one object of that kind and name.
            let objects = self.cache.stores.others.all();
            let found: Vec<&serde_json::Value> = objects
                .iter()
                .filter(|o| {
                    o["kind"].as_str() == Some(resource.kind.as_str())
                        && o["metadata"]["name"].as_str() == Some(name.as_str())
                        && namespace.as_deref().is_none_or(|ns| {
                            ns.is_empty() || o["metadata"]["namespace"].as_str() == Some(ns)
                        })
                })
                .collect();
            let result = match found.as_slice() {
                [one] => Ok((*one).clone()),
                [] => Err(format!("{} {name:?} not found", resource.plural)),
                _ => Err(several(&found, &name)),
            };
            return self.on_found(resource, result);
        };
        self.tasks.spawn(async move {
            let result = match namespace {
                Some(ns) => {
                    let path = format!("{}/{name}", resource.path(Some(&ns)));
                    crate::ops::fetch::fetch_path(client, &path).await
                }
                // Across namespaces: list by name, as `kubectl get -A` would find it.
                None => {
                    let path = format!(
                        "{}?fieldSelector=metadata.name%3D{name}",
                        resource.path(None)
                    );
                    match crate::ops::fetch::fetch_path(client, &path).await {
                        Ok(list) => {
                            let items = list["items"].as_array().cloned().unwrap_or_default();
                            match items.as_slice() {
                                [one] => Ok(one.clone()),
                                [] => Err(format!("{} {name:?} not found", resource.plural)),
                                _ => Err(several(&items.iter().collect::<Vec<_>>(), &name)),
                            }
                        }
                        Err(message) => Err(message),
                    }
                }
            };
            TaskResult::Found {
                resource: Box::new(resource),
                result,
            }
        });
    }

    /// The object `:describe` found: its description.
    pub(in crate::app) fn on_found(
        &mut self,
        resource: ApiResource,
        result: Result<serde_json::Value, String>,
    ) {
        match result {
            Ok(mut object) => {
                // A list's items carry no type of their own.
                object["kind"] = serde_json::Value::String(resource.kind.clone());
                object["apiVersion"] = serde_json::Value::String(resource.api_version());
                let text = |field: &str| {
                    object["metadata"][field]
                        .as_str()
                        .unwrap_or_default()
                        .to_string()
                };
                let (namespace, name) = (text("namespace"), text("name"));
                self.push_doc(DocKind::ObjectYaml {
                    resource,
                    namespace,
                    name,
                    fetched: Some(object),
                    view: ObjectView::Describe,
                });
            }
            Err(message) => self.flash_error(format!(":describe: {message}")),
        }
    }

    /// `:api`: every resource, its group, scope, short names and verbs.
    pub(in crate::app) fn show_api_resources(&mut self) {
        self.push_doc(DocKind::ApiResources);
    }
}

/// The resource a CustomResourceDefinition defines (its storage version, or
/// the first served one).
pub(in crate::app) fn resource_of_crd(object: &serde_json::Value) -> Option<ApiResource> {
    if object["kind"] != "CustomResourceDefinition" {
        return None;
    }
    let spec = &object["spec"];
    let names = &spec["names"];
    let versions = spec["versions"].as_array()?;
    let version = versions
        .iter()
        .find(|v| v["storage"] == true)
        .or_else(|| versions.iter().find(|v| v["served"] == true))?;
    let strings = |value: &serde_json::Value| -> Vec<String> {
        value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    Some(ApiResource {
        group: spec["group"].as_str()?.to_string(),
        version: version["name"].as_str()?.to_string(),
        kind: names["kind"].as_str()?.to_string(),
        plural: names["plural"].as_str()?.to_string(),
        singular: names["singular"].as_str().unwrap_or_default().to_string(),
        namespaced: spec["scope"] == "Namespaced",
        short_names: strings(&names["shortNames"]),
        verbs: crate::model::api_catalog::ALL_VERBS
            .iter()
            .map(|v| v.to_string())
            .collect(),
    })
}

/// Which namespaces hold an object of this name, to choose from.
fn several(found: &[&serde_json::Value], name: &str) -> String {
    let namespaces: Vec<&str> = found
        .iter()
        .filter_map(|o| o["metadata"]["namespace"].as_str())
        .collect();
    format!(
        "{name:?} is in several namespaces ({}): choose one with :ns or -n",
        namespaces.join(", ")
    )
}
