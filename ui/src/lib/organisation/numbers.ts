// Sender numbers as the Organisation area offers them: which numbers a campaign may take from
// another, and how a campaign is named where a number leaves it.
import type { Campaign } from "../ipc";

/** A number another campaign sends from, which `target` may take. */
export interface MovableNumber {
  phone: string;
  from: Campaign;
}

/** "“Spring” (Acme)" */
export function campaignName(campaign: Campaign): string {
  return `“${campaign.name}” (${campaign.account})`;
}

/** The provider's region in words. */
export function providerLabel(provider: Campaign["provider"]): string {
  return provider === 1 ? "Provider 1 · US and Canada" : "Provider 2 · UK";
}

/**
 * The numbers other campaigns on the same provider send from, by number: a UK number cannot
 * send for a US campaign.
 */
export function movableNumbers(campaigns: Campaign[], target: Campaign): MovableNumber[] {
  return campaigns
    .filter((c) => c.id !== target.id && c.provider === target.provider)
    .flatMap((from) => from.sender_numbers.map((phone) => ({ phone, from })))
    .sort((a, b) => a.phone.localeCompare(b.phone));
}
