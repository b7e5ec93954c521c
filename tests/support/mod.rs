//! Runs the real app under a private Xvfb display, driven over WebDriver by tauri-driver.
//!
//! Everything started here is stopped when [`Desktop`] is dropped: tauri-driver with SIGTERM
//! (SIGKILL would orphan WebKitWebDriver), then the display.

// Each test binary includes this module and uses only part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

/// The app's window, with the processes behind it.
pub struct Desktop {
    pub client: Client,
    driver: Stopped,
    display: Stopped,
    /// The data folder, when the test made it.
    data: Option<tempfile::TempDir>,
}

/// A child process that is stopped, politely, when dropped.
struct Stopped(Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Where the test writes its screenshots.
pub fn output_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e");
    std::fs::create_dir_all(&dir).expect("creating the e2e output folder");
    dir
}

/// Two free ports, never the same one twice: both stay bound until both are known.
fn free_ports() -> (u16, u16) {
    let bind = || TcpListener::bind("127.0.0.1:0").expect("a free port");
    let (a, b) = (bind(), bind());
    let port = |l: &TcpListener| l.local_addr().expect("its address").port();
    (port(&a), port(&b))
}

fn tool(name: &str) -> PathBuf {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .map(|home| home.join("bin").join(name));
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .chain(cargo_bin)
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("{name} is not installed: `./x test` installs it"))
}

/// Starts Xvfb on a display it picks itself and returns the display name.
fn start_display() -> (Stopped, String) {
    let mut xvfb = Command::new(tool("Xvfb"))
        .args(["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb starts");
    let mut line = String::new();
    let stdout = xvfb.stdout.take().expect("Xvfb's stdout");
    BufReader::new(stdout).read_line(&mut line).expect("Xvfb prints its display number");
    let display = format!(":{}", line.trim());
    (Stopped(xvfb), display)
}

/// Launches the app on a new, empty data folder: its first run builds a small demo organisation.
pub async fn launch() -> Desktop {
    launch_with(&[]).await
}

/// As [`launch`], with more environment for the app: a desktop theme, say.
pub async fn launch_with(env: &[(&str, &str)]) -> Desktop {
    let data = tempfile::tempdir().expect("a data folder");
    let mut desktop = start(data.path(), env, FirstRun::Demo).await;
    desktop.data = Some(data);
    desktop
}

/// Launches the app on the data folder `data`, new or not, as a person would: without
/// `OPTOUT_DESK_DEMO_CONTACTS`, so that a first run asks how to begin.
pub async fn launch_asking(data: &Path, env: &[(&str, &str)]) -> Desktop {
    start(data, env, FirstRun::Ask).await
}

/// Launches the app binary built by cargo for this test on the data folder `data`, and opens a
/// WebDriver session on it.
pub async fn launch_on(data: &Path) -> Desktop {
    start(data, &[], FirstRun::Demo).await
}

/// What the app does on a first run.
#[derive(PartialEq)]
enum FirstRun {
    /// Builds a small demo without asking, as every test but the first run's own wants.
    Demo,
    /// Asks, as it does for a person.
    Ask,
}

async fn start(data: &Path, env: &[(&str, &str)], first_run: FirstRun) -> Desktop {
    let (display, display_name) = start_display();
    let (port, native_port) = free_ports();
    let mut driver = Command::new(tool("tauri-driver"));
    driver
        .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
        .envs(env.iter().copied())
        .env("DISPLAY", &display_name)
        .env("OPTOUT_DESK_DATA_DIR", data);
    match first_run {
        FirstRun::Demo => driver.env("OPTOUT_DESK_DEMO_CONTACTS", DEMO_CONTACTS.to_string()),
        FirstRun::Ask => driver.env_remove("OPTOUT_DESK_DEMO_CONTACTS"),
    };
    let driver = driver.stdout(Stdio::null()).stderr(Stdio::inherit()).spawn().expect("tauri-driver starts");
    let driver = Stopped(driver);
    // tauri-driver listens before the WebKitWebDriver it starts does, and drops a request it
    // cannot forward yet (tauri-apps/tauri#15156): wait for both.
    let deadline = Instant::now() + Duration::from_secs(30);
    for listening in [port, native_port] {
        while TcpStream::connect(("127.0.0.1", listening)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not listen on ports {port} and {native_port}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), "wry".into());
    capabilities
        .insert("tauri:options".into(), serde_json::json!({ "application": env!("CARGO_BIN_EXE_optout-desk") }));
    // rustls is built with two crypto providers here (the app's reqwest brings ring, this
    // client aws-lc-rs) and then will not pick one by itself.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let mut builder = ClientBuilder::rustls().expect("a WebDriver client");
    builder.capabilities(capabilities);
    let url = format!("http://127.0.0.1:{port}");
    let client = match tokio::time::timeout(Duration::from_secs(90), builder.connect(&url)).await {
        Ok(Ok(client)) => client,
        Ok(Err(e)) => panic!("no WebDriver session with the app: {e}"),
        Err(_) => panic!("the app did not start within 90 s"),
    };
    Desktop { client, driver, display, data: None }
}

/// Contacts in the demo organisation of a test's first run.
pub const DEMO_CONTACTS: u64 = 400;

impl Desktop {
    /// The text of the first element matching `css`, once there is one. The window re-renders
    /// as the sync moves: an element found a moment before may be gone, so it is found again.
    pub async fn text(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let element =
                self.client.wait().for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
            match element.text().await {
                Ok(text) => return text,
                Err(e) if Instant::now() >= deadline => panic!("text of {css}: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Waits up to ten seconds for the text of `css` to satisfy `ready`, and returns it.
    pub async fn text_when(&self, css: &str, ready: impl Fn(&str) -> bool) -> String {
        self.text_within(Duration::from_secs(10), css, ready).await
    }

    /// Waits up to `limit` for the text of `css` to satisfy `ready`, and returns it: for work
    /// that takes longer than a click, such as an import of a long list.
    pub async fn text_within(&self, limit: Duration, css: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let text = self.text(css).await;
            if ready(&text) {
                return text;
            }
            assert!(Instant::now() < deadline, "{css} never became ready; it says: {text:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits up to a minute for the attribute `name` of `css` to satisfy `ready`, and returns it.
    pub async fn attribute_when(&self, css: &str, name: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let element =
                self.client.wait().for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
            let value = element.attr(name).await.ok().flatten().unwrap_or_default();
            if ready(&value) {
                return value;
            }
            assert!(Instant::now() < deadline, "{name} of {css} never became ready; it is {value:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The `value` of the input matching `css`: what a person would copy from it.
    pub async fn value(&self, css: &str) -> String {
        let element = self.client.wait().for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
        element.prop("value").await.unwrap_or_else(|e| panic!("value of {css}: {e}")).unwrap_or_default()
    }

    /// Chooses the option `value` of the select matching `css`.
    pub async fn select(&self, css: &str, value: &str) {
        let element = self.client.wait().for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
        element.select_by_value(value).await.unwrap_or_else(|e| panic!("choosing {value} in {css}: {e}"));
    }

    /// Clicks the first element matching `css`.
    pub async fn click(&self, css: &str) {
        let element = self.client.wait().for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
        element.click().await.unwrap_or_else(|e| panic!("clicking {css}: {e}"));
    }

    /// Replaces the text of the input matching `css` by typing `text`.
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.client.wait().for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
        element.clear().await.unwrap_or_else(|e| panic!("clearing {css}: {e}"));
        element.send_keys(text).await.unwrap_or_else(|e| panic!("typing into {css}: {e}"));
    }

    /// Asserts that markup shown as text made no element and ran nothing: no `img` or `script`
    /// in the main area, and the title a planted script would change is untouched.
    pub async fn assert_no_markup_ran(&self) {
        let injected = self
            .client
            .execute("return document.querySelectorAll('main img, main script').length", vec![])
            .await
            .expect("a script result");
        assert_eq!(injected, serde_json::json!(0));
        assert_ne!(self.client.title().await.expect("the title"), "pwned");
    }

    /// Saves a screenshot of the window as `name`.png in [`output_dir`] and returns its path.
    ///
    /// WebKitGTK's snapshot waits for the page's next paint, up to a minute: on a page at rest
    /// (no caret blinking, nothing changing) every screenshot took that minute. A pixel in the
    /// corner, changing between two all but transparent shades while the snapshot is taken,
    /// gives it a paint at once.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let tick = "const pixel = document.createElement('div');
            pixel.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none';
            document.body.appendChild(pixel);
            let on = false;
            const timer = setInterval(() => {
              on = !on;
              pixel.style.background = on ? 'rgba(0,0,0,0.02)' : 'rgba(0,0,0,0.03)';
            }, 40);
            window.__screenshotTick = () => { clearInterval(timer); pixel.remove(); };";
        self.client.execute(tick, vec![]).await.expect("the paint for the screenshot");
        let png = self.client.screenshot().await;
        let _ = self.client.execute("window.__screenshotTick && window.__screenshotTick()", vec![]).await;
        let png = png.expect("a screenshot");
        let path = output_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        path
    }

    /// Ends the session and stops the app, the driver and the display.
    pub async fn close(self) {
        let Desktop { client, driver, display, data } = self;
        let _ = client.close().await;
        drop(driver);
        drop(display);
        drop(data);
    }
}
