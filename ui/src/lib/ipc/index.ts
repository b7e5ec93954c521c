// The only module that talks to the Rust side. Everything else imports from here.
import { invoke } from "@tauri-apps/api/core";

import type {
  Account,
  AccountSettings,
  Campaign,
  ConversationDetail,
  ConversationFilter,
  ConversationPage,
  DeskStatus,
  Failure,
  FailureCode,
  FilePurpose,
  FirstRunChoice,
  Job,
  MadeToken,
  NumberRecord,
  OptOutListPage,
  OptOutQuery,
  OutboxItem,
  Preview,
  ProviderConnection,
  ProviderSetup,
  ProviderWebhook,
  Region,
  ReviewAction,
  Role,
  RuleChoices,
  Token,
  Trends,
} from "./bindings";

export type * from "./bindings";

/** What each provider, and the account, would do with `reply` in every situation under every rule set. */
export function previewReply(reply: string): Promise<Preview> {
  return invoke<Preview>("preview", { reply });
}

/** Where the hub and the sync stand. */
export const status = () => invoke<DeskStatus>("status");

/** Sync now: pending commands go at once. */
export const retry = () => invoke<null>("retry");

export const accounts = () => invoke<Account[]>("accounts");

export const campaigns = () => invoke<Campaign[]>("campaigns");

/** One number, written any way, in full. */
export const lookupNumber = (phone: string) => invoke<NumberRecord>("number", { phone });

export const optOuts = (query: OptOutQuery, after: string | null, limit: number) =>
  invoke<OptOutListPage>("opt_outs", { query, after, limit });

export const conversations = (filter: ConversationFilter, after: string | null, limit: number) =>
  invoke<ConversationPage>("conversations", { filter, after, limit });

export const conversation = (id: number) => invoke<ConversationDetail>("conversation", { id });

/** Opt-outs a day by source over the last `days` days, in this computer's time zone. */
export const trends = (days: number) =>
  invoke<Trends>("trends", { days, utcOffsetMinutes: -new Date().getTimezoneOffset() });

export const outbox = () => invoke<OutboxItem[]>("outbox");

export const optOut = (account: string, phone: string, reason: string, message: string | null) =>
  invoke<OutboxItem>("opt_out", { account, phone, reason, message });

export const optOutMany = (account: string, phones: string, reason: string) =>
  invoke<OutboxItem[]>("opt_out_many", { account, phones, reason });

export const optIn = (
  account: string,
  phone: string,
  optOutId: number,
  overridesRequestId: number | null,
  reason: string,
) => invoke<OutboxItem>("opt_in", { account, phone, optOutId, overridesRequestId, reason });

export const review = (conversationId: number, action: ReviewAction) =>
  invoke<OutboxItem>("review", { conversationId, action });

export const saveSettings = (account: string, settings: AccountSettings) =>
  invoke<OutboxItem>("save_settings", { account, settings });

/** Import a list, or with `dryRun` only say what the import would do, writing nothing. */
export const startImport = (path: string, account: string, region: Region, column: string | null, dryRun: boolean) =>
  invoke<Job>("start_import", { path, account, region, column, dryRun });

export const startExport = (path: string, query: OptOutQuery) => invoke<Job>("start_export", { path, query });

export const job = (id: number) => invoke<Job>("job", { id });

export const cancelJob = (id: number) => invoke<null>("cancel_job", { id });

/** A native file dialog: a CSV to read, or where to write one. Null when closed. */
export const chooseFile = (purpose: FilePurpose) => invoke<string | null>("choose_file", { purpose });

/** Connect to a remote hub, or back to this computer's own hub when `url` is null. */
export const connectHub = (url: string | null, token: string) => invoke<DeskStatus>("connect_hub", { url, token });

/** Begin a first run on this computer's own hub: the demo, or an empty organisation. */
export const begin = (choice: FirstRunChoice) => invoke<DeskStatus>("begin", { choice });

/** The rule sets an account may choose, in the rules engine's words, and the review clock's range. */
export const ruleChoices = () => invoke<RuleChoices>("rule_choices");

export const addAccount = (name: string, autoOptOuts: boolean) =>
  invoke<OutboxItem>("add_account", { name, autoOptOuts });

export const renameAccount = (account: string, name: string) => invoke<OutboxItem>("rename_account", { account, name });

/** `senderNumbers`: one a line; a bad line is named ("line 2: …") and nothing is queued. */
export const addCampaign = (account: string, name: string, provider: Campaign["provider"], senderNumbers: string) =>
  invoke<OutboxItem>("add_campaign", { account, name, provider, senderNumbers });

export const setCampaignActive = (campaignId: number, active: boolean) =>
  invoke<OutboxItem>("set_campaign_active", { campaignId, active });

export const renameCampaign = (campaignId: number, name: string) =>
  invoke<OutboxItem>("rename_campaign", { campaignId, name });

/** Give a number to a campaign; `moveFrom` names the campaign it leaves, when it sends for one. */
export const addSender = (campaignId: number, phone: string, moveFrom: number | null) =>
  invoke<OutboxItem>("add_sender", { campaignId, phone, moveFrom });

export const retireSender = (phone: string) => invoke<OutboxItem>("retire_sender", { phone });

/** The tokens, read live from the hub: this fails while the hub cannot be reached. */
export const tokens = () => invoke<Token[]>("tokens");

/** Make a token; its secret is in this answer, and nowhere else, ever. */
export const makeToken = (name: string, role: Role) => invoke<MadeToken>("make_token", { name, role });

export const revokeToken = (tokenId: number) => invoke<OutboxItem>("revoke_token", { tokenId });

/** The providers connected to the hub, read live from it, and what has arrived from each. */
export const providers = () => invoke<ProviderConnection[]>("providers");

/** Connect a provider or change its secret: the secret goes straight to the hub, nowhere else. */
export const setProvider = (setup: ProviderSetup) => invoke<ProviderConnection>("set_provider", { setup });

/** The webhooks to give the providers, with the hub's address when it has one. */
export const providerWebhooks = () => invoke<ProviderWebhook[]>("provider_webhooks");

/** Write the hub's review log (from and to as ISO times, either open) to a CSV at `path`. */
export const exportReviewLog = (path: string, from: string | null, to: string | null) =>
  invoke<null>("export_review_log", { path, from, to });

/** The code of a failed call, to branch on (`unreachable`, `unauthorized`, …); null when it has none. */
export function failureCode(error: unknown): FailureCode | null {
  if (typeof error === "object" && error !== null && "code" in error) {
    return (error as Failure).code;
  }
  return null;
}

/** The words of a failed call: a `{ code, message }` from Rust, or whatever else was thrown. */
export function failureMessage(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error) {
    return String((error as Failure).message);
  }
  return String(error);
}
