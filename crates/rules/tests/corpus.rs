//! Precision and recall of the review flag on labelled replies in English, Spanish and French.
//!
//! Each reply is decided as the first response on a Provider 1 campaign with automatic opt-outs
//! on, under the reference rule set. A reply labelled `stop` is caught when it opts out or is
//! flagged `opt_out_request`; the wrong-person class (`wrong`, `deceased`, `minor`) when it is
//! flagged with any of those three reasons; one labelled `none` must be left alone.
//! Run with `--nocapture` to see the figures.
//!
//! `en.tsv`, `es.tsv` and `fr.tsv` are the development set: the rules were tuned on them, every
//! miss is printed, and the targets hold on them. `blind_a.tsv` was written blind by somebody who
//! had not seen the rules, measured once as a held-out set, and then joined the development set:
//! its misses are printed too, and its figures are also reported on their own ("blind A, now
//! development"), so that the next blind set can be compared with what the first one measured.
//! `blind_c.tsv` and then `blind_d.tsv` came the same way after the held-out set, and joined the
//! development set too.
//! `heldout.tsv` is blind: written by somebody who has not seen the rules. Only its aggregate
//! figures are printed, never its replies or misses, so that it stays unseen; it is held to a
//! lower floor so that a regression still fails.

use std::fmt::Write as _;

use optout_rules::{decide, review, AccountOptOut, Provider, ReviewReason, RuleSet, Situation};

/// The replies written beside the rules.
const WRITTEN: [(&str, &str); 3] = [
    ("en.tsv", include_str!("corpus/en.tsv")),
    ("es.tsv", include_str!("corpus/es.tsv")),
    ("fr.tsv", include_str!("corpus/fr.tsv")),
];
/// The first blind set, now development.
const BLIND_A: (&str, &str) = ("blind_a.tsv", include_str!("corpus/blind_a.tsv"));
/// The third blind set, now development (the second is the held-out set).
const BLIND_C: (&str, &str) = ("blind_c.tsv", include_str!("corpus/blind_c.tsv"));
/// The fourth blind set, now development.
const BLIND_D: (&str, &str) = ("blind_d.tsv", include_str!("corpus/blind_d.tsv"));
const HELDOUT: (&str, &str) = ("heldout.tsv", include_str!("corpus/heldout.tsv"));

const LANGUAGES: [&str; 3] = ["en", "es", "fr"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Stop,
    Wrong,
    Deceased,
    Minor,
    None,
}

impl Label {
    fn is_wrong_person(self) -> bool {
        matches!(self, Label::Wrong | Label::Deceased | Label::Minor)
    }
}

struct Row {
    file: &'static str,
    line: usize,
    label: Label,
    lang: &'static str,
    reply: String,
}

fn corpus((file, text): (&'static str, &'static str)) -> Vec<Row> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty())
        .map(|(i, line)| {
            let mut fields = line.splitn(3, '\t');
            let (Some(label), Some(lang), Some(reply)) = (fields.next(), fields.next(), fields.next()) else {
                panic!("{file} line {}: expected LABEL<TAB>LANG<TAB>REPLY", i + 1)
            };
            let label = match label {
                "stop" => Label::Stop,
                "wrong" => Label::Wrong,
                "deceased" => Label::Deceased,
                "minor" => Label::Minor,
                "none" => Label::None,
                other => panic!("{file} line {}: unknown label {other:?}", i + 1),
            };
            let lang = LANGUAGES
                .into_iter()
                .find(|l| *l == lang)
                .unwrap_or_else(|| panic!("{file} line {}: unknown language {lang:?}", i + 1));
            Row { file, line: i + 1, label, lang, reply: reply.replace("\\n", "\n") }
        })
        .collect()
}

fn development() -> Vec<Row> {
    WRITTEN.into_iter().chain([BLIND_A, BLIND_C, BLIND_D]).flat_map(corpus).collect()
}

fn predict(reply: &str) -> Label {
    let us = Situation {
        provider: Provider::One,
        auto_opt_outs: true,
        first_response: true,
        rule_set: RuleSet::Reference,
        canadian_contact: false,
    };
    let d = decide(reply, us);
    match (d.account_opt_out, d.review_reason) {
        (AccountOptOut::Immediate, _) | (_, Some(ReviewReason::OptOutRequest)) => Label::Stop,
        (_, Some(ReviewReason::WrongNumber)) => Label::Wrong,
        (_, Some(ReviewReason::Deceased)) => Label::Deceased,
        (_, Some(ReviewReason::Minor)) => Label::Minor,
        (_, None) => Label::None,
    }
}

#[derive(Default, Clone, Copy)]
struct Score {
    true_pos: usize,
    false_pos: usize,
    false_neg: usize,
}

impl Score {
    fn add(&mut self, actual: bool, predicted: bool) {
        match (actual, predicted) {
            (true, true) => self.true_pos += 1,
            (true, false) => self.false_neg += 1,
            (false, true) => self.false_pos += 1,
            (false, false) => {}
        }
    }
    fn precision(&self) -> f64 {
        self.true_pos as f64 / (self.true_pos + self.false_pos).max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.true_pos as f64 / (self.true_pos + self.false_neg).max(1) as f64
    }
    fn pair(&self) -> String {
        format!("P {:.3} R {:.3} (n={})", self.precision(), self.recall(), self.true_pos + self.false_neg)
    }
}

/// The figures of one set of replies.
#[derive(Default, Clone, Copy)]
struct Figures {
    replies: usize,
    stop: Score,
    wrong: Score,
    /// Replies labelled none, and those of them flagged.
    none: usize,
    none_flagged: usize,
    /// Deceased and minor replies given their own reason.
    exact_reason: (usize, usize),
}

impl Figures {
    fn of<'a>(rows: impl Iterator<Item = (&'a Row, Label)>) -> Figures {
        let mut f = Figures::default();
        for (row, predicted) in rows {
            f.replies += 1;
            f.stop.add(row.label == Label::Stop, predicted == Label::Stop);
            f.wrong.add(row.label.is_wrong_person(), predicted.is_wrong_person());
            if row.label == Label::None {
                f.none += 1;
                f.none_flagged += usize::from(predicted != Label::None);
            }
            if matches!(row.label, Label::Deceased | Label::Minor) {
                f.exact_reason.1 += 1;
                f.exact_reason.0 += usize::from(predicted == row.label);
            }
        }
        f
    }

    fn line(&self) -> String {
        format!(
            "{} replies. stop: {}. wrong person: {}. none flagged: {}/{} ({:.3}). deceased/minor given their own \
             reason: {}/{}",
            self.replies,
            self.stop.pair(),
            self.wrong.pair(),
            self.none_flagged,
            self.none,
            self.none_flagged as f64 / self.none.max(1) as f64,
            self.exact_reason.0,
            self.exact_reason.1
        )
    }
}

/// Aggregate figures, overall and per language; with `misses`, every miss first.
fn report(name: &str, rows: &[Row], misses: bool) -> Figures {
    let predicted: Vec<Label> = rows.iter().map(|r| predict(&r.reply)).collect();
    let mut text = String::new();
    if misses {
        // Blind A labels a death or a child `wrong`, as any wrong person: there, any wrong-person
        // reason is right. Files that label them apart want the exact reason.
        let fine: Vec<&str> =
            rows.iter().filter(|r| matches!(r.label, Label::Deceased | Label::Minor)).map(|r| r.file).collect();
        let missed = |r: &Row, p: Label| {
            let coarse = r.label == Label::Wrong && p.is_wrong_person() && !fine.contains(&r.file);
            r.label != p && !coarse
        };
        for (row, p) in rows.iter().zip(&predicted).filter(|(r, p)| missed(r, **p)) {
            let matched =
                review(&row.reply).map_or(String::new(), |r| format!(" [{}: {:?}]", r.pattern.as_str(), r.matched));
            let _ = writeln!(
                text,
                "{} line {}: {:?} predicted {:?}{matched}: {:?}",
                row.file, row.line, row.label, p, row.reply
            );
        }
    }
    let all = Figures::of(rows.iter().zip(predicted.iter().copied()));
    let _ = writeln!(text, "{name}: {}", all.line());
    for lang in LANGUAGES {
        let of_lang = Figures::of(rows.iter().zip(predicted.iter().copied()).filter(|(r, _)| r.lang == lang));
        let _ = writeln!(text, "  {lang}: {}", of_lang.line());
    }
    // The language the flag names, against the corpus's, among flagged replies.
    let flagged: Vec<(&Row, _)> = rows.iter().filter_map(|r| review(&r.reply).map(|f| (r, f.language))).collect();
    let agree = flagged.iter().filter(|(r, l)| l.as_str() == r.lang).count();
    let _ = writeln!(text, "  language named right on {agree}/{} flagged replies", flagged.len());
    eprint!("{text}");
    all
}

/// The targets: stop requests caught with recall 0.98 at precision 0.95, wrong persons
/// with recall 0.9.
fn meets_the_targets(f: &Figures) {
    assert!(f.stop.recall() >= 0.98, "stop recall {:.3}", f.stop.recall());
    assert!(f.stop.precision() >= 0.95, "stop precision {:.3}", f.stop.precision());
    assert!(f.wrong.recall() >= 0.9, "wrong-person recall {:.3}", f.wrong.recall());
}

/// A blind set that joined the development set: at least `replies` of them, each miss printed
/// with the development set's, and the development targets held on its own figures.
fn holds_as_development(name: &str, set: (&'static str, &'static str), replies: usize) {
    let f = report(name, &corpus(set), false);
    assert!(f.replies >= replies, "{} replies", f.replies);
    meets_the_targets(&f);
}

#[test]
fn the_development_set_is_large_and_a_quarter_spanish_and_french() {
    let rows = development();
    let count = |l: Label| rows.iter().filter(|r| r.label == l).count();
    let blind_a = corpus(BLIND_A);
    assert!(blind_a.len() >= 600, "blind A has {} replies", blind_a.len());
    let not_english = rows.iter().filter(|r| r.lang != "en").count();
    assert!(rows.len() >= 1000, "{} replies", rows.len());
    assert!(not_english * 4 >= rows.len(), "{not_english} of {} in Spanish or French", rows.len());
    assert!(count(Label::Stop) >= 300 && count(Label::Wrong) >= 100 && count(Label::None) >= 300);
    assert!(count(Label::Deceased) >= 20 && count(Label::Minor) >= 20);
    for lang in ["es", "fr"] {
        assert!(rows.iter().filter(|r| r.lang == lang).count() >= 150, "{lang}");
    }
    // Blind A was written without seeing the other files, and repeats some of their replies;
    // each part lists a reply once.
    let written: Vec<Row> = WRITTEN.into_iter().flat_map(corpus).collect();
    let (blind_c, blind_d) = (corpus(BLIND_C), corpus(BLIND_D));
    for (part, rows) in [("en/es/fr", &written), ("blind A", &blind_a), ("blind C", &blind_c), ("blind D", &blind_d)] {
        let mut replies: Vec<&str> = rows.iter().map(|r| r.reply.as_str()).collect();
        replies.sort_unstable();
        let before = replies.len();
        replies.dedup();
        assert_eq!(replies.len(), before, "a reply is listed twice in {part}");
    }
    assert!(!corpus(HELDOUT).is_empty());
}

#[test]
fn review_flag_meets_its_targets_on_the_development_set() {
    let f = report("development", &development(), true);
    meets_the_targets(&f);
}

/// Blind A's own figures, beside what it measured blind (stop P 0.991 R 0.958, wrong person P
/// 0.992 R 0.957, 3/259 ordinary replies flagged), held to the development targets. Its misses
/// are printed with the development set's.
#[test]
fn review_flag_meets_its_targets_on_blind_a_now_development() {
    holds_as_development("blind A, now development", BLIND_A, 600);
}

/// Blind set B (851 replies), measured once when it came, after blind A had joined the
/// development set: stop P 0.985 R 0.967, wrong person P 0.994 R 0.906, 6/334 ordinary replies
/// flagged; after blind D joined, stop R 0.982. The floors sit just under the figures, so that a
/// regression fails.
#[test]
fn review_flag_holds_up_on_the_blind_held_out_set() {
    let f = report("held-out", &corpus(HELDOUT), false);
    assert!(f.replies >= 800, "{} replies", f.replies);
    assert!(f.stop.recall() >= 0.975, "stop recall {:.3}", f.stop.recall());
    assert!(f.stop.precision() >= 0.97, "stop precision {:.3}", f.stop.precision());
    assert!(f.wrong.recall() >= 0.88, "wrong-person recall {:.3}", f.wrong.recall());
    assert!(f.wrong.precision() >= 0.97, "wrong-person precision {:.3}", f.wrong.precision());
}

/// Blind C's own figures, beside what it measured blind on 2026-12-03, its 480 replies written
/// by somebody who had seen neither the rules nor the other sets: stop P 0.989 R 0.953 (French
/// R 0.904), wrong person P 1.000 R 0.991, 2/182 ordinary replies flagged. Its misses are printed
/// with the development set's.
#[test]
fn review_flag_meets_its_targets_on_blind_c_now_development() {
    holds_as_development("blind C, now development", BLIND_C, 480);
}

/// Blind D's own figures, beside what it measured blind on 2026-12-03, its 640 replies (two
/// thirds of its requests to stop in plain words) written by somebody who had seen neither the
/// rules nor the other sets: stop P 0.989 R 0.917 (Spanish R 0.871), wrong person P 1.000 R
/// 0.976, 3/214 ordinary replies flagged. Its misses are printed with the development set's.
#[test]
fn review_flag_meets_its_targets_on_blind_d_now_development() {
    holds_as_development("blind D, now development", BLIND_D, 640);
}
