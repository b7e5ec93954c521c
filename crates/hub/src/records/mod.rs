//! The rows that more than one command writes: opt-outs, the requests to stop kept against
//! them, messages, and review flags, each with its audit line and its change on the feed. The
//! commands (`optouts`, `optins`, `requests`, `review`, `send_check`, `ingest`) and the readers
//! (`lookup`, `demo`) call these; these call no command, so no command module needs another.

mod messages;
mod opt_outs;
mod requests;
mod review;

pub(crate) use messages::insert_message;
pub(crate) use opt_outs::{
    in_force_for, insert_opt_out, opt_out_by_id, opt_out_from, opt_out_in_force, queue_message, record_opt_out,
    NewOptOut, OPT_OUT_COLUMNS,
};
pub(crate) use requests::{latest_request, record_request, request_from, request_to_stop, Asked, REQUEST_COLUMNS};
pub(crate) use review::{clear_flag, clear_flags_of, log_flag};
