import { describe, expect, it } from "vitest";

import { areasFor } from "./areas";

describe("areas", () => {
  it("shows the Organisation to admins only", () => {
    expect(areasFor("admin").map((a) => a.id)).toContain("organisation");
    expect(areasFor("texter").map((a) => a.id)).not.toContain("organisation");
    expect(areasFor(null)).toHaveLength(5);
  });
});
