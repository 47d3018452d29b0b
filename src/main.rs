//! `maillage`: the one binary. `serve` runs the site (and the job worker),
//! `migrate` updates the schema, `admin create-user` creates accounts — the
//! first administrator included — from the command line, `import agents`
//! loads an organisation's agents file into the directory.

mod cli;
mod serve;

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Erreur : {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
