//! One dispatcher for every command that goes to a hub, wherever the hub is: each goes
//! through the same link as the desktop's ([`optout_client::Link`]), to the hub's own database
//! or to `optout serve` with `--hub`, and gets the same answer from either.

use optout_client::{Answer, AnyLink, Command, ImportRequest, Link};
use optout_hub::{
    AccountSettings, CampaignChange, NewAccount, NewCampaign, NewToken, OptInRequest, OptOutFilter, OptOutRequest,
    ProviderSetup, RetireSender, RevokeToken, Role, SenderChange, Source,
};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::failure::Failure;
use crate::hub::{
    AccountsCommand, CampaignsCommand, HubCommand, OnOff, ProviderArg, ProviderNameArg, ProvidersCommand,
    ReviewsCommand, RoleArg, SendersCommand, TokensCommand,
};
use crate::output::{
    describe_lookup, print, print_account, print_accounts, print_campaign, print_campaigns, print_export, print_import,
    print_opt_in, print_opt_out, print_providers, print_tokens, shown,
};

/// A secret read from a file, trimmed; the error names the file.
fn secret_file(path: &std::path::Path) -> Result<String, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| Failure::from(optout_hub::Error::File { path: path.to_owned(), source }))?;
    Ok(text.trim().to_owned())
}

/// Sends `command` and reads its outcome; a refusal is the hub's reason.
async fn send<T: DeserializeOwned>(link: &AnyLink, command: Command) -> Result<T, Failure> {
    match link.send(&command).await? {
        Answer::Accepted { outcome } => serde_json::from_value(outcome)
            .map_err(|e| Failure::Broken(format!("the hub's answer cannot be read: {e}"))),
        Answer::Refused { message, .. } => Err(Failure::Refused(message)),
    }
}

fn on(value: OnOff) -> bool {
    matches!(value, OnOff::On)
}

/// Runs `command` through `link`, and prints what the hub answered.
pub async fn execute(command: HubCommand, link: &AnyLink, json: bool) -> Result<(), Failure> {
    let id = Uuid::new_v4;
    match command {
        HubCommand::Accounts(AccountsCommand::List) => print_accounts(json, &link.accounts().await?),
        HubCommand::Accounts(AccountsCommand::Add { name, auto_opt_outs }) => {
            let request = NewAccount { command_id: id(), name, auto_opt_outs: on(auto_opt_outs) };
            print_account(json, &send(link, Command::AddAccount(request)).await?);
        }
        HubCommand::Accounts(AccountsCommand::Set {
            name,
            auto_opt_outs,
            confirmation_message,
            default_opt_out_message,
            rename,
            rule_set,
            review_days,
        }) => {
            let settings = AccountSettings {
                command_id: None,
                name: rename,
                auto_opt_outs: auto_opt_outs.map(on),
                confirmation_message,
                default_opt_out_message,
                rule_set: rule_set.map(|r| r.rule_set()),
                review_days,
            };
            let command = Command::Settings { command_id: id(), account: name, settings };
            print_account(json, &send(link, command).await?);
        }
        HubCommand::Campaigns(CampaignsCommand::List { account }) => {
            print_campaigns(json, &link.campaigns(account.as_deref()).await?);
        }
        HubCommand::Campaigns(CampaignsCommand::Add { name, account, provider, senders }) => {
            let provider = if provider == ProviderArg::One { 1 } else { 2 };
            let request = NewCampaign { command_id: id(), account, name, provider, sender_numbers: senders };
            print_campaign(json, &send(link, Command::AddCampaign(request)).await?);
        }
        HubCommand::Campaigns(CampaignsCommand::Set { name, account, active, rename }) => {
            let request = CampaignChange { command_id: id(), account, campaign: name, active: active.map(on), rename };
            print_campaign(json, &send(link, Command::UpdateCampaign(request)).await?);
        }
        HubCommand::Senders(SendersCommand::Add { phone, campaign, account, take }) => {
            let move_from_campaign = match take {
                true => sends_for(link, &phone).await?,
                false => None,
            };
            let request = SenderChange { command_id: id(), phone, account, campaign, move_from_campaign };
            print_campaign(json, &send(link, Command::AddSender(request)).await?);
        }
        HubCommand::Senders(SendersCommand::Retire { phone }) => {
            let request = RetireSender { command_id: id(), phone };
            print_campaign(json, &send(link, Command::RetireSender(request)).await?);
        }
        HubCommand::Tokens(TokensCommand::Create { role, name }) => {
            let role = match role {
                RoleArg::Admin => Role::Admin,
                RoleArg::Texter => Role::Texter,
            };
            // The secret is made here and only its hash travels: nothing keeps it but this screen.
            let secret = optout_hub::new_secret()?;
            let hash = Some(optout_hub::secret_sha256(&secret));
            let request = NewToken { command_id: id(), name, role, secret_sha256: hash };
            let token: optout_hub::Token = send(link, Command::AddToken(request)).await?;
            print(json, &serde_json::json!({ "token": token, "secret": secret }), || {
                format!(
                    "{secret}\n(token {} for {}, role {}; the secret is not shown again)",
                    token.id,
                    shown(&token.name),
                    role.as_str()
                )
            });
        }
        HubCommand::Tokens(TokensCommand::List) => print_tokens(json, &link.tokens().await?),
        HubCommand::Tokens(TokensCommand::Revoke { id: token_id }) => {
            let request = RevokeToken { command_id: id(), token_id };
            let token: optout_hub::Token = send(link, Command::RevokeToken(request)).await?;
            print(json, &token, || format!("token {} of {} revoked", token.id, shown(&token.name)));
        }
        HubCommand::Import { file, account, region, column, dry_run } => {
            let request = ImportRequest { account: &account, region, column: column.as_deref(), dry_run };
            print_import(json, &link.import(&file, &request).await?, &file);
        }
        HubCommand::Export { account, campaign, source, from, to, include_reversed, out } => {
            let filter = OptOutFilter { account, campaign, source, from, to, phone_prefix: None, include_reversed };
            print_export(json, link.export(&filter, &out).await?, &out);
        }
        HubCommand::OptOut { phone, account, reason, message, region } => {
            let request =
                OptOutRequest { command_id: id(), account, phone, region, reason, message, source: Source::Manual };
            print_opt_out(json, &send(link, Command::OptOut(request)).await?);
        }
        HubCommand::OptIn { phone, account, reason, opt_out_id, overrides_request, region } => {
            let opt_out_id = match opt_out_id {
                Some(id) => id,
                None => in_force(&link.lookup(&phone, region).await?, &account, &phone)?,
            };
            let request = OptInRequest {
                command_id: id(),
                account,
                phone,
                region,
                opt_out_id,
                overrides_request_id: overrides_request,
                reason,
            };
            print_opt_in(json, &send(link, Command::OptIn(request)).await?);
        }
        HubCommand::Lookup { phone, region } => {
            let lookup = link.lookup(&phone, region).await?;
            print(json, &lookup, || describe_lookup(&lookup));
        }
        HubCommand::Providers(ProvidersCommand::List) => print_providers(json, &link.providers().await?),
        HubCommand::Providers(ProvidersCommand::Set {
            provider,
            auth_token_file,
            public_key_file,
            username,
            password_file,
        }) => {
            let file = |path: Option<std::path::PathBuf>, flag: &str| {
                path.ok_or_else(|| Failure::Refused(format!("{flag} is required"))).and_then(|p| secret_file(&p))
            };
            let setup = match provider {
                ProviderNameArg::Twilio => {
                    ProviderSetup::Twilio { auth_token: file(auth_token_file, "--auth-token-file")? }
                }
                ProviderNameArg::Telnyx => {
                    ProviderSetup::Telnyx { public_key: file(public_key_file, "--public-key-file")? }
                }
                ProviderNameArg::Bandwidth => ProviderSetup::Bandwidth {
                    username: username.unwrap_or_default(),
                    password: file(password_file, "--password-file")?,
                },
            };
            print_providers(json, &[link.set_provider(&setup).await?]);
        }
        HubCommand::Reviews(ReviewsCommand::Export { from, to, out }) => {
            let csv = link.review_log(from, to).await?;
            let (partial, mut file) = optout_hub::Partial::create(&out)?;
            let failed = |source| Failure::from(optout_hub::Error::File { path: out.clone(), source });
            std::io::Write::write_all(&mut file, csv.as_bytes()).map_err(failed)?;
            partial.commit()?;
            // Replies may hold line breaks inside their quotes: count records, not lines.
            let rows = ::csv::Reader::from_reader(csv.as_bytes()).records().count();
            print(json, &serde_json::json!({ "rows": rows, "out": out }), || {
                format!("{rows} lines of the review log written to {}", out.display())
            });
        }
    }
    Ok(())
}

/// The campaign a number sends for now, which a move names.
async fn sends_for(link: &AnyLink, phone: &str) -> Result<Option<i64>, Failure> {
    let phone = optout_hub::phone::e164_any(phone)
        .map_err(|why| Failure::Refused(format!("phone: {:?} is not a valid phone number ({why})", phone)))?;
    let campaigns = link.campaigns(None).await?;
    let owner = campaigns.iter().find(|c| c.sender_numbers.contains(&phone) || c.retired_numbers.contains(&phone));
    Ok(owner.map(|c| c.id))
}

/// The id of the opt-out in force for `phone` in `account`, which an opt-in reverses when none
/// is named.
fn in_force(lookup: &optout_hub::Lookup, account: &str, phone: &str) -> Result<i64, Failure> {
    let status = lookup
        .accounts
        .iter()
        .find(|a| a.account == account)
        .ok_or_else(|| Failure::Refused(format!("no account named {account:?}")))?;
    let opt_out = status
        .opt_out
        .as_ref()
        .ok_or_else(|| Failure::Refused(format!("an opt-out of {phone} in {account} not found")))?;
    Ok(opt_out.id)
}
