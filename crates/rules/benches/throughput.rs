//! Throughput of the rules engine over a realistic mix of 1M replies, side by side with a
//! baseline that does the keyword job the way existing texting tools do: one case-insensitive
//! regular expression per provider.
//!
//! Run: `cargo bench -p optout-rules`. Criterion prints replies per second ("elem/s") for each.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use optout_rules::{decide, match_word, Provider, RuleSet, Situation, Word};
use regex::Regex;

const REPLIES: usize = 1_000_000;

/// Real replies from the labelled development corpus (English, Spanish, French), about one in
/// five a keyword as contacts type them.
fn mix() -> Vec<String> {
    let files = [
        include_str!("../tests/corpus/en.tsv"),
        include_str!("../tests/corpus/es.tsv"),
        include_str!("../tests/corpus/fr.tsv"),
    ];
    // LABEL<TAB>LANG<TAB>REPLY
    let corpus: Vec<&str> = files
        .iter()
        .flat_map(|file| file.lines())
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.splitn(3, '\t').nth(2))
        .collect();
    let keywords = [
        "STOP",
        "Stop",
        "stop",
        "STOP.",
        "Stop!",
        " stop ",
        "Cancel",
        "END",
        "quit",
        "Unsubscribe",
        "STOPALL",
        "stop\n",
        "REVOKE",
        "optout",
        "ＳＴＯＰ",
        "“STOP”",
        "START",
        "HELP",
    ];
    // A fixed linear congruential generator: the same mix in every run, no dependency.
    let mut state: u64 = 0x5eed;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    (0..REPLIES)
        .map(|_| {
            let r = next();
            if r % 5 == 0 {
                keywords[next() % keywords.len()].to_owned()
            } else {
                corpus[next() % corpus.len()].to_owned()
            }
        })
        .collect()
}

/// The baseline: one case-insensitive pattern per provider that allows whitespace and
/// punctuation around the keyword.
fn baseline(provider: Provider) -> Regex {
    let words: Vec<&str> = provider.keywords().iter().map(|k| k.as_str()).collect();
    Regex::new(&format!(r"(?i)^[\s\p{{P}}]*({})[\s\p{{P}}]*$", words.join("|"))).expect("a valid pattern")
}

fn keyword_decisions(c: &mut Criterion) {
    let replies = mix();
    let mut group = c.benchmark_group("keyword decision, 1M replies");
    group.throughput(Throughput::Elements(REPLIES as u64)).sample_size(10);
    // What any matcher pays to visit each reply's text once: the floor under both lines below.
    group.bench_function("floor: read the first byte", |b| {
        b.iter(|| replies.iter().filter(|r| black_box(r.as_bytes().first()) == Some(&b'S')).count())
    });
    for provider in Provider::ALL {
        group.bench_function(format!("rules engine, provider {provider:?}"), |b| {
            b.iter(|| {
                replies
                    .iter()
                    .filter(
                        |r| matches!(match_word(r), Some(m) if matches!(m.word, Word::Keyword(k) if provider.lists(k))),
                    )
                    .count()
            })
        });
        let regex = baseline(provider);
        group.bench_function(format!("regex baseline, provider {provider:?}"), |b| {
            b.iter(|| replies.iter().filter(|r| regex.is_match(black_box(r))).count())
        });
    }
    group.finish();
}

/// What a texting tool without a review flag of its own might run to flag replies: the keyword
/// pattern, then one case-insensitive alternation of stop and wrong-number phrases anywhere.
fn baseline_flag() -> (Regex, Regex) {
    let phrases = [
        "stop",
        "unsubscribe",
        "remove me",
        "take me off",
        "opt out",
        "no more",
        "leave me alone",
        "don't text",
        "do not text",
        "wrong number",
        "wrong person",
        "new number",
        "not my number",
        "baja",
        "no me escriban",
        "número equivocado",
        "arrêtez",
        "désabonner",
        "ne m'écrivez plus",
        "mauvais numéro",
    ];
    let flag = Regex::new(&format!(r"(?i)\b({})\b", phrases.join("|"))).expect("a valid pattern");
    (baseline(Provider::One), flag)
}

fn full_decisions(c: &mut Criterion) {
    let replies = mix();
    let mut group = c.benchmark_group("full decision with review flag, 1M replies");
    group.throughput(Throughput::Elements(REPLIES as u64)).sample_size(10);
    let us = Situation {
        provider: Provider::One,
        auto_opt_outs: true,
        first_response: true,
        rule_set: RuleSet::Reference,
        canadian_contact: false,
    };
    group.bench_function("rules engine", |b| {
        b.iter(|| replies.iter().map(|r| decide(black_box(r), us).user_action as u8 as usize).sum::<usize>())
    });
    let (keyword, flag) = baseline_flag();
    group.bench_function("regex baseline: keyword, then a phrase alternation", |b| {
        b.iter(|| {
            replies
                .iter()
                .map(|r| usize::from(keyword.is_match(black_box(r))) * 2 + usize::from(flag.is_match(r)))
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, keyword_decisions, full_decisions);
criterion_main!(benches);
