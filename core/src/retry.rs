//! Backoff between attempts: exponential with full jitter.

use std::time::Duration;

use crate::config::RetryPolicy;

/// The pause before retry number `retry` (1 for the first): a uniformly random
/// duration up to `min(cap, base * 2^(retry - 1))`. Full jitter spreads clients that
/// failed together, so they do not come back together.
pub(crate) fn backoff(policy: &RetryPolicy, retry: u32) -> Duration {
    let exp = 2u32.saturating_pow(retry.saturating_sub(1).min(31));
    let ceiling = policy.base.saturating_mul(exp).min(policy.cap);
    ceiling.mul_f64(fastrand::f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_under_the_cap_with_jitter() {
        let policy = RetryPolicy::default();
        let mut seen_small = false;
        for retry in 1..=8 {
            let ceiling = Duration::from_secs(1 << (retry - 1)).min(Duration::from_secs(30));
            for _ in 0..200 {
                let d = backoff(&policy, retry);
                assert!(d <= ceiling, "retry {retry}: {d:?} > {ceiling:?}");
                seen_small |= retry > 3 && d < ceiling / 4;
            }
        }
        assert!(seen_small, "full jitter spreads over the whole range");
        assert!(backoff(&policy, 1000) <= Duration::from_secs(30));
    }
}
