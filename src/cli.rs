//! The command line: one subcommand per job (clap). Every failure prints one line on stderr
//! and exits non-zero.

mod bench;
mod generate;
mod import_cmd;
mod output;
mod requirements;
mod status;
pub mod tabletop;
mod timeline;
mod vendors;

use crate::domain::Date;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// certready: SOC 2, ISO 27001/27701, HIPAA and PCI DSS readiness for LLM API platforms.
#[derive(Parser, Debug)]
#[command(name = "certready", version, about)]
pub struct Cli {
    /// The workspace directory (default: the current directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// Print elapsed time and peak memory to stderr on exit.
    #[arg(long, global = true, hide = true)]
    pub stats: bool,
    /// What to do (default: open the workspace, or the built-in demo when there is none).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a workspace with the five framework catalogs and the LLM gateway control set.
    Init {
        /// Directory to create it in.
        dir: PathBuf,
        /// Leave out the built-in control set.
        #[arg(long)]
        bare: bool,
        /// Organisation name (default: the directory's name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Load a YAML model file or CSV lists (controls, evidence, risks, findings, tasks).
    Import {
        /// Files to import, applied together in one transaction.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Report what would change without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Per framework: met, partial and gap requirements, Type I readiness, Type II coverage.
    Status {
        /// Machine-readable JSON (DESIGN's contract).
        #[arg(long)]
        json: bool,
        /// Score as of this date (default today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<Date>,
    },
    /// Every requirement of a framework with its status, controls and reason.
    Requirements {
        /// Framework key: soc2, iso27001, iso27701, hipaa, pci-dss.
        #[arg(long)]
        framework: String,
        /// Machine-readable JSON.
        #[arg(long)]
        json: bool,
        /// Score as of this date (default today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<Date>,
        /// Only requirements with this status (met, partial, gap, not_applicable).
        #[arg(long)]
        only: Option<crate::domain::ReqStatus>,
    },
    /// The change log, newest first: who changed what, with before and after.
    Log {
        /// How many entries.
        #[arg(long, default_value_t = 30)]
        limit: usize,
        /// Machine-readable JSON (with before and after).
        #[arg(long)]
        json: bool,
    },
    /// The schedule: audits, windows, projected rhythms and report dates, the remediation plan.
    Timeline {
        /// Machine-readable JSON.
        #[arg(long)]
        json: bool,
        /// As of this date (default today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<Date>,
    },
    /// Recompute the evidence chain and the change log; name the first row that does not match.
    Verify,
    /// Write the built-in demo workspace into DIR.
    Demo {
        /// Directory to create it in.
        dir: PathBuf,
        /// Build it as if today were this date.
        #[arg(long, value_name = "DATE")]
        as_of: Option<Date>,
    },
    /// Render one dashboard tab headlessly to text (for tests, documentation and timing).
    Snapshot {
        /// Tab: overview, frameworks, controls, risks, findings, tasks, evidence.
        #[arg(long)]
        tab: String,
        /// Size as WIDTHxHEIGHT.
        #[arg(long, default_value = "160x48")]
        size: String,
        /// Score as of this date (default today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<Date>,
        /// Render this many times and report the mean frame time on stderr.
        #[arg(long, default_value_t = 1)]
        repeat: u32,
        /// Verify the evidence chain first (fills the Evidence tab's chain column).
        #[arg(long)]
        verify: bool,
    },
    /// Manual evidence: `evidence add CONTROL [FILE] --effective DATE --result pass`.
    Evidence {
        /// What to do.
        #[command(subcommand)]
        command: EvidenceCommand,
    },
    /// Vendors and business associates: `vendors list`, `vendors check` (raise findings).
    Vendors {
        /// What to do.
        #[command(subcommand)]
        command: VendorsCommand,
    },
    /// Tabletop exercises: `tabletop list`, `tabletop run SCENARIO --script FILE`, `tabletop report ID`.
    Tabletop {
        /// What to do.
        #[command(subcommand)]
        command: TabletopCommand,
    },
    /// Write a large synthetic workspace (for benchmarks).
    Gen(generate::GenArgs),
    /// Measure commands as whole processes on a workspace (median, p95, peak memory).
    Bench(bench::BenchArgs),
}

/// `evidence` subcommands.
#[derive(Subcommand, Debug)]
pub enum EvidenceCommand {
    /// Record manual evidence for a control, optionally attaching a file (copied into the
    /// workspace's evidence folder; its SHA-256 is recorded).
    Add {
        /// Control id.
        control: String,
        /// File to attach.
        file: Option<PathBuf>,
        /// When the control operated.
        #[arg(long, value_name = "DATE")]
        effective: Date,
        /// pass, fail or info.
        #[arg(long, default_value = "pass")]
        result: crate::domain::EvidenceResult,
        /// Title (default: the file name, or "Manual evidence").
        #[arg(long)]
        title: Option<String>,
    },
}

/// `vendors` subcommands.
#[derive(Subcommand, Debug)]
pub enum VendorsCommand {
    /// The register with each vendor's agreements and the issues the rules raise.
    List {
        /// As of this date (default today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<Date>,
    },
    /// Record an agreement or attestation with its file (copied into the workspace's evidence
    /// folder; its SHA-256 is kept with the agreement).
    Attach {
        /// Vendor id.
        vendor: String,
        /// baa, dpa, zero_retention, no_training, soc2_type2, bridge_letter, iso_certificate, pci_aoc.
        kind: crate::domain::AgreementKind,
        /// The signed agreement, report or certificate.
        file: PathBuf,
        /// Signed on.
        #[arg(long, value_name = "DATE")]
        signed: Option<Date>,
        /// Issued on (reports, certificates, AOCs).
        #[arg(long, value_name = "DATE")]
        issued: Option<Date>,
        /// Period covered: first day (SOC 2 reports).
        #[arg(long, value_name = "DATE")]
        period_start: Option<Date>,
        /// Period covered: last day (SOC 2 reports).
        #[arg(long, value_name = "DATE")]
        period_end: Option<Date>,
        /// Expiry.
        #[arg(long, value_name = "DATE")]
        expires: Option<Date>,
    },
    /// Turn each vendor issue into a finding and close findings whose issue has gone.
    Check {
        /// As of this date (default today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<Date>,
        /// Report what would change without writing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// `tabletop` subcommands.
#[derive(Subcommand, Debug)]
pub enum TabletopCommand {
    /// The scenario library (shipped and the workspace's `scenarios/*.yaml`) and past exercises.
    List,
    /// Run a scenario; `--script` feeds facilitator actions from a file (rehearsal, tests).
    Run {
        /// Scenario id.
        scenario: String,
        /// Facilitator actions, one per line.
        #[arg(long, value_name = "FILE")]
        script: Option<PathBuf>,
        /// Facilitator (default: the OS user).
        #[arg(long)]
        facilitator: Option<String>,
        /// Date the exercise is held (default today; it starts at 09:00 UTC in scripts).
        #[arg(long, value_name = "DATE")]
        as_of: Option<Date>,
    },
    /// Print an exercise's after-action report.
    Report {
        /// Exercise id (`TT-20261126-1`).
        id: String,
        /// md or html.
        #[arg(long, default_value = "md")]
        format: String,
    },
}

/// Runs the command line; returns the process exit code.
pub fn run() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    let stats = cli.stats;
    // A reader that stops early (`certready status | head`) closes the pipe: stop quietly.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !is_broken_pipe(info.payload()) {
            default_hook(info);
        }
    }));
    let result = match std::panic::catch_unwind(|| dispatch(cli)) {
        Ok(r) => r,
        Err(payload) if is_broken_pipe(payload.as_ref()) => return ExitCode::SUCCESS,
        Err(payload) => std::panic::resume_unwind(payload),
    };
    if stats {
        eprintln!(
            "stats: elapsed_ms={:.1} peak_rss_kb={}",
            started.elapsed().as_secs_f64() * 1000.0,
            bench::peak_rss_kb().unwrap_or(0)
        );
    }
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("certready: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// Whether a panic is `println!` failing on a closed pipe.
fn is_broken_pipe(payload: &(dyn std::any::Any + Send)) -> bool {
    let msg = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("");
    msg.contains("failed printing to stdout") && msg.contains("Broken pipe")
}

/// An error and its causes on one line.
fn one_line(e: &anyhow::Error) -> String {
    if let Some(ie) = e.downcast_ref::<crate::import::InputError>() {
        return ie.to_string();
    }
    format!("{e:#}").replace('\n', " ")
}

/// Today in local time.
pub fn today() -> Date {
    chrono::Local::now().date_naive()
}

/// The current time as RFC 3339 UTC.
pub fn now_stamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn workspace(cli_ws: Option<&PathBuf>) -> Result<Workspace> {
    let dir = match cli_ws {
        Some(d) => d.clone(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    Ok(Workspace::new(&dir))
}

fn dispatch(cli: Cli) -> Result<ExitCode> {
    let ws = workspace(cli.workspace.as_ref())?;
    let Some(command) = cli.command else {
        return default_view(&ws);
    };
    match command {
        Command::Init { dir, bare, name } => {
            let dir = cli.workspace.map_or(dir.clone(), |w| w.join(dir));
            let org = name.unwrap_or_else(|| {
                dir.file_name().map_or("My organisation".to_owned(), |n| {
                    n.to_string_lossy().into_owned()
                })
            });
            let store = Workspace::new(&dir).init(&org, bare, &now_stamp())?;
            let s = store.snapshot()?;
            println!(
                "created workspace {} for {org}: {} frameworks, {} requirements, {} controls{}",
                dir.display(),
                s.frameworks.len(),
                s.frameworks
                    .iter()
                    .map(|f| f.requirements.len())
                    .sum::<usize>(),
                s.controls.len(),
                if bare { " (bare)" } else { "" }
            );
            println!(
                "next: certready --workspace {} import model.yaml",
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { files, dry_run } => import_cmd::run(&ws, &files, dry_run),
        Command::Status { json, as_of } => {
            let store = ws.open()?;
            status::print(&store.snapshot()?, as_of.unwrap_or_else(today), json, false)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Requirements {
            framework,
            json,
            as_of,
            only,
        } => {
            let store = ws.open()?;
            requirements::print(
                &store.snapshot()?,
                &framework,
                as_of.unwrap_or_else(today),
                json,
                only,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Log { limit, json } => {
            let entries = ws.open()?.change_log(limit)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&entries)?);
            } else {
                let mut rows = vec![
                    ["SEQ", "AT", "WHO", "ACTION", "ENTITY", "ID"]
                        .map(str::to_owned)
                        .to_vec(),
                ];
                rows.extend(entries.iter().map(|e| {
                    vec![
                        e.seq.to_string(),
                        e.at.clone(),
                        e.who.clone(),
                        e.action.clone(),
                        e.entity.clone(),
                        e.entity_id.clone(),
                    ]
                }));
                print!("{}", output::table(&rows));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Timeline { json, as_of } => {
            timeline::print(&ws.open()?.snapshot()?, as_of.unwrap_or_else(today), json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify => {
            let store = ws.open()?;
            let r = store.verify()?;
            println!(
                "evidence chain: {} rows {}; change log: {} rows {}",
                r.evidence_rows,
                r.evidence_break.as_deref().unwrap_or("ok"),
                r.change_rows,
                r.change_break.as_deref().unwrap_or("ok")
            );
            if r.ok() {
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!(
                    "certready: verify failed: {}",
                    r.evidence_break.or(r.change_break).unwrap_or_default()
                );
                Ok(ExitCode::FAILURE)
            }
        }
        Command::Demo { dir, as_of } => {
            crate::demo::build(&dir, as_of.unwrap_or_else(today), &now_stamp())?;
            println!("demo workspace written to {}", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Snapshot {
            tab,
            size,
            as_of,
            repeat,
            verify,
        } => snapshot(&ws, &tab, &size, as_of, repeat, verify),
        Command::Evidence {
            command:
                EvidenceCommand::Add {
                    control,
                    file,
                    effective,
                    result,
                    title,
                },
        } => {
            let mut store = ws.open()?;
            if !store.known()?.controls.contains(&control) {
                anyhow::bail!("unknown control `{control}`");
            }
            let title = title.unwrap_or_else(|| {
                file.as_ref()
                    .and_then(|f| f.file_name())
                    .map_or("Manual evidence".into(), |n| {
                        n.to_string_lossy().into_owned()
                    })
            });
            let effect = crate::tui::app::Effect::AddEvidence {
                control: control.into(),
                title,
                effective,
                result,
                file,
            };
            let msgs = crate::tui::worker::handle(&mut store, &ws, effect, false, today())?;
            if let Some(crate::tui::app::Msg::Edited { description, .. }) = msgs.first() {
                println!("stored {description}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Vendors {
            command: VendorsCommand::List { as_of },
        } => {
            vendors::list(&ws.open()?.snapshot()?, as_of.unwrap_or_else(today));
            Ok(ExitCode::SUCCESS)
        }
        Command::Vendors {
            command:
                VendorsCommand::Attach {
                    vendor,
                    kind,
                    file,
                    signed,
                    issued,
                    period_start,
                    period_end,
                    expires,
                },
        } => {
            let mut store = ws.open()?;
            if !store.known()?.vendors.contains(&vendor) {
                anyhow::bail!("unknown vendor `{vendor}`");
            }
            let (reference, digest) = crate::tui::worker::attach(&ws, &file)?;
            let row = crate::import::model::VendorAgreementRow {
                vendor: vendor.clone(),
                kind,
                signed,
                issued,
                period_start,
                period_end,
                expires,
                file_digest: Some(digest.clone()),
            };
            let m = crate::import::ModelFile {
                agreements: vec![row],
                ..Default::default()
            };
            store.apply(&m, "vendors attach", &now_stamp(), false)?;
            println!("recorded {kind} for {vendor}: {reference} (sha256 {digest})");
            Ok(ExitCode::SUCCESS)
        }
        Command::Vendors {
            command: VendorsCommand::Check { as_of, dry_run },
        } => {
            let mut store = ws.open()?;
            let (raised, closed) = vendors::check(
                &mut store,
                as_of.unwrap_or_else(today),
                &now_stamp(),
                dry_run,
            )?;
            println!(
                "{}{raised} vendor finding(s) raised or updated, {closed} closed",
                if dry_run { "dry run: " } else { "" }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Tabletop { command } => {
            match command {
                TabletopCommand::List => tabletop::list(&ws)?,
                TabletopCommand::Run {
                    scenario,
                    script,
                    facilitator,
                    as_of,
                } => {
                    tabletop::run(&ws, &scenario, script.as_deref(), facilitator, as_of)?;
                }
                TabletopCommand::Report { id, format } => match format.as_str() {
                    "md" | "markdown" => tabletop::report_cmd(&ws, &id, false)?,
                    "html" => tabletop::report_cmd(&ws, &id, true)?,
                    other => anyhow::bail!("unknown report format `{other}` (expected md or html)"),
                },
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Gen(args) => generate::run(&args),
        Command::Bench(args) => bench::run(&args),
    }
}

/// A workspace to show: the one given, or a fresh demo in a temporary directory (kept alive
/// by the returned guard).
fn open_or_demo(
    ws: &Workspace,
    as_of: Date,
) -> Result<(Workspace, bool, Option<tempfile::TempDir>)> {
    if ws.exists() {
        return Ok((ws.clone(), false, None));
    }
    let tmp = tempfile::tempdir().context("cannot create a temporary directory for the demo")?;
    let ws = crate::demo::build_cached(tmp.path(), as_of, &now_stamp())?;
    Ok((ws, true, Some(tmp)))
}

/// With no subcommand: the dashboard on the workspace here, or on the built-in demo. Without
/// a terminal (a pipe), the status is printed instead.
fn default_view(ws: &Workspace) -> Result<ExitCode> {
    use std::io::IsTerminal;
    let as_of = today();
    let (shown, demo, _guard) = open_or_demo(ws, as_of)?;
    let label = shown.open()?.meta("organization")?.unwrap_or_default();
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        crate::tui::run(crate::tui::Options {
            workspace: shown,
            demo,
            as_of,
            label,
            exercise: None,
        })?;
    } else {
        status::print(&shown.open()?.snapshot()?, as_of, false, demo)?;
    }
    if demo {
        println!("This was the DEMO workspace. Start your own with `certready init my-org`.");
    }
    Ok(ExitCode::SUCCESS)
}

fn snapshot(
    ws: &Workspace,
    tab: &str,
    size: &str,
    as_of: Option<Date>,
    repeat: u32,
    verify: bool,
) -> Result<ExitCode> {
    use crate::tui::{snapshot, tab::Tab};
    let t = Tab::parse(tab).with_context(|| {
        format!("unknown tab `{tab}` (expected one of: overview, frameworks, controls, risks, findings, tasks, evidence)")
    })?;
    let (w, h) = size
        .split_once('x')
        .and_then(|(w, h)| Some((w.parse::<u16>().ok()?, h.parse::<u16>().ok()?)))
        .filter(|(w, h)| *w >= 20 && *h >= 5)
        .with_context(|| format!("bad size `{size}` (expected WIDTHxHEIGHT, at least 20x5)"))?;
    let as_of = as_of.unwrap_or_else(today);
    let (shown, demo, _guard) = open_or_demo(ws, as_of)?;
    let store = shown.open()?;
    let mut data = crate::tui::data::Data::load(&store, as_of, demo)?;
    if verify {
        data.chain = Some(store.verify()?);
    }
    let label = data.snapshot.organization.clone();
    let (_, theme) = crate::tui::load_style()?;
    let app = snapshot::app_with(data, t, (w, h), theme, &label)?;
    let started = std::time::Instant::now();
    let mut buf = snapshot::render(&app)?;
    for _ in 1..repeat {
        buf = snapshot::render(&app)?;
    }
    if repeat > 1 {
        eprintln!(
            "frame: mean_ms={:.3} over {repeat} renders at {w}x{h}",
            started.elapsed().as_secs_f64() * 1000.0 / f64::from(repeat)
        );
    }
    print!("{}", snapshot::text(&buf));
    Ok(ExitCode::SUCCESS)
}
