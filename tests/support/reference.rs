//! The Python oracles, driven as black boxes: one way to find each one's
//! interpreter and to run a script under it.
//!
//! - [`Oracle::V04`]: `spec-kitty-events==0.4.0a0` (Feature 004), the default
//!   of [`python`] and [`run`];
//! - [`Oracle::V11`]: `spec-kitty-events==11.0.0`, the current contract;
//! - [`Oracle::Cli`]: `spec-kitty-cli==3.2.7`, what spec-kitty writes today.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// One of the Python packages the tests use as an oracle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Oracle {
    /// `spec-kitty-events==0.4.0a0`.
    V04,
    /// `spec-kitty-events==11.0.0`.
    V11,
    /// `spec-kitty-cli==3.2.7` (with the spec-kitty-events it depends on).
    Cli,
}

impl Oracle {
    /// The argument `scripts/reference-venv.sh` takes for this oracle.
    fn venv_name(self) -> &'static str {
        match self {
            Oracle::V04 => "v0.4",
            Oracle::V11 => "v11",
            Oracle::Cli => "cli",
        }
    }

    /// This oracle's interpreter, installed by `scripts/reference-venv.sh`
    /// on first use (and looked up once per test binary).
    pub fn python(self) -> String {
        static PYTHONS: [OnceLock<String>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        PYTHONS[self as usize]
            .get_or_init(|| find_python(self))
            .clone()
    }
}

/// The 0.4.0a0 reference interpreter.
pub fn python() -> String {
    Oracle::V04.python()
}

fn find_python(oracle: Oracle) -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/reference-venv.sh");
    let out = Command::new("bash")
        .arg(script)
        .arg(oracle.venv_name())
        .output()
        .expect("run scripts/reference-venv.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("a UTF-8 path");
    stdout
        .trim()
        .lines()
        .last()
        .expect("the interpreter's path")
        .to_owned()
}

/// Runs `tests/reference/<script>` under the 0.4.0a0 reference with
/// `args`, feeding it `stdin`, and returns what it printed; fails the test if
/// the script fails.
pub fn run(script: &str, args: &[&str], stdin: &str) -> String {
    run_with(Oracle::V04, script, args, stdin)
}

/// Runs `tests/reference/<script>` under `oracle` with `args`, feeding it
/// `stdin`, and returns what it printed; fails the test if the script fails.
pub fn run_with(oracle: Oracle, script: &str, args: &[&str], stdin: &str) -> String {
    let path = format!("{}/tests/reference/{script}", env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new(oracle.python())
        .arg(path)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the reference interpreter");
    let mut input = child.stdin.take().expect("piped stdin");
    let text = stdin.to_owned();
    // Write from another thread: a large input must not dead-lock against
    // a full stdout pipe.
    let writer = std::thread::spawn(move || input.write_all(text.as_bytes()));
    let out = child.wait_with_output().expect("the script runs");
    writer
        .join()
        .expect("the writer thread")
        .expect("write the script's input");
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}
