//! The simulated gateway: answers like a LiteLLM proxy on 127.0.0.1 (`/health/liveliness`,
//! `/health/readiness`, `/health` with a bearer key, `/v1/models`) in a mode that can change
//! while it runs (`POST /__mode/<up|degraded|down|slow|flapping>`), and says what it is at
//! `GET /__sim` in every mode. Plain HTTP/1.1 on std threads: one small thread per connection,
//! bounded request size. The signal that switches its mode ([`send_mode`]) goes through the
//! pollers' HTTP client, and only to a simulator: it asks `/__sim` first and sends nothing to
//! anything else (a real gateway on 127.0.0.1 never receives an exercise's signal).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::time::Duration;

/// The source name the demo polls its simulator under.
pub const DEMO_SOURCE: &str = "llm-gateway";

/// What the simulator calls itself at `GET /__sim`.
const SIM_NAME: &str = "certready-gateway-sim";

/// The modes.
pub const MODES: &[&str] = &["up", "degraded", "down", "slow", "flapping"];

/// A running simulator's shared state.
#[derive(Debug, Default)]
pub struct Sim {
    mode: AtomicU8,
    requests: AtomicU64,
}

impl Sim {
    /// The current mode.
    pub fn mode(&self) -> &'static str {
        MODES[usize::from(self.mode.load(Ordering::Relaxed)).min(MODES.len() - 1)]
    }

    /// Changes the mode; false for an unknown one.
    pub fn set_mode(&self, m: &str) -> bool {
        match MODES.iter().position(|x| *x == m) {
            Some(i) => {
                self.mode.store(i as u8, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// The answer to `method path` with `auth` (the Authorization header): status and body.
    pub fn answer(&self, method: &str, path: &str, auth: Option<&str>, key: &str) -> (u16, String) {
        if method == "GET" && path == "/__sim" {
            return (
                200,
                format!(
                    "{{\"simulator\":\"{SIM_NAME}\",\"mode\":\"{}\"}}",
                    self.mode()
                ),
            );
        }
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        if method == "POST"
            && let Some(m) = path.strip_prefix("/__mode/")
        {
            return if self.set_mode(m) {
                (200, format!("{{\"mode\":\"{m}\"}}"))
            } else {
                (400, "{\"error\":\"unknown mode\"}".into())
            };
        }
        let mode = match self.mode() {
            "flapping" if n % 2 == 1 => "down",
            "flapping" => "up",
            m => m,
        };
        if mode == "slow" {
            std::thread::sleep(Duration::from_millis(1500));
        }
        if mode == "down" {
            return (503, "{\"error\":\"service unavailable\"}".into());
        }
        let db = if mode == "degraded" {
            "Not connected"
        } else {
            "connected"
        };
        match path {
            "/health/liveliness" => (200, "\"I'm alive!\"".into()),
            "/health/readiness" => (200, format!("{{\"status\":\"healthy\",\"db\":\"{db}\",\"cache\":null,\"litellm_version\":\"1.52.0-sim\",\"success_callbacks\":[]}}")),
            "/health" => {
                if auth != Some(&format!("Bearer {key}")) {
                    return (401, "{\"error\":{\"message\":\"Authentication Error, invalid key\",\"type\":\"auth_error\",\"param\":\"None\",\"code\":\"401\"}}".into());
                }
                if mode == "degraded" {
                    (200, "{\"healthy_endpoints\":[{\"model\":\"gpt-sim\",\"api_base\":\"https://a.provider.example\"}],\"unhealthy_endpoints\":[{\"model\":\"claude-sim\",\"api_base\":\"https://b.provider.example\",\"error\":\"Traceback (most recent call last): ... Authorization: Bearer sk-simulated-leak-1234567890\",\"raw_request\":\"POST /v1/messages ...\"}],\"healthy_count\":1,\"unhealthy_count\":1}".into())
                } else {
                    (200, "{\"healthy_endpoints\":[{\"model\":\"gpt-sim\"},{\"model\":\"claude-sim\"}],\"unhealthy_endpoints\":[],\"healthy_count\":2,\"unhealthy_count\":0}".into())
                }
            }
            "/v1/models" => (200, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-sim\",\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"sim\"}]}".into()),
            _ => (404, "{\"error\":\"not found\"}".into()),
        }
    }
}

fn handle(mut s: TcpStream, sim: &Sim, key: &str) -> std::io::Result<()> {
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut r = BufReader::new(s.try_clone()?.take(64 * 1024));
    let mut line = String::new();
    r.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or("").to_owned(),
        parts.next().unwrap_or("/").to_owned(),
    );
    let mut auth = None;
    loop {
        let mut h = String::new();
        if r.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':')
            && k.eq_ignore_ascii_case("authorization")
        {
            auth = Some(v.trim().to_owned());
        }
    }
    let (status, body) = sim.answer(&method, &path, auth.as_deref(), key);
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        _ => "Service Unavailable",
    };
    write!(
        s,
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )?;
    s.flush()
}

/// Serves on 127.0.0.1:`port` (0 picks a free port) until the process ends; returns the bound
/// port and the shared state after starting the accept thread.
pub fn start(port: u16, mode: &str, key: &str) -> std::io::Result<(u16, Arc<Sim>)> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let bound = listener.local_addr()?.port();
    let sim = Arc::new(Sim::default());
    if !sim.set_mode(mode) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "unknown mode `{mode}` (expected one of: {})",
                MODES.join(", ")
            ),
        ));
    }
    let shared = Arc::clone(&sim);
    let key = key.to_owned();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let sim = Arc::clone(&shared);
            let key = key.clone();
            std::thread::spawn(move || {
                let _ = handle(conn, &sim, &key);
            });
        }
    });
    Ok((bound, sim))
}

/// Switches the simulator at `url` (`http://127.0.0.1:PORT`; a path is ignored) to `mode`,
/// through the HTTP client the pollers use (no proxy, a 3-second timeout).
pub fn send_mode(url: &str, mode: &str) -> std::io::Result<()> {
    let full = if url.contains("://") {
        url.to_owned()
    } else {
        format!("http://{url}")
    };
    let mut target = reqwest::Url::parse(&full).map_err(std::io::Error::other)?;
    target.set_query(None);
    let mut probe = target.clone();
    probe.set_path("/__sim");
    target.set_path(&format!("/__mode/{mode}"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let sent = runtime.block_on(async {
        let client = super::http::client(None).map_err(std::io::Error::other)?;
        let is_sim = match client
            .get(probe)
            .timeout(Duration::from_secs(3))
            .send()
            .await
        {
            Ok(r) if r.status() == reqwest::StatusCode::OK => {
                r.text().await.is_ok_and(|b| b.contains(SIM_NAME))
            }
            Ok(_) => false,
            Err(e) => return Ok(Err(e)),
        };
        if !is_sim {
            return Err(std::io::Error::other(
                "not the simulator: an exercise's signals go to the simulated gateway only",
            ));
        }
        Ok::<_, std::io::Error>(
            client
                .post(target)
                .timeout(Duration::from_secs(3))
                .send()
                .await,
        )
    })?;
    match sent {
        Ok(r) if r.status() == reqwest::StatusCode::OK => Ok(()),
        Ok(_) => Err(std::io::Error::other(format!(
            "the simulator refused mode `{mode}`"
        ))),
        Err(e) => Err(std::io::Error::other(super::http::reason(&e))),
    }
}

#[cfg(test)]
mod tests {
    use super::{send_mode, start};

    #[test]
    fn the_signal_switches_a_running_simulator_and_an_unknown_mode_is_refused() {
        let (port, sim) = start(0, "up", "k").unwrap();
        send_mode(&format!("http://127.0.0.1:{port}/ignored?x=1"), "down").unwrap();
        assert_eq!(sim.mode(), "down");
        send_mode(&format!("127.0.0.1:{port}"), "slow").unwrap();
        assert_eq!(sim.mode(), "slow");
        let e = send_mode(&format!("http://127.0.0.1:{port}"), "sideways").unwrap_err();
        assert!(e.to_string().contains("refused mode `sideways`"), "{e}");
        assert_eq!(sim.mode(), "slow");
    }

    #[test]
    fn a_server_that_is_not_the_simulator_gets_no_signal() {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = std::thread::spawn(move || {
            let mut lines = Vec::new();
            for conn in listener.incoming().take(1) {
                let mut conn = conn.unwrap();
                let mut buf = [0u8; 2048];
                let n = conn.read(&mut buf).unwrap_or(0);
                lines.push(
                    String::from_utf8_lossy(&buf[..n])
                        .lines()
                        .next()
                        .unwrap_or("")
                        .to_owned(),
                );
                let _ = conn.write_all(
                    b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                );
            }
            lines
        });
        let e = send_mode(&format!("http://127.0.0.1:{port}"), "down").unwrap_err();
        assert!(e.to_string().contains("not the simulator"), "{e}");
        assert_eq!(seen.join().unwrap(), vec!["GET /__sim HTTP/1.1".to_owned()]);
    }
}
