import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";

import type { Explained, Preview, PreviewCell, RuleChoices, RuleSet } from "../../lib/ipc";
import ProviderPreview from "./ProviderPreview.svelte";

const ruleSets: RuleSet[] = ["reference", "us_2025"];

const choices: RuleChoices = {
  rule_sets: [
    {
      rule_set: "reference",
      label: "Reference keywords",
      description: "…",
      version: "reference@1",
    },
    {
      rule_set: "us_2025",
      label: "US 2025 revocation words",
      description: "…",
      version: "us_2025@1",
    },
  ],
  review_days_min: 1,
  review_days_max: 10,
};

// A stand-in for the Rust command: STOP opts out everywhere; REVOKE only under US 2025 on
// Provider 1; a plea is flagged for review; anything else is left alone.
function fakePreview(reply: string): Preview {
  const word = reply.trim().toUpperCase();
  const cells: PreviewCell[] = [];
  for (const provider of ["1", "2"] as const)
    for (const auto_opt_outs of [true, false])
      for (const first_response of [true, false])
        for (const canadian_contact of provider === "1" ? [false, true] : [false]) {
          const outcomes = ruleSets.map((rule_set): Explained => {
            const keyword =
              word === "STOP" || (word === "REVOKE" && (rule_set === "us_2025" || provider === "2")) ? word : null;
            return {
              keyword: keyword as Explained["keyword"],
              account_opt_out: keyword ? "immediate" : "none",
              provider_opt_out: false,
              provider_opt_in: false,
              delivery_blocked: keyword ? "yes" : "no",
              confirmation_sent_by: keyword ? "account" : "none",
              user_action: keyword ? "none" : "review",
              review_reason: keyword ? null : "opt_out_request",
              review_pattern: keyword ? null : "remove_from_list",
              rule_set,
              rule_set_version: `${rule_set}@1`,
              explanation: `Explained under ${rule_set}: ${reply}`,
            };
          });
          const rule_sets_differ = outcomes[0]!.keyword !== outcomes[1]!.keyword;
          cells.push({
            provider,
            auto_opt_outs,
            first_response,
            canadian_contact,
            outcomes,
            rule_sets_differ,
          });
        }
  const isKeyword = word === "STOP" || word === "REVOKE";
  return {
    rule_sets: ruleSets,
    cells,
    highlight: isKeyword ? { before: "", matched: reply.trim(), after: "" } : null,
    review: isKeyword
      ? null
      : { reason: "opt_out_request", pattern: "remove_from_list", matched: reply, language: "en" },
  };
}

function mockRules() {
  const asked: string[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "rule_choices") return choices;
    expect(cmd).toBe("preview");
    const reply = (args as { reply: string }).reply;
    asked.push(reply);
    return fakePreview(reply);
  });
  return asked;
}

describe("ProviderPreview", () => {
  afterEach(() => clearMocks());

  it("shows twelve situations under both rule sets and explains the selected cell", async () => {
    const asked = mockRules();
    const { container } = render(ProviderPreview);
    await waitFor(() =>
      expect(container.querySelector('[data-cell="p1-on-first-us-reference"]')?.textContent).toContain("Opted out now"),
    );
    expect(container.querySelectorAll("tr[data-row]")).toHaveLength(12);
    expect(container.querySelectorAll("[data-cell]")).toHaveLength(24);
    await waitFor(() => expect(container.querySelector("thead")?.textContent).toContain("US 2025 revocation words"));
    expect(screen.getByTestId("keyword").textContent).toBe("STOP");
    expect(screen.getByTestId("explanation").textContent).toContain("Explained under reference");
    expect(container.querySelectorAll('tr[data-differs="true"]')).toHaveLength(0);
    expect(asked).toEqual(["STOP"]);

    const later = container.querySelector<HTMLButtonElement>('[data-cell="p2-off-later-uk-us_2025"]');
    await fireEvent.click(later!);
    expect(later?.getAttribute("aria-pressed")).toBe("true");
    expect(screen.getByTestId("explanation").textContent).toContain("Provider 2 (UK)");
    expect(screen.getByTestId("explanation").textContent).toContain("us_2025@1");
  });

  it("marks the rows where the rule sets decide differently", async () => {
    mockRules();
    const { container } = render(ProviderPreview);
    await fireEvent.input(screen.getByTestId("reply"), { target: { value: "REVOKE" } });
    await waitFor(() => expect(container.querySelectorAll('tr[data-differs="true"]')).toHaveLength(8));
    const row = container.querySelector('tr[data-row="p1-on-first-us"]');
    expect(row?.textContent).toContain("differs");
    expect(container.querySelector('tr[data-row="p2-on-first-uk"]')?.textContent).not.toContain("differs");
  });

  it("shows the review flag's reason, construction, words and language", async () => {
    mockRules();
    render(ProviderPreview);
    await fireEvent.input(screen.getByTestId("reply"), {
      target: { value: "please take me off your list" },
    });
    await waitFor(() => expect(screen.getByTestId("review-flag")).toBeTruthy());
    expect(screen.getByTestId("review-reason").textContent).toContain("Asks to stop");
    expect(screen.getByTestId("review-pattern").textContent).toContain("taken off a list");
    expect(screen.getByTestId("review-matched").textContent).toBe("please take me off your list");
    expect(screen.getByTestId("review-language").textContent).toBe("English");
  });

  it("shows a reply full of HTML as text and never as elements", async () => {
    mockRules();
    const { container } = render(ProviderPreview);
    const hostile = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
    await fireEvent.input(screen.getByTestId("reply"), { target: { value: hostile } });
    await waitFor(() => expect(screen.getByTestId("received").textContent).toContain(hostile));
    expect(container.querySelector("img, script")).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    expect(screen.getByTestId("explanation").textContent).toContain(hostile);
    expect(screen.getByTestId("review-matched").textContent).toBe(hostile);
  });

  it("says so when the preview fails", async () => {
    mockIPC(() => {
      throw new Error("the engine is unavailable");
    });
    render(ProviderPreview);
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("unavailable"));
  });
});
