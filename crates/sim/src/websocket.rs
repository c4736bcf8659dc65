//! The server side of a WebSocket (RFC 6455), as much as the Kubernetes channel
//! protocols use: the upgrade handshake with subprotocol negotiation, binary
//! messages (fragmented or not) from a masking client, pings, and the closing
//! handshake. Written here because the WebSocket crate in the dependency tree is
//! only kube-rs's, not ours.

use std::io;

use base64::Engine as _;
use bytes::Bytes;
use http::header::{
    CONNECTION, HeaderValue, SEC_WEBSOCKET_ACCEPT, SEC_WEBSOCKET_KEY, SEC_WEBSOCKET_PROTOCOL,
    UPGRADE,
};
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::{BodyExt, Empty};
use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, ReadHalf, WriteHalf};
use tokio::sync::mpsc;

use super::response::{self, Body};
use super::status::Status;

/// RFC 6455's GUID, appended to the client's key for `Sec-WebSocket-Accept`.
const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/// The largest message accepted; the channel protocols send small frames.
const MAX_MESSAGE: u64 = 16 * 1024 * 1024;

const OP_CONTINUATION: u8 = 0x0;
const OP_TEXT: u8 = 0x1;
const OP_BINARY: u8 = 0x2;
const OP_CLOSE: u8 = 0x8;
const OP_PING: u8 = 0x9;
const OP_PONG: u8 = 0xA;

pub type Stream = TokioIo<Upgraded>;

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
            serve(TokioIo::new(upgraded)).await;
        }
    });
    let mut accept_input = key.as_bytes().to_vec();
    accept_input.extend_from_slice(GUID.as_bytes());
    let accept_key = base64::engine::general_purpose::STANDARD.encode(sha1(&accept_input));
    let mut response = Response::new(Empty::new().map_err(|never| match never {}).boxed_unsync());
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = response.headers_mut();
    headers.insert(UPGRADE, HeaderValue::from_static("websocket"));
    headers.insert(CONNECTION, HeaderValue::from_static("Upgrade"));
    headers.insert(SEC_WEBSOCKET_PROTOCOL, HeaderValue::from_static(protocol));
    if let Ok(value) = HeaderValue::from_str(&accept_key) {
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

/// Reads messages, answering pings and the close frame through `outgoing`.
pub struct Reader {
    inner: ReadHalf<Stream>,
    outgoing: mpsc::Sender<Outgoing>,
}

/// A message to the client.
#[derive(Debug, Clone)]
pub enum Outgoing {
    Binary(Bytes),
    Pong(Bytes),
    /// Sends a close frame and ends the writer.
    Close,
}

/// Splits an upgraded connection into a reader and a queue of outgoing
/// messages, written by a task of its own so that the reader never waits on
/// the writer (and a session can write from several places).
pub fn split(stream: Stream) -> (Reader, mpsc::Sender<Outgoing>) {
    let (read, write) = tokio::io::split(stream);
    let (sender, receiver) = mpsc::channel(64);
    tokio::spawn(write_messages(write, receiver));
    (
        Reader {
            inner: read,
            outgoing: sender.clone(),
        },
        sender,
    )
}

impl Reader {
    /// The next data message, or [`Incoming::Close`] at the end.
    pub async fn next(&mut self) -> Incoming {
        match self.read_message().await {
            Ok(message) => message,
            Err(_) => Incoming::Close,
        }
    }

    async fn read_message(&mut self) -> io::Result<Incoming> {
        let mut message = Vec::new();
        loop {
            let (fin, opcode, payload) = read_frame(&mut self.inner).await?;
            match opcode {
                OP_PING => {
                    let _ = self.outgoing.send(Outgoing::Pong(payload.into())).await;
                }
                OP_PONG => {}
                OP_CLOSE => {
                    let _ = self.outgoing.send(Outgoing::Close).await;
                    return Ok(Incoming::Close);
                }
                OP_TEXT | OP_BINARY | OP_CONTINUATION => {
                    message.extend_from_slice(&payload);
                    if message.len() as u64 > MAX_MESSAGE {
                        return Err(io::Error::other("message too large"));
                    }
                    if fin {
                        return Ok(Incoming::Data(message));
                    }
                }
                _ => return Err(io::Error::other("unknown opcode")),
            }
        }
    }
}

async fn read_frame<R: AsyncRead + Unpin>(reader: &mut R) -> io::Result<(bool, u8, Vec<u8>)> {
    let mut head = [0u8; 2];
    reader.read_exact(&mut head).await?;
    let fin = head[0] & 0x80 != 0;
    let opcode = head[0] & 0x0F;
    let masked = head[1] & 0x80 != 0;
    let length = match head[1] & 0x7F {
        126 => u64::from(reader.read_u16().await?),
        127 => reader.read_u64().await?,
        n => u64::from(n),
    };
    if length > MAX_MESSAGE {
        return Err(io::Error::other("frame too large"));
    }
    let mut mask = [0u8; 4];
    if masked {
        reader.read_exact(&mut mask).await?;
    }
    let mut payload = vec![0u8; length as usize];
    reader.read_exact(&mut payload).await?;
    if masked {
        for (i, byte) in payload.iter_mut().enumerate() {
            *byte ^= mask[i % 4];
        }
    }
    Ok((fin, opcode, payload))
}

async fn write_messages(mut writer: WriteHalf<Stream>, mut queue: mpsc::Receiver<Outgoing>) {
    while let Some(message) = queue.recv().await {
        let (opcode, payload, last) = match message {
            Outgoing::Binary(payload) => (OP_BINARY, payload, false),
            Outgoing::Pong(payload) => (OP_PONG, payload, false),
            // Status 1000, normal closure.
            Outgoing::Close => (OP_CLOSE, Bytes::from_static(&[0x03, 0xE8]), true),
        };
        if writer.write_all(&frame(opcode, &payload)).await.is_err() {
            return;
        }
        if last {
            let _ = writer.shutdown().await;
            return;
        }
    }
    // Every sender is gone: the session ended without closing, so close now.
    let _ = writer.write_all(&frame(OP_CLOSE, &[0x03, 0xE8])).await;
    let _ = writer.shutdown().await;
}

/// One unmasked final frame, as a server sends.
fn frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 10);
    out.push(0x80 | opcode);
    match payload.len() {
        n if n < 126 => out.push(n as u8),
        n if n <= usize::from(u16::MAX) => {
            out.push(126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    out
}

/// SHA-1 (FIPS 180-4), only for the handshake's accept key.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut message = data.to_vec();
    let bit_length = (data.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_length.to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, word) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        for (state, value) in h.iter_mut().zip([a, b, c, d, e]) {
            *state = state.wrapping_add(value);
        }
    }
    let mut digest = [0u8; 20];
    for (chunk, word) in digest.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_key_is_rfc_6455s_example() {
        let mut input = b"dGhlIHNhbXBsZSBub25jZQ==".to_vec();
        input.extend_from_slice(GUID.as_bytes());
        assert_eq!(
            base64::engine::general_purpose::STANDARD.encode(sha1(&input)),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn sha1_of_known_inputs() {
        let hex = |d: [u8; 20]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(hex(sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(sha1(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
    }

    #[test]
    fn frames_carry_their_length() {
        assert_eq!(frame(OP_BINARY, &[1, 2]), vec![0x82, 2, 1, 2]);
        assert_eq!(frame(OP_BINARY, &[0; 200])[..4], [0x82, 126, 0, 200]);
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
