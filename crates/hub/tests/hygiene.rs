//! Files and words that would quietly damage the record: a stray quote, a cell or a line too
//! long, a file of nothing but bad rows, an import that fails halfway, a reason of invisible
//! characters, account names that differ only in case, a raw connection that tries to rewrite the record.
//! Each story runs on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod support;

use optout_hub::{Actor, Error, ImportOptions, OptOutFilter, Region};
use sqlx::Executor;
use support::organisation::*;
use support::{Storage, TestHub};

fn options(batch_rows: usize) -> ImportOptions {
    ImportOptions { account: "Acme".into(), region: Region::US, column: None, batch_rows, dry_run: false }
}

fn file(dir: &tempfile::TempDir, text: &str) -> std::path::PathBuf {
    let path = dir.path().join("list.csv");
    std::fs::write(&path, text).unwrap();
    path
}

async fn opted_out(t: &TestHub) -> usize {
    t.hub.list_opt_outs(&admin(), &OptOutFilter::default(), None, 1000).await.unwrap().opt_outs.len()
}

fn numbers(from: u32, count: u32) -> String {
    (from..from + count).map(|n| format!("+1201555{n:04}\n")).collect()
}

async fn a_stray_quote_or_a_huge_line_imports_nothing_and_names_the_line(t: &TestHub) {
    organisation(t).await;
    let dir = tempfile::tempdir().unwrap();
    // Line 3 opens a quote that never closes: every number after it would be one cell.
    let stray = file(&dir, &format!("phone\n+12015550100\n\"+12015550101\n{}", numbers(2000, 3000)));
    let error = t.hub.import_csv(&Actor::admin("ada"), &stray, &options(100), |_| true).await.unwrap_err();
    let Error::Csv { line, message, .. } = &error else { panic!("{error:?}") };
    assert_eq!(*line, 3, "{message}");
    assert!(message.contains("closing quote"), "{message}");
    let huge = file(&dir, &format!("phone\n{}+1201{}\n", numbers(100, 10), "5".repeat(2 << 20)));
    let error = t.hub.import_csv(&Actor::admin("ada"), &huge, &options(100), |_| true).await.unwrap_err();
    assert!(matches!(&error, Error::Csv { line: 12, .. }), "{error:?}");
    assert_eq!(opted_out(t).await, 0, "nothing of either file was imported");
}

async fn a_long_cell_is_refused_at_once_and_bad_rows_are_counted_not_hoarded(t: &TestHub) {
    organisation(t).await;
    let dir = tempfile::tempdir().unwrap();
    let mut text = format!("phone\n{}\n+12015550100\n", "9".repeat(5000));
    for i in 0..3000 {
        text.push_str(if i % 2 == 0 { "call me\n" } else { "12345\n" });
    }
    let summary = t.hub.import_csv(&Actor::admin("ada"), &file(&dir, &text), &options(1000), |_| true).await.unwrap();
    assert_eq!((summary.opted_out, summary.rejected), (1, 3001));
    assert_eq!(summary.errors[0].line, 2);
    assert!(summary.errors[0].reason.contains("longer than 64"), "{:?}", summary.errors[0]);
    assert!(summary.errors[0].value.chars().count() <= 65, "the cell is not kept whole");
    assert_eq!(summary.errors.len(), optout_hub::MAX_ROW_ERRORS);
    assert_eq!(summary.errors_left_out, 3001 - optout_hub::MAX_ROW_ERRORS as u64);
    assert_eq!(summary.rejected_by_reason.values().sum::<u64>(), 3001);
    assert_eq!(summary.rejected_by_reason["no digits"], 1500);
    let mut raw = t.raw().await;
    let stored: String = sqlx::query_scalar("SELECT summary FROM imports").fetch_one(&mut raw).await.unwrap();
    assert!(stored.len() < 100_000, "the stored summary is {} bytes", stored.len());
}

/// A storage failure in the second batch: the first is kept, the answer says so, and the same
/// file again resumes after it.
async fn an_import_that_fails_halfway_says_what_it_kept(t: &TestHub) {
    organisation(t).await;
    let fail_on = "+12015552150";
    let mut raw = t.raw().await;
    let trigger = match t.storage {
        Storage::Sqlite => format!(
            "CREATE TRIGGER disk_full BEFORE INSERT ON opt_outs WHEN NEW.phone = '{fail_on}' \
             BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        ),
        Storage::Postgres => format!(
            "CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF NEW.phone = '{fail_on}' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$; \
             CREATE TRIGGER disk_full BEFORE INSERT ON opt_outs FOR EACH ROW EXECUTE FUNCTION disk_full()"
        ),
    };
    raw.execute(sqlx::raw_sql(&trigger)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, &format!("phone\n{}", numbers(2000, 400)));
    let error = t.hub.import_csv(&Actor::admin("ada"), &path, &options(100), |_| true).await.unwrap_err();
    let Error::ImportStopped { next_line, .. } = &error else { panic!("{error:?}") };
    let kept = opted_out(t).await as u64;
    assert!(kept > 0 && kept < 400, "{kept}");
    assert_eq!(*next_line, kept + 2, "the first line not kept follows the header and the kept rows");
    let said = error.kept_and_resume();
    assert!(said.contains(&format!("{kept} numbers opted out")) && said.contains("send the same file again"), "{said}");
    assert!(!error.is_client_error());

    let drop = match t.storage {
        Storage::Sqlite => "DROP TRIGGER disk_full",
        Storage::Postgres => "DROP TRIGGER disk_full ON opt_outs; DROP FUNCTION disk_full()",
    };
    raw.execute(sqlx::raw_sql(drop)).await.unwrap();
    let summary = t.hub.import_csv(&Actor::admin("ada"), &path, &options(100), |_| true).await.unwrap();
    assert_eq!(summary.resumed_at_line, Some(*next_line));
    assert_eq!(opted_out(t).await, 400);
}

async fn a_reason_of_invisible_characters_or_a_disguised_name_is_refused(t: &TestHub) {
    organisation(t).await;
    let empty = opt_out_request("Acme", CONTACT, "\u{200b}\u{200b} ");
    let refused = t.hub.opt_out(&admin(), &empty).await.unwrap_err();
    assert!(matches!(&refused, Error::InvalidField { field, .. } if field == "reason"), "{refused:?}");
    let out = t.hub.opt_out(&admin(), &opt_out_request("Acme", CONTACT, "asked")).await.unwrap();
    let blank = optout_hub::OptInRequest {
        reason: "\u{feff}\u{200d}".into(),
        ..opt_in_request("Acme", CONTACT, out.opt_out.id)
    };
    assert!(matches!(t.hub.opt_in(&admin(), &blank).await, Err(Error::InvalidField { .. })));

    for twin in ["acme", "ACME ", "Ａｃｍｅ", "acme"] {
        let error = add_account(t, twin.trim_end(), true).await.unwrap_err();
        assert!(matches!(error, Error::AlreadyExists(_)), "{twin:?}: {error:?}");
    }
    let error = add_account(t, "Acme\u{1b}[2K", true).await.unwrap_err();
    assert!(matches!(error, Error::InvalidField { .. }), "{error:?}");
    assert_eq!(t.hub.accounts().await.unwrap().len(), 2, "nothing was added");
}

async fn the_audit_log_and_opt_outs_cannot_be_rewritten(t: &TestHub) {
    organisation(t).await;
    t.hub.opt_out(&admin(), &opt_out_request("Acme", CONTACT, "asked")).await.unwrap();
    let mut raw = t.raw().await;
    for statement in [
        "UPDATE audit_log SET reason = 'nothing happened'",
        "DELETE FROM audit_log",
        "DELETE FROM opt_outs",
        "UPDATE opt_outs SET source = 'import'",
    ] {
        assert!(raw.execute(statement).await.is_err(), "{statement} must fail");
    }
    assert!(!t.hub.send_check("Acme", US_SENDER, CONTACT).await.allowed);
    assert_eq!(t.hub.lookup(&admin(), CONTACT, Region::US).await.unwrap().history[0].reason, "asked");
}

stories!(
    a_stray_quote_or_a_huge_line_imports_nothing_and_names_the_line,
    a_long_cell_is_refused_at_once_and_bad_rows_are_counted_not_hoarded,
    an_import_that_fails_halfway_says_what_it_kept,
    a_reason_of_invisible_characters_or_a_disguised_name_is_refused,
    the_audit_log_and_opt_outs_cannot_be_rewritten,
);
