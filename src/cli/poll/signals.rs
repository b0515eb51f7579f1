//! Termination signals for the continuous poller: SIGTERM, SIGINT and SIGHUP each become an
//! event on the writer's channel, so the single writer decides what a signal does.
//!
//! Invariants: the handlers are installed before the pollers start, so no signal in between
//! kills the process with a batch half received; once installed they replace the default
//! action for the rest of the process (a second signal is also just an event).

use std::io;
use tokio::signal::unix::{SignalKind, signal};

/// A termination signal received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sig {
    /// SIGTERM (systemd's stop, `kill`).
    Term,
    /// SIGINT (Ctrl-C).
    Int,
    /// SIGHUP (the terminal went away).
    Hup,
}

impl Sig {
    /// The signal's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Term => "SIGTERM",
            Self::Int => "SIGINT",
            Self::Hup => "SIGHUP",
        }
    }

    /// The exit code of a process this signal ended at once: 128 + its number.
    pub fn exit_code(self) -> i32 {
        128 + match self {
            Self::Term => 15,
            Self::Int => 2,
            Self::Hup => 1,
        }
    }
}

/// Installs the handlers and, on a thread of their own, calls `on` with each signal until it
/// returns false.
pub fn listen(on: impl Fn(Sig) -> bool + Send + 'static) -> io::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    let (mut term, mut int, mut hup) = rt.block_on(async {
        io::Result::Ok((
            signal(SignalKind::terminate())?,
            signal(SignalKind::interrupt())?,
            signal(SignalKind::hangup())?,
        ))
    })?;
    std::thread::Builder::new()
        .name("certready-signals".into())
        .spawn(move || {
            rt.block_on(async move {
                loop {
                    let s = tokio::select! {
                        _ = term.recv() => Sig::Term,
                        _ = int.recv() => Sig::Int,
                        _ = hup.recv() => Sig::Hup,
                    };
                    if !on(s) {
                        break;
                    }
                }
            });
        })?;
    Ok(())
}
