// The app's areas, in the order the navigation shows them.
import type { Role } from "./ipc";

export type AreaId = "messenger" | "manager" | "lookup" | "organisation" | "settings" | "preview";

export interface Area {
  id: AreaId;
  label: string;
  /** What the area is for: the navigation's tooltip. */
  purpose: string;
  /** Only admins see it: texters cannot change how the organisation is set up. */
  adminOnly?: boolean;
}

export const areas: Area[] = [
  {
    id: "messenger",
    label: "Messenger",
    purpose: "Every conversation, including those closed by an automatic opt-out, with opt-out and opt-in at hand.",
  },
  {
    id: "manager",
    label: "Opt Out Manager",
    purpose:
      "The whole opt-out list: search, see why each opt-out happened, reverse a mistaken one, opt numbers out by hand.",
  },
  {
    id: "lookup",
    label: "Phone lookup",
    purpose: "One number: its status in every account, provider blocks per sender number, conversations and history.",
  },
  {
    id: "organisation",
    label: "Organisation",
    purpose:
      "Accounts, their campaigns and sender numbers, and the people and systems that may act, with their tokens.",
    adminOnly: true,
  },
  {
    id: "settings",
    label: "Settings",
    purpose: "Per account: automatic opt-outs, the keywords they act on, the review clock and the messages.",
  },
  {
    id: "preview",
    label: "Provider preview",
    purpose: "Type a reply and see what each provider, and the account, would do with it.",
  },
];

/** The areas someone with `role` sees; before the hub has said who they are, those anyone sees. */
export function areasFor(role: Role | null | undefined): Area[] {
  return areas.filter((area) => !area.adminOnly || role === "admin");
}
