import { fireEvent, render, screen } from "@testing-library/svelte";
import { createRawSnippet } from "svelte";
import { afterEach, describe, expect, it } from "vitest";

import type { Failure } from "../../lib/ipc";
import { navigation } from "../../lib/navigation.svelte";
import LiveReadFailed from "./LiveReadFailed.svelte";

const meaning = createRawSnippet(() => ({
  render: () => "<span>The tokens show once it is back.</span>",
}));

function shown(error: unknown) {
  render(LiveReadFailed, { error, testid: "read-failed", onretry: () => {}, children: meaning });
  return screen.getByTestId("read-failed");
}

describe("a live read from the hub that failed", () => {
  afterEach(() => navigation.go("messenger"));

  it("shows the hub offline when it cannot be reached, with what that means here", () => {
    const failure: Failure = {
      code: "unreachable",
      message: "cannot reach the hub: no connection",
    };
    const box = shown(failure);
    expect(box.textContent).toContain("The hub cannot be reached.");
    expect(box.textContent).toContain("The tokens show once it is back.");
    expect(box.textContent).not.toContain("no connection");
  });

  it("sends the admin to the hub connection when the hub refuses the token", async () => {
    navigation.go("organisation");
    const failure: Failure = {
      code: "unauthorized",
      message: "the hub refused the token: revoked",
    };
    const box = shown(failure);
    expect(box.textContent).toContain("revoked");
    await fireEvent.click(screen.getByRole("button", { name: "Check the hub connection" }));
    expect(navigation.area).toBe("settings");
    expect(navigation.place).toBe("hub_connection");
  });

  it("says any other failure in its own words", () => {
    const failure: Failure = {
      code: "protocol",
      message: "the hub sent something this app cannot use",
    };
    const box = shown(failure);
    expect(box.textContent).toContain("the hub sent something this app cannot use");
    expect(screen.queryByRole("button", { name: "Check the hub connection" })).toBeNull();
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });
});
