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
  Job,
  NumberRecord,
  OptOutListPage,
  OptOutQuery,
  OutboxItem,
  Preview,
  Region,
  ReviewAction,
  Trends,
} from "./bindings";

export type * from "./bindings";

/** What each provider, and the account, would do with `reply` in all eight situations. */
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

export const startImport = (path: string, account: string, region: Region, column: string | null) =>
  invoke<Job>("start_import", { path, account, region, column });

export const startExport = (path: string, query: OptOutQuery) =>
  invoke<Job>("start_export", { path, query });

export const job = (id: number) => invoke<Job>("job", { id });

export const cancelJob = (id: number) => invoke<null>("cancel_job", { id });

/** A native file dialog: a CSV to read, or where to write one. Null when closed. */
export const chooseFile = (purpose: "import" | "export") =>
  invoke<string | null>("choose_file", { purpose });

/** Connect to a remote hub, or back to this computer's own hub when `url` is null. */
export const connectHub = (url: string | null, token: string) =>
  invoke<DeskStatus>("connect_hub", { url, token });

/** The words of a failed call: a `{ code, message }` from Rust, or whatever else was thrown. */
export function failureMessage(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error) {
    return String((error as Failure).message);
  }
  return String(error);
}
