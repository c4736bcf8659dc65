//! GET of one object: the object with its kind and apiVersion (or its one-row
//! Table), or the 404 Status of `wire/15`.

use std::time::Duration;

use http::Response;

use super::object::TypedObject;
use super::query::{self, Query};
use super::resources::Resource;
use super::response::{self, Body};
use super::status::Status;
use super::store::Store;
use super::table::{AsTable, Page};

pub async fn respond(
    store: &Store,
    resource: &'static Resource,
    namespace: &str,
    name: &str,
    query: &Query,
    too_large_wait: Duration,
    as_table: Option<AsTable<'_>>,
) -> Response<Body> {
    // GetOptions.resourceVersion: "" and "0" read the latest state; a later
    // revision than the store's waits for it, as the watch cache does.
    let requested =
        match query::parse_resource_version(query.get("resourceVersion").unwrap_or_default()) {
            Ok(requested) => requested,
            Err(status) => return response::status(&status),
        };
    if requested > 0
        && let Err(current) = store.wait_for_revision(requested, too_large_wait).await
    {
        return response::status(&Status::too_large_resource_version(requested, current));
    }
    let Some(body) = store.get(resource, namespace, name) else {
        return response::status(&Status::not_found(resource, name));
    };
    if let Some(AsTable {
        request,
        printing,
        now,
    }) = as_table
    {
        let version = super::object::resource_version(&body).unwrap_or_default();
        let table = printing.table(
            request,
            resource,
            Page {
                objects: &[&body],
                resource_version: version.to_string(),
                continue_token: None,
                with_columns: true,
            },
            now,
        );
        return response::json(
            200,
            response::JSON,
            serde_json::to_vec(&table).unwrap_or_default(),
        );
    }
    let api_version = resource.api_version();
    let typed = TypedObject {
        kind: resource.kind,
        api_version: &api_version,
        body: &body,
    };
    response::json(
        200,
        response::JSON,
        serde_json::to_vec(&typed).unwrap_or_default(),
    )
}
