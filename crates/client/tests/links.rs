//! One hub, reached both ways: in this process ([`Embedded`]) and over HTTP on loopback
//! ([`Remote`]). The same request gets the same answer through either, so the desktop and the
//! command line behave alike wherever the hub is.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use optout_client::{Answer, AnyLink, Command, Embedded, ImportRequest, Link, Remote};
use optout_hub::{Actor, Hub, OptOutFilter, OptOutRequest, Region, Role, Source};
use serde::Serialize;

const ACCOUNT: &str = "Northside Tenants Union";

/// A hub with the demo organisation, and the two links to it, both as the admin `ada`.
async fn both_links(dir: &Path) -> [AnyLink; 2] {
    let hub = Hub::open(&dir.join("hub.sqlite3")).await.unwrap();
    hub.build_demo(30, 7, |_| true).await.unwrap();
    let (_, token) = hub.create_token(&Actor::admin("setup"), "ada", Role::Admin).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(optout_hub::http::serve(hub.clone(), listener, std::future::pending()));
    let embedded = Embedded::new(hub, Actor::admin("ada"), "embedded:test");
    [AnyLink::Embedded(embedded), AnyLink::Remote(Remote::new(&url, &token).unwrap())]
}

/// What a link answered, as JSON, or its error's words.
fn seen<T: Serialize>(answer: optout_client::Result<T>) -> Result<serde_json::Value, String> {
    answer.map(|value| serde_json::to_value(value).unwrap()).map_err(|error| error.to_string())
}

/// Asks `ask` of both links and checks that they answered alike.
macro_rules! alike {
    ($links:expr, |$link:ident| $ask:expr) => {{
        let [embedded, remote] = $links;
        let here = {
            let $link = embedded;
            seen($ask.await)
        };
        let there = {
            let $link = remote;
            seen($ask.await)
        };
        assert_eq!(here, there, "{}", stringify!($ask));
        here
    }};
}

#[tokio::test]
async fn the_same_request_gets_the_same_answer_in_this_process_and_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let links = both_links(dir.path()).await;
    let links = &links;

    alike!(links, |link| link.whoami()).unwrap();
    let accounts = alike!(links, |link| link.accounts()).unwrap();
    assert_eq!(accounts.as_array().unwrap().len(), 3, "{accounts}");
    alike!(links, |link| link.campaigns(Some(ACCOUNT))).unwrap();
    alike!(links, |link| link.providers()).unwrap();
    alike!(links, |link| link.review_log(None, None)).unwrap();
    alike!(links, |link| link.lookup("+12015550100", Region::US)).unwrap();
    alike!(links, |link| link.lookup("not a number", Region::US)).unwrap_err();

    // An import: what it would do, then the file itself through one link and the list both ways.
    let list = dir.path().join("list.csv");
    std::fs::write(&list, "Name,Mobile\r\nSam,(201) 555-7101\r\nKim,201 555 7101\r\nJo,12\r\nAl,2015557102\r\n")
        .unwrap();
    let dry_run = ImportRequest { account: ACCOUNT, region: Region::US, column: None, dry_run: true };
    let would = alike!(links, |link| link.import(&list, &dry_run)).unwrap();
    assert_eq!((would["opted_out"].as_u64(), would["rejected"].as_u64()), (Some(2), Some(1)), "{would}");
    alike!(links, |link| link.import(&dir.path().join("missing.csv"), &dry_run)).unwrap_err();
    let other = ImportRequest { account: "Nobody", ..dry_run };
    let refused = alike!(links, |link| link.import(&list, &other)).unwrap_err();
    assert!(refused.contains("no account named \"Nobody\""), "{refused}");
    let import = ImportRequest { dry_run: false, ..dry_run };
    let [embedded, remote] = links;
    let done = seen(remote.import(&list, &import).await).unwrap();
    assert_eq!(done["opted_out"], 2, "{done}");

    // The export: byte for byte the same file, with the same count, and the same refusal.
    let filter = OptOutFilter { account: Some(ACCOUNT.into()), include_reversed: true, ..OptOutFilter::default() };
    let (here, there) = (dir.path().join("here.csv"), dir.path().join("there.csv"));
    let rows = seen(embedded.export(&filter, &here).await).unwrap();
    assert_eq!(rows, seen(remote.export(&filter, &there).await).unwrap());
    let bytes = std::fs::read(&here).unwrap();
    assert_eq!(bytes, std::fs::read(&there).unwrap());
    assert_eq!(rows.as_u64(), Some(csv::Reader::from_reader(bytes.as_slice()).records().count() as u64));
    assert!(String::from_utf8(bytes).unwrap().contains("+12015557102"));
    let imported = OptOutFilter { source: Some(Source::Import), ..filter.clone() };
    let out = dir.path().join("imported.csv");
    assert_eq!(alike!(links, |link| link.export(&imported, &out)).unwrap(), 2);
    let nobody = OptOutFilter { account: Some("Nobody".into()), ..OptOutFilter::default() };
    let gone = dir.path().join("nobody.csv");
    let refused = alike!(links, |link| link.export(&nobody, &gone)).unwrap_err();
    assert!(refused.contains("no account named \"Nobody\"") && !gone.exists(), "{refused}");

    // A command the hub refuses, refused alike.
    let opt_out = |account: &str| {
        Command::OptOut(OptOutRequest {
            command_id: uuid::Uuid::new_v4(),
            account: account.into(),
            phone: "+12015557103".into(),
            region: Region::US,
            reason: "asked".into(),
            message: None,
            source: Source::Manual,
        })
    };
    let answer = alike!(links, |link| link.send(&opt_out("Nobody"))).unwrap();
    let refused: Answer = serde_json::from_value(answer).unwrap();
    assert!(matches!(&refused, Answer::Refused { code, .. } if code == "unknown_account"), "{refused:?}");
}
