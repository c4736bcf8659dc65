//! One forward's life: accept local connections, watch the current pod, and
//! when it goes away either pick another ready pod (Service, Deployment) or
//! mark the forward Broken and stop listening (bare pod).

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures::stream::{BoxStream, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::runtime::WatchStreamExt;
use kube::runtime::watcher::{self, Event};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::bridge::{self, Route};
use super::resolve::{self, Resolved};
use super::{Health, Shared};

/// Pause between attempts to find a new pod while reconnecting.
const RETRY: Duration = Duration::from_secs(1);

pub async fn run(
    client: kube::Client,
    shared: Arc<Shared>,
    listener: TcpListener,
    first: Resolved,
) {
    let (route, _) = watch::channel(Route::Ready {
        pod: first.pod.clone(),
        port: first.port,
    });
    let mut listener = Some(listener);
    let mut connections = JoinSet::new();
    let mut current = first.pod;
    let mut gone = pod_gone(&client, &shared, &current);
    let mut retry: Option<Pin<Box<tokio::time::Sleep>>> = None;
    // The pod just seen gone is skipped on the first look only (a list may
    // still show it); later retries may find it again once it is back.
    let mut avoid: Option<String> = None;
    loop {
        tokio::select! {
            accepted = accept(listener.as_ref()) => {
                if let Ok((tcp, _)) = accepted {
                    shared.total.fetch_add(1, Ordering::Relaxed);
                    connections.spawn(bridge::connection(
                        client.clone(),
                        shared.clone(),
                        route.subscribe(),
                        tcp,
                    ));
                }
            }
            why = gone.next(), if retry.is_none() && listener.is_some() => {
                let why = why.unwrap_or_else(|| format!("lost the watch of pod {current}"));
                if shared.target.reresolves() {
                    route.send_replace(Route::Waiting);
                    set(&shared, None, None, Health::Reconnecting { why });
                    avoid = Some(current.clone());
                    retry = Some(Box::pin(tokio::time::sleep(Duration::ZERO)));
                } else {
                    // A bare pod does not come back: stop listening so new
                    // connections are refused, and end open ones.
                    route.send_replace(Route::Broken);
                    let mut state = shared.state();
                    state.health = Health::Broken { why };
                    drop(state);
                    drop(listener.take());
                    connections.abort_all();
                    return;
                }
            }
            () = wait(retry.as_mut()) => {
                let skip = avoid.take();
                let found =
                    resolve::resolve(&client, &shared.target, &shared.remote, skip.as_deref()).await;
                match found {
                    Ok(found) => {
                        retry = None;
                        current = found.pod.clone();
                        set(&shared, Some(found.pod.clone()), Some(found.port), Health::Active);
                        route.send_replace(Route::Ready { pod: found.pod, port: found.port });
                        gone = pod_gone(&client, &shared, &current);
                    }
                    Err(error) => {
                        shared.state().health = Health::Reconnecting { why: error.to_string() };
                        retry = Some(Box::pin(tokio::time::sleep(RETRY)));
                    }
                }
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            else => return,
        }
    }
}

fn set(shared: &Shared, pod: Option<String>, port: Option<u16>, health: Health) {
    let mut state = shared.state();
    state.pod = pod;
    state.remote_port = port;
    state.health = health;
}

async fn accept(
    listener: Option<&TcpListener>,
) -> std::io::Result<(tokio::net::TcpStream, std::net::SocketAddr)> {
    match listener {
        Some(listener) => listener.accept().await,
        None => std::future::pending().await,
    }
}

async fn wait(sleep: Option<&mut Pin<Box<tokio::time::Sleep>>>) {
    match sleep {
        Some(sleep) => sleep.await,
        None => std::future::pending().await,
    }
}

/// Yields a reason each time the watched pod is seen gone: deleted, absent
/// from a (re)list, terminating, or no longer usable (not Ready for a pod
/// behind a Service or Deployment; not Running for a bare pod, which is all
/// kubectl asks of one).
fn pod_gone(client: &kube::Client, shared: &Shared, pod: &str) -> BoxStream<'static, String> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), shared.target.namespace());
    let config = watcher::Config::default().fields(&format!("metadata.name={pod}"));
    let needs_ready = shared.target.reresolves();
    let name = pod.to_string();
    let mut listed = false;
    watcher::watcher(pods, config)
        .default_backoff()
        .filter_map(move |event| {
            let reason = match event {
                Ok(Event::Apply(pod) | Event::InitApply(pod)) => {
                    listed = true;
                    unusable(&pod, needs_ready, &name)
                }
                Ok(Event::Delete(_)) => Some(format!("pod {name} was deleted")),
                Ok(Event::Init) => {
                    listed = false;
                    None
                }
                Ok(Event::InitDone) if !listed => Some(format!("pod {name} was deleted")),
                Ok(Event::InitDone) | Err(_) => None,
            };
            std::future::ready(reason)
        })
        .boxed()
}

fn unusable(pod: &Pod, needs_ready: bool, name: &str) -> Option<String> {
    if pod.metadata.deletion_timestamp.is_some() {
        return Some(format!("pod {name} is terminating"));
    }
    if needs_ready && !resolve::is_ready(pod) {
        return Some(format!("pod {name} is not ready"));
    }
    if !needs_ready && !resolve::is_running(pod) {
        return Some(format!("pod {name} is not running"));
    }
    None
}
