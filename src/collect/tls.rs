//! TLS checks: protocol version, certificate expiry and issuer of a host and port.
//!
//! The handshake runs on a blocking thread with socket timeouts. The certificate is captured
//! even when it is not trusted, so the evidence says why (untrusted, expired, name mismatch)
//! instead of only "handshake failed". rustls speaks only TLS 1.2 and 1.3, so a server that
//! offers nothing newer than 1.1 fails the handshake and is reported as such.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug)]
struct Capture {
    inner: Arc<rustls::client::WebPkiServerVerifier>,
    verdict: Mutex<Option<String>>,
}

impl ServerCertVerifier for Capture {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let v = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now);
        if let Ok(mut g) = self.verdict.lock() {
            *g = v.err().map(|e| e.to_string());
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// What a TLS endpoint presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSeen {
    /// `TLSv1.3` or `TLSv1.2`.
    pub protocol: String,
    /// Whole days until the certificate's notAfter (negative once expired).
    pub days_left: i64,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Subject distinguished name.
    pub subject: String,
    /// Why the certificate is not trusted, if it is not.
    pub untrusted: Option<String>,
}

/// Connects and shakes hands within `timeout`; `now` is seconds since the epoch.
pub fn inspect(
    host: &str,
    port: u16,
    ca_file: Option<&Path>,
    timeout: Duration,
    now: i64,
) -> Result<TlsSeen, String> {
    let deadline = Instant::now() + timeout;
    let roots = Arc::new(super::http::roots(ca_file)?);
    let inner =
        rustls::client::WebPkiServerVerifier::builder_with_provider(roots, super::http::provider())
            .build()
            .map_err(|e| e.to_string())?;
    let capture = Arc::new(Capture {
        inner,
        verdict: Mutex::new(None),
    });
    let config = rustls::ClientConfig::builder_with_provider(super::http::provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(capture.clone())
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_owned()).map_err(|e| format!("host `{host}`: {e}"))?;
    let addr = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("cannot resolve {host}"))?;
    let mut sock = TcpStream::connect_timeout(&addr, timeout)
        .map_err(|e| format!("connection failed: {e}"))?;
    let mut conn =
        rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;
    while conn.is_handshaking() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(format!("timed out after {}s", timeout.as_secs()));
        }
        sock.set_read_timeout(Some(left))
            .map_err(|e| e.to_string())?;
        sock.set_write_timeout(Some(left))
            .map_err(|e| e.to_string())?;
        conn.complete_io(&mut sock).map_err(|e| {
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) {
                format!("timed out after {}s", timeout.as_secs())
            } else {
                format!("handshake failed (no TLS 1.2 or 1.3?): {e}")
            }
        })?;
    }
    let protocol = conn
        .protocol_version()
        .and_then(|v| v.as_str())
        .unwrap_or("unknown")
        .replace('_', ".");
    let cert = conn
        .peer_certificates()
        .and_then(|c| c.first())
        .ok_or("the server sent no certificate")?
        .clone();
    conn.send_close_notify();
    let _ = conn.write_tls(&mut sock);
    let _ = sock.flush();
    let mut sink = [0u8; 1];
    let _ = sock.set_read_timeout(Some(Duration::from_millis(1)));
    let _ = sock.read(&mut sink);
    let (_, x) = x509_parser::parse_x509_certificate(cert.as_ref())
        .map_err(|e| format!("certificate does not parse: {e}"))?;
    let not_after = x.validity().not_after.timestamp();
    let untrusted = capture.verdict.lock().ok().and_then(|g| g.clone());
    Ok(TlsSeen {
        protocol,
        days_left: (not_after - now).div_euclid(86_400),
        issuer: x.issuer().to_string(),
        subject: x.subject().to_string(),
        untrusted,
    })
}

/// Judges what was seen: passed and a one-line summary.
pub fn judge(seen: &TlsSeen, min_days: u32) -> (bool, String) {
    let base = format!(
        "{}, certificate expires in {} day(s), issuer {}",
        seen.protocol, seen.days_left, seen.issuer
    );
    if !matches!(
        seen.protocol.as_str(),
        "TLSv1_2" | "TLSv1_3" | "TLSv1.2" | "TLSv1.3"
    ) {
        return (false, format!("protocol below TLS 1.2: {base}"));
    }
    if let Some(why) = &seen.untrusted {
        return (false, format!("certificate not trusted ({why}): {base}"));
    }
    if seen.days_left < i64::from(min_days) {
        return (
            false,
            format!("certificate expires within {min_days} days: {base}"),
        );
    }
    (true, base)
}
