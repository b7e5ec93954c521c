// Generated from the Rust types by `./x bindings`. Do not edit by hand.

export type Account = { 
/**
 * The hub's id.
 */
id: number, 
/**
 * Unique name.
 */
name: string, 
/**
 * Whether a keyword as first response opts the contact out by itself.
 */
auto_opt_outs: boolean, 
/**
 * Sent after an automatic opt-out, when the account sends one. Empty: none.
 */
confirmation_message: string, 
/**
 * Offered when a person opts a contact out by hand.
 */
default_opt_out_message: string, 
/**
 * The keywords its automatic opt-outs act on.
 */
rule_set: RuleSet, 
/**
 * Business days a review flag may wait before it is overdue (at most 10, the US rules'
 * limit for honouring a revocation).
 */
review_days: number, 
/**
 * When the account was added.
 */
created_at: string, };

export type AccountOptOut = "immediate" | "deferred" | "none";

export type AccountSettings = { 
/**
 * Made by the client; the same id twice is one change. A new one when left out.
 */
command_id?: string | null, 
/**
 * A new name: unique, also in another case, width or spacing.
 */
name?: string | null, 
/**
 * Automatic opt-outs on or off.
 */
auto_opt_outs: boolean | null, 
/**
 * The confirmation message.
 */
confirmation_message: string | null, 
/**
 * The default opt-out message.
 */
default_opt_out_message: string | null, 
/**
 * The keywords automatic opt-outs act on.
 */
rule_set?: RuleSet | null, 
/**
 * Business days a review flag may wait, 1 to 10.
 */
review_days?: number | null, };

export type AccountStanding = { 
/**
 * The account.
 */
account: string, 
/**
 * The opt-out in force, if any.
 */
opt_out: OptOut | null, };

export type Actor = { 
/**
 * A name a person recognises: an admin's name, a token's name, `rules`.
 */
name: string, 
/**
 * What they may do.
 */
role: Role, };

export type Answer = { "status": "accepted", 
/**
 * What the hub returned.
 */
outcome: JsonValue, } | { "status": "refused", 
/**
 * A stable code, such as `opted_out_again`.
 */
code: string, 
/**
 * Why, for the admin.
 */
message: string, };

export type Campaign = { 
/**
 * The hub's id.
 */
id: number, 
/**
 * The account's name.
 */
account: string, 
/**
 * The campaign's name, unique in its account.
 */
name: string, 
/**
 * Provider 1: US and Canada; provider 2: the UK. Written as the number.
 */
provider: 1 | 2, 
/**
 * Whether the campaign still texts.
 */
active: boolean, 
/**
 * The numbers it sends from, E.164.
 */
sender_numbers: Array<string>, 
/**
 * Numbers it sent from and no longer does: their conversations stay with it, and a late
 * reply to one still counts.
 */
retired_numbers: Array<string>, };

export type CampaignRate = { 
/**
 * The account.
 */
account: string, 
/**
 * The campaign.
 */
campaign: string, 
/**
 * Provider 1 or 2, written as its number.
 */
provider: 1 | 2, 
/**
 * Contacts it texted.
 */
contacts: number, 
/**
 * Of them, opted out of the account now.
 */
opted_out: number, 
/**
 * `opted_out / contacts`, 0 to 1.
 */
rate: number, };

export type ConfirmationSender = "account" | "provider" | "none";

export type ConversationDetail = { 
/**
 * The conversation.
 */
conversation: ConversationRow, 
/**
 * Its messages, oldest first.
 */
messages: Array<MessageRow>, 
/**
 * The opt-out in force in the account, with the reply and rule that caused it.
 */
opt_out: OptOut | null, 
/**
 * Every opt-out of the contact in this account, newest first (to warn before an opt-in
 * when the contact asked to stop themselves).
 */
history: Array<OptOut>, 
/**
 * The requests to stop that came while the contact was already opted out of this account,
 * oldest first.
 */
requests: Array<StopRequest>, };

export type ConversationFilter = { 
/**
 * One account only.
 */
account: string | null, 
/**
 * One campaign only, by id.
 */
campaign_id: number | null, 
/**
 * A number (any format) or part of a contact's name.
 */
search: string | null, 
/**
 * Which conversations.
 */
view: ConversationView, };

export type ConversationPage = { 
/**
 * The conversations.
 */
conversations: Array<ConversationRow>, 
/**
 * Pass this back for the next page; `None` on the last.
 */
next: string | null, };

export type ConversationRow = { 
/**
 * The hub's id.
 */
id: number, 
/**
 * The account.
 */
account: string, 
/**
 * The campaign.
 */
campaign: string, 
/**
 * Provider 1 (US/CA) or 2 (UK), written as its number.
 */
provider: 1 | 2, 
/**
 * The sender number.
 */
sender_phone: string, 
/**
 * The contact's number.
 */
contact_phone: string, 
/**
 * The contact's name, as the campaign had it.
 */
contact_name: string | null, 
/**
 * Why an admin should look, if the rules flagged it.
 */
review_reason: string | null, 
/**
 * When the open flag was raised: the reply's time.
 */
review_raised_at: string | null, 
/**
 * When the open flag must be settled by: the account's business days after it was raised.
 */
review_due_at: string | null, 
/**
 * The latest message.
 */
last_message: string | null, 
/**
 * When the latest message was.
 */
last_at: string | null, 
/**
 * The source of the opt-out in force in the account, if the contact is opted out.
 */
opted_out: Source | null, 
/**
 * Whether the provider blocks this sender number for this contact.
 */
provider_blocked: boolean, };

export type ConversationView = "all" | "needs_review" | "auto_opt_outs" | "opted_out" | "provider_blocked";

export type DayOfOptOuts = { 
/**
 * The day, `YYYY-MM-DD`, in the admin's time zone.
 */
day: string, 
/**
 * Automatic: a keyword reply.
 */
keyword_reply: number, 
/**
 * By hand.
 */
manual: number, 
/**
 * After a provider block.
 */
provider_block: number, 
/**
 * From imported lists.
 */
import: number, 
/**
 * From other systems.
 */
api: number, };

export type DeliveryBlocked = "yes" | "no" | "partially";

export type DeskStatus = { 
/**
 * Which hub.
 */
mode: HubMode, 
/**
 * The hub, in words: its file or its address.
 */
hub: string, 
/**
 * Who the hub takes this app to be, once it has said.
 */
actor: Actor | null, 
/**
 * Work before the first sync, such as building the demo organisation.
 */
preparing: string | null, 
/**
 * The sync.
 */
sync: Status, 
/**
 * The last change the cache holds: when it moves, what the window shows may have changed.
 */
cursor: number, 
/**
 * True while this computer has no hub yet and the admin has not chosen how to begin: no
 * desk runs, and the window asks ([`crate::Session::begin`]).
 */
first_run: boolean, 
/**
 * The open review flags against the clock, in this computer's time zone.
 */
review: ReviewCounts, };

export type Explained = { 
/**
 * One paragraph in plain words, ending with the rule set and the rule applied.
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
review_reason: ReviewReason | null, 
/**
 * The construction the review flag read, with `review_reason`. [`crate::review`] gives the
 * words it matched.
 */
review_pattern: ReviewPattern | null, 
/**
 * The rule set the decision was made under.
 */
rule_set: RuleSet, 
/**
 * The rule set's version ([`RuleSet::version`]), stored with what the decision causes.
 */
rule_set_version: string, };

export type Failure = { 
/**
 * What kind of failure, to branch on.
 */
code: FailureCode, 
/**
 * What happened, for the admin.
 */
message: string, };

export type FailureCode = "invalid" | "unreachable" | "unauthorized" | "protocol" | "storage" | "other_hub" | "first_run" | "cancelled";

export type FilePurpose = "import" | "export" | "review_log";

export type FirstRunChoice = "demo" | "own";

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

export type HubMode = "embedded" | "remote";

export type ImportSummary = { 
/**
 * Data rows read (the header is not counted).
 */
rows: number, 
/**
 * Numbers opted out by this import.
 */
opted_out: number, 
/**
 * Numbers that were already opted out of the account: counted, not duplicated.
 */
already_opted_out: number, 
/**
 * Rows whose number appeared earlier in the file.
 */
duplicates: number, 
/**
 * Rows refused; see `errors`.
 */
rejected: number, 
/**
 * The first [`MAX_ROW_ERRORS`] refused rows, with their line and why.
 */
errors: Array<RowError>, 
/**
 * Refused rows past the first [`MAX_ROW_ERRORS`], counted but not listed.
 */
errors_left_out: number, 
/**
 * Every refused row, counted by its reason.
 */
rejected_by_reason: { [key in string]: number }, 
/**
 * The line an interrupted earlier run of this import had reached, if this run resumed it.
 */
resumed_at_line: number | null, 
/**
 * The columns beside the number that the import kept, as the header names them: the date
 * each opt-out happened, its reason, its campaign.
 */
history_columns: Array<string>, 
/**
 * Opt-outs that keep the date the file gives them.
 */
dated: number, 
/**
 * The first [`MAX_ROW_ERRORS`] rows imported with the import's time, as their date could
 * not be read.
 */
warnings: Array<RowError>, 
/**
 * Such rows past those listed.
 */
warnings_left_out: number, 
/**
 * Whether this only says what the import would do: nothing was written.
 */
dry_run: boolean, };

export type Job = { 
/**
 * Its id, to ask again or cancel.
 */
id: number, 
/**
 * What it does.
 */
kind: JobKind, 
/**
 * The file.
 */
file: string, 
/**
 * Where it stands.
 */
state: JobState, 
/**
 * How far, 0 to 100.
 */
percent: number, 
/**
 * Rows done so far.
 */
rows: number, 
/**
 * An import's result, when it is done.
 */
import: ImportSummary | null, 
/**
 * Why it failed.
 */
error: Failure | null, };

export type JobKind = "import" | "export";

export type JobState = "running" | "done" | "cancelled" | "failed";

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

export type Keyword = "STOP" | "STOPALL" | "UNSUBSCRIBE" | "CANCEL" | "END" | "QUIT" | "REVOKE" | "OPTOUT" | "ARRET";

export type Language = "en" | "es" | "fr";

export type MadeToken = { 
/**
 * The command that makes it.
 */
item: OutboxItem, 
/**
 * The secret, to give its holder once.
 */
secret: string, };

export type MessageRow = { 
/**
 * The hub's id.
 */
id: number, 
/**
 * `outgoing` (from the campaign) or `incoming` (the contact's reply).
 */
direction: string, 
/**
 * The text, exactly as sent: shown as text, never as markup.
 */
body: string, 
/**
 * When.
 */
at: string, };

export type NumberRecord = { 
/**
 * The number, E.164.
 */
phone: string, 
/**
 * Its standing in every account, by name.
 */
accounts: Array<AccountStanding>, 
/**
 * The provider's blocks per sender number, in force or lifted.
 */
provider_blocks: Array<ProviderBlock>, 
/**
 * Its conversations, newest first.
 */
conversations: Array<ConversationRow>, 
/**
 * Every opt-out of the number in any account, newest first, each with the opt-in that
 * reversed it.
 */
history: Array<OptOut>, 
/**
 * The requests to stop that came while the number was already opted out, oldest first;
 * each names the opt-out it came after.
 */
requests: Array<StopRequest>, };

export type OptIn = { 
/**
 * The hub's id.
 */
id: number, 
/**
 * The opt-out it reverses.
 */
opt_out_id: number, 
/**
 * The admin.
 */
actor: string, 
/**
 * Why.
 */
reason: string, 
/**
 * When.
 */
created_at: string, };

export type OptOut = { 
/**
 * The hub's id; an opt-in names it.
 */
id: number, 
/**
 * The account it applies to.
 */
account: string, 
/**
 * The number, E.164.
 */
phone: string, 
/**
 * Why.
 */
source: Source, 
/**
 * Who: a person, a token, or `rules`.
 */
actor: string, 
/**
 * In words.
 */
reason: string, 
/**
 * The reply that caused it, when one did.
 */
evidence: string | null, 
/**
 * The sender number involved, when one was.
 */
sender_phone: string | null, 
/**
 * The rule applied, for opt-outs the rules made.
 */
rule: string | null, 
/**
 * The rule set and its version that decided, for opt-outs the rules made (`us_2025@1`).
 */
rule_set: string | null, 
/**
 * When.
 */
created_at: string, 
/**
 * The opt-in that reversed it, if one did.
 */
reversed_by: OptIn | null, };

export type OptOutListPage = { 
/**
 * The opt-outs.
 */
opt_outs: Array<OptOut>, 
/**
 * Pass this back for the next page; `None` on the last.
 */
next: string | null, 
/**
 * How many opt-outs match the filter, on every page.
 */
total: number, };

export type OptOutQuery = { 
/**
 * One account only.
 */
account: string | null, 
/**
 * One source only.
 */
source: Source | null, 
/**
 * Recorded at or after.
 */
from: string | null, 
/**
 * Recorded before.
 */
to: string | null, 
/**
 * A number in any format, or the start of one (`+44`, `415 55`).
 */
phone: string | null, 
/**
 * Reversed opt-outs too.
 */
include_reversed: boolean, 
/**
 * Oldest first instead of newest first.
 */
oldest_first: boolean, };

export type OutboxItem = { 
/**
 * The command's id.
 */
id: string, 
/**
 * `opt_out`, `opt_in` or `settings`.
 */
kind: string, 
/**
 * What it does, in a line.
 */
summary: string, 
/**
 * Where it stands.
 */
status: OutboxStatus, 
/**
 * The hub's answer, once settled.
 */
answer: Answer | null, 
/**
 * How often it has been sent without an answer.
 */
attempts: number, 
/**
 * Why the last attempt got no answer.
 */
last_error: string | null, 
/**
 * When the admin did it.
 */
created_at: string, };

export type OutboxStatus = "pending" | "accepted" | "refused";

export type Preview = { 
/**
 * The columns: every rule set, in [`RuleSet::ALL`] order.
 */
rule_sets: Array<RuleSet>, 
/**
 * The rows, in [`Situation::all`] order.
 */
cells: Array<PreviewCell>, 
/**
 * Where the keyword sits in the reply, when the reply is a keyword of any list.
 */
highlight: Highlight | null, 
/**
 * What the review flag reads in the reply, the same in every situation: why it needs an
 * admin, the construction and the words that matched. Situations where the reply is a
 * keyword of the list act on it instead.
 */
review: Review | null, };

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
 * Whether the reply is the contact's first response.
 */
first_response: boolean, 
/**
 * Whether the contact's number is Canadian.
 */
canadian_contact: boolean, 
/**
 * What happens under each rule set: `outcomes[i]` is decided under `Preview::rule_sets[i]`.
 */
outcomes: Array<Explained>, 
/**
 * Whether the rule sets decide this situation differently, so that a screen can mark the row.
 */
rule_sets_differ: boolean, };

export type Provider = "1" | "2";

export type ProviderBlock = { 
/**
 * The hub's id.
 */
id: number, 
/**
 * The sender number the provider blocks.
 */
sender_phone: string, 
/**
 * The contact.
 */
contact_phone: string, 
/**
 * When the keyword arrived.
 */
created_at: string, 
/**
 * When the contact resubscribed (START), if they did.
 */
lifted_at: string | null, };

export type ProviderConnection = { 
/**
 * `twilio`, `telnyx` or `bandwidth`.
 */
provider: string, 
/**
 * When its secret was set.
 */
updated_at: string, 
/**
 * Who set it.
 */
updated_by: string, 
/**
 * Genuine callbacks received.
 */
genuine: number, 
/**
 * The latest genuine callback: whether the provider reaches the hub.
 */
last_genuine_at: string | null, 
/**
 * Callbacks refused as not genuine (a wrong secret, a forgery, a stale timestamp).
 */
refused: number, 
/**
 * The latest refused, and why.
 */
last_refused_at: string | null, 
/**
 * Why the latest was refused.
 */
last_refused_why: string | null, 
/**
 * Genuine callbacks for a number no campaign sends from: stored nowhere, answered so that
 * the provider does not retry, counted here for the admin to add the number.
 */
unknown_senders: number, 
/**
 * The latest such number.
 */
last_unknown_sender: string | null, 
/**
 * When it came.
 */
last_unknown_sender_at: string | null, };

export type ProviderSetup = { "provider": "twilio", 
/**
 * The auth token, from Twilio's console.
 */
auth_token: string, } | { "provider": "telnyx", 
/**
 * The public key, from the Telnyx portal.
 */
public_key: string, } | { "provider": "bandwidth", 
/**
 * The user name.
 */
username: string, 
/**
 * The password.
 */
password: string, };

export type ProviderWebhook = { 
/**
 * `twilio`, `telnyx` or `bandwidth`.
 */
provider: string, 
/**
 * The URL: the hub's address and the path, or the path alone when this computer's hub is
 * the embedded one (served with `optout serve --public-url …`).
 */
url: string, 
/**
 * Where in the provider's console it goes.
 */
setting: string, };

export type PullProgress = { 
/**
 * Changes applied by this pull so far.
 */
applied: number, 
/**
 * The last change applied.
 */
cursor: number, 
/**
 * The newest change on the hub.
 */
head: number, };

export type Region = "US" | "CA" | "GB";

export type Review = { 
/**
 * Why the reply needs an admin's eyes.
 */
reason: ReviewReason, 
/**
 * The construction that matched.
 */
pattern: ReviewPattern, 
/**
 * The words of the reply that matched, as the contact wrote them: a slice of the reply.
 */
matched: string, 
/**
 * The reply's language, by the words it uses; English when they do not tell.
 */
language: Language, };

export type ReviewAction = { "action": "dismiss" } | { "action": "ask", 
/**
 * The question.
 */
message: string, };

export type ReviewCounts = { 
/**
 * Every open flag.
 */
open: number, 
/**
 * Open flags due before today ends, not yet overdue.
 */
due_today: number, 
/**
 * Open flags past their due date.
 */
overdue: number, };

export type ReviewPattern = "keyword_alone" | "opt_out_word" | "stop_messages" | "remove_from_list" | "does_not_want" | "do_not_contact" | "no_more_messages" | "leave_me_alone" | "no_consent" | "spam_complaint" | "fed_up" | "asked_before" | "wrong_number_words" | "not_this_person" | "number_changed" | "owner_died" | "minor_age" | "childs_phone";

export type ReviewReason = "opt_out_request" | "wrong_number" | "deceased" | "minor";

export type Role = "admin" | "texter";

export type RowError = { 
/**
 * The line in the file, from 1.
 */
line: number, 
/**
 * The cell as written.
 */
value: string, 
/**
 * Why.
 */
reason: string, };

export type RuleChoices = { 
/**
 * Every rule set, the default first.
 */
rule_sets: Array<RuleSetChoice>, 
/**
 * The fewest business days a review flag may wait.
 */
review_days_min: number, 
/**
 * The most, and the default: the US rules' limit for honouring a revocation.
 */
review_days_max: number, };

export type RuleSet = "reference" | "us_2025";

export type RuleSetChoice = { 
/**
 * The rule set, as an account's settings store it.
 */
rule_set: RuleSet, 
/**
 * Its short name.
 */
label: string, 
/**
 * What it acts on, and why one would choose it.
 */
description: string, 
/**
 * Its name and the version of its lists, recorded with every decision.
 */
version: string, };

export type Source = "keyword_reply" | "manual" | "provider_block" | "import" | "api" | "reply";

export type Status = { 
/**
 * When the cache last caught up with the hub.
 */
last_synced_at: string | null, 
/**
 * Commands waiting for the hub.
 */
pending: number, 
/**
 * The hub cannot be reached now.
 */
offline: boolean, 
/**
 * Why the last sync failed, if it did.
 */
error: string | null, 
/**
 * A pull under way, if one is.
 */
progress: PullProgress | null, };

export type StopRequest = { 
/**
 * The hub's id; an opt-in that overrides it names it.
 */
id: number, 
/**
 * The opt-out in force when it came.
 */
opt_out_id: number, 
/**
 * The account.
 */
account: string, 
/**
 * The number, E.164.
 */
phone: string, 
/**
 * How it came: a keyword reply, a plain request in a reply, by hand, an import, the API.
 */
source: Source, 
/**
 * Who: the contact's reply (`rules`), a person, a token.
 */
actor: string, 
/**
 * In words.
 */
reason: string, 
/**
 * The reply, when the request was one.
 */
evidence: string | null, 
/**
 * The sender number the reply went to, when it was one.
 */
sender_phone: string | null, 
/**
 * When.
 */
created_at: string, };

export type Token = { 
/**
 * The hub's id.
 */
id: number, 
/**
 * Who or what holds it; recorded as the actor of what it does.
 */
name: string, 
/**
 * What it may do.
 */
role: Role, 
/**
 * When it was made.
 */
created_at: string, 
/**
 * Who made it, when the hub knows.
 */
created_by: string | null, 
/**
 * When it was last used, to the minute.
 */
last_used_at: string | null, 
/**
 * When it was revoked, if it was.
 */
revoked_at: string | null, };

export type Trends = { 
/**
 * Every day of the period, oldest first, with no gaps.
 */
days: Array<DayOfOptOuts>, 
/**
 * Every campaign, highest rate first.
 */
campaigns: Array<CampaignRate>, };

export type UserAction = "none" | "manual_opt_out" | "review";
