// Generated from the Rust types by `./x bindings`. Do not edit by hand.

export type Provider = "1" | "2";

export type Keyword = "STOP" | "STOPALL" | "UNSUBSCRIBE" | "CANCEL" | "END" | "QUIT" | "REVOKE" | "OPTOUT";

export type AccountOptOut = "immediate" | "deferred" | "none";

export type DeliveryBlocked = "yes" | "no" | "partially";

export type ConfirmationSender = "account" | "provider" | "none";

export type UserAction = "none" | "manual_opt_out" | "review";

export type ReviewReason = "opt_out_request" | "wrong_number";

export type Situation = { 
/**
 * The campaign's provider.
 */
provider: Provider, 
/**
 * The account's automatic opt-outs setting.
 */
auto_opt_outs: boolean, 
/**
 * Whether this is the contact's first response to the initial message.
 */
first_response: boolean, };

export type Decision = { 
/**
 * The keyword of the provider's list that the reply is, if any.
 */
keyword: Keyword | null, 
/**
 * What happens to the number in the account.
 */
account_opt_out: AccountOptOut, 
/**
 * Whether the provider blocks the sender number for this contact.
 */
provider_opt_out: boolean, 
/**
 * Whether the provider lifts its block on the sender number (START on Provider 2).
 */
provider_opt_in: boolean, 
/**
 * Whether further messages are stopped.
 */
delivery_blocked: DeliveryBlocked, 
/**
 * Who sends the confirmation.
 */
confirmation_sent_by: ConfirmationSender, 
/**
 * What a person has to do.
 */
user_action: UserAction, 
/**
 * Why the reply needs review; `None` unless `user_action` is `Review`.
 */
review_reason: ReviewReason | null, };

export type Explained = { 
/**
 * One paragraph in plain words, ending with the rule applied.
 */
explanation: string, 
/**
 * The keyword of the provider's list that the reply is, if any.
 */
keyword: Keyword | null, 
/**
 * What happens to the number in the account.
 */
account_opt_out: AccountOptOut, 
/**
 * Whether the provider blocks the sender number for this contact.
 */
provider_opt_out: boolean, 
/**
 * Whether the provider lifts its block on the sender number (START on Provider 2).
 */
provider_opt_in: boolean, 
/**
 * Whether further messages are stopped.
 */
delivery_blocked: DeliveryBlocked, 
/**
 * Who sends the confirmation.
 */
confirmation_sent_by: ConfirmationSender, 
/**
 * What a person has to do.
 */
user_action: UserAction, 
/**
 * Why the reply needs review; `None` unless `user_action` is `Review`.
 */
review_reason: ReviewReason | null, };

export type PreviewCell = { 
/**
 * The campaign's provider.
 */
provider: Provider, 
/**
 * The account's automatic opt-outs setting.
 */
auto_opt_outs: boolean, 
/**
 * Whether this is the contact's first response to the initial message.
 */
first_response: boolean, 
/**
 * One paragraph in plain words, ending with the rule applied.
 */
explanation: string, 
/**
 * The keyword of the provider's list that the reply is, if any.
 */
keyword: Keyword | null, 
/**
 * What happens to the number in the account.
 */
account_opt_out: AccountOptOut, 
/**
 * Whether the provider blocks the sender number for this contact.
 */
provider_opt_out: boolean, 
/**
 * Whether the provider lifts its block on the sender number (START on Provider 2).
 */
provider_opt_in: boolean, 
/**
 * Whether further messages are stopped.
 */
delivery_blocked: DeliveryBlocked, 
/**
 * Who sends the confirmation.
 */
confirmation_sent_by: ConfirmationSender, 
/**
 * What a person has to do.
 */
user_action: UserAction, 
/**
 * Why the reply needs review; `None` unless `user_action` is `Review`.
 */
review_reason: ReviewReason | null, };

export type Highlight = { 
/**
 * Text before the keyword.
 */
before: string, 
/**
 * The keyword as the contact wrote it.
 */
matched: string, 
/**
 * Text after the keyword.
 */
after: string, };

export type Preview = { 
/**
 * The eight cells, in [`Situation::all`] order.
 */
cells: Array<PreviewCell>, 
/**
 * Where the keyword sits in the reply, when the reply is a keyword of either provider.
 */
highlight: Highlight | null, };
