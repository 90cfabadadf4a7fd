//! Times each stage of a build and reads the peak memory so far after it,
//! for finding where a build's time and memory go (Linux: reads
//! /proc/self/status).
//!
//!   cargo run --release --example stage_times -- SITE OUTPUT

use practicebank::Progress;
use std::sync::Mutex;
use std::time::Instant;

struct StageTimes(Mutex<(Instant, String)>);

impl StageTimes {
    fn report(&self, next: &str) {
        let mut current = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).unwrap_or("?").trim().to_string();
        if !current.1.is_empty() {
            eprintln!("{:>10}: {:6.2} s, peak memory so far {peak}", current.1, current.0.elapsed().as_secs_f64());
        }
        *current = (Instant::now(), next.to_string());
    }
}

impl Progress for StageTimes {
    fn stage(&self, name: &str, _: u64) {
        self.report(name);
    }
    fn step(&self) {}
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(root), Some(output)) = (args.next(), args.next()) else {
        eprintln!("usage: stage_times SITE OUTPUT");
        std::process::exit(2);
    };
    let times = StageTimes(Mutex::new((Instant::now(), String::new())));
    let options =
        practicebank::BuildOptions { root: root.into(), output: output.into(), drafts: false, base_url: None };
    let started = Instant::now();
    if let Err(failure) = practicebank::build(&options, &times) {
        eprintln!("build failed: {:?}", failure.diagnostics);
        std::process::exit(1);
    }
    times.report("");
    eprintln!("{:>10}: {:6.2} s", "total", started.elapsed().as_secs_f64());
}
