//! Importing and exporting opt-out lists as real CSV files, on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used)]

mod support;

use optout_hub::{Actor, Error, ImportOptions, OptOutFilter, OptOutRequest, Region, Source};
use support::organisation::*;
use support::{Storage, TestHub};
use uuid::Uuid;

fn options(account: &str) -> ImportOptions {
    ImportOptions { account: account.into(), region: Region::US, column: None, batch_rows: 1000, dry_run: false }
}

async fn account(t: &TestHub) {
    add_account(t, "Acme", true).await.unwrap();
    add_account(t, "Brit", false).await.unwrap();
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

async fn export(t: &TestHub, filter: &OptOutFilter) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    t.hub.export_csv(&admin(), filter, &mut out, std::path::Path::new("out.csv"), |_| true).await.unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(out.as_slice());
    reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

async fn a_messy_csv_imports_every_valid_number_once(t: &TestHub) {
    account(t).await;
    let opt_out = OptOutRequest {
        command_id: Uuid::new_v4(),
        account: "Acme".into(),
        phone: "+12015550104".into(),
        region: Region::US,
        reason: "asked".into(),
        message: None,
        source: Source::Manual,
    };
    t.hub.opt_out(&Actor::admin("ada"), &opt_out).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = "\u{feff}Name,\"Phone Number\",Notes\r\n\
        Sam,(201) 555-0101,\"says \"\"hi\"\", often\"\r\n\
        Kim,+1 201 555 0102,\r\n\
        \"Lee, Jo\",201.555.0101,dup of line 2\r\n\
        Max,12345,\r\n\
        Ann,call me,\r\n\
        Bo,1-201-555-0104,already out\r\n\
        Uk,+44 7911 123456,\r\n";
    let path = write(&dir, "list.csv", file.as_bytes());
    let summary = t.hub.import_csv(&Actor::admin("ada"), &path, &options("Acme"), |_| true).await.unwrap();
    assert_eq!(
        (summary.rows, summary.opted_out, summary.duplicates, summary.already_opted_out, summary.rejected),
        (7, 3, 1, 1, 2),
        "{summary:?}"
    );
    let lines: Vec<u64> = summary.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [5, 6]);
    assert_eq!(summary.errors[1].value, "call me");

    let rows = export(t, &OptOutFilter { source: Some(Source::Import), ..Default::default() }).await;
    let phones: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(phones, ["+12015550101", "+12015550102", "+447911123456"]);
    assert_eq!(rows[1][2], "import");
    assert_eq!(rows[1][4], "ada");
    let lookup = t.hub.lookup(&admin(), "201-555-0102", Region::US).await.unwrap();
    assert_eq!(lookup.history[0].source, "import");
    // The number that was already out keeps its opt-out, and its row in the file is kept as a
    // request to stop after it; the feed carries the three new opt-outs and that request.
    let lookup = t.hub.lookup(&admin(), "201-555-0104", Region::US).await.unwrap();
    let lines: Vec<(&str, &str)> = lookup.history.iter().map(|h| (h.action.as_str(), h.source.as_str())).collect();
    assert_eq!(lines, [("opt_out", "manual"), ("stop_request", "import")]);
    let requests: Vec<String> = t
        .hub
        .changes_after(&admin(), 0, 100)
        .await
        .unwrap()
        .iter()
        .filter_map(|c| match c.decode().unwrap() {
            optout_hub::Changed::ImportedStopRequests(r) => Some(r.into_requests().map(|r| r.phone)),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(requests, ["+12015550104"]);
    let imported: Vec<String> = t
        .hub
        .changes_after(&admin(), 0, 100)
        .await
        .unwrap()
        .iter()
        .filter(|c| c.kind == optout_hub::ImportedOptOuts::KIND)
        .flat_map(|c| serde_json::from_str::<optout_hub::ImportedOptOuts>(c.payload.get()).unwrap().opt_outs)
        .map(|(_, phone)| phone)
        .collect();
    assert_eq!(imported, ["+12015550101", "+12015550102", "+447911123456"]);
    if t.storage == Storage::Sqlite {
        // The import writes on a connection that leaves foreign keys to it: none is broken.
        let broken = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut t.raw().await).await.unwrap();
        assert_eq!(broken.len(), 0, "rows with a broken reference");
    }
}

async fn a_file_of_bare_numbers_imports(t: &TestHub) {
    account(t).await;
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "numbers.txt", b"07911 123456\n07911 123457\n\n+1 201 555 0123\n");
    let summary = t
        .hub
        .import_csv(&Actor::admin("ada"), &path, &ImportOptions { region: Region::GB, ..options("Brit") }, |_| true)
        .await
        .unwrap();
    assert_eq!((summary.rows, summary.opted_out, summary.rejected), (3, 3, 0), "{summary:?}");
    assert!(!t.hub.send_check("Brit", "+447400123456", "+447911123457").await.allowed);
}

async fn a_file_that_cannot_be_imported_changes_nothing(t: &TestHub) {
    account(t).await;
    let head = t.hub.feed_head().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let missing =
        t.hub.import_csv(&Actor::admin("ada"), &dir.path().join("nope.csv"), &options("Acme"), |_| true).await;
    assert!(matches!(&missing, Err(Error::File { path, .. }) if path.ends_with("nope.csv")), "{missing:?}");
    let path = write(&dir, "people.csv", b"name,email\nSam,sam@example.org\n");
    let error =
        t.hub.import_csv(&Actor::admin("ada"), &path, &options("Acme"), |_| true).await.unwrap_err().to_string();
    assert!(error.contains("people.csv:1: no phone column"), "{error}");
    let unknown = t.hub.import_csv(&Actor::admin("ada"), &path, &options("Nobody"), |_| true).await;
    assert!(matches!(unknown, Err(Error::UnknownAccount(_))));
    assert_eq!(t.hub.feed_head().await.unwrap(), head);
}

async fn a_cancelled_import_resumes_where_it_stopped(t: &TestHub) {
    account(t).await;
    let dir = tempfile::tempdir().unwrap();
    let mut file = String::from("phone\n");
    for i in 0..2500 {
        file.push_str(&format!("+1201555{:04}\n", i));
    }
    let path = write(&dir, "big.csv", file.as_bytes());
    let (mut batches, mut reached) = (0, 0);
    let cancelled = t
        .hub
        .import_csv(&Actor::admin("ada"), &path, &options("Acme"), |p| {
            batches += 1;
            reached = p.rows;
            assert!(p.bytes <= p.total_bytes);
            batches < 2
        })
        .await;
    assert!(matches!(cancelled, Err(Error::Cancelled)));
    assert!(reached > 0 && reached < 2500, "two batches of {reached} rows in all");
    let kept = t.hub.list_opt_outs(&admin(), &OptOutFilter::default(), None, 1000).await.unwrap();
    assert_eq!(kept.opt_outs.len() as u64, reached, "the first two batches stay");

    let summary = t.hub.import_csv(&Actor::admin("ada"), &path, &options("Acme"), |_| true).await.unwrap();
    // The header is line 1, so the data row after the last one kept is on line `reached + 2`.
    assert_eq!(summary.resumed_at_line, Some(reached + 2));
    assert_eq!((summary.rows, summary.opted_out, summary.already_opted_out), (2500, 2500, 0), "{summary:?}");
    let rows = export(t, &OptOutFilter::default()).await;
    assert_eq!(rows.len(), 2501);
}

/// An import's opt-outs travel a few to a feed change, so a page of the feed stays small;
/// following the pages yields every opt-out once, as what it is.
async fn an_import_reaches_the_feed_a_few_opt_outs_to_a_change(t: &TestHub) {
    account(t).await;
    let dir = tempfile::tempdir().unwrap();
    let mut file = String::from("phone\n");
    for n in 0..20_000 {
        file.push_str(&format!("+1201{}{:04}\n", 200 + n / 10_000, n % 10_000));
    }
    let path = write(&dir, "big.csv", file.as_bytes());
    // One number is opted out already: its batch (the third: 1,000 rows, then 2,000, 4,000 and
    // 8,000) publishes the others as rows read back, and the rest as the numbers they were given.
    let opt_out = OptOutRequest {
        command_id: Uuid::new_v4(),
        account: "Acme".into(),
        phone: "+12012005000".into(),
        region: Region::US,
        reason: "asked".into(),
        message: None,
        source: Source::Manual,
    };
    t.hub.opt_out(&Actor::admin("ada"), &opt_out).await.unwrap();
    let options = ImportOptions { batch_rows: 8_000, ..options("Acme") };
    let summary = t.hub.import_csv(&Actor::admin("ada"), &path, &options, |_| true).await.unwrap();
    assert_eq!((summary.opted_out, summary.already_opted_out), (19_999, 1));
    if t.storage == Storage::Postgres {
        // Lookups right after a large import are planned on the tables as they now are.
        let analysed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_user_tables \
             WHERE relname IN ('opt_outs', 'audit_log') AND last_analyze IS NOT NULL",
        )
        .fetch_one(&mut t.raw().await)
        .await
        .unwrap();
        assert_eq!(analysed, 2);
    }

    let (mut cursor, mut published) = (0, std::collections::BTreeMap::new());
    loop {
        let page = t.hub.changes_after(&admin(), cursor, 100).await.unwrap();
        let Some(last) = page.last() else { break };
        assert_eq!(page[0].seq, cursor + 1, "no change skipped");
        let bytes: usize = page.iter().map(|c| c.payload.get().len()).sum();
        assert!(bytes < 128 << 10, "a page of 100 changes holds {bytes} bytes");
        cursor = last.seq;
        for change in page.iter().filter(|c| c.kind == optout_hub::ImportedOptOuts::KIND) {
            let batch: optout_hub::ImportedOptOuts = serde_json::from_str(change.payload.get()).unwrap();
            assert!(batch.opt_outs.len() <= optout_hub::ImportedOptOuts::MAX, "{}", batch.opt_outs.len());
            for opt_out in batch.into_opt_outs() {
                assert_eq!((opt_out.account.as_str(), opt_out.source), ("Acme", Source::Import));
                assert!(published.insert(opt_out.id, opt_out.phone).is_none(), "opt-out {} twice", opt_out.id);
            }
        }
    }
    assert_eq!(cursor, t.hub.feed_head().await.unwrap());

    // The rows of an import batch share its time: the list's pages and the export's (5,000
    // rows each) still go through them in order, each once.
    let (mut listed, mut imported, mut after) = (Vec::new(), std::collections::BTreeMap::new(), None);
    loop {
        let page = t.hub.list_opt_outs(&admin(), &OptOutFilter::default(), after.as_deref(), 700).await.unwrap();
        listed.extend(page.opt_outs.iter().map(|o| (o.created_at, o.id)));
        imported.extend(page.opt_outs.iter().filter(|o| o.source == Source::Import).map(|o| (o.id, o.phone.clone())));
        let Some(next) = page.next else { break };
        after = Some(next);
    }
    assert_eq!(listed.len(), 20_000);
    assert!(listed.windows(2).all(|w| w[0] > w[1]), "newest first, no row twice");
    // The feed carries each imported opt-out once, with its own id and number.
    let wrong: Vec<_> = published.iter().filter(|&(id, phone)| imported.get(id) != Some(phone)).take(3).collect();
    assert!(
        wrong.is_empty() && published.len() == imported.len(),
        "{} published, {} imported; published wrong: {wrong:?}",
        published.len(),
        imported.len()
    );
    let exported: Vec<i64> =
        export(t, &OptOutFilter::default()).await[1..].iter().map(|r| r[8].parse().unwrap()).collect();
    assert_eq!(exported.len(), 20_000);
    assert!(exported.windows(2).all(|w| w[0] < w[1]), "oldest first, no row twice");
}

async fn an_export_is_safe_to_open_in_a_spreadsheet(t: &TestHub) {
    account(t).await;
    for (phone, reason) in
        [("+12015550101", "=HYPERLINK(\"http://evil\",\"x\")"), ("+12015550102", "@SUM(A1)"), ("+12015550103", "plain")]
    {
        let request = OptOutRequest {
            command_id: Uuid::new_v4(),
            account: "Acme".into(),
            phone: phone.into(),
            region: Region::US,
            reason: reason.into(),
            message: None,
            source: Source::Manual,
        };
        t.hub.opt_out(&Actor::admin("-admin"), &request).await.unwrap();
    }
    let rows = export(t, &OptOutFilter { account: Some("Acme".into()), ..Default::default() }).await;
    assert_eq!(rows[0], optout_hub::EXPORT_HEADER);
    assert_eq!(rows[1][0], "+12015550101", "phone numbers stay exact E.164");
    assert_eq!(rows[1][5], "'=HYPERLINK(\"http://evil\",\"x\")");
    assert_eq!(rows[2][5], "'@SUM(A1)");
    assert_eq!(rows[3][5], "plain");
    assert_eq!(rows[1][4], "'-admin");
    assert!(export(t, &OptOutFilter { account: Some("Brit".into()), ..Default::default() }).await.len() == 1);
}

stories!(
    an_import_reaches_the_feed_a_few_opt_outs_to_a_change,
    a_messy_csv_imports_every_valid_number_once,
    a_file_of_bare_numbers_imports,
    a_file_that_cannot_be_imported_changes_nothing,
    a_cancelled_import_resumes_where_it_stopped,
    an_export_is_safe_to_open_in_a_spreadsheet,
);
