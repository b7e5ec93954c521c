import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";

import RenameForm from "./RenameForm.svelte";

function shown() {
  const asked: string[] = [];
  let cancelled = false;
  render(RenameForm, {
    current: "Northside Tenants Union",
    onrename: async (name: string) => {
      asked.push(name);
    },
    oncancel: () => (cancelled = true),
  });
  return { asked, cancelled: () => cancelled };
}

describe("renaming in place", () => {
  it("starts from the current name and renames to what the admin typed", async () => {
    const { asked } = shown();
    const input = screen.getByRole<HTMLInputElement>("textbox", { name: "New name" });
    expect(input.value).toBe("Northside Tenants Union");
    await fireEvent.input(input, { target: { value: "Northside Tenants" } });
    await fireEvent.click(screen.getByRole("button", { name: "Rename" }));
    expect(asked).toEqual(["Northside Tenants"]);
  });

  it("renames nothing when the admin cancels", async () => {
    const { asked, cancelled } = shown();
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(cancelled()).toBe(true);
    expect(asked).toEqual([]);
  });
});
