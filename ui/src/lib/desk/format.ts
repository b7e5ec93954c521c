// Words and times as an admin reads them. Times are stored in UTC and shown in the local zone.
import type { ConversationView, OptOut, ReviewReason, Source, StopRequest } from "../ipc";

export const sourceLabels: Record<Source, string> = {
  keyword_reply: "Automatic (keyword reply)",
  manual: "Manual",
  provider_block: "Provider block",
  import: "Import",
  api: "API",
  reply: "Reply in the contact's own words",
};

/** The sources an opt-out can have: a plain-words reply only ever makes a request to stop. */
export const sources = (Object.keys(sourceLabels) as Source[]).filter((s) => s !== "reply");

export const viewLabels: Record<ConversationView, string> = {
  all: "All",
  needs_review: "Needs review",
  auto_opt_outs: "Auto opt-outs",
  opted_out: "Opted out",
  provider_blocked: "Provider blocked",
};

/** Why a conversation is flagged, by the reason the hub stored. */
export const reviewLabels: Record<ReviewReason | "manual_opt_out", string> & Record<string, string> = {
  opt_out_request: "Asks to stop, but is no automatic keyword",
  wrong_number: "Says it is the wrong number",
  deceased: "Says the number's owner has died: the number may be reassigned",
  minor: "Says the phone is a child's: a minor must not be texted",
  manual_opt_out: "Replied with a keyword after the first response: opt out by hand",
};

/** A stored time in the admin's own zone, to the minute. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** A stored time, short, for a row in a long list. */
export function short(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
}

/** True when the contact asked to stop themselves: reversing it needs a loud warning. */
export function contactAsked(optOut: OptOut): boolean {
  return optOut.source === "keyword_reply" || optOut.source === "provider_block" || !!optOut.evidence;
}

/** One line on why a number is opted out. */
export function why(optOut: OptOut): string {
  const evidence = optOut.evidence ? ` — replied “${optOut.evidence}”` : "";
  return `${sourceLabels[optOut.source]} by ${optOut.actor}${evidence}`;
}

/** How a request to stop came, in a few words. */
export function howAsked(request: StopRequest): string {
  const to = request.sender_phone ? ` to ${request.sender_phone}` : "";
  switch (request.source) {
    case "keyword_reply":
      return `Keyword reply${to}`;
    case "reply":
      return `Reply${to}`;
    case "provider_block":
      return `Provider block${to}`;
    case "manual":
      return `By hand, by ${request.actor}`;
    case "api":
      return `Through the API, by ${request.actor}`;
    case "import":
      return `Imported list, by ${request.actor}`;
  }
}
