// The only module that talks to the Rust side. Everything else imports from here.
import { invoke } from "@tauri-apps/api/core";

import type { Preview } from "./bindings";

export type * from "./bindings";

/** What each provider, and the account, would do with `reply` in all eight situations. */
export function previewReply(reply: string): Promise<Preview> {
  return invoke<Preview>("preview", { reply });
}
