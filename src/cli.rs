//! The command line: one subcommand per job (clap). Every failure prints one line on stderr
//! and exits non-zero.

mod args;
mod bench;
mod catalog_cmd;
mod dashboard;
mod db;
mod export;
mod generate;
mod import_cmd;
mod integrity;
mod output;
mod poll;
mod presets;
pub mod progress;
mod refused;
mod requirements;
pub mod review;
mod status;
pub mod tabletop;
mod timeline;
mod vendors;

use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;

pub use args::{
    CatalogCommand, Cli, Command, EvidenceCommand, ExportCommand, TabletopCommand, VendorsCommand,
};
use dashboard::{default_view, snapshot};

/// Runs the command line; returns the process exit code.
pub fn run() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = match args::command()
        .try_get_matches()
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
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

/// An error and its causes on one line (control and direction characters from the input
/// shown as U+FFFD); a change PostgreSQL refused for lack of privilege names the user and its
/// role instead of repeating the server's words.
fn one_line(e: &anyhow::Error) -> String {
    if let Some(ie) = e.downcast_ref::<crate::import::InputError>() {
        return output::text(&ie.to_string());
    }
    if let Some(line) = refused::describe(e) {
        return output::text(&line);
    }
    let line = format!("{e:#}").replace('\n', " ");
    output::text(&line)
}

pub use crate::ops::clock::{now_stamp, today};

fn workspace(cli_ws: Option<&PathBuf>) -> Result<Workspace> {
    let dir = match cli_ws {
        Some(d) => d.clone(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    Ok(Workspace::new(&dir))
}

/// Chooses the database: `--database` (never with a password in it), else the environment.
fn choose_database(cli: Option<&str>) -> Result<()> {
    use crate::store::db::pg::password_in_url;
    if let Some(url) = cli {
        if password_in_url(url) {
            anyhow::bail!(
                "--database: a URL with a password is refused on the command line (it would show in the process list and the shell history); set CERTREADY_DATABASE_URL or put the password in ~/.pgpass"
            );
        }
        crate::workspace::use_database(url);
    } else if let Some(url) = std::env::var("CERTREADY_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    {
        crate::workspace::use_database(&url);
    }
    Ok(())
}

fn dispatch(cli: Cli) -> Result<ExitCode> {
    choose_database(cli.database.as_deref())?;
    let ws = workspace(cli.workspace.as_ref())?;
    let Some(command) = cli.command else {
        return default_view(&ws, cli.workspace.is_some());
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
            let snap = store.snapshot()?;
            let gateways = crate::ops::gateways::panels(&store, &snap.audits)?;
            let shown = crate::ops::gateways::shown(&ws, &gateways, crate::ops::clock::now_secs());
            let as_of = as_of.unwrap_or_else(today);
            status::print(&snap, &gateways, &shown, as_of, json, false)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Requirements {
            framework,
            json,
            as_of,
            only,
            id,
        } => {
            let store = ws.open()?;
            requirements::print(
                &store.snapshot()?,
                &framework,
                as_of.unwrap_or_else(today),
                json,
                only,
                id.as_deref(),
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
        Command::Review {
            as_of,
            format,
            out,
            decision,
            action,
            input,
            week,
        } => {
            let html = match format.as_str() {
                "md" | "markdown" => false,
                "html" => true,
                other => anyhow::bail!("unknown format `{other}` (expected md or html)"),
            };
            review::run(
                &ws,
                &review::Request {
                    as_of: as_of.unwrap_or_else(today),
                    html,
                    out: out.as_deref(),
                    decisions: &decision,
                    actions: &action,
                    inputs: &input,
                    week,
                },
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { what, as_of } => export::run(&ws, what, as_of.unwrap_or_else(today)),
        Command::Catalog { command } => catalog_cmd::run(&ws, command),
        Command::Db { command } => db::run(&ws, command),
        Command::GatewaySim {
            port,
            mode,
            key_env,
        } => {
            let key = std::env::var(&key_env).unwrap_or_else(|_| "sk-sim-master-key".to_owned());
            let (bound, sim) = crate::collect::sim::start(port, &mode, &key)?;
            println!(
                "simulated gateway on http://127.0.0.1:{bound} in mode {} (POST /__mode/<mode> to change; Ctrl-C stops)",
                sim.mode()
            );
            loop {
                std::thread::park();
            }
        }
        Command::Backup { path } => {
            ws.open()?.backup_to(&path)?;
            println!("backed up {} to {}", ws.db_path().display(), path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { path } => {
            let r = ws.open()?.restore_from(&path)?;
            println!(
                "restored {} from {} ({} evidence rows and {} change-log rows verified)",
                ws.db_path().display(),
                path.display(),
                r.evidence_rows,
                r.change_rows
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Poll {
            once,
            duration,
            json,
            commits,
        } => {
            if once {
                poll::once(&ws, json)
            } else {
                poll::continuous(&ws, duration, commits)
            }
        }
        Command::Sources {
            command:
                Some(args::SourcesCommand::Add {
                    preset,
                    params,
                    name,
                }),
            ..
        } => presets::add(&ws, &preset, name.as_deref(), &params),
        Command::Sources { json, .. } => poll::sources(&ws, json),
        Command::Presets { json } => presets::list(&ws, json),
        Command::Evidence {
            command: EvidenceCommand::Purge { as_of, dry_run },
        } => poll::purge(&ws, as_of, dry_run),
        Command::Verify { checkpoint } => integrity::verify(&ws, checkpoint.as_deref()),
        Command::Checkpoint { out } => integrity::checkpoint(&ws, out.as_deref()),
        Command::VerifyBundle { dir, item } => integrity::verify_bundle(&dir, item.as_deref()),
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
        } => snapshot(
            &ws,
            cli.workspace.is_some(),
            &tab,
            &size,
            as_of,
            repeat,
            verify,
        ),
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
            let manual = crate::ops::evidence::Manual {
                control: control.into(),
                title,
                effective,
                result,
                file,
            };
            let (_, description) =
                crate::ops::evidence::add(&mut store, ws.dir(), &manual, &now_stamp())?;
            println!("stored {description}");
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
            let now = now_stamp();
            let (reference, digest) =
                crate::ops::evidence::with_attached(ws.dir(), &file, |reference, digest| {
                    let row = crate::import::model::VendorAgreementRow {
                        vendor: vendor.clone(),
                        kind,
                        signed,
                        issued,
                        period_start,
                        period_end,
                        expires,
                        file_digest: Some(digest.to_owned()),
                    };
                    let m = crate::import::ModelFile {
                        agreements: vec![row],
                        ..Default::default()
                    };
                    store.apply(&m, "vendors attach", &now, false)?;
                    Ok((reference.to_owned(), digest.to_owned()))
                })?;
            println!("recorded {kind} for {vendor}: {reference} (sha256 {digest})");
            Ok(ExitCode::SUCCESS)
        }
        Command::Vendors {
            command: VendorsCommand::Check { as_of, dry_run },
        } => {
            let mut store = ws.open()?;
            let (raised, closed) = crate::ops::vendors::check(
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
