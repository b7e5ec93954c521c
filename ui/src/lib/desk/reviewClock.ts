// A review flag against its clock: overdue, due today, due later. Times are stored in UTC and
// the day is the admin's own.
import type { ReviewCounts } from "../ipc";
import { when } from "./format";

export type DueState = "overdue" | "due_today" | "due_later" | "unknown";

/** Where a flag due at `due` stands at `now`, in this computer's day. */
export function dueState(due: string | null | undefined, now: Date): DueState {
  if (!due) return "unknown";
  const at = new Date(due);
  if (Number.isNaN(at.getTime())) return "unknown";
  if (at.getTime() < now.getTime()) return "overdue";
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return at.getTime() < tomorrow.getTime() ? "due_today" : "due_later";
}

/** "Overdue since 12 Dec 2025, 23:59", "Due today, 23:59", "Due 12 Dec 2025, 23:59". */
export function dueLabel(due: string | null | undefined, now: Date): string {
  const state = dueState(due, now);
  switch (state) {
    case "unknown":
      return "No due date";
    case "overdue":
      return `Overdue since ${when(due)}`;
    case "due_today": {
      const time = new Date(due as string).toLocaleTimeString(undefined, {
        hour: "2-digit",
        minute: "2-digit",
      });
      return `Due today, ${time}`;
    }
    case "due_later":
      return `Due ${when(due)}`;
  }
}

/** The sidebar's line: what needs settling soonest. */
export function clockSummary(counts: ReviewCounts): string {
  if (counts.open === 0) return "No flags to review";
  const parts: string[] = [];
  if (counts.overdue > 0) parts.push(`${counts.overdue} overdue`);
  if (counts.due_today > 0) parts.push(`${counts.due_today} due today`);
  if (parts.length === 0) return `${counts.open} to review, none due today`;
  return parts.join(" · ");
}
