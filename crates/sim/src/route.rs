//! Request paths, read as the API server's request-info resolver reads them: which
//! API group and version, which resource, namespace, name and subresource, and so
//! which Kubernetes verb a request is.

use http::Method;

use super::query::percent_decode;
use super::resources::{self, Resource};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`: the list of served paths.
    Root,
    /// `/version`
    Version,
    /// `/healthz`, `/livez`, `/readyz`
    Health,
    /// `/api`
    CoreVersions,
    /// `/apis`
    Groups,
    /// `/apis/{group}`
    Group(&'static str),
    /// `/api/v1`, `/apis/{group}/{version}`
    GroupVersion {
        group: &'static str,
        version: &'static str,
    },
    /// A collection: `/api/v1/pods`, `/api/v1/namespaces/{ns}/pods`, or the
    /// deprecated `/api/v1/watch/...` forms (which may name one object).
    Collection {
        resource: &'static Resource,
        namespace: Option<String>,
        watch_name: Option<String>,
        force_watch: bool,
    },
    /// One object: `/api/v1/namespaces/{ns}/pods/{name}`, `/api/v1/nodes/{name}`.
    Object {
        resource: &'static Resource,
        namespace: Option<String>,
        name: String,
    },
    /// `/api/v1/namespaces/{ns}/pods/{name}/{subresource}`
    Subresource {
        resource: &'static Resource,
        namespace: Option<String>,
        name: String,
        subresource: String,
    },
    NotFound,
}

impl Route {
    pub fn parse(path: &str) -> Route {
        let Some(segments) = segments(path) else {
            return Route::NotFound;
        };
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        match segments.as_slice() {
            [] => Route::Root,
            ["version"] => Route::Version,
            ["healthz" | "livez" | "readyz"] => Route::Health,
            ["api"] => Route::CoreVersions,
            ["apis"] => Route::Groups,
            ["apis", group] => match resources::GROUPS.iter().find(|g| *g == group) {
                Some(group) => Route::Group(group),
                None => Route::NotFound,
            },
            ["api", version, rest @ ..] => resolve_group_version("", version, rest),
            ["apis", group, version, rest @ ..] => resolve_group_version(group, version, rest),
            _ => Route::NotFound,
        }
    }

    /// The Kubernetes verb, as authorization and fault rules name it.
    pub fn verb(&self, method: &Method, watch_param: bool) -> String {
        let resource_verb = match (self, method.as_str()) {
            (Route::Collection { force_watch, .. }, "GET") => {
                Some(if *force_watch || watch_param {
                    "watch"
                } else {
                    "list"
                })
            }
            (Route::Collection { .. }, "POST") => Some("create"),
            (Route::Collection { .. }, "DELETE") => Some("deletecollection"),
            (Route::Object { .. } | Route::Subresource { .. }, "GET") => Some("get"),
            (Route::Object { .. } | Route::Subresource { .. }, "PUT") => Some("update"),
            (Route::Object { .. } | Route::Subresource { .. }, "PATCH") => Some("patch"),
            (Route::Object { .. } | Route::Subresource { .. }, "DELETE") => Some("delete"),
            (Route::Subresource { .. }, "POST") => Some("create"),
            _ => None,
        };
        match resource_verb {
            Some(verb) => verb.to_string(),
            None => method.as_str().to_ascii_lowercase(),
        }
    }

    /// The resource, namespace and name a request addresses, if any.
    pub fn target(&self) -> Option<(&'static Resource, &str, &str)> {
        match self {
            Route::Collection {
                resource,
                namespace,
                watch_name,
                ..
            } => Some((
                resource,
                namespace.as_deref().unwrap_or_default(),
                watch_name.as_deref().unwrap_or_default(),
            )),
            Route::Object {
                resource,
                namespace,
                name,
            }
            | Route::Subresource {
                resource,
                namespace,
                name,
                ..
            } => Some((resource, namespace.as_deref().unwrap_or_default(), name)),
            _ => None,
        }
    }
}

/// Decoded path segments; `None` for an empty segment or a malformed escape.
fn segments(path: &str) -> Option<Vec<String>> {
    let trimmed = path.strip_prefix('/')?;
    if trimmed.is_empty() {
        return Some(Vec::new());
    }
    trimmed
        .split('/')
        .map(|segment| {
            let decoded = percent_decode(&segment.replace('+', "%2B"))?;
            (!decoded.is_empty()).then_some(decoded)
        })
        .collect()
}

fn resolve_group_version(group: &str, version: &str, rest: &[&str]) -> Route {
    let Some(any) = resources::RESOURCES
        .iter()
        .find(|r| r.group == group && r.version == version)
    else {
        return Route::NotFound;
    };
    let (group, version) = (any.group, any.version);
    let (force_watch, rest) = match rest {
        ["watch", rest @ ..] => (true, rest),
        _ => (false, rest),
    };
    let find = |plural: &str| resources::find(group, version, plural);
    match rest {
        [] if !force_watch => Route::GroupVersion { group, version },
        ["namespaces", namespace, plural, tail @ ..]
            if find(plural).is_some_and(|r| r.namespaced) =>
        {
            let resource = find(plural).unwrap_or(any);
            object_route(resource, Some(namespace), tail, force_watch)
        }
        [plural, tail @ ..] => match find(plural) {
            // A namespaced resource has no per-object route without its namespace.
            Some(resource) if resource.namespaced && !tail.is_empty() => Route::NotFound,
            Some(resource) => object_route(resource, None, tail, force_watch),
            None => Route::NotFound,
        },
        [] => Route::NotFound,
    }
}

fn object_route(
    resource: &'static Resource,
    namespace: Option<&str>,
    tail: &[&str],
    force_watch: bool,
) -> Route {
    let namespace = namespace.map(str::to_string);
    match (tail, force_watch) {
        ([], _) => Route::Collection {
            resource,
            namespace,
            watch_name: None,
            force_watch,
        },
        ([name], true) => Route::Collection {
            resource,
            namespace,
            watch_name: Some(name.to_string()),
            force_watch,
        },
        ([name], false) => Route::Object {
            resource,
            namespace,
            name: name.to_string(),
        },
        ([name, subresource], false) => Route::Subresource {
            resource,
            namespace,
            name: name.to_string(),
            subresource: subresource.to_string(),
        },
        _ => Route::NotFound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plural(route: &Route) -> Option<&'static str> {
        route.target().map(|(r, _, _)| r.plural)
    }

    #[test]
    fn discovery_paths() {
        assert_eq!(Route::parse("/api"), Route::CoreVersions);
        assert_eq!(Route::parse("/apis"), Route::Groups);
        assert_eq!(Route::parse("/apis/apps"), Route::Group("apps"));
        assert_eq!(
            Route::parse("/api/v1"),
            Route::GroupVersion {
                group: "",
                version: "v1"
            }
        );
        assert_eq!(
            Route::parse("/apis/policy/v1"),
            Route::GroupVersion {
                group: "policy",
                version: "v1"
            }
        );
        assert_eq!(Route::parse("/version"), Route::Version);
        assert_eq!(Route::parse("/"), Route::Root);
        assert_eq!(Route::parse("/apis/apps/v1beta1"), Route::NotFound);
        assert_eq!(Route::parse("/apis/certificates.k8s.io"), Route::NotFound);
    }

    #[test]
    fn collections_in_and_across_namespaces() {
        let all = Route::parse("/api/v1/pods");
        assert!(matches!(
            &all,
            Route::Collection {
                namespace: None,
                force_watch: false,
                ..
            }
        ));
        assert_eq!(plural(&all), Some("pods"));
        let one = Route::parse("/apis/apps/v1/namespaces/shop/deployments");
        assert!(matches!(&one, Route::Collection { namespace: Some(ns), .. } if ns == "shop"));
        assert_eq!(plural(&Route::parse("/api/v1/nodes")), Some("nodes"));
        assert_eq!(
            plural(&Route::parse("/api/v1/namespaces")),
            Some("namespaces")
        );
    }

    #[test]
    fn objects_and_subresources() {
        assert_eq!(
            Route::parse("/api/v1/namespaces/wire/pods/nope")
                .target()
                .map(|(r, ns, n)| (r.plural, ns.to_string(), n.to_string())),
            Some(("pods", "wire".to_string(), "nope".to_string()))
        );
        assert!(matches!(
            Route::parse("/api/v1/namespaces/shop"),
            Route::Object { resource, name, .. } if resource.plural == "namespaces" && name == "shop"
        ));
        assert!(matches!(
            Route::parse("/api/v1/nodes/node-1"),
            Route::Object {
                namespace: None,
                ..
            }
        ));
        assert!(matches!(
            Route::parse("/api/v1/namespaces/shop/pods/web/log"),
            Route::Subresource { subresource, .. } if subresource == "log"
        ));
        assert!(matches!(
            Route::parse("/api/v1/namespaces/shop/status"),
            Route::Subresource { resource, .. } if resource.plural == "namespaces"
        ));
    }

    #[test]
    fn paths_the_server_has_no_route_for() {
        for path in [
            "/foo",
            "/api/v2/pods",
            "/api/v1/podtemplates",
            "/api/v1/pods/name-without-namespace",
            "/apis/apps/v1/pods",
            "/api/v1//pods",
            "/api/v1/namespaces/a/pods/b/c/d",
        ] {
            assert_eq!(Route::parse(path), Route::NotFound, "{path}");
        }
    }

    #[test]
    fn deprecated_watch_paths() {
        let route = Route::parse("/api/v1/watch/namespaces/shop/pods/web");
        assert!(matches!(
            &route,
            Route::Collection { force_watch: true, watch_name: Some(n), .. } if n == "web"
        ));
        assert_eq!(route.verb(&Method::GET, false), "watch");
        assert_eq!(Route::parse("/api/v1/watch"), Route::NotFound);
    }

    #[test]
    fn verbs() {
        let pods = Route::parse("/api/v1/pods");
        assert_eq!(pods.verb(&Method::GET, false), "list");
        assert_eq!(pods.verb(&Method::GET, true), "watch");
        assert_eq!(pods.verb(&Method::POST, false), "create");
        let pod = Route::parse("/api/v1/namespaces/a/pods/b");
        assert_eq!(pod.verb(&Method::GET, true), "get");
        assert_eq!(pod.verb(&Method::PATCH, false), "patch");
        assert_eq!(Route::Version.verb(&Method::GET, false), "get");
    }
}
