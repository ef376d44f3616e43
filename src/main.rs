//! The `critique` command line: parses arguments, calls the library, reports errors once and
//! sets the exit code (0 success, 1 failure, 2 usage error).

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "the command line reports on the terminal")]

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use critique::SiteOptions;
use critique::check::report;
use critique::cmd::build::{self, BuildArgs, BuildError};
use critique::cmd::check::{self, CheckArgs};
use critique::cmd::list::{self, Listing};
use critique::cmd::root::site_root;
use critique::cmd::{init, new, theme};
use critique::date::Date;
use critique::diagnostic::terminal_safe;
#[cfg(feature = "serve")]
use critique::serve::{self, ServeArgs};

// Builds allocate and free many small strings on two threads; mimalloc does that with less
// time in the allocator and fewer page faults than glibc's malloc. Its `no_thp` feature keeps
// the kernel from backing the heap with 2 MB pages, which raised the peak RSS by about 50 MB
// at 10,000 reviews (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "critique", version, about = "A static site generator for critical reviews of projects")]
struct Cli {
    /// The site's folder, holding critique.toml and content/ (default: the current folder or
    /// the nearest folder above it that holds them).
    #[arg(short, long, global = true, value_name = "SITE")]
    root: Option<PathBuf>,
    /// Print nothing but errors and findings (no summary, no rebuild lines).
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Print more: the time each stage of a build or rebuild took.
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output directory.
    Build {
        /// The site's folder (default: the current folder or the nearest folder above it
        /// holding critique.toml or content/); `--root SITE` says the same.
        site: Option<PathBuf>,
        /// Where to write the site (default: SITE/public).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Include reviews marked `draft: true`.
        #[arg(short = 'D', long)]
        drafts: bool,
        /// Include reviews dated after today.
        #[arg(short = 'F', long)]
        future: bool,
        /// Override the configured base_url, e.g. for a preview deploy.
        #[arg(long)]
        base_url: Option<String>,
        /// Print the time each stage took (as `--verbose` does).
        #[arg(long)]
        timings: bool,
    },
    /// Serve the site locally with live reload, rebuilding on every save.
    #[cfg(feature = "serve")]
    Serve {
        /// The site's folder (default: the current folder or the nearest folder above it
        /// holding critique.toml or content/); `--root SITE` says the same.
        site: Option<PathBuf>,
        /// The first port to try (the next free one is used if it is taken).
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; keep the loopback default unless you mean to share.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in a browser.
        #[arg(short = 'O', long)]
        open: bool,
        /// Leave drafts out, as `build` does (serve shows them by default, marked as drafts).
        #[arg(long)]
        no_drafts: bool,
        /// Drafts are shown by default; the flag stays for scripts that pass it.
        #[arg(short = 'D', long, hide = true)]
        drafts: bool,
        /// Reviews dated in the future are shown by default, marked; the flag is accepted as
        /// `build` takes it.
        #[arg(short = 'F', long, hide = true)]
        future: bool,
        /// Poll for changes instead of relying on file-system events.
        #[arg(long)]
        poll: bool,
        /// Take open pages to the page of the content file just saved (Hugo's
        /// `--navigateToChanged`).
        #[arg(long, visible_alias = "navigate-to-changed")]
        follow: bool,
        /// Also answer requests for this host name (repeatable). Requests naming another host
        /// get 403, against DNS rebinding; by default the bound address, `localhost` and the
        /// loopback addresses are answered.
        #[arg(long = "allowed-host", value_name = "NAME", value_parser = serve::host::parse_allowed)]
        allowed_host: Vec<serve::host::Host>,
    },
    /// Create a new site (configuration, one project, one review) that builds at once.
    Init {
        /// Where to create it (default: the current directory).
        dir: Option<PathBuf>,
    },
    /// Print a completion script for SHELL (bash, zsh, fish, elvish, powershell), e.g.
    /// `critique completions bash > ~/.local/share/bash-completion/completions/critique`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// List the reviews that are drafts, dated in the future or stale (past `revisit_by`, or
    /// `[freshness] stale_after_days` after their last date), or all with their states.
    List {
        /// Which reviews (`drafts`, `future`, `stale` or `all`, the default), then the site's
        /// folder (default: the current folder or the nearest folder above it holding
        /// critique.toml or content/); either may be left out.
        #[arg(value_name = "WHICH] [SITE", num_args = 0..=2)]
        args: Vec<String>,
    },
    /// Work with the built-in theme.
    Theme {
        #[command(subcommand)]
        action: ThemeAction,
    },
    /// Scaffold a project, a review or a page.
    New {
        #[command(subcommand)]
        kind: NewKind,
    },
    /// Check the content: every build error plus broken links, promotion, coverage,
    /// near-duplicate reviews and stock phrases. Writes nothing.
    Check {
        /// The site's folder (default: the current folder or the nearest folder above it
        /// holding critique.toml or content/); `--root SITE` says the same.
        site: Option<PathBuf>,
        /// Report format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// Also list the links that leave the site (they are not fetched).
        #[arg(long)]
        list_external: bool,
        /// Also fetch every external link (the only command that uses the network): politely,
        /// per `[check.external]`, remembering live ones in .critique/cache/ for `cache_days`.
        #[arg(long)]
        external: bool,
        /// With `--external`, fetch every link again, whatever the cache holds.
        #[arg(long, requires = "external")]
        refresh: bool,
        /// Include reviews marked `draft: true`.
        #[arg(short = 'D', long)]
        drafts: bool,
    },
}

#[derive(Subcommand)]
enum ThemeAction {
    /// Copy built-in theme files into the site's templates/ and static/ to edit them there
    /// (every template and the stylesheets when no FILE is named); never overwrites.
    Eject {
        /// Files to copy: `review.html`, `partials/review_card.html`, `style.css`…
        files: Vec<String>,
    },
}

#[derive(Subcommand)]
enum NewKind {
    /// Scaffold content/projects/<slug>.md.
    Project {
        /// The project's name.
        name: String,
    },
    /// Scaffold content/reviews/<slug>.md, dated today, as a draft.
    Review {
        /// The reviewed project: its slug, or its name.
        project: String,
        /// The review's title.
        title: String,
        /// Who writes it.
        /// (default: `default_author` in critique.toml, else a placeholder to replace).
        #[arg(long)]
        author: Option<String>,
    },
    /// Scaffold content/responses/<project>-on-<review>.md: the project's reply to a review,
    /// dated today, with the review's questions listed to name those it answers.
    Response {
        /// The review replied to: its slug.
        review: String,
    },
    /// Scaffold content/pages/<slug>.md: a free page (about, methodology) in the navigation.
    Page {
        /// The page's title.
        title: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Grouped by file, for people.
    Text,
    /// One JSON document, for tools.
    Json,
}

fn main() -> ExitCode {
    run(Cli::parse()).unwrap_or_else(|code| code)
}

/// Runs the command `cli` names; a command that cannot start (no site) ends early with its code.
fn run(cli: Cli) -> Result<ExitCode, ExitCode> {
    // The site every command but `init` works on, named or found from the current folder.
    let root = |named: Option<&PathBuf>| {
        site_root(named.map(PathBuf::as_path), cli.root.as_deref()).map_err(|e| {
            eprintln!("error: {}", terminal_safe(&e.to_string()));
            ExitCode::FAILURE
        })
    };
    Ok(match &cli.command {
        Command::Build { site, output, drafts, future, base_url, timings } => {
            let root = root(site.as_ref())?;
            let (output, base_url, timings) = (output.clone(), base_url.clone(), *timings || cli.verbose);
            let options = SiteOptions { drafts: *drafts, future: *future, base_url, today: None };
            let args = BuildArgs { root, output, site: options };
            match build::run(&args) {
                Ok(s) => {
                    let mut text = format!(
                        "Built {} projects, {} reviews and {} pages into {} in {} ms ({} files written, {} unchanged)\n",
                        s.projects,
                        s.reviews,
                        s.pages,
                        s.output.display(),
                        s.elapsed.as_millis(),
                        s.files.written,
                        s.files.unchanged
                    );
                    text.push_str(&s.left_out_lines());
                    if timings {
                        text.push_str(&s.timings.to_string());
                    }
                    if !cli.quiet {
                        say(&text);
                    }
                    for warning in &s.warnings {
                        eprintln!("{}", terminal_safe(&warning.to_string()));
                    }
                    ExitCode::SUCCESS
                }
                Err(BuildError::Content(diagnostics)) => {
                    // Formatted first: stderr is unbuffered, and thousands of diagnostics written
                    // piece by piece would cost a system call each.
                    let text = diagnostics.to_string();
                    eprintln!("{text}");
                    let n = diagnostics.0.len();
                    let plural = if n == 1 { "" } else { "s" };
                    eprintln!("error: build failed with {n} error{plural}; the output was left untouched");
                    ExitCode::FAILURE
                }
                Err(e) => {
                    eprintln!("error: {}", terminal_safe(&e.to_string()));
                    ExitCode::FAILURE
                }
            }
        }
        #[cfg(feature = "serve")]
        Command::Serve { site, port, bind, open, no_drafts, drafts: _, future: _, poll, follow, allowed_host } => {
            let root = root(site.as_ref())?;
            let args = ServeArgs {
                root,
                bind: *bind,
                port: *port,
                open: *open,
                drafts: !*no_drafts,
                poll: *poll,
                follow: *follow,
                allowed_hosts: allowed_host.clone(),
                output: match (cli.quiet, cli.verbose) {
                    (true, _) => serve::Output::Quiet,
                    (_, true) => serve::Output::Verbose,
                    _ => serve::Output::Normal,
                },
            };
            match serve::run(&args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {}", terminal_safe(&e.to_string()));
                    ExitCode::FAILURE
                }
            }
        }
        Command::Init { dir } => {
            let dir = dir.clone().or_else(|| cli.root.clone()).unwrap_or_else(|| PathBuf::from("."));
            match init::run(&dir, Date::today()) {
                Ok(files) => {
                    let created: String = files.iter().map(|f| format!("created {}\n", f.display())).collect();
                    if !cli.quiet {
                        let site = dir.display();
                        say(&format!(
                            "{created}Preview it with `critique serve {site}` (it rebuilds as you save), check it with `critique check {site}`, and publish it with `critique build {site}`.\n"
                        ));
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {}", terminal_safe(&e.to_string()));
                    ExitCode::FAILURE
                }
            }
        }
        Command::New { kind } => {
            let root = root(None)?;
            let created = match kind {
                NewKind::Project { name } => new::project(&root, name),
                NewKind::Review { project, title, author } => {
                    new::review(&root, project, title, author.as_deref(), Date::today())
                }
                NewKind::Page { title } => new::page(&root, title),
                NewKind::Response { review } => new::response(&root, review, Date::today()),
            };
            match created {
                Ok(path) => {
                    if !cli.quiet {
                        say(&format!("created {}\n", path.display()));
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {}", terminal_safe(&e.to_string()));
                    ExitCode::FAILURE
                }
            }
        }
        Command::Theme { action: ThemeAction::Eject { files } } => {
            let root = root(None)?;
            match theme::eject(&root, files) {
                Ok(written) => {
                    if !cli.quiet {
                        let created: String = written.iter().map(|f| format!("created {}\n", f.display())).collect();
                        say(&format!(
                            "{created}The site's own files now override the built-in theme's; edit them there.\n"
                        ));
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {}", terminal_safe(&e.to_string()));
                    ExitCode::FAILURE
                }
            }
        }
        Command::List { args } => {
            // `critique list SITE` as well as `critique list drafts SITE`.
            let (which, site) = match args.as_slice() {
                [first, rest @ ..] => match Listing::from_str(first, true) {
                    Ok(which) => (which, rest.first()),
                    Err(_) if rest.is_empty() => (Listing::All, Some(first)),
                    Err(_) => {
                        eprintln!(
                            "error: `{}` is not a listing: expected drafts, future, stale or all",
                            terminal_safe(first)
                        );
                        return Err(ExitCode::from(2));
                    }
                },
                [] => (Listing::All, None),
            };
            let root = root(site.map(PathBuf::from).as_ref())?;
            let (listed, errors) = list::run(&root, which, Date::today());
            let mut text = String::new();
            for review in &listed {
                text.push_str(&terminal_safe(&review.line()));
                text.push('\n');
            }
            say(&text);
            for error in &errors {
                eprintln!("{}", terminal_safe(&error.to_string()));
            }
            if errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "critique", &mut script);
            say(&String::from_utf8_lossy(&script));
            ExitCode::SUCCESS
        }
        Command::Check { site, format, strict, list_external, external, refresh, drafts } => {
            let root = root(site.as_ref())?;
            let (format, list_external) = (*format, *list_external);
            let external = external.then_some(check::External { refresh: *refresh });
            let site = SiteOptions { drafts: *drafts, ..SiteOptions::default() };
            let args = CheckArgs { root, site, strict: *strict, external };
            let outcome = check::run(&args);
            match format {
                Format::Json => say(&format!("{}\n", report::json(&outcome.findings, list_external))),
                // Quiet, a check that found nothing says nothing.
                Format::Text if cli.quiet && outcome.findings.diagnostics.is_empty() && !list_external => {}
                Format::Text => {
                    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                    say(&report::text(&outcome.findings, list_external, color));
                }
            }
            if cli.verbose {
                eprintln!("Checked {} content files in {} ms", outcome.files, outcome.elapsed.as_millis());
            }
            if outcome.passed { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
    })
}

/// Writes `text` to standard output. When it cannot be written (a pipe closed early, as in
/// `critique check | head`, or a full disk), the command stops with exit code 1 rather than
/// panicking; a closed pipe is not worth a message.
fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write to standard output: {e}");
        }
        std::process::exit(1);
    }
}
