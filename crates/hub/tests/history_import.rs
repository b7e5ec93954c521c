//! An organisation brings its history from another tool: the list's dates, reasons and campaigns
//! are kept, the import's own time too; and a dry run says what an import would do, writing
//! nothing. Each story runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used)]

mod support;

use chrono::{TimeZone, Utc};
use optout_hub::{Changed, ImportOptions, OptOutFilter, Region};
use support::organisation::*;
use support::TestHub;

fn options(dry_run: bool) -> ImportOptions {
    ImportOptions { account: "Acme".into(), region: Region::US, column: None, batch_rows: 2, dry_run }
}

const EXPORTED: &str = "Phone,Opted Out At,Reason,Campaign\n\
    (201) 555-0171,2024-03-05T14:30:00Z,Texted STOP,GOTV 2024\n\
    201-555-0172,11/02/2023,Asked by email,\n\
    +12015550173,someday,,Spring Drive\n\
    +12015550174,,,\n";

async fn a_list_from_another_tool_keeps_its_dates_reasons_and_campaigns(t: &TestHub) {
    organisation(t).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old-tool-export.csv");
    std::fs::write(&path, EXPORTED).unwrap();
    let before = Utc::now();
    let summary = t.hub.import_csv(&admin(), &path, &options(false), |_| true).await.unwrap();
    assert_eq!((summary.opted_out, summary.dated), (4, 2), "{summary:?}");
    assert_eq!(summary.history_columns, ["date (Opted Out At)", "reason (Reason)", "campaign (Campaign)"]);
    assert_eq!(summary.warnings.len(), 1);
    assert_eq!((summary.warnings[0].line, summary.warnings[0].value.as_str()), (4, "someday"));

    let page = t.hub.list_opt_outs(&admin(), &OptOutFilter::default(), None, 10).await.unwrap();
    let of = |phone: &str| page.opt_outs.iter().find(|o| o.phone == phone).unwrap().clone();
    let first = of("+12015550171");
    assert_eq!(first.created_at, Utc.with_ymd_and_hms(2024, 3, 5, 14, 30, 0).unwrap(), "when it happened");
    assert_eq!(first.reason, "Texted STOP (campaign GOTV 2024)");
    assert_eq!(of("+12015550172").created_at, Utc.with_ymd_and_hms(2023, 11, 2, 0, 0, 0).unwrap());
    assert_eq!(of("+12015550173").reason, "Imported opt-out list (campaign Spring Drive)");
    assert!(of("+12015550173").created_at >= before, "an unreadable date is the import's time");
    assert_eq!(of("+12015550174").reason, "Imported opt-out list");

    // The history also says when the import recorded it.
    let history = t.hub.lookup(&admin(), "+12015550171", Region::US).await.unwrap().history;
    assert!(history[0].at >= before, "the import's own time is kept: {:?}", history[0]);

    // The feed carries each opt-out as the record has it, date and reason included.
    let changes = t.hub.changes_after(&admin(), 0, 1000).await.unwrap();
    let imported: Vec<optout_hub::OptOut> = changes
        .iter()
        .filter_map(|c| match c.decode().unwrap() {
            Changed::ImportedOptOuts(batch) => Some(batch.into_opt_outs()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(imported.len(), 4);
    let fed = imported.iter().find(|o| o.phone == "+12015550171").unwrap();
    assert_eq!((fed.created_at, fed.reason.as_str()), (first.created_at, first.reason.as_str()));
}

async fn a_dry_run_says_what_an_import_would_do_and_writes_nothing(t: &TestHub) {
    organisation(t).await;
    t.hub.opt_out(&admin(), &opt_out_request("Acme", "+12015550172", "asked")).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.csv");
    std::fs::write(&path, format!("{EXPORTED}+12015550171\ncall me\n")).unwrap();
    let head = t.hub.feed_head().await.unwrap();
    let dry = t.hub.import_csv(&admin(), &path, &options(true), |_| true).await.unwrap();
    assert!(dry.dry_run);
    assert_eq!(
        (dry.rows, dry.opted_out, dry.already_opted_out, dry.duplicates, dry.rejected),
        (6, 3, 1, 1, 1),
        "{dry:?}"
    );
    assert_eq!(t.hub.feed_head().await.unwrap(), head, "nothing was written");
    let mut raw = t.raw().await;
    let imports: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM imports").fetch_one(&mut raw).await.unwrap();
    assert_eq!(imports, 0, "a dry run leaves no import to resume");

    let real = t.hub.import_csv(&admin(), &path, &options(false), |_| true).await.unwrap();
    assert_eq!(
        (real.opted_out, real.already_opted_out, real.duplicates, real.rejected),
        (dry.opted_out, dry.already_opted_out, dry.duplicates, dry.rejected),
        "the import does what the dry run said"
    );
}

stories!(
    a_list_from_another_tool_keeps_its_dates_reasons_and_campaigns,
    a_dry_run_says_what_an_import_would_do_and_writes_nothing,
);
