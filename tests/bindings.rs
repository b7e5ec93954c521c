//! The TypeScript types the UI uses are generated from the Rust types that cross IPC; this test
//! fails when `ui/src/lib/ipc/bindings.ts` is stale. `./x bindings` rewrites it.
//!
//! Only the types the window's commands take and give are named here; every type inside them
//! is found through them, so a new field's type needs no entry. A second test reads the commands'
//! signatures in `src-tauri/` and fails when one names a type that is not generated.

#![allow(clippy::unwrap_used)]

use std::any::TypeId;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use optout_cache as cache;
use optout_desktop as desktop;
use optout_hub as hub;
use optout_rules as rules;
use ts_rs::{Config, TypeVisitor, TS};

const PATH: &str = "ui/src/lib/ipc/bindings.ts";

/// Gathers the declaration of every type it visits and of every type inside one.
struct Declarations {
    cfg: Config,
    seen: HashSet<TypeId>,
    by_name: BTreeMap<String, String>,
}

impl TypeVisitor for Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        // Vec, Option, tuples and the like declare nothing; the types inside them may.
        if T::output_path().is_some() {
            self.by_name.insert(T::ident(&self.cfg), T::decl(&self.cfg));
            T::visit_dependencies(self);
        }
        T::visit_generics(self);
    }
}

/// The types the commands in `src-tauri/` take and give, and the failure every one may give.
fn declarations() -> BTreeMap<String, String> {
    // Ids and counts are far below 2^53: plain numbers in JSON, and in TypeScript.
    let cfg = Config::new().with_large_int("number");
    let mut all = Declarations { cfg, seen: HashSet::new(), by_name: BTreeMap::new() };
    all.visit::<desktop::Failure>();
    all.visit::<rules::Preview>();
    all.visit::<desktop::DeskStatus>();
    all.visit::<desktop::FilePurpose>();
    all.visit::<desktop::FirstRunChoice>();
    all.visit::<desktop::Job>();
    all.visit::<desktop::MadeToken>();
    all.visit::<desktop::ProviderWebhook>();
    all.visit::<desktop::RuleChoices>();
    all.visit::<hub::Account>();
    all.visit::<hub::AccountSettings>();
    all.visit::<hub::Campaign>();
    all.visit::<hub::ProviderConnection>();
    all.visit::<hub::ProviderSetup>();
    all.visit::<hub::Region>();
    all.visit::<hub::ReviewAction>();
    all.visit::<hub::Role>();
    all.visit::<hub::Token>();
    all.visit::<cache::ConversationDetail>();
    all.visit::<cache::ConversationFilter>();
    all.visit::<cache::ConversationPage>();
    all.visit::<cache::NumberRecord>();
    all.visit::<cache::OptOutListPage>();
    all.visit::<cache::OptOutQuery>();
    all.visit::<cache::OutboxItem>();
    all.visit::<cache::Trends>();
    all.by_name
}

fn typescript() -> String {
    let mut text = String::from("// Generated from the Rust types by `./x bindings`. Do not edit by hand.\n");
    for declaration in declarations().values() {
        text.push_str("\nexport ");
        text.push_str(declaration);
        text.push('\n');
    }
    text
}

#[test]
fn bindings_are_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(PATH);
    let generated = typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(on_disk == generated, "{PATH} is stale: run `./x bindings` and commit the result");
}

/// The type names in the signatures of the `#[tauri::command]` functions of `source`.
fn command_types(source: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for command in source.split("#[tauri::command").skip(1) {
        let signature = &command[..command.find('{').unwrap_or(command.len())];
        let signature = &signature[signature.find("fn ").unwrap_or(0)..];
        let words = signature.split(|c: char| !(c.is_alphanumeric() || c == '_'));
        names.extend(words.filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase())).map(str::to_owned));
    }
    names
}

#[test]
fn every_type_a_command_takes_or_gives_is_generated() {
    // Rust's and Tauri's own, which cross IPC as what they hold, or not at all.
    const NOT_DECLARED: [&str; 9] =
        ["Answer", "AppHandle", "DateTime", "Option", "Shared", "State", "String", "Utc", "Vec"];
    let shell = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri");
    let generated = declarations();
    let mut missing = Vec::new();
    for file in std::fs::read_dir(&shell).unwrap() {
        let file = file.unwrap().path();
        let source = std::fs::read_to_string(&file).unwrap();
        for name in command_types(&source) {
            if !NOT_DECLARED.contains(&name.as_str()) && !generated.contains_key(&name) {
                missing.push(format!("{name} ({})", file.display()));
            }
        }
    }
    assert!(missing.is_empty(), "commands use types the bindings lack; add them to `declarations`: {missing:?}");
}

#[test]
fn a_command_signature_gives_its_types() {
    let source = "#[tauri::command]\npub async fn number(desk: State<'_, Shared>, phone: String) -> Answer<NumberRecord> {\n    x(Other)\n}";
    let expected = ["Answer", "NumberRecord", "Shared", "State", "String"];
    assert_eq!(command_types(source), expected.map(str::to_owned).into());
}
