//! The server side of a WebSocket, as the Kubernetes channel protocols use it: the
//! upgrade handshake with subprotocol negotiation on hyper, then tokio-tungstenite
//! for the frames (binary messages, fragments, pings and the closing handshake).

use bytes::Bytes;
use futures::stream::{SplitSink, SplitStream};
use futures::{SinkExt, StreamExt};
use http::header::{
    CONNECTION, HeaderValue, SEC_WEBSOCKET_ACCEPT, SEC_WEBSOCKET_KEY, SEC_WEBSOCKET_PROTOCOL,
    UPGRADE,
};
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::{BodyExt, Empty};
use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use tokio::sync::mpsc;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role, WebSocketConfig};

use super::response::{self, Body};
use super::status::Status;

/// The largest message accepted; the channel protocols send small frames.
const MAX_MESSAGE: usize = 16 * 1024 * 1024;

pub type Stream = WebSocketStream<TokioIo<Upgraded>>;

/// Whether a request asks for a WebSocket.
pub fn is_upgrade(headers: &HeaderMap) -> bool {
    let has = |name, token: &str| {
        headers.get_all(name).iter().any(|v| {
            v.to_str()
                .is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
        })
    };
    has(UPGRADE, "websocket") && has(CONNECTION, "upgrade")
}

/// The subprotocol to speak: the first of the client's offers that `supported`
/// names, in the client's order of preference.
pub fn choose_protocol(headers: &HeaderMap, supported: &[&'static str]) -> Option<&'static str> {
    headers
        .get_all(SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .find_map(|offer| supported.iter().find(|s| **s == offer).copied())
}

/// Answers the handshake with `101 Switching Protocols` speaking `protocol`,
/// and hands the upgraded connection to `serve` once hyper releases it.
pub fn accept<B, F, Fut>(
    request: &mut Request<B>,
    protocol: &'static str,
    serve: F,
) -> Response<Body>
where
    F: FnOnce(Stream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(key) = request.headers().get(SEC_WEBSOCKET_KEY).cloned() else {
        return response::status(&Status::bad_request("missing Sec-WebSocket-Key"));
    };
    let on_upgrade = hyper::upgrade::on(request);
    tokio::spawn(async move {
        // Fails when the client leaves before the switch: nothing to serve.
        if let Ok(upgraded) = on_upgrade.await {
            let config = WebSocketConfig::default()
                .max_message_size(Some(MAX_MESSAGE))
                .max_frame_size(Some(MAX_MESSAGE));
            let stream = WebSocketStream::from_raw_socket(
                TokioIo::new(upgraded),
                Role::Server,
                Some(config),
            )
            .await;
            serve(stream).await;
        }
    });
    let mut response = Response::new(Empty::new().map_err(|never| match never {}).boxed_unsync());
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = response.headers_mut();
    headers.insert(UPGRADE, HeaderValue::from_static("websocket"));
    headers.insert(CONNECTION, HeaderValue::from_static("Upgrade"));
    headers.insert(SEC_WEBSOCKET_PROTOCOL, HeaderValue::from_static(protocol));
    if let Ok(value) = HeaderValue::from_str(&derive_accept_key(key.as_bytes())) {
        headers.insert(SEC_WEBSOCKET_ACCEPT, value);
    }
    response
}

/// A message from the client.
#[derive(Debug, PartialEq, Eq)]
pub enum Incoming {
    /// A binary or text message, reassembled from its fragments.
    Data(Vec<u8>),
    /// The client's close frame, or the connection's end.
    Close,
}

/// Reads messages; tungstenite answers pings and the close frame itself.
pub struct Reader {
    inner: SplitStream<Stream>,
}

/// A message to the client.
#[derive(Debug, Clone)]
pub enum Outgoing {
    Binary(Bytes),
    /// Sends a close frame and ends the writer.
    Close,
}

/// Splits an upgraded connection into a reader and a queue of outgoing
/// messages, written by a task of its own so that the reader never waits on
/// the writer (and a session can write from several places).
pub fn split(stream: Stream) -> (Reader, mpsc::Sender<Outgoing>) {
    let (sink, stream) = stream.split();
    let (sender, receiver) = mpsc::channel(64);
    tokio::spawn(write_messages(sink, receiver));
    (Reader { inner: stream }, sender)
}

impl Reader {
    /// The next data message, or [`Incoming::Close`] at the end.
    pub async fn next(&mut self) -> Incoming {
        loop {
            match self.inner.next().await {
                Some(Ok(Message::Binary(data))) => return Incoming::Data(data.into()),
                Some(Ok(Message::Text(text))) => return Incoming::Data(text.as_bytes().to_vec()),
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {}
                Some(Ok(Message::Close(_)) | Err(_)) | None => return Incoming::Close,
            }
        }
    }
}

async fn write_messages(mut sink: SplitSink<Stream, Message>, mut queue: mpsc::Receiver<Outgoing>) {
    while let Some(message) = queue.recv().await {
        match message {
            Outgoing::Binary(payload) => {
                if sink.send(Message::Binary(payload)).await.is_err() {
                    return;
                }
            }
            Outgoing::Close => break,
        }
    }
    // Asked to close, or every sender is gone (the session ended without
    // closing): a normal closure either way.
    let _ = sink
        .send(Message::Close(Some(CloseFrame {
            code: CloseCode::Normal,
            reason: "".into(),
        })))
        .await;
    let _ = sink.close().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn accept_key_is_rfc_6455s_example() {
        let mut request = Request::builder()
            .header(SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==")
            .body(())
            .expect("a request");
        let response = accept(&mut request, "v5.channel.k8s.io", |_| async {});
        assert_eq!(response.status(), StatusCode::SWITCHING_PROTOCOLS);
        assert_eq!(
            response
                .headers()
                .get(SEC_WEBSOCKET_ACCEPT)
                .map(HeaderValue::as_bytes),
            Some(&b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="[..])
        );
        assert_eq!(
            response
                .headers()
                .get(SEC_WEBSOCKET_PROTOCOL)
                .map(HeaderValue::as_bytes),
            Some(&b"v5.channel.k8s.io"[..])
        );
    }

    #[test]
    fn negotiation_follows_the_clients_preference() {
        let mut headers = HeaderMap::new();
        headers.insert(
            SEC_WEBSOCKET_PROTOCOL,
            HeaderValue::from_static("v5.channel.k8s.io, v4.channel.k8s.io"),
        );
        headers.insert(UPGRADE, HeaderValue::from_static("websocket"));
        headers.insert(CONNECTION, HeaderValue::from_static("Upgrade"));
        assert!(is_upgrade(&headers));
        assert_eq!(
            choose_protocol(&headers, &["v4.channel.k8s.io", "v5.channel.k8s.io"]),
            Some("v5.channel.k8s.io")
        );
        assert_eq!(
            choose_protocol(&headers, &["v4.channel.k8s.io"]),
            Some("v4.channel.k8s.io")
        );
        assert_eq!(choose_protocol(&headers, &["base64.channel.k8s.io"]), None);
    }
}
