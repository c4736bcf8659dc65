//! The controllers' only source of randomness: SplitMix64, seeded per pass, so
//! that the same seed and the same sequence of passes name objects identically.

use crate::object::{SUFFIX_ALPHABET, name_suffix_from, splitmix64};

#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        splitmix64(self.state)
    }

    /// Five characters from Kubernetes' name-suffix alphabet.
    pub fn name_suffix(&mut self) -> String {
        name_suffix_from(self.next_u64())
    }
}

/// `rand.SafeEncodeString`: each byte of `text` mapped into the suffix
/// alphabet, which is how Kubernetes renders the decimal of a template hash.
pub fn safe_encode(text: &str) -> String {
    text.bytes()
        .map(|b| char::from(SUFFIX_ALPHABET[b as usize % SUFFIX_ALPHABET.len()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_draws() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        assert_eq!(a.name_suffix(), b.name_suffix());
        assert_ne!(SplitMix64::new(8).next_u64(), SplitMix64::new(7).next_u64());
    }

    #[test]
    fn suffixes_use_the_kubernetes_alphabet() {
        let suffix = SplitMix64::new(1).name_suffix();
        assert_eq!(suffix.len(), 5);
        assert!(suffix.bytes().all(|b| SUFFIX_ALPHABET.contains(&b)));
    }
}
