//! What a scan shows on standard error while and after it runs: a progress line on a terminal
//! and, with `--verbose`, the time each phase took. Binary-only: the library counts
//! ([`hygiene::scan::Progress`]) and never prints; this module polls the counters from a
//! thread of its own.

use hygiene::outcome::Timings;
use hygiene::scan::Progress;
use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a scan runs before the progress line appears: a quick scan (a hook on a small
/// commit, a small tree) should not flash a line that is cleared at once.
const DELAY: Duration = Duration::from_secs(1);

/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(100);

/// A running progress display; [`ProgressLine::finish`] clears it.
pub struct ProgressLine {
    running: Option<(mpsc::Sender<()>, JoinHandle<()>)>,
}

impl ProgressLine {
    /// Starts polling `counters` when `show` (standard error is a terminal and `--quiet` is
    /// off); `unit` names what is counted (`files`, or `blobs` for git sources). Without
    /// `show`, nothing is started at all.
    pub fn start(counters: Arc<Progress>, unit: &'static str, show: bool) -> ProgressLine {
        if !show {
            return ProgressLine { running: None };
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let handle = std::thread::spawn(move || {
            // A scan over within the delay draws nothing.
            if stopped.recv_timeout(DELAY) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                .with_elapsed(DELAY);
            let style = ProgressStyle::with_template("{spinner} scanning: {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            loop {
                let now = counters.snapshot();
                bar.set_message(format!("{} {unit}, {}", now.files, HumanBytes(now.bytes)));
                bar.tick();
                if stopped.recv_timeout(TICK) != Err(RecvTimeoutError::Timeout) {
                    break;
                }
            }
            bar.finish_and_clear();
        });
        ProgressLine {
            running: Some((stop, handle)),
        }
    }

    /// Stops the display and clears its line, before anything else is printed.
    pub fn finish(self) {
        if let Some((stop, handle)) = self.running {
            let _ = stop.send(());
            let _ = handle.join();
        }
    }
}

/// The `--verbose` breakdown. Phases that run on every worker thread are sums over threads;
/// the others are wall time. Numbers only: nothing here comes from the scanned content.
pub fn timings(t: &Timings, render: Duration, total_seconds: f64) -> String {
    let rows = [
        ("rules compilation", t.rules_compile_seconds, "wall"),
        (
            "walk+read",
            t.read_seconds,
            "wall, per-file checks included",
        ),
        (
            "secret rules",
            t.secret_rules_seconds,
            "summed over threads",
        ),
        (
            "lockfile parsing",
            t.lockfiles_seconds,
            "summed over threads",
        ),
        ("advisory check", t.advisories_seconds, "wall"),
        ("update check", t.outdated_seconds, "wall, --outdated"),
        ("validation", t.validate_seconds, "wall, --validate"),
        (
            "report rendering",
            render.as_secs_f64(),
            "wall, every report",
        ),
        ("scan total", total_seconds, "wall, rendering excluded"),
    ];
    let mut out = String::from("hygiene: timings\n");
    for (phase, seconds, how) in rows {
        out.push_str(&format!("  {phase:<18} {seconds:>9.3}s  ({how})\n"));
    }
    out
}
