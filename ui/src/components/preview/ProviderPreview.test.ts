import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";

import type { Preview, PreviewCell } from "../../lib/ipc";
import ProviderPreview from "./ProviderPreview.svelte";

// A stand-in for the Rust command: STOP opts out everywhere, anything else is left alone.
function fakePreview(reply: string): Preview {
  const isStop = reply.trim().toUpperCase() === "STOP";
  const cells: PreviewCell[] = [];
  for (const provider of ["1", "2"] as const)
    for (const auto_opt_outs of [true, false])
      for (const first_response of [true, false])
        cells.push({
          provider,
          auto_opt_outs,
          first_response,
          keyword: isStop ? "STOP" : null,
          account_opt_out: isStop ? "immediate" : "none",
          provider_opt_out: false,
          provider_opt_in: false,
          delivery_blocked: isStop ? "yes" : "no",
          confirmation_sent_by: isStop ? "account" : "none",
          user_action: "none",
          review_reason: null,
          explanation: `Explained: ${reply}`,
        });
  return {
    cells,
    highlight: isStop ? { before: "", matched: reply.trim(), after: "" } : null,
  };
}

describe("ProviderPreview", () => {
  afterEach(() => clearMocks());

  it("shows the matrix for the reply and the explanation of the selected cell", async () => {
    const asked: string[] = [];
    mockIPC((cmd, args) => {
      expect(cmd).toBe("preview");
      const reply = (args as { reply: string }).reply;
      asked.push(reply);
      return fakePreview(reply);
    });
    const { container } = render(ProviderPreview);
    await waitFor(() =>
      expect(container.querySelector('[data-cell="p1-on-first"]')?.textContent).toContain(
        "Opted out now",
      ),
    );
    expect(container.querySelectorAll("[data-cell]")).toHaveLength(8);
    expect(screen.getByTestId("keyword").textContent).toBe("STOP");
    expect(screen.getByTestId("explanation").textContent).toContain("Explained: STOP");
    expect(asked).toEqual(["STOP"]);
  });

  it("shows a reply full of HTML as text and never as elements", async () => {
    mockIPC((_cmd, args) => fakePreview((args as { reply: string }).reply));
    const { container } = render(ProviderPreview);
    const hostile = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
    await fireEvent.input(screen.getByTestId("reply"), { target: { value: hostile } });
    await waitFor(() => expect(screen.getByTestId("received").textContent).toContain(hostile));
    expect(container.querySelector("img, script")).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    expect(screen.getByTestId("explanation").textContent).toContain(hostile);
  });

  it("says so when the preview fails", async () => {
    mockIPC(() => {
      throw new Error("the engine is unavailable");
    });
    render(ProviderPreview);
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("unavailable"));
  });
});
