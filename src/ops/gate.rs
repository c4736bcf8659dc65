//! `--readonly`: one flag every write op consults before building a request.

/// The text of the refusal, as users see it.
pub const READONLY_REFUSAL: &str = "refused: kubesight is running with --readonly";

/// The error of a write attempted in readonly mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("refused: kubesight is running with --readonly")]
pub struct Refused;

/// Whether writes are allowed; cheap to copy into every op.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteGate {
    readonly: bool,
}

impl WriteGate {
    /// A gate that refuses every write when `readonly`.
    pub fn new(readonly: bool) -> Self {
        WriteGate { readonly }
    }

    /// Whether this gate refuses writes.
    pub fn is_readonly(&self) -> bool {
        self.readonly
    }

    /// `Ok` when a write may be sent; checked before any request is built.
    pub fn check(&self) -> Result<(), Refused> {
        if self.readonly { Err(Refused) } else { Ok(()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readonly_refuses_with_the_flag_named() {
        assert_eq!(WriteGate::new(false).check(), Ok(()));
        let refused = WriteGate::new(true).check().expect_err("readonly refuses");
        assert_eq!(refused.to_string(), READONLY_REFUSAL);
    }
}
