import { describe, expect, it } from "vitest";

import type { Campaign, Token } from "../ipc";
import { campaignName, movableNumbers, providerLabel } from "./numbers";
import { lastUsed, sortedTokens } from "./tokens";

const campaign = (id: number, provider: Campaign["provider"], numbers: string[]): Campaign => ({
  id,
  account: "Acme",
  name: `C${id}`,
  provider,
  active: true,
  sender_numbers: numbers,
  retired_numbers: ["+12015550199"],
});

describe("sender numbers", () => {
  it("offers to move only live numbers of other campaigns on the same provider", () => {
    const target = campaign(1, 1, ["+12015550100"]);
    const all = [target, campaign(2, 1, ["+12015550102", "+12015550101"]), campaign(3, 2, ["+447400111222"])];
    const movable = movableNumbers(all, target);
    expect(movable.map((m) => m.phone)).toEqual(["+12015550101", "+12015550102"]);
    expect(movable.every((m) => m.from.id === 2)).toBe(true);
    expect(campaignName(all[1]!)).toBe("“C2” (Acme)");
    expect(providerLabel(2)).toBe("Provider 2 · UK");
  });
});

describe("tokens", () => {
  const token = (id: number, created_at: string, revoked_at: string | null): Token => ({
    id,
    name: `t${id}`,
    role: "texter",
    created_at,
    created_by: "ada",
    last_used_at: null,
    revoked_at,
  });

  it("lists live tokens first, newest first", () => {
    const sorted = sortedTokens([
      token(1, "2026-01-01T00:00:00Z", null),
      token(2, "2026-02-01T00:00:00Z", "2026-02-02T00:00:00Z"),
      token(3, "2026-03-01T00:00:00Z", null),
    ]);
    expect(sorted.map((t) => t.id)).toEqual([3, 1, 2]);
    expect(lastUsed(sorted[0]!)).toBe("Never");
  });
});
