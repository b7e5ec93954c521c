//! A real hub for the sync to talk to, and a proxy that mistreats the traffic between them.

#![allow(dead_code, clippy::unwrap_used)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use optout_cache::Cache;
use optout_client::{Embedded, Remote};
use optout_hub::{Actor, Hub, OptOut, OptOutFilter, Role};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The hub's own test support: its throwaway PostgreSQL cluster.
#[path = "../../hub/tests/support/mod.rs"]
pub mod storages;

pub use storages::Storage;

pub struct World {
    pub hub: Hub,
    pub dir: tempfile::TempDir,
}

impl World {
    /// A hub on a SQLite file with the demo organisation.
    pub async fn demo(contacts: u64) -> World {
        World::demo_on(Storage::Sqlite, contacts).await
    }

    /// A hub on `storage` with the demo organisation; caches go in a temp folder.
    pub async fn demo_on(storage: Storage, contacts: u64) -> World {
        let dir = tempfile::tempdir().unwrap();
        let hub = match storage {
            Storage::Sqlite => Hub::open(&dir.path().join("hub.sqlite3")).await.unwrap(),
            Storage::Postgres => Hub::connect(&storages::cluster().new_database().await).await.unwrap(),
        };
        hub.build_demo(contacts, 7, |_| true).await.unwrap();
        World { hub, dir }
    }

    pub async fn cache(&self, name: &str) -> Cache {
        Cache::open(&self.dir.path().join(format!("{name}.sqlite3"))).await.unwrap()
    }

    pub fn embedded(&self) -> Embedded {
        Embedded::new(self.hub.clone(), Actor { name: "ada".into(), role: Role::Admin }, "embedded:test")
    }

    /// Serves the hub over HTTP on loopback; returns its URL and an admin token.
    pub async fn serve(&self) -> (String, String) {
        let (_, token) = self.hub.create_token(&optout_hub::Actor::admin("setup"), "ada", Role::Admin).await.unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(optout_hub::http::serve(self.hub.clone(), listener, std::future::pending()));
        (url, token)
    }

    pub fn remote(url: &str, token: &str) -> Remote {
        Remote::new(url, token).unwrap()
    }

    /// Every opt-out in the hub, reversed or not, by id.
    pub async fn hub_opt_outs(&self) -> Vec<OptOut> {
        let filter = OptOutFilter { include_reversed: true, ..OptOutFilter::default() };
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .hub
                .list_opt_outs(&optout_hub::Actor::admin("ada"), &filter, after.as_deref(), 1000)
                .await
                .unwrap();
            all.extend(page.opt_outs);
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        all.sort_by_key(|o| o.id);
        all
    }
}

/// What the proxy did, by fault.
#[derive(Default, Debug)]
pub struct Faults {
    pub passed: AtomicU64,
    pub dropped: AtomicU64,
    pub dropped_after_hub: AtomicU64,
    pub cut: AtomicU64,
    pub duplicated: AtomicU64,
    pub delayed: AtomicU64,
}

/// A proxy in front of `upstream` that, one request per connection, passes it, drops it
/// (before or after the hub saw it), cuts the answer midway, sends the request to the hub twice,
/// or delays the answer (so that answers on parallel connections arrive out of order). While
/// `healed` is set it passes everything.
pub async fn faulty_proxy(upstream: String, healed: Arc<std::sync::atomic::AtomicBool>) -> (String, Arc<Faults>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let faults = Arc::new(Faults::default());
    let counter = faults.clone();
    let upstream = upstream.trim_start_matches("http://").to_owned();
    tokio::spawn(async move {
        let mut dice = 0x9e37_79b9_7f4a_7c15_u64;
        loop {
            let (client, _) = listener.accept().await.unwrap();
            dice ^= dice << 13;
            dice ^= dice >> 7;
            dice ^= dice << 17;
            let roll = if healed.load(Ordering::SeqCst) { 99 } else { dice % 100 };
            tokio::spawn(handle(client, upstream.clone(), roll, dice, counter.clone()));
        }
    });
    (url, faults)
}

async fn read_message(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 16384];
    loop {
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
                .unwrap_or(0);
            while bytes.len() < end + 4 + length {
                let n = stream.read(&mut buf).await.ok()?;
                if n == 0 {
                    return None;
                }
                bytes.extend_from_slice(&buf[..n]);
            }
            return Some(bytes);
        }
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        bytes.extend_from_slice(&buf[..n]);
    }
}

/// Sends one request to the hub on a new connection and reads its answer.
async fn forward(upstream: &str, request: &[u8]) -> Option<Vec<u8>> {
    let mut hub = TcpStream::connect(upstream).await.ok()?;
    hub.write_all(request).await.ok()?;
    read_message(&mut hub).await
}

async fn handle(mut client: TcpStream, upstream: String, roll: u64, dice: u64, faults: Arc<Faults>) {
    let Some(request) = read_message(&mut client).await else { return };
    let count = |c: &AtomicU64| c.fetch_add(1, Ordering::SeqCst);
    match roll {
        0..=9 => count(&faults.dropped),
        10..=19 => {
            forward(&upstream, &request).await;
            count(&faults.dropped_after_hub)
        }
        20..=34 => {
            if let Some(answer) = forward(&upstream, &request).await {
                let cut = (dice as usize >> 8) % answer.len().max(1);
                let _ = client.write_all(&answer[..cut]).await;
            }
            count(&faults.cut)
        }
        35..=44 => {
            forward(&upstream, &request).await;
            if let Some(answer) = forward(&upstream, &request).await {
                let _ = client.write_all(&answer).await;
            }
            count(&faults.duplicated)
        }
        45..=59 => {
            let answer = forward(&upstream, &request).await;
            tokio::time::sleep(Duration::from_millis((dice >> 20) % 300)).await;
            if let Some(answer) = answer {
                let _ = client.write_all(&answer).await;
            }
            count(&faults.delayed)
        }
        _ => {
            if let Some(answer) = forward(&upstream, &request).await {
                let _ = client.write_all(&answer).await;
            }
            count(&faults.passed)
        }
    };
    let _ = client.shutdown().await;
}
