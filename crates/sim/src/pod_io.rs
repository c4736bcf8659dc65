//! The pods' streaming subresources — `log`, `exec`, `portforward` — which a
//! real API server proxies to the pod's kubelet. They need the whole request
//! (WebSocket upgrades) and a shared simulator (streams outlive the handler),
//! so they are routed here before the ordinary reads and writes.

use std::sync::Arc;

use http::{Method, Request, Response};

use super::Simulator;
use super::query::Query;
use super::resources::Resource;
use super::response::{self, Body};
use super::status::Status;
use super::{exec, logs, portforward};

/// The answer to a request for a pod subresource served here; `None` for
/// every other request.
pub fn respond<B>(
    sim: &Arc<Simulator>,
    resource: &'static Resource,
    namespace: &str,
    name: &str,
    subresource: &str,
    query: &Query,
    request: &mut Request<B>,
) -> Option<Response<Body>> {
    if !resource.group.is_empty() || resource.plural != "pods" {
        return None;
    }
    let raw_query = request.uri().query().unwrap_or_default().to_string();
    let method = request.method().clone();
    match subresource {
        "log" if method == Method::GET => {
            Some(logs::respond(sim, resource, namespace, name, query))
        }
        // kubectl and kube-rs upgrade with GET; older clients POST.
        "exec" if method == Method::GET || method == Method::POST => Some(exec::respond(
            sim, resource, namespace, name, query, &raw_query, request,
        )),
        "portforward" if method == Method::GET || method == Method::POST => Some(
            portforward::respond(sim, resource, namespace, name, &raw_query, request),
        ),
        "log" | "exec" | "portforward" => Some(response::status(&Status::method_not_allowed())),
        _ => None,
    }
}
