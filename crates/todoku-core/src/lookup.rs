//! The live checks' shared DNS front: every question goes through one
//! [`Lookups`], which merges duplicates (a question asked twice, even while the
//! first is still in flight, goes to the resolver once) and keeps every
//! answer, in the order asked, as evidence for the report.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use crate::dns::{DnsAnswer, DnsFailure, RecordType, Resolver};
use crate::live::{DnsEvidence, DnsOutcome};

type Key = (String, RecordType);

enum Slot {
    Pending(Vec<Waker>),
    Done(Result<DnsAnswer, DnsFailure>),
}

/// A resolver wrapped with a de-duplicating cache and an evidence log.
pub struct Lookups<'r, R> {
    resolver: &'r R,
    slots: RefCell<BTreeMap<Key, Slot>>,
    log: RefCell<Vec<DnsEvidence>>,
    /// The sequential round each question was asked in.
    rounds: RefCell<BTreeMap<Key, u32>>,
}

/// The longest chain of questions that had to wait for one another.
fn max_round(rounds: &BTreeMap<Key, u32>) -> u32 {
    rounds.values().copied().max().unwrap_or(0)
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
            slots: RefCell::new(BTreeMap::new()),
            log: RefCell::new(Vec::new()),
            rounds: RefCell::new(BTreeMap::new()),
        }
    }

    /// The provider label of the wrapped resolver.
    pub fn provider(&self) -> String {
        self.resolver.provider()
    }

    /// Ask a question; `round` is how many answers this question had to wait
    /// for (1 for a question that depends on nothing asked live).
    pub async fn query(
        &self,
        name: &str,
        rtype: RecordType,
        round: u32,
    ) -> Result<DnsAnswer, DnsFailure> {
        let key = (name.trim_end_matches('.').to_ascii_lowercase(), rtype);
        let start = {
            let mut slots = self.slots.borrow_mut();
            match slots.get(&key) {
                Some(Slot::Done(result)) => return result.clone(),
                Some(Slot::Pending(_)) => false,
                None => {
                    slots.insert(key.clone(), Slot::Pending(Vec::new()));
                    true
                }
            }
        };
        if !start {
            return Wait { lookups: self, key }.await;
        }
        self.rounds.borrow_mut().insert(key.clone(), round.max(1));
        let result = self.resolver.query(&key.0, rtype).await;
        self.log.borrow_mut().push(DnsEvidence {
            name: key.0.clone(),
            rtype,
            provider: self.resolver.provider(),
            outcome: match &result {
                Ok(answer) => DnsOutcome::Answer(answer.clone()),
                Err(failure) => DnsOutcome::Failure(failure.clone()),
            },
        });
        let previous = self
            .slots
            .borrow_mut()
            .insert(key, Slot::Done(result.clone()));
        if let Some(Slot::Pending(wakers)) = previous {
            wakers.into_iter().for_each(Waker::wake);
        }
        result
    }

    /// Every question asked so far, in the order the answers came.
    pub fn evidence(&self) -> Vec<DnsEvidence> {
        self.log.borrow().clone()
    }

    /// Evidence for the questions asked since `from` (an earlier `len()`).
    pub fn evidence_since(&self, from: usize) -> Vec<DnsEvidence> {
        self.log
            .borrow()
            .get(from..)
            .map(<[_]>::to_vec)
            .unwrap_or_default()
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
        max_round(&self.rounds.borrow())
    }
}

struct Wait<'a, 'r, R> {
    lookups: &'a Lookups<'r, R>,
    key: Key,
}

impl<R> Future for Wait<'_, '_, R> {
    type Output = Result<DnsAnswer, DnsFailure>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slots = self.lookups.slots.borrow_mut();
        match slots.get_mut(&self.key) {
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

/// Run futures concurrently on the current task and collect their outputs in order.
pub async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    JoinAll {
        futures: futures.into_iter().map(Box::pin).collect(),
        outputs: Vec::new(),
    }
    .await
}

struct JoinAll<F: Future> {
    futures: Vec<Pin<Box<F>>>,
    outputs: Vec<Option<F::Output>>,
}

impl<F: Future> Future for JoinAll<F> {
    type Output = Vec<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Every field is Unpin (boxed futures, plain outputs).
        let this = self.get_mut();
        if this.outputs.len() < this.futures.len() {
            this.outputs.resize_with(this.futures.len(), || None);
        }
        let mut pending = false;
        for (future, output) in this.futures.iter_mut().zip(this.outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            return Poll::Pending;
        }
        Poll::Ready(this.outputs.drain(..).flatten().collect())
    }
}

impl<F: Future> Unpin for JoinAll<F> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::FixtureResolver;

    #[test]
    fn duplicate_questions_reach_the_resolver_once_even_in_flight() {
        let resolver = FixtureResolver::new().txt("a.test", "x");
        let lookups = Lookups::new(&resolver);
        let answers = pollster::block_on(join_all(vec![
            lookups.query("a.test", RecordType::Txt, 1),
            lookups.query("A.test.", RecordType::Txt, 1),
            lookups.query("b.test", RecordType::Txt, 2),
        ]));
        assert_eq!(answers.len(), 3);
        assert_eq!(answers[0], answers[1]);
        let names: Vec<_> = lookups.evidence().into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["a.test", "b.test"]);
        assert_eq!(lookups.rounds(), 2);
    }
}
