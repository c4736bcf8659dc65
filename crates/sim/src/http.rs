//! One request, end to end: injected latency and failures first (as filters run
//! before handlers on a real server), then routing to discovery, get, list or
//! watch. Every failure is answered with the Status the real server sends.

use std::convert::Infallible;
use std::sync::Arc;

use http::header::{ACCEPT, CONTENT_TYPE};
use http::{Method, Request, Response};
use http_body_util::{BodyExt, Limited};

use super::Simulator;
use super::discovery;
use super::filter::Filter;
use super::query::{self, ListOptions, Query};
use super::response::{self, Body};
use super::route::Route;
use super::status::{ForbiddenRequest, Status};
use super::write_request::WriteRequest;
use super::{access_review, delete, eviction, get, list, patch, pod_io, table, watch};

/// The largest request body accepted, as the API server's 3 MiB limit.
const MAX_BODY_BYTES: usize = 3 * 1024 * 1024;

pub async fn handle<B>(
    sim: Arc<Simulator>,
    server_address: Arc<str>,
    mut request: Request<B>,
) -> Result<Response<Body>, Infallible>
where
    B: hyper::body::Body,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    sim.faults().while_frozen().await;
    let latency = sim.faults().latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let path = request.uri().path().to_string();
    let query = Query::parse(request.uri().query().unwrap_or_default());
    let route = Route::parse(&path);
    let watch_param = query.get("watch").is_some_and(query::parse_bool);
    let verb = route.verb(request.method(), watch_param);
    let denied = denied_access(&sim, &route, &verb);
    if let Some(failure) = sim.faults().take_failure(&path, &verb).or(denied) {
        let (resource, namespace, name) = match route.target() {
            Some((resource, namespace, name)) => (Some(resource), namespace, name),
            None => (None, "", ""),
        };
        return Ok(failure.response(&ForbiddenRequest {
            user: "system:anonymous",
            verb: &verb,
            resource,
            namespace,
            name,
            path: &path,
        }));
    }
    if let Route::Subresource {
        resource,
        namespace,
        name,
        subresource,
    } = &route
    {
        let namespace = namespace.as_deref().unwrap_or_default();
        if let Some(response) = pod_io::respond(
            &sim,
            resource,
            namespace,
            name,
            subresource,
            &query,
            &mut request,
        ) {
            return Ok(response);
        }
    }
    let accept = header_text(&request, ACCEPT);
    let method = request.method().clone();
    if method != Method::GET {
        let content_type = header_text(&request, CONTENT_TYPE);
        let body = match Limited::new(request.into_body(), MAX_BODY_BYTES)
            .collect()
            .await
        {
            Ok(collected) => collected.to_bytes(),
            Err(error) => {
                let status = Status::bad_request(format!("unable to read the body: {error}"));
                return Ok(response::status(&status));
            }
        };
        let write = WriteRequest {
            body: &body,
            content_type: &content_type,
            query: &query,
        };
        return Ok(dispatch_write(&sim, &path, &method, route, &write));
    }
    Ok(dispatch(&sim, &server_address, &method, route, &query, &accept).await)
}

/// The 403 of a request [`super::Faults::deny`] refuses.
fn denied_access(sim: &Simulator, route: &Route, verb: &str) -> Option<super::Failure> {
    let (resource, namespace, _) = route.target()?;
    let resource = match route {
        Route::Subresource { subresource, .. } => format!("{}/{subresource}", resource.plural),
        _ => resource.plural.to_string(),
    };
    sim.faults()
        .is_denied(verb, &resource, namespace)
        .then(|| super::Failure::Forbidden {
            user: "system:anonymous".to_string(),
        })
}

/// PATCH, DELETE and POST: the write verbs the simulator serves.
fn dispatch_write(
    sim: &Simulator,
    path: &str,
    method: &Method,
    route: Route,
    request: &WriteRequest<'_>,
) -> Response<Body> {
    let clock = &sim.config().clock;
    match (method.as_str(), route) {
        ("POST", _) if path == access_review::PATH => access_review::respond(sim.faults(), request),
        (_, Route::NotFound) => response::status(&Status::path_not_found()),
        (
            "PATCH",
            Route::Object {
                resource,
                namespace,
                name,
            },
        ) => patch::respond(
            sim.store(),
            resource,
            namespace.as_deref().unwrap_or_default(),
            &name,
            request,
        ),
        (
            "DELETE",
            Route::Object {
                resource,
                namespace,
                name,
            },
        ) => delete::respond(
            sim.store(),
            clock,
            resource,
            namespace.as_deref().unwrap_or_default(),
            &name,
            request,
        ),
        (
            "POST",
            Route::Subresource {
                resource,
                namespace,
                name,
                subresource,
            },
        ) if resource.group.is_empty()
            && resource.plural == "pods"
            && subresource == "eviction" =>
        {
            eviction::respond(
                sim.store(),
                clock,
                resource,
                namespace.as_deref().unwrap_or_default(),
                &name,
                request,
            )
        }
        // Other subresources (status, log, exec, …) are not served yet.
        (_, Route::Subresource { .. }) => response::status(&Status::path_not_found()),
        _ => response::status(&Status::method_not_allowed()),
    }
}

async fn dispatch(
    sim: &Simulator,
    server_address: &str,
    method: &Method,
    route: Route,
    query: &Query,
    accept: &str,
) -> Response<Body> {
    if route == Route::NotFound {
        return response::status(&Status::path_not_found());
    }
    // Writes went to `dispatch_write`.
    if method != Method::GET {
        return response::status(&Status::method_not_allowed());
    }
    let json = |bytes| response::json(200, response::JSON, bytes);
    let aggregated = |bytes| response::json(200, discovery::AGGREGATED_V2, bytes);
    match route {
        Route::Root => json(discovery::root_paths()),
        Route::Version => json(discovery::version()),
        Route::Health => response::text(200, "ok"),
        Route::CoreVersions if discovery::wants_aggregated(accept) => {
            aggregated(discovery::aggregated_core())
        }
        Route::CoreVersions => json(discovery::core_versions(server_address)),
        Route::Groups if discovery::wants_aggregated(accept) => {
            aggregated(discovery::aggregated_groups())
        }
        Route::Groups => json(discovery::groups()),
        Route::Group(group) => json(discovery::group(group)),
        Route::GroupVersion { group, version } => json(discovery::resource_list(group, version)),
        Route::Object {
            resource,
            namespace,
            name,
        } => {
            let namespace = namespace.unwrap_or_default();
            let wait = sim.config().too_large_resource_version_wait;
            let table = match table::requested(accept, query) {
                Ok(table) => table,
                Err(status) => return response::status(&status),
            };
            let printing = table.map(|_| table::Printing::of(resource));
            let as_table = table
                .zip(printing.as_ref())
                .map(|(request, printing)| table::AsTable {
                    request,
                    printing,
                    now: sim.config().clock.now(),
                });
            get::respond(
                sim.store(),
                resource,
                &namespace,
                &name,
                query,
                wait,
                as_table,
            )
            .await
        }
        Route::Collection {
            resource,
            namespace,
            watch_name,
            force_watch,
        } => {
            let watch_list = sim.config().watch_list;
            let options = match ListOptions::from_query_with(query, force_watch, watch_list) {
                Ok(options) => options,
                Err(status) => return response::status(&status),
            };
            let filter = match Filter::new(&options, resource, watch_name.as_deref()) {
                Ok(filter) => filter,
                Err(status) => return response::status(&status),
            };
            let namespace = namespace.as_deref();
            let table = match table::requested(accept, query) {
                Ok(table) => table,
                Err(status) => return response::status(&status),
            };
            let printing = table.map(|_| table::Printing::of(resource));
            if options.watch {
                watch::respond(
                    sim,
                    resource,
                    namespace,
                    &options,
                    filter,
                    table.zip(printing),
                )
            } else {
                let wait = sim.config().too_large_resource_version_wait;
                let encoding = list::Encoding {
                    table: table.zip(printing.as_ref()),
                    now: sim.config().clock.now(),
                };
                list::respond(
                    sim.store(),
                    resource,
                    namespace,
                    &options,
                    &filter,
                    wait,
                    encoding,
                )
                .await
            }
        }
        // No subresource (status, log, eviction, …) is served yet.
        Route::Subresource { .. } | Route::NotFound => response::status(&Status::path_not_found()),
    }
}

/// A header's value as text; absent or non-ASCII values read as empty, as the
/// API server treats a missing Accept or Content-Type.
fn header_text<B>(request: &Request<B>, name: http::header::HeaderName) -> String {
    request
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}
