import { describe, expect, it } from "vitest";

import { clockSummary, dueLabel, dueState } from "./reviewClock";

// Noon on a Wednesday, in this computer's zone.
const now = new Date(2026, 2, 4, 12, 0, 0);
const at = (days: number, hours: number) => new Date(2026, 2, 4 + days, hours, 0, 0).toISOString();

describe("the review clock", () => {
  it("tells overdue, due today and due later apart in the admin's day", () => {
    expect(dueState(at(0, 11), now)).toBe("overdue");
    expect(dueState(at(0, 23), now)).toBe("due_today");
    expect(dueState(at(1, 0), now)).toBe("due_later");
    expect(dueState(null, now)).toBe("unknown");
    expect(dueState("not a time", now)).toBe("unknown");
  });

  it("says it in words", () => {
    expect(dueLabel(at(-2, 23), now)).toMatch(/^Overdue since /);
    expect(dueLabel(at(0, 23), now)).toMatch(/^Due today, /);
    expect(dueLabel(at(5, 23), now)).toMatch(/^Due \w/);
    expect(dueLabel(null, now)).toBe("No due date");
  });

  it("sums the queue up for the sidebar, the most urgent first", () => {
    expect(clockSummary({ open: 0, due_today: 0, overdue: 0 })).toBe("No flags to review");
    expect(clockSummary({ open: 9, due_today: 2, overdue: 3 })).toBe("3 overdue · 2 due today");
    expect(clockSummary({ open: 9, due_today: 2, overdue: 0 })).toBe("2 due today");
    expect(clockSummary({ open: 4, due_today: 0, overdue: 0 })).toBe("4 to review, none due today");
  });
});
