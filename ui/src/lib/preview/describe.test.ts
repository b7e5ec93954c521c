import { describe, expect, it } from "vitest";

import type { Explained, PreviewCell } from "../ipc";
import { cellId, facts, groups, rowId, rowTitle, situationTitle } from "./describe";

const stop: Explained = {
  keyword: "STOP",
  account_opt_out: "immediate",
  provider_opt_out: false,
  provider_opt_in: false,
  delivery_blocked: "yes",
  confirmation_sent_by: "account",
  user_action: "none",
  review_reason: null,
  review_pattern: null,
  rule_set: "reference",
  rule_set_version: "reference@1",
  explanation: "…",
};

const row: PreviewCell = {
  provider: "1",
  auto_opt_outs: true,
  first_response: true,
  canadian_contact: false,
  outcomes: [stop, { ...stop, rule_set: "us_2025", rule_set_version: "us_2025@1" }],
  rule_sets_differ: false,
};

describe("describe", () => {
  it("names rows, cells and situations", () => {
    expect(rowId(row)).toBe("p1-on-first-us");
    expect(rowId({ ...row, canadian_contact: true, first_response: false })).toBe("p1-on-later-ca");
    expect(rowId({ ...row, provider: "2", auto_opt_outs: false })).toBe("p2-off-first-uk");
    expect(cellId(row, "us_2025")).toBe("p1-on-first-us-us_2025");
    expect(rowTitle({ ...row, canadian_contact: true })).toBe("First response · Canadian contact");
    expect(situationTitle(row)).toBe("Provider 1 (US/CA) · automatic opt-outs on · first response · US contact");
  });

  it("groups the twelve rows by provider and setting, in order", () => {
    const cells: PreviewCell[] = [];
    for (const provider of ["1", "2"] as const)
      for (const auto_opt_outs of [true, false])
        for (const first_response of [true, false])
          for (const canadian_contact of provider === "1" ? [false, true] : [false])
            cells.push({ ...row, provider, auto_opt_outs, first_response, canadian_contact });
    expect(cells).toHaveLength(12);
    expect(groups(cells).map((g) => g.length)).toEqual([4, 4, 2, 2]);
  });

  it("puts the keyword and the account's opt-out first and marks it as a stop", () => {
    const [keyword, account, , delivery, confirmation, action] = facts(stop);
    expect(keyword?.value).toBe("STOP");
    expect(account).toEqual({ label: "Account", value: "Opted out now", tone: "stop" });
    expect(delivery?.value).toBe("Blocked");
    expect(confirmation?.value).toBe("By the account");
    expect(action?.tone).toBe("calm");
  });

  it("spells out the deferred case and every review reason", () => {
    const deferred = facts({
      ...stop,
      account_opt_out: "deferred",
      provider_opt_out: true,
      delivery_blocked: "partially",
      user_action: "manual_opt_out",
    });
    expect(deferred.map((f) => f.value)).toContain("Only from this number");
    expect(deferred[2]?.value).toBe("Blocks this number");
    const flagged = (review_reason: Explained["review_reason"]) =>
      facts({
        ...stop,
        keyword: null,
        account_opt_out: "none",
        delivery_blocked: "no",
        confirmation_sent_by: "none",
        user_action: "review",
        review_reason,
      })[5];
    expect(flagged("wrong_number")).toEqual({
      label: "Action",
      value: "Review: wrong number",
      tone: "attention",
    });
    expect(flagged("deceased")?.value).toBe("Review: owner has died");
    expect(flagged("minor")?.value).toBe("Review: a child's phone");
    expect(facts({ ...stop, keyword: null })[0]?.value).toBe("None");
  });
});
