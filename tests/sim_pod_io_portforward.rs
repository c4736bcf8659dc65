//! `pods/portforward` through kube-rs (`Api::portforward`) over the
//! simulator's WebSocket: an HTTP request and its response carried both ways
//! through a declared port (twice, on one connection), and the kubelet's error
//! for a port nothing listens on.

#[path = "sim_pod_io_support.rs"]
mod pod_io;

use k8s_openapi::api::core::v1::Pod;
use kube::api::Api;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use pod_io::serve_pods;
use pod_io::support::within;

const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
const RESPONSE: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 22\r\n\r\nhello from shop/web-1\n";

async fn read_response(stream: &mut (impl tokio::io::AsyncRead + Unpin)) -> String {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 256];
    while bytes.len() < RESPONSE.len() {
        let n = within("response", stream.read(&mut buffer))
            .await
            .expect("read");
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buffer[..n]);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[tokio::test]
async fn bytes_travel_both_ways_through_a_declared_port() {
    let running = serve_pods();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let mut forwarder = within("portforward", pods.portforward("web-1", &[80, 8080]))
        .await
        .expect("a port-forward");
    for port in [80, 8080] {
        let mut stream = forwarder.take_stream(port).expect("a stream per port");
        for _ in 0..2 {
            within("request", stream.write_all(REQUEST))
                .await
                .expect("write");
            assert_eq!(read_response(&mut stream).await, RESPONSE);
        }
    }
    forwarder.abort();
}

#[tokio::test]
async fn an_undeclared_port_reports_the_kubelets_error() {
    let running = serve_pods();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    let mut forwarder = within("portforward", pods.portforward("web-1", &[1234]))
        .await
        .expect("a port-forward");
    let error = within(
        "error",
        forwarder.take_error(1234).expect("an error channel"),
    )
    .await
    .expect("an error message");
    assert!(
        error.starts_with("error forwarding port 1234 to pod "),
        "{error}"
    );
    assert!(
        error.contains("dial tcp4 127.0.0.1:1234: connect: connection refused"),
        "{error}"
    );
    forwarder.abort();

    let missing = within("missing", pods.portforward("nope", &[80])).await;
    assert_eq!(
        pod_io::api_error(missing),
        (404, r#"pods "nope" not found"#.to_string())
    );
}

#[tokio::test]
async fn a_real_tcp_client_reaches_the_pod_through_a_local_port() {
    let running = serve_pods();
    let pods: Api<Pod> = Api::namespaced(running.client.clone(), "shop");
    // What `kubectl port-forward` (and kubesight's port-forward) does: a local
    // listener whose connections are bridged to the pod's port.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a local port");
    let local = listener.local_addr().expect("its address");
    let bridge = tokio::spawn(async move {
        let (mut client_side, _) = listener.accept().await.expect("a client");
        let mut forwarder = pods
            .portforward("web-1", &[80])
            .await
            .expect("a port-forward");
        let mut pod_side = forwarder.take_stream(80).expect("the port's stream");
        let _ = tokio::io::copy_bidirectional(&mut client_side, &mut pod_side).await;
        forwarder.abort();
    });

    let mut client = within("connect", tokio::net::TcpStream::connect(local))
        .await
        .expect("connected");
    within("request", client.write_all(REQUEST))
        .await
        .expect("write");
    assert_eq!(read_response(&mut client).await, RESPONSE);
    // And again on the same connection: the bridge carries a stream, not one call.
    within("request", client.write_all(REQUEST))
        .await
        .expect("write");
    assert_eq!(read_response(&mut client).await, RESPONSE);
    drop(client);
    within("bridge ends", bridge).await.expect("bridge task");
}
