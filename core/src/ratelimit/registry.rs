//! Budgets shared by every client of one process that talks to the same API host
//! with the same identity, since the service counts calls per app and tenant.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use super::budget::ApiBudget;
use super::windows::RateLimit;
use crate::http::Api;
use crate::shared::SharedTable;

/// What makes two clients share a budget. The identity is a hash: the registry never
/// holds a token.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct BudgetKey {
    host: String,
    identity: u64,
    limits: Vec<RateLimit>,
    margin: Duration,
}

impl BudgetKey {
    /// The key for an API base URL, an identity (a token, or tenant and client id)
    /// and the limits. Clients configured with other limits get their own budget.
    pub fn new(api_base: &str, identity: &str, limits: &[RateLimit], margin: Duration) -> Self {
        let mut h = DefaultHasher::new();
        identity.hash(&mut h);
        BudgetKey {
            host: api_base.to_ascii_lowercase(),
            identity: h.finish(),
            limits: limits.to_vec(),
            margin,
        }
    }
}

/// The budgets of every API for one key.
pub struct Budget {
    apis: Vec<ApiBudget>,
}

impl Budget {
    fn new(limits: &[RateLimit], margin: Duration) -> Self {
        Budget {
            apis: Api::ALL
                .iter()
                .map(|_| ApiBudget::new(limits, margin))
                .collect(),
        }
    }

    /// The budget of one API.
    pub fn api(&self, api: Api) -> &ApiBudget {
        &self.apis[api as usize]
    }
}

/// The budget for `key`, shared with every live client that has the same key.
pub fn shared_budget(key: BudgetKey) -> Arc<Budget> {
    static BUDGETS: SharedTable<BudgetKey, Budget> = SharedTable::new();
    let (limits, margin) = (key.limits.clone(), key.margin);
    BUDGETS.get_or_make(key, || Budget::new(&limits, margin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_host_and_identity_share_one_budget() {
        let limits = [RateLimit {
            calls: 5,
            period_ms: 1000,
        }];
        let key = |host: &str, id: &str| BudgetKey::new(host, id, &limits, Duration::ZERO);
        let a = shared_budget(key("https://h", "token-1"));
        let b = shared_budget(key("https://H", "token-1"));
        let c = shared_budget(key("https://h", "token-2"));
        let d = shared_budget(key("https://other", "token-1"));
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(!Arc::ptr_eq(&a, &d));
        assert!(!format!("{:?}", key("https://h", "token-1")).contains("token-1"));
    }
}
