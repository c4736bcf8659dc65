//! One request, end to end: injected latency and failures first (as filters run
//! before handlers on a real server), then routing to discovery, get, list or
//! watch. Every failure is answered with the Status the real server sends.

use std::convert::Infallible;
use std::sync::Arc;

use http::header::ACCEPT;
use http::{Method, Request, Response};

use super::Simulator;
use super::discovery;
use super::filter::Filter;
use super::query::{self, ListOptions, Query};
use super::response::{self, Body};
use super::route::Route;
use super::status::{ForbiddenRequest, Status};
use super::{get, list, watch};

pub async fn handle<B>(
    sim: Arc<Simulator>,
    server_address: Arc<str>,
    request: Request<B>,
) -> Result<Response<Body>, Infallible> {
    let latency = sim.faults().latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let path = request.uri().path().to_string();
    let query = Query::parse(request.uri().query().unwrap_or_default());
    let route = Route::parse(&path);
    let watch_param = query.get("watch").is_some_and(query::parse_bool);
    let verb = route.verb(request.method(), watch_param);
    if let Some(failure) = sim.faults().take_failure(&path, &verb) {
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
    let accept = request
        .headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    Ok(dispatch(
        &sim,
        &server_address,
        request.method(),
        route,
        &query,
        accept,
    )
    .await)
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
    // Only reads are served so far; writes reach no handler.
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
            get::respond(sim.store(), resource, &namespace, &name, query, wait).await
        }
        Route::Collection {
            resource,
            namespace,
            watch_name,
            force_watch,
        } => {
            let options = match ListOptions::from_query(query, force_watch) {
                Ok(options) => options,
                Err(status) => return response::status(&status),
            };
            let filter = match Filter::new(&options, resource, watch_name.as_deref()) {
                Ok(filter) => filter,
                Err(status) => return response::status(&status),
            };
            let namespace = namespace.as_deref();
            if options.watch {
                watch::respond(
                    sim.store(),
                    sim.faults(),
                    sim.config(),
                    resource,
                    namespace,
                    &options,
                    filter,
                )
            } else {
                let wait = sim.config().too_large_resource_version_wait;
                list::respond(sim.store(), resource, namespace, &options, &filter, wait).await
            }
        }
        // No subresource (status, log, eviction, …) is served yet.
        Route::Subresource { .. } | Route::NotFound => response::status(&Status::path_not_found()),
    }
}
