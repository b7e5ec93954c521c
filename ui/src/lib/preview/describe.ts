// Words and tones for the rules engine's decisions, as the preview shows them.
import type {
  AccountOptOut,
  Explained,
  Language,
  PreviewCell,
  ReviewPattern,
  ReviewReason,
  RuleSet,
  UserAction,
} from "../ipc";

/** How a badge looks: stop (an opt-out), caution (partial or deferred), attention (a person must act), calm. */
export type Tone = "stop" | "caution" | "attention" | "calm";

export interface Fact {
  label: string;
  value: string;
  tone: Tone;
}

const account: Record<AccountOptOut, [string, Tone]> = {
  immediate: ["Opted out now", "stop"],
  deferred: ["Deferred: next blocked send", "caution"],
  none: ["No opt-out", "calm"],
};

const action: Record<UserAction, [string, Tone]> = {
  none: ["Nothing to do", "calm"],
  manual_opt_out: ["Opt out by hand", "attention"],
  review: ["Review", "attention"],
};

/** A review reason in a few words, for a cell. */
export const reviewReasonShort: Record<ReviewReason, string> = {
  opt_out_request: "asks to stop",
  wrong_number: "wrong number",
  deceased: "owner has died",
  minor: "a child's phone",
};

/** A review reason in a sentence, for the review flag's panel. */
export const reviewReasonLong: Record<ReviewReason, string> = {
  opt_out_request: "Asks to stop, in words no keyword list acts on",
  wrong_number: "Says the number belongs to somebody else",
  deceased: "Says the number's owner has died; the number may be reassigned",
  minor: "Says the phone is a child's; a minor must not be texted",
};

/** The construction the review flag read, in words for an admin. */
export const patternLabels: Record<ReviewPattern, string> = {
  keyword_alone: "a stop word with nothing but politeness around it",
  opt_out_word: "a word that means opting out",
  stop_messages: "a verb of stopping aimed at the messages",
  remove_from_list: "a request to be removed or taken off a list",
  does_not_want: "a wish not to receive the messages",
  do_not_contact: "a refusal to be texted or contacted",
  no_more_messages: "a refusal of more messages",
  leave_me_alone: "a request to be left alone",
  no_consent: "a denial or withdrawal of consent",
  spam_complaint: "a complaint of spam",
  fed_up: "having had enough of the messages",
  asked_before: "a request to stop made before",
  wrong_number_words: "words for a wrong number or person",
  not_this_person: "a denial of being, or knowing, the person texted",
  number_changed: "a number that changed hands",
  owner_died: "news that the number's owner died",
  minor_age: "an age under 18",
  childs_phone: "a child's phone",
};

export const languageLabels: Record<Language, string> = {
  en: "English",
  es: "Spanish",
  fr: "French",
};

/** A stable id for a row, e.g. `p1-on-first-us` or `p2-off-later-uk`, for the tests and the keyboard. */
export function rowId(cell: PreviewCell): string {
  const contact = cell.provider === "2" ? "uk" : cell.canadian_contact ? "ca" : "us";
  const auto = cell.auto_opt_outs ? "on" : "off";
  return `p${cell.provider}-${auto}-${cell.first_response ? "first" : "later"}-${contact}`;
}

/** A stable id for one cell: its row under one rule set, e.g. `p1-on-first-us-us_2025`. */
export function cellId(cell: PreviewCell, ruleSet: RuleSet): string {
  return `${rowId(cell)}-${ruleSet}`;
}

/** "Provider 1 (US/CA) · automatic opt-outs on" */
export function groupTitle(cell: PreviewCell): string {
  const provider = cell.provider === "1" ? "Provider 1 (US/CA)" : "Provider 2 (UK)";
  return `${provider} · automatic opt-outs ${cell.auto_opt_outs ? "on" : "off"}`;
}

const contact = (cell: PreviewCell) =>
  cell.provider === "2" ? "UK contact" : cell.canadian_contact ? "Canadian contact" : "US contact";

/** "First response · Canadian contact": a row within its group. */
export function rowTitle(cell: PreviewCell): string {
  return `${cell.first_response ? "First response" : "Later response"} · ${contact(cell)}`;
}

/** The whole situation, for the explanation's heading and a cell's name. */
export function situationTitle(cell: PreviewCell): string {
  const response = cell.first_response ? "first response" : "later response";
  return `${groupTitle(cell)} · ${response} · ${contact(cell)}`;
}

/** The preview's rows grouped by provider and setting, in the engine's order. */
export function groups(cells: PreviewCell[]): PreviewCell[][] {
  const byTitle = new Map<string, PreviewCell[]>();
  for (const cell of cells) {
    const title = groupTitle(cell);
    byTitle.set(title, [...(byTitle.get(title) ?? []), cell]);
  }
  return [...byTitle.values()];
}

/** The facts of a decision, most important first. */
export function facts(outcome: Explained): Fact[] {
  const [accountText, accountTone] = account[outcome.account_opt_out];
  const [actionText, actionTone] = action[outcome.user_action];
  const provider: Fact = outcome.provider_opt_in
    ? { label: "Provider", value: "Lifts its block", tone: "calm" }
    : outcome.provider_opt_out
      ? { label: "Provider", value: "Blocks this number", tone: "stop" }
      : { label: "Provider", value: "No block", tone: "calm" };
  const delivery: Record<Explained["delivery_blocked"], Fact> = {
    yes: { label: "Delivery", value: "Blocked", tone: "stop" },
    partially: { label: "Delivery", value: "Only from this number", tone: "caution" },
    no: { label: "Delivery", value: "Still delivered", tone: "calm" },
  };
  const confirmation: Record<Explained["confirmation_sent_by"], string> = {
    account: "By the account",
    provider: "By the provider",
    none: "None",
  };
  const actionValue = outcome.review_reason ? `${actionText}: ${reviewReasonShort[outcome.review_reason]}` : actionText;
  return [
    { label: "Keyword", value: outcome.keyword ?? "None", tone: "calm" },
    { label: "Account", value: accountText, tone: accountTone },
    provider,
    delivery[outcome.delivery_blocked],
    { label: "Confirmation", value: confirmation[outcome.confirmation_sent_by], tone: "calm" },
    { label: "Action", value: actionValue, tone: actionTone },
  ];
}
