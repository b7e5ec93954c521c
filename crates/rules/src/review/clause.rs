//! One clause of a reply, and the ways the rules walk it: windows that read past profanity,
//! and negation before a word or, in French, after it.

use super::lexicon::Concepts as C;
use super::tokens::{Token, Tokens};

/// A clause: the words between two clause breaks.
#[derive(Clone, Copy)]
pub(crate) struct Clause<'t> {
    tokens: &'t [Token],
    reply: &'t Tokens<'t>,
    /// Every concept of the clause's words: a rule whose words are missing is not tried.
    seen: C,
    /// The first word of the next clause, if any: "End. Of. Story." reads on past the dot.
    pub following: Option<&'t Token>,
}

impl<'t> Clause<'t> {
    pub fn new(tokens: &'t [Token], reply: &'t Tokens<'t>, following: Option<&'t Token>) -> Clause<'t> {
        let seen = tokens.iter().fold(C::default(), |seen, t| seen.or(t.concepts));
        Clause { tokens, reply, seen, following }
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn token(&self, i: usize) -> Option<&'t Token> {
        self.tokens.get(i)
    }

    pub fn tokens(&self) -> &'t [Token] {
        self.tokens
    }

    /// The folded word at `i`, or "" past the end.
    pub fn word(&self, i: usize) -> &'t str {
        self.tokens.get(i).map_or("", |t| self.reply.word(t))
    }

    /// The folded word of the following clause's first token.
    pub fn following_word(&self) -> &'t str {
        self.following.map_or("", |t| self.reply.word(t))
    }

    /// Whether the word at `i` stands for any of `concepts`.
    pub fn is(&self, i: usize, concepts: C) -> bool {
        self.tokens.get(i).is_some_and(|t| t.is(concepts))
    }

    /// Whether any word of the clause stands for any of `concepts`.
    pub fn any(&self, concepts: C) -> bool {
        self.seen.any(concepts)
    }

    /// The indices of up to `n` words after `i`, reading past profanity.
    pub fn after(&self, i: usize, n: usize) -> impl Iterator<Item = usize> + 't {
        let tokens = self.tokens;
        (i + 1..tokens.len()).filter(move |&j| !tokens[j].is(C::SKIP)).take(n)
    }

    /// The indices of up to `n` words before `i`, nearest first, reading past profanity.
    pub fn before(&self, i: usize, n: usize) -> impl Iterator<Item = usize> + 't {
        let tokens = self.tokens;
        (0..i.min(tokens.len())).rev().filter(move |&j| !tokens[j].is(C::SKIP)).take(n)
    }

    /// The next word after `i`, reading past profanity.
    pub fn next(&self, i: usize) -> Option<usize> {
        self.after(i, 1).next()
    }

    /// The word before `i`, reading past profanity.
    pub fn prev(&self, i: usize) -> Option<usize> {
        self.before(i, 1).next()
    }

    /// The first of the `n` words after `i` that stands for any of `concepts`.
    pub fn find_after(&self, i: usize, n: usize, concepts: C) -> Option<usize> {
        self.after(i, n).find(|&j| self.is(j, concepts))
    }

    /// The nearest of the `n` words before `i` that stands for any of `concepts`.
    pub fn find_before(&self, i: usize, n: usize, concepts: C) -> Option<usize> {
        self.before(i, n).find(|&j| self.is(j, concepts))
    }

    /// Whether nothing but words of `concepts` (and profanity) follows `i`.
    pub fn only_after(&self, i: usize, concepts: C) -> bool {
        self.after(i, usize::MAX).all(|j| self.is(j, concepts))
    }

    /// Whether the word at `i` is turned round: a negation among the two words before it ("don't
    /// stop", "no dejen de"), or a French one right after it ("arrêtez pas", "veux plus").
    pub fn negated(&self, i: usize) -> bool {
        self.find_before(i, 2, C::NEG).is_some() || self.negated_after(i)
    }

    /// A French negation right after `i`. "plus" followed by "de", "d'", "tard" or "que" means
    /// "more" ("plus d'infos", "plus tard"), unless a "ne" came before.
    pub fn negated_after(&self, i: usize) -> bool {
        let Some(j) = self.next(i) else { return false };
        if !self.is(j, C::NEG_POST) {
            return false;
        }
        let more = self.word(j) == "plus" && matches!(self.word(j + 1), "de" | "d" | "tard" | "que" | "tot");
        !more || self.before(i, 3).any(|k| matches!(self.word(k), "ne" | "n"))
    }
}
