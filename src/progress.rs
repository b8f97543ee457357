//! Progress on the terminal: a spinner while reading and analysing, a bar
//! while rendering. Hidden when standard error is not a terminal (cron,
//! systemd, CI, tests) or with `--quiet`, so logs stay clean.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A handle to the progress display; cheap to clone, and a no-op when hidden.
#[derive(Clone)]
pub struct Progress {
    bar: ProgressBar,
}

impl Default for Progress {
    fn default() -> Self {
        Progress::hidden()
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

impl Progress {
    /// Shown only when `wanted` and standard error is a terminal.
    pub fn new(wanted: bool) -> Progress {
        if !wanted || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress { bar }
    }

    /// A display that shows nothing.
    pub fn hidden() -> Progress {
        Progress {
            bar: ProgressBar::hidden(),
        }
    }

    /// A stage without a count (reading, analysing).
    pub fn stage(&self, message: &str) {
        self.bar.set_message(message.to_string());
    }

    /// Switches to a bar over `n` reports (more may be added).
    pub fn reports(&self, n: usize) {
        if self.bar.length().is_some() {
            self.bar.inc_length(n as u64);
            return;
        }
        // message and length first, so that the bar never shows "0/0"
        self.bar.set_message("rendering");
        self.bar.set_length(n as u64);
        self.bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
    }

    /// One report finished.
    pub fn report_done(&self) {
        self.bar.inc(1);
    }

    /// Removes the display before the summary is printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
