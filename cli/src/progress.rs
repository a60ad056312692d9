//! Progress of a bulk cancel: a bar on a terminal, plain lines otherwise.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use mde_core::BulkOutcome;

/// Where progress goes (stderr, so stdout stays the result).
pub enum Progress {
    Bar(ProgressBar),
    Lines,
}

impl Progress {
    /// A bar when stderr is a terminal, lines otherwise.
    pub fn new(total: usize) -> Self {
        if !std::io::stderr().is_terminal() {
            return Progress::Lines;
        }
        let bar = ProgressBar::new(total as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40.cyan/blue} {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress::Bar(bar)
    }

    /// Shows one outcome.
    pub fn update(&self, o: &BulkOutcome) {
        let p = &o.progress;
        let eta = format!("{:.0}s", p.eta.as_secs_f64());
        match self {
            Progress::Bar(bar) => {
                bar.set_position(p.done as u64);
                bar.set_message(format!(
                    "{} cancelled, {:.1}/s, ETA {eta}",
                    p.cancelled, p.rate
                ));
            }
            Progress::Lines => eprintln!(
                "[{}/{}] {} {} ({:.1}/s, ETA {eta})",
                p.done,
                p.total,
                o.id,
                o.result.name(),
                p.rate
            ),
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
