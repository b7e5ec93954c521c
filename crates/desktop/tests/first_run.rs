//! The first run: with no hub on this computer, the app asks how to begin, and remembers the
//! answer by the hub it made; the tests' environment still gets the demo without asking.

#![allow(clippy::unwrap_used)]

mod support;

use optout_desktop::{FailureCode, FirstRun, FirstRunChoice, HubMode, Options, Session};
use support::{options, synced};

#[tokio::test(flavor = "multi_thread")]
async fn a_first_run_asks_and_an_empty_organisation_of_ones_own_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let hub_file = dir.path().join("hub.sqlite3");
    let session = Session::open(dir.path(), options(FirstRun::Ask)).await.unwrap();
    let status = session.status().await.unwrap();
    assert!(status.first_run && status.actor.is_none(), "{status:?}");
    assert_eq!(session.desk().await.err().unwrap().code, FailureCode::FirstRun);
    assert!(!hub_file.exists(), "nothing is made before the admin chooses");
    drop(session);

    // Quitting without choosing asks again.
    let session = Session::open(dir.path(), options(FirstRun::Ask)).await.unwrap();
    assert!(session.status().await.unwrap().first_run);
    let status = session.begin(FirstRunChoice::Own).await.unwrap();
    assert!(!status.first_run && status.mode == HubMode::Embedded, "{status:?}");
    {
        let desk = session.desk().await.unwrap();
        synced(&desk).await;
        assert!(desk.accounts().await.unwrap().is_empty());
        assert_eq!(desk.status().await.unwrap().actor.unwrap().role, optout_hub::Role::Admin);
    }
    assert!(hub_file.exists());
    drop(session);

    // The next start opens that organisation as it is: no question, and no demo in it.
    let session = Session::open(dir.path(), options(FirstRun::Ask)).await.unwrap();
    assert!(!session.status().await.unwrap().first_run);
    let desk = session.desk().await.unwrap();
    synced(&desk).await;
    assert!(desk.accounts().await.unwrap().is_empty(), "an empty organisation is never filled with the demo");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_when_chosen_and_without_asking_when_the_tests_size_it() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::open(dir.path(), options(FirstRun::Ask)).await.unwrap();
    session.begin(FirstRunChoice::Demo).await.unwrap();
    let desk = session.desk().await.unwrap();
    synced(&desk).await;
    assert_eq!(desk.accounts().await.unwrap().len(), 3);
    drop(desk);
    // Choosing again once a hub runs changes nothing.
    assert!(!session.begin(FirstRunChoice::Own).await.unwrap().first_run);
    assert_eq!(session.desk().await.unwrap().accounts().await.unwrap().len(), 3);

    let app = Options::for_app(Some("300"));
    assert_eq!((app.first_run, app.demo_contacts), (FirstRun::Demo, 300));
    assert_eq!(Options::for_app(None).first_run, FirstRun::Ask);
    let dir = tempfile::tempdir().unwrap();
    let tests = Options { sync_every: std::time::Duration::from_millis(100), ..app };
    let session = Session::open(dir.path(), tests).await.unwrap();
    assert!(!session.status().await.unwrap().first_run, "the tests' first run asks nothing");
    let desk = session.desk().await.unwrap();
    synced(&desk).await;
    assert_eq!(desk.accounts().await.unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn going_back_from_a_server_to_a_computer_without_a_hub_asks_again() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::open(dir.path(), options(FirstRun::Ask)).await.unwrap();
    let unreachable = session.connect(Some("http://127.0.0.1:9"), "od_x").await.unwrap_err();
    assert_eq!(unreachable.code, FailureCode::Unreachable);
    assert!(session.status().await.unwrap().first_run, "a failed connection changes nothing");
    assert!(session.connect(None, "").await.unwrap().is_none());
    assert!(session.status().await.unwrap().first_run);
    assert!(!dir.path().join("hub.sqlite3").exists());
}
