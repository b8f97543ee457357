//! The benchmark's measurement of a run's stages, in a test binary of its
//! own: it measures this process's CPU time, which other tests' threads in
//! the same process would add to.

/// The benchmark's figures per stage: each stage of a run has its CPU
/// time and a peak memory, and the rendering of the sample's reports
/// takes the most CPU.
#[test]
fn a_run_times_the_cpu_of_each_stage() {
    let output = tempfile::tempdir().unwrap();
    let meter = std::sync::Arc::new(mognad::bench::Meter::default());
    let opts = mognad::pipeline::Options {
        input: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("input"),
        output: output.path().to_path_buf(),
        jobs: Some(1),
        observer: Some(meter.clone()),
        ..Default::default()
    };
    mognad::pipeline::run(&opts).expect("the sample runs");
    let stages = meter.stages();
    assert_eq!(stages.len(), 3, "read, analyse, render: {stages:?}");
    let cpu: Vec<_> = stages
        .iter()
        .map(|s| s.cpu.expect("CPU time on Linux"))
        .collect();
    assert!(cpu[2] > cpu[0] && cpu[2] > cpu[1], "{cpu:?}");
    assert!(stages.iter().all(|s| s.peak.is_some_and(|p| p > 0)));
}
