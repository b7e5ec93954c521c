import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";

import type { Account } from "../../lib/ipc";
import AccountCard from "./AccountCard.svelte";

const account = {
  id: 1,
  name: "Northside Tenants Union",
  auto_opt_outs: true,
  default_opt_out_message: "",
} as unknown as Account;

describe("an account's card", () => {
  it("starts renaming afresh from the current name when Rename… is clicked again", async () => {
    render(AccountCard, { account, campaigns: [] });
    const start = screen.getByRole("button", { name: "Rename…" });
    await fireEvent.click(start);
    const typed = screen.getByRole<HTMLInputElement>("textbox", { name: "New name" });
    await fireEvent.input(typed, { target: { value: "Half-typed" } });
    await fireEvent.click(start);
    const input = screen.getByRole<HTMLInputElement>("textbox", { name: "New name" });
    expect(input.value).toBe("Northside Tenants Union");
  });
});
