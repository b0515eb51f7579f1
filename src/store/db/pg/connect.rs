//! Connecting: the URL, where its password comes from, and TLS.
//!
//! A password is taken from the URL only when the URL came from the environment
//! (`CERTREADY_DATABASE_URL`); otherwise from `PGPASSFILE` or `~/.pgpass` (lines
//! `host:port:database:user:password`, `*` matching anything). TLS (rustls) is used when the
//! URL asks for it with `sslmode=require`, and the server's certificate is always verified,
//! name included: against the certificates in `sslrootcert=FILE` (PEM) when the URL names one
//! (as libpq does, only those), otherwise against the web PKI roots. A unix socket never uses
//! TLS. Invariant: a [`Target`] never prints or keeps a password it did not need to connect.

use super::PgConn;
use postgres::config::{Host, SslMode};
use std::str::FromStr;

/// Why a connection failed, in one line (no password in it).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConnectError(String);

/// Where to connect: the parsed URL (its password kept only in memory).
#[derive(Clone)]
pub struct Target {
    config: postgres::Config,
    root_cert: Option<std::path::PathBuf>,
}

/// Whether `url` carries a password (refused on the command line).
pub fn password_in_url(url: &str) -> bool {
    parse(url).is_ok_and(|t| t.config.get_password().is_some())
}

/// The user `url` connects as, if it names one.
pub fn user_in_url(url: &str) -> Option<String> {
    parse(url).ok()?.config.get_user().map(str::to_owned)
}

/// Parses a URL (`postgresql://...`) or a `key=value` connection string, taking out the
/// `sslrootcert` parameter the driver does not know.
pub fn parse(url: &str) -> Result<Target, ConnectError> {
    let mut root_cert = None;
    let rest = if url.contains("://") {
        match url.split_once('?') {
            Some((base, query)) => {
                let kept: Vec<&str> = query
                    .split('&')
                    .filter(|p| match p.strip_prefix("sslrootcert=") {
                        Some(v) => {
                            root_cert = Some(std::path::PathBuf::from(percent_decoded(v)));
                            false
                        }
                        None => true,
                    })
                    .collect();
                if kept.is_empty() {
                    base.to_owned()
                } else {
                    format!("{base}?{}", kept.join("&"))
                }
            }
            None => url.to_owned(),
        }
    } else {
        let kept: Vec<&str> = url
            .split_whitespace()
            .filter(|p| match p.strip_prefix("sslrootcert=") {
                Some(v) => {
                    root_cert = Some(std::path::PathBuf::from(v));
                    false
                }
                None => true,
            })
            .collect();
        kept.join(" ")
    };
    let config = postgres::Config::from_str(&rest)
        .map_err(|e| ConnectError(format!("database URL: {e}")))?;
    Ok(Target { config, root_cert })
}

/// `url` with its database name replaced by `db` (the query, e.g. `?host=/dir&user=u`, kept).
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{db}", &base[..authority_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Parses `url` and connects.
pub fn connect_url(url: &str) -> Result<PgConn, ConnectError> {
    parse(url)?.connect()
}

impl Target {
    /// The URL's description without any password: `user@host:port/db`.
    pub fn describe(&self) -> String {
        let c = &self.config;
        let host = c.get_hosts().first().map_or_else(String::new, host_text);
        let port = c.get_ports().first().copied().unwrap_or(5432);
        format!(
            "{}@{host}:{port}/{}",
            c.get_user().unwrap_or(""),
            c.get_dbname().unwrap_or("")
        )
    }

    /// Opens a session.
    pub fn connect(&self) -> Result<PgConn, ConnectError> {
        let mut config = self.config.clone();
        if config.get_password().is_none()
            && let Some(pw) = pgpass(&config)
        {
            config.password(pw);
        }
        let socket = matches!(config.get_hosts().first(), Some(Host::Unix(_)));
        let tls = !socket && !matches!(config.get_ssl_mode(), SslMode::Disable | SslMode::Prefer);
        let client = if tls {
            config.connect(self.rustls_connector()?)
        } else {
            config.connect(postgres::NoTls)
        }
        .map_err(|e| ConnectError(format!("cannot connect to {}: {e}", self.describe())))?;
        PgConn::new(client, self.clone())
            .map_err(|e| ConnectError(format!("{}: {e}", self.describe())))
    }
}

/// A URL query value with its `%XX` escapes decoded (as the driver decodes the others).
fn percent_decoded(v: &str) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStringExt;
    std::ffi::OsString::from_vec(percent_encoding::percent_decode_str(v).collect())
}

fn host_text(h: &Host) -> String {
    match h {
        Host::Tcp(s) => s.clone(),
        Host::Unix(p) => p.display().to_string(),
    }
}

impl Target {
    /// TLS verifying the server against `sslrootcert` or the web PKI roots.
    fn rustls_connector(&self) -> Result<tokio_postgres_rustls::MakeRustlsConnect, ConnectError> {
        let roots = match &self.root_cert {
            None => rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            },
            Some(path) => {
                use rustls::pki_types::{CertificateDer, pem::PemObject};
                let bad =
                    |why: String| ConnectError(format!("sslrootcert {}: {why}", path.display()));
                let certs = CertificateDer::pem_file_iter(path)
                    .map_err(|e| bad(e.to_string()))?
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| bad(e.to_string()))?;
                if certs.is_empty() {
                    return Err(bad("holds no PEM certificate".into()));
                }
                let mut roots = rustls::RootCertStore::empty();
                for c in certs {
                    roots.add(c).map_err(|e| bad(e.to_string()))?;
                }
                roots
            }
        };
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("ring supports the default TLS versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
    }
}

/// The password for `c` from a `.pgpass`-style file, if one line matches.
fn pgpass(c: &postgres::Config) -> Option<Vec<u8>> {
    let path = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".pgpass")))?;
    let text = std::fs::read_to_string(path).ok()?;
    let host = c
        .get_hosts()
        .first()
        .map_or_else(|| "localhost".into(), host_text);
    let port = c.get_ports().first().copied().unwrap_or(5432).to_string();
    let want = [
        host.as_str(),
        port.as_str(),
        c.get_dbname().unwrap_or(""),
        c.get_user().unwrap_or(""),
    ];
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .find_map(|l| {
            let f: Vec<&str> = l.splitn(5, ':').collect();
            (f.len() == 5 && f[..4].iter().zip(want).all(|(a, b)| *a == "*" || *a == b))
                .then(|| f[4].as_bytes().to_vec())
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn sslrootcert_is_taken_out_of_the_url_and_decoded() {
        let t = super::parse(
            "postgresql://u:pw@db.example:5433/x?sslmode=require&sslrootcert=%2Fetc%2Fca%20one.pem&application_name=a",
        )
        .unwrap();
        assert_eq!(
            t.root_cert.as_deref(),
            Some(std::path::Path::new("/etc/ca one.pem"))
        );
        assert_eq!(t.describe(), "u@db.example:5433/x");
        assert!(super::password_in_url(
            "postgresql://u:pw@h/x?sslrootcert=/ca.pem"
        ));
        let kv = super::parse("host=h user=u sslrootcert=/ca.pem dbname=x").unwrap();
        assert_eq!(
            kv.root_cert.as_deref(),
            Some(std::path::Path::new("/ca.pem"))
        );
        assert_eq!(
            super::percent_decoded("100%").to_str(),
            Some("100%"),
            "a lone percent sign stays"
        );
    }
}
