//! One stable sort for the whole engine (issue 7, bundle size).
//!
//! `slice::sort_by_key` is compiled again for every element type and key
//! closure: nine call sites cost about 33 KB of WebAssembly. Here each call
//! only computes its keys and swaps elements; the sorting itself is one
//! non-generic function over `(key, index)` pairs, compiled once.

/// Sort `v` by `key`, keeping the order of equal keys (like
/// `sort_by_key`), in O(n log n).
pub(crate) fn by_key<T>(v: &mut [T], key: impl Fn(&T) -> u64) {
    let keys: Vec<u64> = v.iter().map(key).collect();
    for (a, b) in swaps(keys) {
        v.swap(a, b);
    }
}

/// The swaps that put the elements with these keys in stable key order,
/// applied in turn. Every index is below `keys.len()`.
fn swaps(keys: Vec<u64>) -> Vec<(usize, usize)> {
    let mut order: Vec<(u64, usize)> = keys.into_iter().zip(0..).collect();
    // The pairs differ by index, so the unstable sort keeps equal keys in
    // their original order.
    order.sort_unstable();
    let n = order.len();
    // at[i]: where the element first at i is now; who[p]: which element is at p.
    let mut at: Vec<usize> = (0..n).collect();
    let mut who: Vec<usize> = (0..n).collect();
    let mut out = Vec::new();
    for (j, &(_, wanted)) in order.iter().enumerate() {
        let (Some(&p), Some(&displaced)) = (at.get(wanted), who.get(j)) else {
            continue;
        };
        if p == j {
            continue;
        }
        out.push((j, p));
        if let Some(w) = who.get_mut(p) {
            *w = displaced;
        }
        if let Some(a) = at.get_mut(displaced) {
            *a = p;
        }
        if let Some(w) = who.get_mut(j) {
            *w = wanted;
        }
        if let Some(a) = at.get_mut(wanted) {
            *a = j;
        }
    }
    out
}

/// `n` as a key, saturating (counts and offsets far below 2^32).
pub(crate) fn key(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_key_sorts_like_the_standard_stable_sort() {
        // Pseudo-random keys with many ties; the payload records the
        // original position so stability is visible.
        let mut seed = 12_345_u64;
        for len in [0_usize, 1, 2, 3, 7, 8, 20, 33, 100, 257] {
            let mut v: Vec<(u64, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    ((seed >> 33) % 5, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|x| x.0);
            by_key(&mut v, |x| x.0);
            assert_eq!(v, expected, "length {len}");
        }
    }

    #[test]
    fn by_key_keeps_equal_keys_in_order() {
        let mut v = vec!["b2", "a1", "b1", "a2", "c1", "a3"];
        by_key(&mut v, |s| u64::from(s.as_bytes()[0]));
        assert_eq!(v, ["a1", "a2", "a3", "b2", "b1", "c1"]);
    }
}
