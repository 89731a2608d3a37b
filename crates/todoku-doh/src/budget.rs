//! Time limits for one batch of DNS questions: each exchange gets at most a
//! per-query timeout, and the whole batch at most an overall deadline, so a
//! resolver that answers slowly cannot keep a check waiting indefinitely.

/// Per-query timeout and overall deadline, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// The longest one exchange may take.
    pub per_query_ms: u32,
    /// The longest all exchanges together may take, from the first.
    pub total_ms: u32,
}

impl Default for Budget {
    /// 5 s per exchange, 20 s for all of them: long enough for a slow
    /// authority behind the resolver, short enough that a check never hangs.
    fn default() -> Budget {
        Budget {
            per_query_ms: 5_000,
            total_ms: 20_000,
        }
    }
}

impl Budget {
    /// How long the next exchange may take when `elapsed_ms` have passed
    /// since the batch started; `None` once the deadline has passed.
    ///
    /// ```
    /// let b = todoku_doh::Budget { per_query_ms: 5_000, total_ms: 12_000 };
    /// assert_eq!(b.allowance(0), Some(5_000));
    /// assert_eq!(b.allowance(10_000), Some(2_000));
    /// assert_eq!(b.allowance(12_000), None);
    /// ```
    pub fn allowance(&self, elapsed_ms: u64) -> Option<u32> {
        let left = u64::from(self.total_ms)
            .checked_sub(elapsed_ms)
            .filter(|&left| left > 0)?;
        let allowed = left.min(u64::from(self.per_query_ms));
        Some(u32::try_from(allowed).unwrap_or(self.per_query_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_shortens_the_last_queries_and_then_stops_them() {
        let b = Budget {
            per_query_ms: 3,
            total_ms: 10,
        };
        let allowed: Vec<Option<u32>> = [0, 6, 8, 9, 10, 11, u64::MAX]
            .into_iter()
            .map(|e| b.allowance(e))
            .collect();
        assert_eq!(
            allowed,
            [Some(3), Some(3), Some(2), Some(1), None, None, None]
        );
        let none = Budget {
            per_query_ms: 3,
            total_ms: 0,
        };
        assert_eq!(none.allowance(0), None);
    }
}
