//! Small, deliberately misbehaving HTTP/1.1 servers for the collector tests. Each runs on std
//! threads, listens on 127.0.0.1 with a free port and returns that port: a plain JSON answer,
//! one that can be switched between passing and failing, one that never answers, a slow one, a
//! connection reset, bodies far over any cap, redirects (a loop, or to another host), an echo
//! that records every request's raw headers, and an HTTPS server with a fresh self-signed
//! certificate. Each test binary uses a subset, hence the `dead_code` allowance.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Raw request heads an echo server has seen, oldest first.
pub type Seen = Arc<Mutex<Vec<String>>>;

/// 50 MB: the size the huge servers announce or stream.
pub const HUGE: usize = 50 * 1024 * 1024;

fn bind() -> (TcpListener, u16) {
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    (listener, port)
}

/// Reads one request head (through the blank line); `None` when the peer goes away first.
fn read_head(s: &mut impl Read) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 64 * 1024 {
            return None;
        }
        match s.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

/// Accepts connections on `listener` forever; each gets a thread of its own that reads the
/// request head and hands the stream and head to `handle`.
fn serve_on<F>(listener: TcpListener, handle: F)
where
    F: Fn(TcpStream, &str) + Send + Sync + 'static,
{
    let handle = Arc::new(handle);
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let handle = Arc::clone(&handle);
            std::thread::spawn(move || {
                let mut conn = conn;
                let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
                if let Some(head) = read_head(&mut conn) {
                    handle(conn, &head);
                }
            });
        }
    });
}

fn serve<F>(handle: F) -> u16
where
    F: Fn(TcpStream, &str) + Send + Sync + 'static,
{
    let (listener, port) = bind();
    serve_on(listener, handle);
    port
}

/// Writes a whole response with a JSON body and closes the connection.
fn respond(mut s: impl Write, status: &str, extra_headers: &str, body: &str) {
    let _ = write!(
        s,
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{extra_headers}\r\n{body}",
        body.len()
    );
    let _ = s.flush();
}

/// Waits until the peer closes the connection (or it fails), never answering.
fn hold(mut s: TcpStream) {
    let _ = s.set_read_timeout(None);
    let mut buf = [0u8; 256];
    while matches!(s.read(&mut buf), Ok(n) if n > 0) {}
}

/// Answers every request with 200 and `body` (JSON).
pub fn ok(body: &str) -> u16 {
    let body = body.to_owned();
    serve(move |s, _| respond(s, "200 OK", "", &body))
}

/// Answers 200 `{"healthy":true}` while `pass` is true, otherwise 500 `{"healthy":false}`;
/// a test flips `pass` to make a source fail or recover.
pub fn switch(pass: Arc<AtomicBool>) -> u16 {
    serve(move |s, _| {
        if pass.load(Ordering::SeqCst) {
            respond(s, "200 OK", "", r#"{"healthy":true}"#);
        } else {
            respond(s, "500 Internal Server Error", "", r#"{"healthy":false}"#);
        }
    })
}

/// Accepts and reads the request, then never answers.
pub fn hang() -> u16 {
    serve(|s, _| hold(s))
}

/// Answers 200 and `body` after `delay`.
pub fn slow(delay: Duration, body: &str) -> u16 {
    let body = body.to_owned();
    serve(move |s, _| {
        std::thread::sleep(delay);
        respond(s, "200 OK", "", &body);
    })
}

/// Reads the request and closes the connection without a byte of answer.
pub fn reset() -> u16 {
    serve(|s, _| {
        let _ = s.shutdown(std::net::Shutdown::Both);
        drop(s);
    })
}

/// Streams `HUGE` bytes of JSON-ish filler, stopping as soon as the client goes away.
fn stream_filler(s: &mut TcpStream, chunked: bool) {
    let block = vec![b'x'; 64 * 1024];
    let mut sent = 0;
    while sent < HUGE {
        let wrote = if chunked {
            write!(s, "{:x}\r\n", block.len())
                .and_then(|()| s.write_all(&block))
                .and_then(|()| s.write_all(b"\r\n"))
        } else {
            s.write_all(&block)
        };
        if wrote.is_err() {
            return;
        }
        sent += block.len();
    }
    if chunked {
        let _ = s.write_all(b"0\r\n\r\n");
    }
    let _ = s.flush();
}

/// Answers 200 with `Content-Length: 50 MB` and streams that much.
pub fn huge() -> u16 {
    serve(|mut s, _| {
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {HUGE}\r\nconnection: close\r\n\r\n"
        );
        if s.write_all(head.as_bytes()).is_ok() {
            stream_filler(&mut s, false);
        }
    })
}

/// Answers 200 with a chunked body of 50 MB and no length announced up front.
pub fn huge_chunked() -> u16 {
    serve(|mut s, _| {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
        if s.write_all(head.as_bytes()).is_ok() {
            stream_filler(&mut s, true);
        }
    })
}

/// Answers every request with a 302 back to itself, forever.
pub fn redirect_loop() -> u16 {
    let (listener, port) = bind();
    let location = format!("location: http://127.0.0.1:{port}/\r\n");
    serve_on(listener, move |s, _| {
        respond(s, "302 Found", &location, "{}");
    });
    port
}

/// Answers every request with a 302 to `url` (another host and port).
pub fn redirect_to(url: &str) -> u16 {
    let location = format!("location: {url}\r\n");
    serve(move |s, _| respond(s, "302 Found", &location, "{}"))
}

/// Records every request's raw head and answers 200 with `{"headers": <head>, "note": note}`.
pub fn echo_with(note: &str) -> (u16, Seen) {
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    let note = note.to_owned();
    let port = serve(move |s, head| {
        log.lock().expect("echo log").push(head.to_owned());
        let body = serde_json::json!({ "headers": head, "note": note }).to_string();
        respond(s, "200 OK", "", &body);
    });
    (port, seen)
}

/// Records every request's raw head and echoes it back in the JSON body.
pub fn echo() -> (u16, Seen) {
    echo_with("")
}

/// An HTTPS server with a self-signed certificate.
pub struct Https {
    /// The port on 127.0.0.1.
    pub port: u16,
    /// The certificate, PEM, to write as a `ca_file`.
    pub cert_pem: String,
}

/// Starts an HTTPS server (TLS 1.2 and 1.3) whose self-signed certificate names `localhost`
/// and `127.0.0.1` and expires `days` whole days from now (at midnight UTC after that); it
/// answers every request with 200 `{"tls":true}`.
pub fn https(days: u32) -> Https {
    use chrono::Datelike;
    let mut params =
        rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .expect("certificate parameters");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "certready test server");
    let end = chrono::Utc::now().date_naive() + chrono::Days::new(u64::from(days) + 1);
    params.not_after = rcgen::date_time_ymd(
        end.year(),
        u8::try_from(end.month()).expect("month"),
        u8::try_from(end.day()).expect("day"),
    );
    let key = rcgen::KeyPair::generate().expect("key pair");
    let cert = params.self_signed(&key).expect("self-signed certificate");
    let cert_pem = cert.pem();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocol versions")
    .with_no_client_auth()
    .with_single_cert(vec![cert.der().clone()], key.into())
    .expect("server certificate");
    let config = Arc::new(config);
    let (listener, port) = bind();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let config = Arc::clone(&config);
            std::thread::spawn(move || {
                let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
                let Ok(server) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(server, conn);
                if read_head(&mut tls).is_some() {
                    respond(&mut tls, "200 OK", "", r#"{"tls":true}"#);
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                }
            });
        }
    });
    Https { port, cert_pem }
}

/// A port on 127.0.0.1 that nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let (listener, port) = bind();
    drop(listener);
    port
}

/// A fresh switch for `switch`, starting at `pass`.
pub fn flag(pass: bool) -> Arc<AtomicBool> {
    Arc::new(AtomicBool::new(pass))
}
