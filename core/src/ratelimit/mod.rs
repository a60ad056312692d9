//! The client-side rate limiter: exact sliding windows per API, shared by every
//! client of the process with the same host and identity, first come first served.
//!
//! [`windows::Windows`] is the budget's state and its arithmetic, with no clock and no
//! locking: the small interface a backend shared between processes implements.

mod budget;
mod registry;
mod windows;

pub use budget::ApiBudget;
pub(crate) use registry::{shared_budget, Budget, BudgetKey};
pub use windows::{RateLimit, Windows};

#[cfg(test)]
mod tests;
