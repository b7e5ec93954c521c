//! The commands that need the hub's own database, where the hub runs: building the demo
//! organisation, and serving the HTTP API.

use std::path::PathBuf;

use optout_hub::Error;

use crate::connect::{data_dir, open};
use crate::hub::{Common, LocalCommand};
use crate::output::print;

/// Runs `command` on the hub's own database.
pub async fn execute(command: LocalCommand, common: &Common) -> Result<(), Error> {
    match command {
        LocalCommand::Demo { contacts, seed } => {
            let hub = open(common).await?;
            let summary = hub.build_demo(contacts, seed, |_| true).await?;
            print(common.json, &summary, || {
                format!(
                    "{} accounts, {} contacts, {} messages, {} opt-outs in force",
                    summary.accounts, summary.contacts, summary.messages, summary.opt_outs
                )
            });
            Ok(())
        }
        LocalCommand::Serve { listen, public_url } => {
            // The server's log: what it refused and why, never a secret or a body.
            tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_env("OPTOUT_LOG")
                        .unwrap_or_else(|_| "info,sqlx=warn".into()),
                )
                .with_writer(std::io::stderr)
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .init();
            let hub = open(common).await?;
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .map_err(|source| Error::File { path: PathBuf::from(&listen), source })?;
            let address = listener.local_addr().map_err(|source| Error::File { path: listen.into(), source })?;
            let mut options = optout_hub::http::ServeOptions::new(data_dir(common)?.join("uploads"));
            options.public_url = public_url;
            tracing::info!(
                target: "optout::serve",
                "serving the hub ({:?}, commits with {}, uploads in {}) on http://{address}",
                hub.backend(),
                hub.durability().await?,
                options.upload_dir.display()
            );
            let shutdown = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            optout_hub::http::serve_with(hub, listener, options, shutdown)
                .await
                .map_err(|source| Error::File { path: PathBuf::from(address.to_string()), source })
        }
    }
}
