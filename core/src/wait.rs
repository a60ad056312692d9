//! Waiting for an action to be final.

use std::time::{Duration, Instant};

use crate::action::{ActionStatus, MachineAction};
use crate::action_id::ActionId;
use crate::client::Client;
use crate::error::{Error, Failure};

/// A final action, and whether a cancel raced with the command's completion.
#[derive(Debug)]
pub struct Settled {
    /// The action in its final status.
    pub action: MachineAction,
    /// The status reads `Cancelled` but a command completed anyway: the cancel came
    /// too late for it. Reported rather than hidden.
    pub cancel_raced_completion: bool,
}

impl Client {
    /// Reads the action until it is final or `timeout` has passed (then `Timeout`),
    /// every second at first and at most every five, each read within the rate
    /// limits of the get API.
    pub async fn wait_until_final(
        &self,
        id: &ActionId,
        timeout: Duration,
    ) -> Result<Settled, Error> {
        let started = Instant::now();
        let mut interval = Duration::from_secs(1);
        loop {
            let action = self.get_action(id).await?;
            if action.is_final() {
                let completed = action
                    .commands
                    .iter()
                    .any(|c| c.command_status.as_deref() == Some("Completed"));
                return Ok(Settled {
                    cancel_raced_completion: action.status == ActionStatus::Cancelled && completed,
                    action,
                });
            }
            let left = timeout.saturating_sub(started.elapsed());
            if left.is_zero() {
                return Err(Error::Timeout {
                    failure: Box::new(Failure::described(
                        &format!("wait for machine action {id} to be final"),
                        format!(
                            "still {} after {} s",
                            action.status,
                            started.elapsed().as_secs()
                        ),
                    )),
                    timeout,
                });
            }
            tokio::time::sleep(interval.min(left)).await;
            interval = (interval * 2).min(Duration::from_secs(5));
        }
    }
}
