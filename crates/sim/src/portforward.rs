//! `pods/portforward` over a WebSocket (`v4.channel.k8s.io`, as the kubelet
//! speaks it): the n-th requested port gets data channel 2n and error channel
//! 2n+1, and the first message on each channel is the port number as a
//! little-endian u16. Behind a declared port listens a tiny HTTP responder that
//! answers every request with `hello from <ns>/<pod>`; an undeclared port has
//! nothing listening, so its error channel says so as the kubelet does.

use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response};
use tokio::sync::mpsc;

use super::Simulator;
use super::object::splitmix64;
use super::pod_runtime::{self, Container};
use super::resources::Resource;
use super::response::{self, Body};
use super::status::Status;
use super::websocket::{self, Incoming, Outgoing};

/// kube-rs offers v5 first; the kubelet's port-forward only speaks v4.
const V4: &str = "v4.channel.k8s.io";
const PORTFORWARD: &str = "portforward.k8s.io";

/// Whether a request wants SPDY: an `Upgrade: SPDY/3.1`, or kubectl's
/// WebSocket tunnel for it (`SPDY/3.1+portforward.k8s.io`).
fn asks_for_spdy(headers: &http::HeaderMap) -> bool {
    [http::header::UPGRADE, http::header::SEC_WEBSOCKET_PROTOCOL]
        .into_iter()
        .flat_map(|name| headers.get_all(name).iter())
        .filter_map(|value| value.to_str().ok())
        .any(|value| value.to_ascii_uppercase().contains("SPDY/"))
}

pub fn respond<B>(
    sim: &Arc<Simulator>,
    pods: &'static Resource,
    namespace: &str,
    name: &str,
    raw_query: &str,
    request: &mut Request<B>,
) -> Response<Body> {
    let mut ports = Vec::new();
    for value in pod_runtime::query_values(raw_query, "ports") {
        for port in value.split(',').filter(|p| !p.is_empty()) {
            match port.trim().parse::<u16>() {
                Ok(port) if port > 0 => ports.push(port),
                _ => {
                    return response::status(&Status::bad_request(format!(
                        "invalid port {port:?}"
                    )));
                }
            }
        }
    }
    if asks_for_spdy(request.headers()) {
        // kubectl port-forward: SPDY, or SPDY tunnelled inside a WebSocket
        // (1.31+), with the ports in stream headers rather than the query.
        return response::status(&Status::bad_request(
            "port-forwarding over SPDY (kubectl port-forward) is not served by the \
             simulator; it serves the v4.channel.k8s.io WebSocket protocol (kube-rs, \
             kubesight's F and :pf)",
        ));
    }
    if ports.is_empty() {
        return response::status(&Status::bad_request("at least 1 port must be specified"));
    }
    // A port-forward enters the pod's network namespace, not one container:
    // any container names the pod to the kubelet.
    let first = sim.store().get(pods, namespace, name).and_then(|pod| {
        pod.pointer("/spec/containers/0/name")
            .and_then(|n| n.as_str())
            .map(str::to_string)
    });
    let container = match pod_runtime::resolve(
        sim.store(),
        pods,
        namespace,
        name,
        first.as_deref(),
        |_, _| "error dialing backend".to_string(),
    ) {
        Ok(container) => container,
        Err(status) => return response::status(&status),
    };
    if !websocket::is_upgrade(request.headers()) {
        return response::status(&Status::bad_request("Upgrade request required"));
    }
    let Some(protocol) = websocket::choose_protocol(request.headers(), &[V4, PORTFORWARD]) else {
        return response::status(&Status::bad_request(
            "unable to negotiate a WebSocket subprotocol: expected v4.channel.k8s.io",
        ));
    };
    websocket::accept(request, protocol, move |stream| {
        session(stream, container, ports)
    })
}

async fn session(stream: websocket::Stream, container: Container, ports: Vec<u16>) {
    let (mut reader, outgoing) = websocket::split(stream);
    let send = |sender: &mpsc::Sender<Outgoing>, channel: u8, payload: &[u8]| {
        let mut message = Vec::with_capacity(payload.len() + 1);
        message.push(channel);
        message.extend_from_slice(payload);
        let sender = sender.clone();
        async move {
            let _ = sender.send(Outgoing::Binary(Bytes::from(message))).await;
        }
    };
    for (index, port) in ports.iter().enumerate() {
        let data = (index * 2) as u8;
        send(&outgoing, data, &port.to_le_bytes()).await;
        send(&outgoing, data + 1, &port.to_le_bytes()).await;
        if !container.pod_ports.contains(port) {
            send(&outgoing, data + 1, refused(&container, *port).as_bytes()).await;
        }
    }
    let mut requests: Vec<Vec<u8>> = vec![Vec::new(); ports.len()];
    let body = format!("hello from {}/{}\n", container.namespace, container.pod);
    let reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    while let Incoming::Data(message) = reader.next().await {
        let Some((&channel, payload)) = message.split_first() else {
            continue;
        };
        let index = usize::from(channel / 2);
        let Some(port) = ports.get(index) else {
            continue;
        };
        if channel % 2 != 0 || !container.pod_ports.contains(port) {
            continue;
        }
        let pending = &mut requests[index];
        pending.extend_from_slice(payload);
        // Answer each complete request head; bodies are not expected.
        while let Some(end) = find(pending, b"\r\n\r\n") {
            pending.drain(..end + 4);
            send(&outgoing, channel, reply.as_bytes()).await;
        }
    }
}

/// The kubelet's (containerd's) message when nothing listens on `port`.
fn refused(container: &Container, port: u16) -> String {
    let seed = container
        .pod_uid
        .bytes()
        .fold(0u64, |h, b| splitmix64(h ^ u64::from(b)));
    let sandbox: String = (0..4)
        .map(|i| format!("{:016x}", splitmix64(seed.wrapping_add(i))))
        .collect();
    let netns = super::object::uuid(splitmix64(seed ^ 1), splitmix64(seed ^ 2));
    format!(
        "error forwarding port {port} to pod {sandbox}, uid : failed to execute portforward in network namespace \"/var/run/netns/cni-{netns}\": failed to connect to localhost:{port} inside namespace \"{sandbox}\", IPv4: dial tcp4 127.0.0.1:{port}: connect: connection refused IPv6 dial tcp6 [::1]:{port}: connect: connection refused "
    )
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spdy_and_its_websocket_tunnel_are_recognised() {
        let mut headers = http::HeaderMap::new();
        assert!(!asks_for_spdy(&headers));
        headers.insert(http::header::UPGRADE, "SPDY/3.1".parse().expect("a header"));
        assert!(asks_for_spdy(&headers));
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::SEC_WEBSOCKET_PROTOCOL,
            "SPDY/3.1+portforward.k8s.io".parse().expect("a header"),
        );
        assert!(asks_for_spdy(&headers));
        headers.insert(
            http::header::SEC_WEBSOCKET_PROTOCOL,
            "v4.channel.k8s.io".parse().expect("a header"),
        );
        assert!(!asks_for_spdy(&headers));
    }
}
