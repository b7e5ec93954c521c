//! The hub commands with `--hub URL`: the same commands, sent to `optout serve` through the
//! client the desktop app syncs with. What they do is recorded as the token's holder.

use std::io::Write as _;
use std::path::Path;

use optout_client::{ImportRequest, Remote};
use optout_hub::Region;

use crate::hub::{Common, Failure, HubCommand};
use crate::output::{print_export, print_import};

/// The token from `--token`, or else from `OPTOUT_TOKEN`.
pub(crate) fn token(common: &Common) -> Result<String, Failure> {
    common.token.clone().or_else(|| std::env::var("OPTOUT_TOKEN").ok()).filter(|t| !t.trim().is_empty()).ok_or_else(
        || Failure::Refused("--hub needs a token: --token TOKEN, or OPTOUT_TOKEN in the environment".into()),
    )
}

/// Runs `command` against the hub at `url`.
pub async fn execute(command: HubCommand, url: &str, common: &Common) -> Result<(), Failure> {
    let hub = Remote::new(url, &token(common)?)?;
    let json = common.json;
    match command {
        HubCommand::Import { file, account, region, column, dry_run } => {
            let csv = std::fs::read(&file).map_err(|source| optout_hub::Error::File { path: file.clone(), source })?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let request = ImportRequest {
                account: &account,
                region: Region::parse(&region)?,
                column: column.as_deref(),
                dry_run,
            };
            let summary = hub.import(csv, &name, &request).await?;
            print_import(json, &summary, &file);
        }
        HubCommand::Export { account, campaign, source, from, to, include_reversed, out } => {
            let mut filter = Vec::new();
            for (key, value) in [("account", account), ("campaign", campaign), ("source", source)] {
                filter.extend(value.map(|v| (key, v)));
            }
            for (key, time) in [("from", from), ("to", to)] {
                filter.extend(time.map(|t| (key, t.to_rfc3339())));
            }
            if include_reversed {
                filter.push(("include_reversed", "true".to_owned()));
            }
            let rows = export(&hub, &filter, &out).await?;
            print_export(json, rows, &out);
        }
        HubCommand::Demo { .. } | HubCommand::Serve { .. } => {
            return Err(Failure::Refused(
                "demo and serve work on the hub's own database: run them where the hub runs, without --hub".into(),
            ));
        }
        other => return Err(Failure::Broken(format!("{other:?} does not go to a hub over HTTP"))),
    }
    Ok(())
}

/// Writes the hub's export page by page through an [`optout_hub::Partial`] file, and counts its rows.
async fn export(hub: &Remote, filter: &[(&str, String)], out: &Path) -> Result<u64, Failure> {
    let write_error = |source| Failure::from(optout_hub::Error::File { path: out.to_owned(), source });
    let (partial, file) = optout_hub::Partial::create(out)?;
    let mut file = std::io::BufWriter::with_capacity(1 << 16, file);
    let mut after = None;
    let mut lines = 0u64;
    loop {
        let (page, next) = hub.export_page(filter, after.as_deref()).await?;
        file.write_all(&page).map_err(write_error)?;
        // Cells never hold a raw line break unquoted, but quoted ones may: count records, not lines.
        lines += csv::ReaderBuilder::new().has_headers(false).from_reader(page.as_slice()).records().count() as u64;
        match next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    file.flush().map_err(write_error)?;
    drop(file);
    partial.commit()?;
    // The first page's first record is the header.
    Ok(lines.saturating_sub(1))
}
