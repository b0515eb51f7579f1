//! The command-line grammar (clap): every subcommand, its arguments and their help text.

use crate::domain::Date;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// certready: SOC 2, ISO 27001/27701, HIPAA and PCI DSS readiness for LLM API platforms.
#[derive(Parser, Debug)]
#[command(name = "certready", version, about)]
pub struct Cli {
    /// The workspace directory (default: the current directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// Keep the workspace's data in this PostgreSQL database (`postgres://user@host/db`;
    /// default: `CERTREADY_DATABASE_URL`, else the workspace's SQLite file). A URL with a
    /// password is refused here: put it in the environment or a `.pgpass` file.
    #[arg(long, global = true, value_name = "URL")]
    pub database: Option<String>,
    /// Print elapsed time and peak memory to stderr on exit.
    #[arg(long, global = true, hide = true)]
    pub stats: bool,
    /// What to do (default: open the workspace, or the built-in demo when there is none).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A date argument: `YYYY-MM-DD`, with the expected form in the error.
pub fn date(s: &str) -> Result<Date, String> {
    s.trim()
        .parse::<Date>()
        .map_err(|e| format!("{e} (expected YYYY-MM-DD, e.g. 2026-11-26)"))
}

/// The command line with `--workspace` hidden from the help of the subcommands it does not
/// apply to (`init`, `demo` and `gen` write a new directory of their own).
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    // A subcommand that has its own copy of a global argument keeps it: a hidden copy.
    let hidden = cmd
        .get_arguments()
        .find(|a| a.get_id() == "workspace")
        .map(|a| a.clone().hide(true));
    if let Some(hidden) = hidden {
        for name in ["init", "demo", "gen"] {
            cmd = cmd.mut_subcommand(name, |c| c.arg(hidden.clone()));
        }
    }
    cmd
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
        /// Machine-readable JSON (its keys are stable across versions).
        #[arg(long)]
        json: bool,
        /// Score as of this date (default today).
        #[arg(long, value_name = "DATE", value_parser = date)]
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
        #[arg(long, value_name = "DATE", value_parser = date)]
        as_of: Option<Date>,
        /// Only requirements with this status (met, partial, gap, not_applicable).
        #[arg(long)]
        only: Option<crate::domain::ReqStatus>,
        /// Only this requirement, by its ID or label in any spelling (`AC-2(1)`, `ac-2.1`).
        #[arg(long, value_name = "REF")]
        id: Option<String>,
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
        #[arg(long, value_name = "DATE", value_parser = date)]
        as_of: Option<Date>,
    },
    /// Recompute both logs' chains, rehash attached files and recompute derived tables; with
    /// `--checkpoint FILE`, also prove the logs extend that signed checkpoint.
    Verify {
        /// A checkpoint file written by `certready checkpoint`.
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
    },
    /// Sign the current heads of both logs (ed25519, key kept outside the workspace).
    Checkpoint {
        /// Write the checkpoint to this new file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Check an evidence bundle without the workspace: its signed checkpoint and every item's
    /// chain link, digest and inclusion proof (or only ITEM: a path inside DIR or a sequence number).
    VerifyBundle {
        /// The bundle folder.
        dir: PathBuf,
        /// One item to check.
        item: Option<String>,
    },
    /// Poll the sources in certready.toml: `--once` for cron (exit 1 if any failed), otherwise
    /// continuously until Ctrl-C or `--duration`.
    Poll {
        /// Check every source once, print a table and exit.
        #[arg(long)]
        once: bool,
        /// Stop after this many seconds and print what it cost (continuous mode).
        #[arg(long, value_name = "SECS")]
        duration: Option<u64>,
        /// Machine-readable JSON (with --once).
        #[arg(long)]
        json: bool,
        /// Print a line after each committed batch (continuous mode; for scripts and tests).
        #[arg(long)]
        commits: bool,
    },
    /// The collectors' sources: last result, next poll, failures in a row.
    Sources {
        /// Machine-readable JSON.
        #[arg(long)]
        json: bool,
        /// Add a source from a preset (`certready presets` lists them).
        #[command(subcommand)]
        command: Option<SourcesCommand>,
    },
    /// The evidence presets: ready-made sources for GitHub, AWS, Google Cloud, Azure, Okta,
    /// Entra ID, Kubernetes, scanners, backups and LiteLLM.
    Presets {
        /// Machine-readable JSON.
        #[arg(long)]
        json: bool,
    },
    /// The weekly management-review pack: stores this week's metrics and writes the pack.
    Review {
        /// The review date (default today).
        #[arg(long, value_name = "DATE", value_parser = date)]
        as_of: Option<Date>,
        /// md or html.
        #[arg(long, default_value = "md")]
        format: String,
        /// Write to this file (default: standard output).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Record a decision of the meeting (repeatable).
        #[arg(long, value_name = "TEXT")]
        decision: Vec<String>,
        /// Record an action of the meeting: `TEXT | OWNER | YYYY-MM-DD` (repeatable).
        #[arg(long, value_name = "ACTION")]
        action: Vec<String>,
        /// A clause 9.3 input typed for the review: `KEY=TEXT` with KEY one of external-issues,
        /// interested-parties, feedback, improvement, isms-changes (repeatable; empty clears).
        #[arg(long, value_name = "KEY=TEXT")]
        input: Vec<String>,
        /// Re-render the pack recorded for this date, byte for byte (nothing is stored).
        #[arg(long, value_name = "DATE", value_parser = date,
              conflicts_with_all = ["as_of", "decision", "action", "input"])]
        week: Option<Date>,
    },
    /// Exports: CSV lists, JSON model, Statement of Applicability, OSCAL, evidence bundle.
    Export {
        /// What to export.
        #[command(subcommand)]
        what: ExportCommand,
        /// As of this date (default today).
        #[arg(long, value_name = "DATE", value_parser = date, global = true)]
        as_of: Option<Date>,
    },
    /// When a standard changes: `catalog diff [OLD.yaml] NEW.yaml`, `catalog apply NEW.yaml --yes`.
    Catalog {
        /// What to do.
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// The workspace in PostgreSQL: `roles`, `push` a SQLite workspace there, `pull` a
    /// SQLite copy back.
    Db {
        /// What to do.
        #[command(subcommand)]
        command: super::db::DbCommand,
    },
    /// A simulated LiteLLM-style gateway on 127.0.0.1 (modes change with POST /__mode/<mode>).
    GatewaySim {
        /// Port (0 picks a free one).
        #[arg(long, default_value_t = 4000)]
        port: u16,
        /// up, degraded, down, slow or flapping.
        #[arg(long, default_value = "up")]
        mode: String,
        /// Environment variable holding the master key `/health` wants.
        #[arg(long, default_value = "LITELLM_MASTER_KEY")]
        key_env: String,
    },
    /// Copy the database to PATH with SQLite's online backup (safe while the dashboard runs).
    Backup {
        /// A new file.
        path: PathBuf,
    },
    /// Replace the workspace's database with a backup, after checking its hash chains.
    Restore {
        /// The backup file.
        path: PathBuf,
    },
    /// Write the built-in demo workspace into DIR.
    Demo {
        /// Directory to create it in.
        dir: PathBuf,
        /// Build it as if today were this date.
        #[arg(long, value_name = "DATE", value_parser = date)]
        as_of: Option<Date>,
    },
    /// Render one dashboard tab headlessly to text (for tests, documentation and timing).
    Snapshot {
        /// The tab to draw (any of the dashboard's tabs).
        #[arg(long, ignore_case = true, value_parser = clap::builder::PossibleValuesParser::new(super::dashboard::tab_names()))]
        tab: String,
        /// Size as WIDTHxHEIGHT.
        #[arg(long, default_value = "160x48")]
        size: String,
        /// Score as of this date (default today).
        #[arg(long, value_name = "DATE", value_parser = date)]
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
    Gen(super::generate::GenArgs),
    /// Measure commands as whole processes on a workspace (median, p95, peak memory).
    Bench(super::bench::BenchArgs),
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
        #[arg(long, value_name = "DATE", value_parser = date)]
        effective: Date,
        /// pass, fail or info.
        #[arg(long, default_value = "pass")]
        result: crate::domain::EvidenceResult,
        /// Title (default: the file name, or "Manual evidence").
        #[arg(long)]
        title: Option<String>,
    },
    /// Clear the content of evidence past its keep-until date (HIPAA 6 years, PCI DSS 1 year,
    /// otherwise the workspace default); digests and the chain stay, so `verify` passes.
    Purge {
        /// Purge as of this date (default today).
        #[arg(long, value_name = "DATE", value_parser = date)]
        as_of: Option<Date>,
        /// Count only; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// `vendors` subcommands.
#[derive(Subcommand, Debug)]
pub enum VendorsCommand {
    /// The register with each vendor's agreements and the issues the rules raise.
    List {
        /// As of this date (default today).
        #[arg(long, value_name = "DATE", value_parser = date)]
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
        #[arg(long, value_name = "DATE", value_parser = date)]
        signed: Option<Date>,
        /// Issued on (reports, certificates, AOCs).
        #[arg(long, value_name = "DATE", value_parser = date)]
        issued: Option<Date>,
        /// Period covered: first day (SOC 2 reports).
        #[arg(long, value_name = "DATE", value_parser = date)]
        period_start: Option<Date>,
        /// Period covered: last day (SOC 2 reports).
        #[arg(long, value_name = "DATE", value_parser = date)]
        period_end: Option<Date>,
        /// Expiry.
        #[arg(long, value_name = "DATE", value_parser = date)]
        expires: Option<Date>,
    },
    /// Turn each vendor issue into a finding and close findings whose issue has gone.
    Check {
        /// As of this date (default today).
        #[arg(long, value_name = "DATE", value_parser = date)]
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
        #[arg(long, value_name = "DATE", value_parser = date)]
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

/// `export` subcommands.
#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// Every list (requirements, controls, mappings, evidence, risks, findings, tasks, audits,
    /// vendors) as DIR/<list>.csv.
    Csv {
        /// Directory to write into.
        dir: PathBuf,
    },
    /// The whole model and its assessment as JSON.
    Json {
        /// File (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The Statement of Applicability of iso27001 or iso27701.
    Soa {
        /// iso27001 or iso27701.
        #[arg(long, default_value = "iso27001")]
        framework: String,
        /// csv, md or html.
        #[arg(long, default_value = "csv")]
        format: String,
        /// File (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// OSCAL 1.1 assessment results for a framework.
    OscalAr {
        /// Framework key.
        #[arg(long, default_value = "soc2")]
        framework: String,
        /// File (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// OSCAL 1.1 plan of action and milestones (open findings, tasks as milestones).
    OscalPoam {
        /// File (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Evidence bundle for an auditor: items by control, an index per requirement, a manifest
    /// and SHA256SUMS.
    Bundle {
        /// An empty or new directory.
        dir: PathBuf,
    },
}

/// `catalog` subcommands.
#[derive(Subcommand, Debug)]
pub enum CatalogCommand {
    /// Requirements added, removed, renamed, swapped, retitled, described anew, made (not)
    /// assessable or moved between two editions (OLD defaults to the edition installed in the
    /// workspace, without requirements it retired), with the controls each change touches.
    Diff {
        /// Catalog files: NEW, or OLD NEW.
        #[arg(required = true, num_args = 1..=2)]
        files: Vec<PathBuf>,
        /// Machine-readable JSON.
        #[arg(long)]
        json: bool,
    },
    /// Move the workspace to a new edition (after reviewing `catalog diff`): mappings follow
    /// renamed requirements, dropped ones are kept for history but no longer assessed.
    Apply {
        /// The new edition's catalog file.
        file: PathBuf,
        /// Confirm that the diff was reviewed.
        #[arg(long)]
        yes: bool,
    },
}

/// `sources` subcommands.
#[derive(Subcommand, Debug)]
pub enum SourcesCommand {
    /// Append a commented `[[source]]` for a preset to certready.toml (validated first; the
    /// file is left unchanged on any error).
    Add {
        /// Preset name.
        preset: String,
        /// A parameter, `key=value` (repeatable); secrets by environment-variable NAME only.
        #[arg(long = "param", value_name = "KEY=VALUE")]
        params: Vec<String>,
        /// The source's name (default: the preset's).
        #[arg(long)]
        name: Option<String>,
    },
}
