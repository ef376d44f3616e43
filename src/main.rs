//! The `critique` command line: parses arguments, calls the library, reports errors once and
//! sets the exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use critique::SiteOptions;
use critique::cmd::build::{self, BuildArgs, BuildError};

#[derive(Parser)]
#[command(name = "critique", version, about = "A static site generator for critical reviews of projects")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output directory.
    Build {
        /// The site root, holding critique.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: ROOT/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Include reviews marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Override the configured base_url, e.g. for a preview deploy.
        #[arg(long)]
        base_url: Option<String>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build { root, output, drafts, base_url } => {
            let args = BuildArgs { root, output, site: SiteOptions { drafts, base_url, today: None } };
            match build::run(&args) {
                Ok(s) => {
                    println!(
                        "Built {} projects, {} reviews and {} pages into {} in {} ms ({} files written, {} unchanged)",
                        s.projects,
                        s.reviews,
                        s.pages,
                        s.output.display(),
                        s.elapsed.as_millis(),
                        s.files.written,
                        s.files.unchanged
                    );
                    ExitCode::SUCCESS
                }
                Err(BuildError::Content(diagnostics)) => {
                    eprintln!("{diagnostics}");
                    let n = diagnostics.0.len();
                    eprintln!(
                        "error: build failed with {n} error{}; the output was left untouched",
                        if n == 1 { "" } else { "s" }
                    );
                    ExitCode::FAILURE
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
