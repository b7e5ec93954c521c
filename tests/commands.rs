//! The window's commands are spelt in four places: the shell's handler list, the build script
//! that gives each a permission, the capability that grants them to the window, and the UI's
//! one module that calls them. A command missing from one of them fails only when someone
//! clicks: this says which place lacks which command.

use std::collections::BTreeSet;
use std::path::Path;

fn read(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text between `open` and the next `close` after it.
fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).unwrap_or_else(|| panic!("no {open:?}")) + open.len();
    let end = text[start..].find(close).unwrap_or_else(|| panic!("no {close:?} after {open:?}"));
    &text[start..start + end]
}

/// Every string in double quotes in `text`.
fn quoted(text: &str) -> BTreeSet<String> {
    text.split('"').skip(1).step_by(2).map(str::to_owned).collect()
}

fn handlers() -> BTreeSet<String> {
    let list = read("src-tauri/lib.rs");
    between(&list, "generate_handler![", "]")
        .split(',')
        .filter_map(|path| path.trim().rsplit("::").next())
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

fn permissions() -> BTreeSet<String> {
    quoted(between(&read("src-tauri/build.rs"), ".commands(&[", "]"))
}

fn granted() -> BTreeSet<String> {
    let capability: serde_json::Value = serde_json::from_str(&read("capabilities/default.json")).expect("JSON");
    capability["permissions"]
        .as_array()
        .expect("a list of permissions")
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|name| name.replace('-', "_"))
        .collect()
}

fn called() -> BTreeSet<String> {
    let ipc = read("ui/src/lib/ipc/index.ts");
    // `invoke("name"` or `invoke<Type>("name"`.
    ipc.split("invoke")
        .skip(1)
        .filter_map(|rest| {
            let (typed, after) = rest.split_once("(\"")?;
            let name = after.split('"').next()?;
            (typed.is_empty() || typed.starts_with('<') && !typed.contains('\n')).then(|| name.to_owned())
        })
        .collect()
}

#[test]
fn every_command_is_handled_permitted_granted_and_called() {
    let handled = handlers();
    assert!(handled.len() > 30 && handled.contains("opt_in"), "read the handler list: {handled:?}");
    for (place, names) in [("build.rs", permissions()), ("capabilities/default.json", granted()), ("lib/ipc", called())]
    {
        let missing: Vec<_> = handled.difference(&names).collect();
        let extra: Vec<_> = names.difference(&handled).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{place} lacks {missing:?} and has {extra:?} unhandled");
    }
}
