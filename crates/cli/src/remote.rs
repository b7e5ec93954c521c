//! The hub commands with `--hub URL`: the same commands, sent to `optout serve` through the
//! client the desktop app syncs with. What they do is recorded as the token's holder.

use std::io::Write as _;
use std::path::Path;

use optout_cache::{ImportRequest, Remote};
use optout_hub::{OptInRequest, OptOutRequest, Region};
use uuid::Uuid;

use crate::hub::{in_force, on, settings, AccountsCommand, Common, Failure, HubCommand};
use crate::output::{
    describe_lookup, print, print_account, print_accounts, print_export, print_import, print_opt_in, print_opt_out,
};

/// The token from `--token`, or else from `OPTOUT_TOKEN`.
fn token(common: &Common) -> Result<String, Failure> {
    common.token.clone().or_else(|| std::env::var("OPTOUT_TOKEN").ok()).filter(|t| !t.trim().is_empty()).ok_or_else(
        || Failure::Refused("--hub needs a token: --token TOKEN, or OPTOUT_TOKEN in the environment".into()),
    )
}

/// Runs `command` against the hub at `url`.
pub async fn execute(command: HubCommand, url: &str, common: &Common) -> Result<(), Failure> {
    let hub = Remote::new(url, &token(common)?)?;
    let json = common.json;
    match command {
        HubCommand::Accounts(AccountsCommand::List) => print_accounts(json, &hub.accounts().await?),
        HubCommand::Accounts(AccountsCommand::Add { name, auto_opt_outs }) => {
            print_account(json, &hub.add_account(&name, on(auto_opt_outs)).await?);
        }
        HubCommand::Accounts(AccountsCommand::Set {
            name,
            auto_opt_outs,
            confirmation_message,
            default_opt_out_message,
        }) => {
            let settings = settings(auto_opt_outs, confirmation_message, default_opt_out_message);
            print_account(json, &hub.update_account(&name, &settings).await?);
        }
        HubCommand::Import { file, account, region, column } => {
            let csv = std::fs::read(&file).map_err(|source| optout_hub::Error::File { path: file.clone(), source })?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let request =
                ImportRequest { account: &account, region: Region::parse(&region)?, column: column.as_deref() };
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
        HubCommand::OptOut { phone, account, reason, message, region } => {
            let region = Region::parse(&region)?;
            let source = optout_hub::Source::Manual;
            let request = OptOutRequest { command_id: Uuid::new_v4(), account, phone, region, reason, message, source };
            print_opt_out(json, &hub.opt_out(&request).await?);
        }
        HubCommand::OptIn { phone, account, reason, opt_out_id, overrides_request, region } => {
            let region = Region::parse(&region)?;
            let opt_out_id = match opt_out_id {
                Some(id) => id,
                None => in_force(&hub.lookup(&phone, region).await?, &account, &phone)?,
            };
            let request = OptInRequest {
                command_id: Uuid::new_v4(),
                account,
                phone,
                region,
                opt_out_id,
                overrides_request_id: overrides_request,
                reason,
            };
            print_opt_in(json, &hub.opt_in(&request).await?);
        }
        HubCommand::Lookup { phone, region } => {
            let lookup = hub.lookup(&phone, Region::parse(&region)?).await?;
            print(json, &lookup, || describe_lookup(&lookup));
        }
        HubCommand::Demo { .. } | HubCommand::Serve { .. } | HubCommand::Tokens(_) => {
            return Err(Failure::Refused(
                "demo, serve and tokens work on the hub's own database: run them where the hub runs, without --hub"
                    .into(),
            ));
        }
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
