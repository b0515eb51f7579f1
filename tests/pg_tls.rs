//! TLS to PostgreSQL: a URL with `sslmode=require` gets an encrypted session whose server
//! certificate was verified (against `sslrootcert`, or the web PKI roots when it names none),
//! a certificate from another authority is refused with one line, and the CLI runs over it.
//!
//! The server is a cluster of its own (`.ci/pg`), restarted with a TCP listener on 127.0.0.1
//! and a certificate issued by a throwaway authority; the session's encryption is read back
//! from the server's own `pg_stat_ssl`, not inferred from the client.

mod common;

use certready::store::db::pg::{PgConn, connect_url};
use common::pg::{cluster_in, connect, stop_cluster};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The TLS cluster: its port and the folder with `ca.pem` and `other-ca.pem`.
struct Tls {
    port: u16,
    dir: PathBuf,
}

fn authority(name: &str) -> (rcgen::CertificateParams, rcgen::KeyPair) {
    let key = rcgen::KeyPair::generate().expect("key pair");
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("parameters");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::CrlSign,
    ];
    (params, key)
}

fn write_private(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

fn tls() -> &'static Tls {
    static TLS: OnceLock<Tls> = OnceLock::new();
    TLS.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("certready-pgtls-")
            .tempdir()
            .unwrap()
            .keep();
        let socket_url = cluster_in(&dir).unwrap_or_else(|e| panic!("{e}"));
        let certs = dir.join("tls");
        std::fs::create_dir_all(&certs).unwrap();
        let (ca_params, ca_key) = authority("certready test authority");
        let ca = ca_params.self_signed(&ca_key).unwrap();
        std::fs::write(certs.join("ca.pem"), ca.pem()).unwrap();
        let (other_params, other_key) = authority("some other authority");
        let other = other_params.self_signed(&other_key).unwrap();
        std::fs::write(certs.join("other-ca.pem"), other.pem()).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let server_key = rcgen::KeyPair::generate().unwrap();
        let server = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()])
            .unwrap()
            .signed_by(&server_key, &issuer)
            .unwrap();
        std::fs::write(certs.join("server.crt"), server.pem()).unwrap();
        write_private(&certs.join("server.key"), &server_key.serialize_pem());
        let port = free_port();
        let mut admin = connect(&socket_url);
        for setting in [
            "listen_addresses = '127.0.0.1'".to_owned(),
            format!("port = {port}"),
            "ssl = on".to_owned(),
            format!("ssl_cert_file = '{}'", certs.join("server.crt").display()),
            format!("ssl_key_file = '{}'", certs.join("server.key").display()),
        ] {
            // One at a time: ALTER SYSTEM refuses to run inside a transaction block.
            admin
                .batch_execute(&format!("ALTER SYSTEM SET {setting}"))
                .unwrap();
        }
        drop(admin);
        stop_cluster(&dir);
        cluster_in(&dir).unwrap_or_else(|e| panic!("restart with TLS: {e}"));
        Tls { port, dir: certs }
    })
}

fn url(query: &str) -> String {
    format!(
        "postgresql://certready@127.0.0.1:{}/postgres?{query}",
        tls().port
    )
}

fn root(name: &str) -> String {
    format!("sslrootcert={}", tls().dir.join(name).display())
}

/// The server's view of this session: (encrypted, protocol).
fn session(conn: &PgConn) -> (bool, Option<String>) {
    let rows = conn
        .query(
            "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap();
    (rows[0].get(0), rows[0].get(1))
}

#[test]
fn sslmode_require_gets_an_encrypted_session_verified_against_sslrootcert() {
    let conn = connect_url(&url(&format!("sslmode=require&{}", root("ca.pem"))))
        .unwrap_or_else(|e| panic!("TLS with the right authority: {e}"));
    let (ssl, version) = session(&conn);
    assert!(ssl, "the server sees an unencrypted session");
    assert!(
        version.as_deref().is_some_and(|v| v.starts_with("TLSv1.")),
        "{version:?}"
    );
    // Without sslmode the same server is reached in the clear: the mode, not luck, decides.
    let plain = connect_url(&url("sslmode=disable")).unwrap();
    assert_eq!(session(&plain), (false, None));
}

#[test]
fn a_certificate_from_another_authority_or_none_known_is_refused() {
    for query in [
        format!("sslmode=require&{}", root("other-ca.pem")),
        // No sslrootcert: the web PKI roots, which never issued this server's certificate.
        "sslmode=require".to_owned(),
    ] {
        let err = connect_url(&url(&query))
            .err()
            .unwrap_or_else(|| panic!("{query}: connected to a server it cannot verify"))
            .to_string();
        assert!(
            err.contains("cannot connect to certready@127.0.0.1") && !err.contains('\n'),
            "{query}: {err}"
        );
    }
    let missing = connect_url(&url("sslmode=require&sslrootcert=/nonexistent/ca.pem"))
        .err()
        .unwrap()
        .to_string();
    assert!(
        missing.starts_with("sslrootcert /nonexistent/ca.pem:"),
        "{missing}"
    );
}

#[test]
fn the_cli_works_over_tls_and_names_a_bad_root_certificate_in_one_line() {
    let db = "tls_cli";
    connect(&url("sslmode=disable"))
        .batch_execute(&format!(
            "CREATE DATABASE {db} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
        ))
        .unwrap();
    let tls_url = format!(
        "postgresql://certready@127.0.0.1:{}/{db}?sslmode=require&{}",
        tls().port,
        root("ca.pem")
    );
    let t = tempfile::tempdir().unwrap();
    let ws = t.path().join("ws");
    for args in [
        vec!["init".to_owned(), ws.display().to_string()],
        vec![
            "--workspace".to_owned(),
            ws.display().to_string(),
            "status".to_owned(),
            "--json".to_owned(),
        ],
    ] {
        let out = common::bin()
            .env("CERTREADY_DATABASE_URL", &tls_url)
            .args(&args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let bad = tls_url.replace("ca.pem", "missing.pem");
    let out = common::bin()
        .env("CERTREADY_DATABASE_URL", &bad)
        .args(["--workspace"])
        .arg(&ws)
        .args(["status", "--json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("missing.pem"), "{err}");
}
