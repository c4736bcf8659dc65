//! Splitting a rebuild of many rows over two threads. A first screen of 10,000
//! pods spends about 12 ms building, sorting and indexing rows on one core
//! while the other waits; small tables stay on one thread, where a spawn would
//! cost more than it saves.

use std::cmp::Ordering;

/// Below this many rows the work stays on the calling thread.
const PARALLEL_FROM: usize = 2048;

fn two_cores() -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}

fn worth_splitting(len: usize) -> bool {
    len >= PARALLEL_FROM && two_cores()
}

/// `items.iter().map(f).collect()`, in order, the second half on another thread.
pub fn map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    if !worth_splitting(items.len()) {
        return items.iter().map(&f).collect();
    }
    let (first, second) = items.split_at(items.len() / 2);
    let (mut head, tail) = join(
        || first.iter().map(&f).collect::<Vec<U>>(),
        || second.iter().map(&f).collect::<Vec<U>>(),
    );
    head.extend(tail);
    head
}

/// Runs `a` here and `b` on another thread (or both here for a single core).
pub fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !two_cores() {
        return (a(), b());
    }
    std::thread::scope(|scope| {
        let other = scope.spawn(b);
        let here = a();
        match other.join() {
            Ok(there) => (here, there),
            // The closure panicked: carry the panic on, as a plain call would.
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Sorts `rows` by `compare`, which must be a total order: each half on its own
/// thread, then one merge.
pub fn sort<R: Send>(rows: &mut Vec<R>, compare: impl Fn(&R, &R) -> Ordering + Sync) {
    if !worth_splitting(rows.len()) {
        rows.sort_unstable_by(&compare);
        return;
    }
    let mut second = rows.split_off(rows.len() / 2);
    let mut first = std::mem::take(rows);
    join(
        || first.sort_unstable_by(&compare),
        || second.sort_unstable_by(&compare),
    );
    rows.reserve(first.len() + second.len());
    let mut first = first.into_iter().peekable();
    let mut second = second.into_iter().peekable();
    loop {
        let next = match (first.peek(), second.peek()) {
            (Some(a), Some(b)) if compare(a, b) != Ordering::Greater => first.next(),
            (Some(_), Some(_)) => second.next(),
            (Some(_), None) => first.next(),
            (None, Some(_)) => second.next(),
            (None, None) => break,
        };
        rows.extend(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic shuffle, big enough to take the two-thread path.
    fn shuffled(n: usize) -> Vec<u64> {
        (0..n as u64)
            .map(|i| i.wrapping_mul(2_654_435_761) % 1_000_003)
            .collect()
    }

    #[test]
    fn a_split_sort_equals_a_plain_sort() {
        for n in [0, 1, 7, PARALLEL_FROM - 1, PARALLEL_FROM, 10_001] {
            let mut split = shuffled(n);
            let mut plain = split.clone();
            sort(&mut split, |a, b| a.cmp(b));
            plain.sort_unstable();
            assert_eq!(split, plain, "{n} rows");
        }
    }

    #[test]
    fn a_split_map_keeps_the_order() {
        let items = shuffled(9_999);
        let doubled = map(&items, |x| x * 2);
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
    }

    #[test]
    fn join_returns_both_results() {
        assert_eq!(join(|| 1, || "two"), (1, "two"));
    }
}
