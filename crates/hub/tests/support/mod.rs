//! Test hubs on both storages: a SQLite file in a temp dir, or a fresh database in a throwaway
//! PostgreSQL cluster that this test binary starts from the system's own binaries.

#![allow(dead_code, clippy::unwrap_used)]

pub mod organisation;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use optout_hub::Hub;

/// Which database a story runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    Sqlite,
    Postgres,
}

/// A hub for one test, and how to reach its database directly.
pub struct TestHub {
    pub hub: Hub,
    pub url: String,
    pub storage: Storage,
    _dir: Option<tempfile::TempDir>,
}

impl TestHub {
    pub async fn new(storage: Storage) -> TestHub {
        match storage {
            Storage::Sqlite => TestHub::sqlite_in(tempfile::tempdir().unwrap()).await,
            Storage::Postgres => {
                let url = cluster().new_database().await;
                let hub = Hub::connect(&url).await.unwrap();
                TestHub { hub, url, storage, _dir: None }
            }
        }
    }

    /// The SQLite hub in `dir`, which may hold one already.
    pub async fn sqlite_in(dir: tempfile::TempDir) -> TestHub {
        let path = dir.path().join("hub.sqlite3");
        let hub = Hub::open(&path).await.unwrap();
        let url = format!("sqlite://{}", path.display());
        TestHub { hub, url, storage: Storage::Sqlite, _dir: Some(dir) }
    }

    /// A second handle on the same database, as another process would open it.
    pub async fn reopen(&self) -> Hub {
        Hub::connect(&self.url).await.unwrap()
    }

    /// A raw connection, for checks that go around the hub.
    pub async fn raw(&self) -> sqlx::AnyConnection {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        sqlx::AnyConnection::connect(&self.url).await.unwrap()
    }
}

/// A PostgreSQL cluster in a temp dir, listening on a Unix socket only.
pub struct Cluster {
    dir: PathBuf,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(Cluster::start)
}

fn bin_dir() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| entries.flatten().map(|e| e.path().join("bin")).filter(|p| p.join("initdb").exists()).collect())
        .unwrap_or_default();
    found.sort_by_key(|p| {
        p.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok())
    });
    found.pop().expect("PostgreSQL is not installed: run ./x test, which installs it from Debian")
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
}

/// A command that runs as the `postgres` user when we are root (PostgreSQL refuses to run as root).
fn pg(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn run(mut command: Command, what: &str) {
    let output = command.stdin(Stdio::null()).output().unwrap();
    assert!(output.status.success(), "{what} failed: {}", String::from_utf8_lossy(&output.stderr));
}

impl Cluster {
    fn start() -> Cluster {
        let bin = bin_dir();
        let dir = tempfile::Builder::new().prefix("optout-pg").tempdir().unwrap().keep();
        if is_root() {
            run(
                {
                    let mut c = Command::new("chown");
                    c.args(["postgres:postgres"]).arg(&dir);
                    c
                },
                "chown",
            );
        }
        let data = dir.join("data");
        let mut initdb = pg(&bin.join("initdb"));
        initdb.arg("-D").arg(&data).args(["-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
        run(initdb, "initdb");
        let mut start = pg(&bin.join("pg_ctl"));
        start
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("log"))
            .arg("-o")
            .arg(format!("-k {} -c listen_addresses='' -F -c max_connections=200", dir.display()))
            .args(["-w", "start"]);
        run(start, "pg_ctl start");
        // Stop the cluster and remove it when this test process ends, however it ends.
        let stop = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {runas}{pg_ctl} -D {data} -m immediate stop; rm -rf {dir}",
            pid = std::process::id(),
            runas = if is_root() { "runuser -u postgres -- " } else { "" },
            pg_ctl = bin.join("pg_ctl").display(),
            data = data.display(),
            dir = dir.display(),
        );
        #[allow(clippy::zombie_processes)] // the watchdog must outlive this process, so nobody waits for it
        Command::new("sh")
            .args(["-c", &stop])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Cluster { dir }
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@localhost/{database}?host={}", self.dir.display())
    }

    pub async fn new_database(&self) -> String {
        use sqlx::{Connection, Executor};
        sqlx::any::install_default_drivers();
        let name = format!("story_{}", DATABASES.fetch_add(1, Ordering::SeqCst));
        let mut admin = sqlx::AnyConnection::connect(&self.url("postgres")).await.unwrap();
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
        self.url(&name)
    }
}

/// Runs each story on SQLite and on PostgreSQL, as two tests named after it.
#[macro_export]
macro_rules! stories {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let t = $crate::support::TestHub::new($crate::support::Storage::Sqlite).await;
                    super::$story(&t).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let t = $crate::support::TestHub::new($crate::support::Storage::Postgres).await;
                    super::$story(&t).await;
                }
            )*
        }
    };
}
