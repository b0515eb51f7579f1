//! The dashboard. `App` (app.rs) owns the UI state; terminal input and store results arrive as
//! one [`event::Event`] stream; keys become actions through the keymap (data, with a help
//! screen generated from it); `App::update` does no I/O; `view::render` is a pure function of
//! the app; the loop redraws only when something changed and sleeps otherwise. SQLite lives
//! on its own thread (worker.rs). Logs go to a file in the workspace, never to the terminal.

pub mod action;
pub mod app;
pub mod data;
pub mod effect;
pub mod event;
pub mod help;
pub mod keymap;
pub mod live;
pub mod prompt;
pub mod rows;
pub mod scroll;
pub mod snapshot;
pub mod tab;
pub mod tabs;
pub mod theme;
pub mod view;
pub mod worker;

use crate::domain::Date;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use app::{App, Effect, Msg};
use crossterm::event::{Event as TermEvent, KeyEventKind};
use keymap::Keymap;
use std::path::PathBuf;
use std::sync::mpsc;
use theme::Theme;

/// The user's config directory for certready (`$XDG_CONFIG_HOME/certready` or
/// `~/.config/certready`).
pub fn config_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .map(|d| d.join("certready"))
}

/// Whether `NO_COLOR` asks for no colour.
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Keymap and theme in force: defaults, user files, `CERTREADY_THEME`, `NO_COLOR`.
pub fn load_style() -> Result<(Keymap, Theme)> {
    let dir = config_dir();
    let keymap = Keymap::load(dir.as_ref().map(|d| d.join("keymap.toml")).as_deref())?;
    let name = std::env::var("CERTREADY_THEME").unwrap_or_else(|_| "default".into());
    let theme = Theme::load(
        &name,
        dir.as_ref().map(|d| d.join("theme.toml")).as_deref(),
        no_color(),
    )?;
    Ok((keymap, theme))
}

/// What to open.
pub struct Options {
    /// The workspace.
    pub workspace: Workspace,
    /// Whether it is the built-in demo.
    pub demo: bool,
    /// The date to score when pinned (`--as-of`); `None` follows the clock, so a dashboard left
    /// open past midnight moves to the new day.
    pub as_of: Option<Date>,
    /// Title-bar label.
    pub label: String,
    /// A scenario whose exercise starts (or resumes) at once on the Tabletop tab, and who
    /// facilitates it.
    pub exercise: Option<(String, String)>,
}

/// Opens `logs/certready.log` for appending, owner-only whatever the umask: the folder is made
/// (or narrowed to) 0700 and the file 0600, and a symlink in either place is refused, so
/// the log never lands in someone else's file. Logs can name sources, hosts and errors.
pub fn open_log(ws: &Workspace) -> Result<std::fs::File> {
    let dir = ws.dir().join("logs");
    let file = dir.join("certready.log");
    for p in [&dir, &file] {
        if std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()) {
            anyhow::bail!("{}: is a symlink; remove it", p.display());
        }
    }
    crate::private::create_dir_owner_only(&dir)?;
    let mut o = std::fs::OpenOptions::new();
    o.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot restrict {}", dir.display()))?;
        o.mode(0o600);
        let f = o
            .open(&file)
            .with_context(|| format!("cannot open {}", file.display()))?;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot restrict {}", file.display()))?;
        Ok(f)
    }
    #[cfg(not(unix))]
    o.open(&file)
        .with_context(|| format!("cannot open {}", file.display()))
}

fn init_logging(ws: &Workspace) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let (writer, guard) = tracing_appender::non_blocking(open_log(ws).ok()?);
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}

/// Runs the dashboard until the user quits; the terminal is restored on every exit path.
pub fn run(opts: Options) -> Result<()> {
    let _log = init_logging(&opts.workspace);
    let (keymap, theme) = load_style()?;
    let mut terminal = ratatui::init();
    crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture).ok();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture).ok();
        ratatui::restore();
        previous(info);
    }));
    let result = event_loop(&mut terminal, opts, keymap, theme);
    crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture).ok();
    ratatui::restore();
    result
}

/// Starts the pollers for the workspace's sources (the demo: its simulated gateway); their
/// batches go to the store thread, the single writer.
fn pollers(
    opts: &Options,
    effects: mpsc::Sender<Effect>,
) -> Result<Option<(crate::collect::poller::Poller, usize)>> {
    let ws = &opts.workspace;
    let (specs, concurrency) = if opts.demo {
        let url = std::fs::read_to_string(ws.dir().join("sim-url.txt")).unwrap_or_default();
        let specs = if url.trim().is_empty() {
            Vec::new()
        } else {
            vec![crate::demo::gateway_spec(ws.dir(), url.trim())]
        };
        (specs, 1)
    } else {
        let mut store = ws.open()?;
        let (cfg, specs) = ws.sources(&mut store)?;
        (specs, cfg.concurrency.unwrap_or(32))
    };
    if specs.is_empty() {
        return Ok(None);
    }
    let n = specs.len();
    let p = crate::collect::poller::start(specs, concurrency, move |batch| {
        effects.send(Effect::Ingest(batch)).ok();
    })?;
    Ok(Some((p, n)))
}

/// The dashboard's one clock, read once per event: wall time in seconds since the epoch and
/// the date to score (the pinned one, else today's).
fn now(pinned: Option<Date>) -> (i64, Date) {
    let t = chrono::Local::now();
    (t.timestamp(), pinned.unwrap_or_else(|| t.date_naive()))
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    opts: Options,
    keymap: Keymap,
    theme: Theme,
) -> Result<()> {
    let (tx, rx) = mpsc::channel();
    let (effects, effects_rx) = mpsc::channel::<Effect>();
    let (_, as_of) = now(opts.as_of);
    let worker = worker::spawn(
        opts.workspace.clone(),
        opts.demo,
        as_of,
        effects_rx,
        tx.clone(),
    );
    let running = match pollers(&opts, effects.clone()) {
        Ok(Some((p, n))) => {
            let info = format!("collecting: {n} source(s) polled in the background");
            tx.send(event::Event::Store(Box::new(Msg::Info(info)))).ok();
            Some(p)
        }
        Ok(None) => None,
        Err(e) => {
            let m = format!("collectors not started: {e:#}");
            tx.send(event::Event::Store(Box::new(Msg::Failed(m)))).ok();
            None
        }
    };
    event::spawn_input(tx.clone());
    event::spawn_ticker(tx);
    effects.send(Effect::Reload).ok();
    if let Some((scenario, facilitator)) = opts.exercise.clone() {
        effects
            .send(Effect::StartExercise(scenario, facilitator))
            .ok();
    }
    effects.send(Effect::Verify).ok();
    let size = terminal.size()?;
    let mut app = App::new(keymap, theme, (size.width, size.height), opts.label);
    app.today = Some(as_of);
    loop {
        if app.dirty {
            terminal.draw(|f| view::render(f, &app))?;
            app.dirty = false;
        }
        let event = rx.recv().context("event channel closed")?;
        let (secs, today) = now(opts.as_of);
        let msg = match event {
            event::Event::Term(TermEvent::Key(k)) if k.kind == KeyEventKind::Press => {
                for e in app.update(Msg::Tick(secs), today) {
                    effects.send(e).ok();
                }
                Msg::Key(k)
            }
            event::Event::Tick => Msg::Tick(secs),
            event::Event::Term(TermEvent::Mouse(m)) => Msg::Mouse(m),
            event::Event::Term(TermEvent::Resize(w, h)) => Msg::Resize(w, h),
            event::Event::Term(_) => continue,
            event::Event::Store(m) => *m,
        };
        for e in app.update(msg, today) {
            effects.send(e).ok();
        }
        if app.quit {
            break;
        }
    }
    // The pollers hold a sender to the store thread: stop them first, or it never ends.
    drop(running);
    drop(effects);
    worker.join().ok();
    Ok(())
}
