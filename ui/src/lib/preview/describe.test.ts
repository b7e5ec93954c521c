import { describe, expect, it } from "vitest";

import type { PreviewCell } from "../ipc";
import { cellId, facts, situationTitle } from "./describe";

const base: PreviewCell = {
  provider: "1",
  auto_opt_outs: true,
  first_response: true,
  keyword: "STOP",
  account_opt_out: "immediate",
  provider_opt_out: false,
  provider_opt_in: false,
  delivery_blocked: "yes",
  confirmation_sent_by: "account",
  user_action: "none",
  review_reason: null,
  explanation: "…",
};

describe("describe", () => {
  it("names cells and situations", () => {
    expect(cellId(base)).toBe("p1-on-first");
    expect(cellId({ ...base, provider: "2", auto_opt_outs: false, first_response: false })).toBe(
      "p2-off-later",
    );
    expect(situationTitle(base)).toBe(
      "Provider 1 (US/CA) · automatic opt-outs on · first response",
    );
  });

  it("puts the account's opt-out first and marks it as a stop", () => {
    const [account, , delivery, confirmation, action] = facts(base);
    expect(account).toEqual({ label: "Account", value: "Opted out now", tone: "stop" });
    expect(delivery?.value).toBe("Blocked");
    expect(confirmation?.value).toBe("By the account");
    expect(action?.tone).toBe("calm");
  });

  it("spells out the deferred case and the review reason", () => {
    const deferred = facts({
      ...base,
      provider: "2",
      account_opt_out: "deferred",
      provider_opt_out: true,
      delivery_blocked: "partially",
      user_action: "manual_opt_out",
    });
    expect(deferred.map((f) => f.value)).toContain("Only from this number");
    expect(deferred[1]?.value).toBe("Blocks this number");
    const flagged = facts({
      ...base,
      keyword: null,
      account_opt_out: "none",
      delivery_blocked: "no",
      confirmation_sent_by: "none",
      user_action: "review",
      review_reason: "wrong_number",
    });
    expect(flagged[4]).toEqual({
      label: "Action",
      value: "Review: wrong number",
      tone: "attention",
    });
  });
});
