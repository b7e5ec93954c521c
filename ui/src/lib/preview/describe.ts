// Words and tones for the rules engine's decisions, as the preview shows them.
import type { AccountOptOut, PreviewCell, ReviewReason, Situation, UserAction } from "../ipc";

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

const review: Record<ReviewReason, string> = {
  opt_out_request: "asks to stop",
  wrong_number: "wrong number",
};

/** A stable id for a cell, e.g. `p1-on-first`, used by the tests and the keyboard. */
export function cellId(s: Situation): string {
  return `p${s.provider}-${s.auto_opt_outs ? "on" : "off"}-${s.first_response ? "first" : "later"}`;
}

/** "Provider 1 (US/CA) · automatic opt-outs on · first response" */
export function situationTitle(s: Situation): string {
  const provider = s.provider === "1" ? "Provider 1 (US/CA)" : "Provider 2 (UK)";
  const auto = `automatic opt-outs ${s.auto_opt_outs ? "on" : "off"}`;
  const response = s.first_response ? "first response" : "later response";
  return `${provider} · ${auto} · ${response}`;
}

/** The facts of a decision, most important first. */
export function facts(cell: PreviewCell): Fact[] {
  const [accountText, accountTone] = account[cell.account_opt_out];
  const [actionText, actionTone] = action[cell.user_action];
  const provider: Fact = cell.provider_opt_in
    ? { label: "Provider", value: "Lifts its block", tone: "calm" }
    : cell.provider_opt_out
      ? { label: "Provider", value: "Blocks this number", tone: "stop" }
      : { label: "Provider", value: "No block", tone: "calm" };
  const delivery: Record<PreviewCell["delivery_blocked"], Fact> = {
    yes: { label: "Delivery", value: "Blocked", tone: "stop" },
    partially: { label: "Delivery", value: "Only from this number", tone: "caution" },
    no: { label: "Delivery", value: "Still delivered", tone: "calm" },
  };
  const confirmation: Record<PreviewCell["confirmation_sent_by"], string> = {
    account: "By the account",
    provider: "By the provider",
    none: "None",
  };
  const actionValue = cell.review_reason
    ? `${actionText}: ${review[cell.review_reason]}`
    : actionText;
  return [
    { label: "Account", value: accountText, tone: accountTone },
    provider,
    delivery[cell.delivery_blocked],
    { label: "Confirmation", value: confirmation[cell.confirmation_sent_by], tone: "calm" },
    { label: "Action", value: actionValue, tone: actionTone },
  ];
}
