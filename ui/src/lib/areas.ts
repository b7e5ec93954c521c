// The app's five areas, in the order the navigation shows them.
export type AreaId = "messenger" | "manager" | "lookup" | "settings" | "preview";

export interface Area {
  id: AreaId;
  label: string;
  /** What the area is for: the navigation's tooltip. */
  purpose: string;
}

export const areas: Area[] = [
  {
    id: "messenger",
    label: "Messenger",
    purpose:
      "Every conversation, including those closed by an automatic opt-out, with opt-out and opt-in at hand.",
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
    purpose:
      "One number: its status in every account, provider blocks per sender number, conversations and history.",
  },
  {
    id: "settings",
    label: "Settings",
    purpose:
      "Automatic opt-outs per account, the confirmation message and the default opt-out message.",
  },
  {
    id: "preview",
    label: "Provider preview",
    purpose: "Type a reply and see what each provider, and the account, would do with it.",
  },
];
