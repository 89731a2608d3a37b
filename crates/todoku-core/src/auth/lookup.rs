//! The live checks' shared DNS front: every question goes through one
//! [`Lookups`], which merges duplicates (a question asked twice, even while the
//! first is still in flight, goes to the resolver once) and keeps every
//! answer, in the order asked, as evidence for the report.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use crate::auth::dns::{DnsAnswer, DnsFailure, RecordType, Resolver};
use crate::auth::live::{DnsEvidence, DnsOutcome};

type Key = (String, RecordType);

enum Slot {
    Pending(Vec<Waker>),
    Done(Result<DnsAnswer, DnsFailure>),
}

/// What is known of one question. One map of these instead of a map per
/// fact: each `BTreeMap` type is compiled anew (issue 7, bundle size).
#[derive(Default)]
struct Entry {
    /// `None` until the question is sent.
    slot: Option<Slot>,
    /// The sequential round it was asked in (0 until sent).
    round: u32,
    /// Which checks asked it.
    askers: Vec<&'static str>,
}

/// A resolver wrapped with a de-duplicating cache and an evidence log.
pub struct Lookups<'r, R> {
    resolver: &'r R,
    /// How the signature checks of this stage verify (not DNS, but the
    /// one other capability the live checks take from their caller).
    signatures: &'r dyn crate::auth::dkim::key::Signatures,
    entries: RefCell<BTreeMap<Key, Entry>>,
    log: RefCell<Vec<DnsEvidence>>,
    /// Rounds already spent by earlier stages.
    base: Cell<u32>,
}

/// The longest chain of questions that had to wait for one another.
fn max_round(entries: &BTreeMap<Key, Entry>) -> u32 {
    entries.values().map(|e| e.round).max().unwrap_or(0)
}

impl<R> std::fmt::Debug for Lookups<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lookups")
            .field("answers", &self.log.borrow().len())
            .finish_non_exhaustive()
    }
}

impl<'r, R: Resolver> Lookups<'r, R> {
    /// Wrap a resolver.
    pub fn new(resolver: &'r R) -> Self {
        Lookups {
            resolver,
            signatures: crate::auth::dkim::key::builtin(),
            entries: RefCell::new(BTreeMap::new()),
            log: RefCell::new(Vec::new()),
            base: Cell::new(0),
        }
    }

    /// Verify signatures with `signatures` instead of [`crate::auth::dkim::key::builtin`].
    pub fn with_signatures(
        mut self,
        signatures: &'r dyn crate::auth::dkim::key::Signatures,
    ) -> Self {
        self.signatures = signatures;
        self
    }

    /// The signature verifier of this stage.
    pub fn signatures(&self) -> &'r dyn crate::auth::dkim::key::Signatures {
        self.signatures
    }

    /// Start a stage that waits for everything asked so far: its questions
    /// count their rounds after the current ones.
    pub fn next_stage(&self) {
        self.base.set(self.rounds());
    }

    /// The provider label of the wrapped resolver.
    pub fn provider(&self) -> String {
        self.resolver.provider()
    }

    /// Ask a question for the check `who`; `round` is how many answers this
    /// question had to wait for (1 for one that depends on nothing asked live).
    pub async fn query(
        &self,
        name: &str,
        rtype: RecordType,
        round: u32,
        who: &'static str,
    ) -> Result<DnsAnswer, DnsFailure> {
        let key = (name.trim_end_matches('.').to_ascii_lowercase(), rtype);
        let start = {
            let mut entries = self.entries.borrow_mut();
            let entry = entries.entry(key.clone()).or_default();
            if !entry.askers.contains(&who) {
                entry.askers.push(who);
            }
            match &entry.slot {
                Some(Slot::Done(result)) => return result.clone(),
                Some(Slot::Pending(_)) => false,
                None => {
                    entry.slot = Some(Slot::Pending(Vec::new()));
                    entry.round = self.base.get() + round.max(1);
                    true
                }
            }
        };
        if !start {
            return Wait { lookups: self, key }.await;
        }
        let result = self.resolver.query(&key.0, rtype).await;
        self.log.borrow_mut().push(DnsEvidence {
            name: key.0.clone(),
            rtype,
            provider: self.resolver.provider(),
            asked_by: Vec::new(),
            outcome: match &result {
                Ok(answer) => DnsOutcome::Answer(answer.clone()),
                Err(failure) => DnsOutcome::Failure(failure.clone()),
            },
            latency_ms: self.resolver.latency_ms(&key.0, rtype),
        });
        let previous = self
            .entries
            .borrow_mut()
            .entry(key)
            .or_default()
            .slot
            .replace(Slot::Done(result.clone()));
        if let Some(Slot::Pending(wakers)) = previous {
            wakers.into_iter().for_each(Waker::wake);
        }
        result
    }

    /// Every question asked so far, in the order the answers came, each
    /// with the checks that asked it.
    pub fn evidence(&self) -> Vec<DnsEvidence> {
        let entries = self.entries.borrow();
        self.log
            .borrow()
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.asked_by = entries
                    .get(&(e.name.clone(), e.rtype))
                    .map(|l| l.askers.iter().map(|s| (*s).to_string()).collect())
                    .unwrap_or_default();
                e
            })
            .collect()
    }

    /// The evidence for one question, once answered.
    pub fn evidence_of(&self, name: &str, rtype: RecordType) -> Option<DnsEvidence> {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        self.evidence()
            .into_iter()
            .find(|e| e.name == name && e.rtype == rtype)
    }

    /// The evidence one check asked for.
    pub fn evidence_for(&self, who: &str) -> Vec<DnsEvidence> {
        self.evidence()
            .into_iter()
            .filter(|e| e.asked_by.iter().any(|a| a == who))
            .collect()
    }

    /// How many answers are logged.
    pub fn len(&self) -> usize {
        self.log.borrow().len()
    }

    /// Whether nothing has been asked.
    pub fn is_empty(&self) -> bool {
        self.log.borrow().is_empty()
    }

    /// The number of sequential rounds the questions needed.
    pub fn rounds(&self) -> u32 {
        max_round(&self.entries.borrow())
    }
}

struct Wait<'a, 'r, R> {
    lookups: &'a Lookups<'r, R>,
    key: Key,
}

impl<R> Future for Wait<'_, '_, R> {
    type Output = Result<DnsAnswer, DnsFailure>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut entries = self.lookups.entries.borrow_mut();
        match entries.get_mut(&self.key).and_then(|e| e.slot.as_mut()) {
            Some(Slot::Done(result)) => Poll::Ready(result.clone()),
            Some(Slot::Pending(wakers)) => {
                wakers.push(cx.waker().clone());
                Poll::Pending
            }
            None => Poll::Ready(Err(DnsFailure::Malformed {
                detail: "lookup vanished".to_string(),
            })),
        }
    }
}

/// Two futures at once on the current task.
pub async fn join2<A: std::future::Future, B: std::future::Future>(
    a: A,
    b: B,
) -> (A::Output, B::Output) {
    let mut a = Box::pin(a);
    let mut b = Box::pin(b);
    let mut out_a = None;
    let mut out_b = None;
    std::future::poll_fn(move |cx| {
        if out_a.is_none()
            && let std::task::Poll::Ready(v) = a.as_mut().poll(cx)
        {
            out_a = Some(v);
        }
        if out_b.is_none()
            && let std::task::Poll::Ready(v) = b.as_mut().poll(cx)
        {
            out_b = Some(v);
        }
        match (out_a.take(), out_b.take()) {
            (Some(x), Some(y)) => std::task::Poll::Ready((x, y)),
            (x, y) => {
                out_a = x;
                out_b = y;
                std::task::Poll::Pending
            }
        }
    })
    .await
}

/// Many futures of one type at once on the current task; outputs in order.
pub async fn join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pending: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(move |cx| {
        for (future, output) in pending.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none()
                && let Poll::Ready(v) = future.as_mut().poll(cx)
            {
                *output = Some(v);
            }
        }
        if outputs.iter().all(Option::is_some) {
            Poll::Ready(outputs.iter_mut().filter_map(Option::take).collect())
        } else {
            Poll::Pending
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::dns::FixtureResolver;

    #[test]
    fn duplicate_questions_reach_the_resolver_once_even_in_flight() {
        let resolver =
            FixtureResolver::new()
                .txt("a.test", "x")
                .latency("a.test", RecordType::Txt, 42);
        let lookups = Lookups::new(&resolver);
        let ((first, second), third) = pollster::block_on(join2(
            join2(
                lookups.query("a.test", RecordType::Txt, 1, "spf"),
                lookups.query("A.test.", RecordType::Txt, 1, "dmarc"),
            ),
            lookups.query("b.test", RecordType::Txt, 2, "spf"),
        ));
        let answers = [first, second, third];
        assert_eq!(answers.len(), 3);
        assert_eq!(answers[0], answers[1]);
        let names: Vec<_> = lookups.evidence().into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["a.test", "b.test"]);
        assert_eq!(lookups.evidence()[0].asked_by, ["spf", "dmarc"]);
        assert_eq!(lookups.evidence()[0].latency_ms, Some(42));
        assert_eq!(lookups.evidence()[1].latency_ms, None);
        assert_eq!(lookups.evidence_for("dmarc").len(), 1);
        assert_eq!(lookups.rounds(), 2);
    }

    #[test]
    fn join_all_keeps_the_order_and_asks_everything_before_waiting() {
        let resolver = FixtureResolver::new().txt("a.test", "1").txt("b.test", "2");
        let lookups = Lookups::new(&resolver);
        let asks = ["b.test", "a.test", "b.test"]
            .into_iter()
            .map(|n| lookups.query(n, RecordType::Txt, 1, "dkim"))
            .collect();
        let texts: Vec<String> = pollster::block_on(join_all(asks))
            .into_iter()
            .map(|a| a.unwrap().txt().collect())
            .collect();
        assert_eq!(texts, ["2", "1", "2"]);
        assert_eq!(lookups.len(), 2);
        assert!(pollster::block_on(join_all(Vec::<std::future::Ready<u8>>::new())).is_empty());
    }
}
