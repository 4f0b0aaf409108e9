//! The Python reference library (`spec-kitty-events==0.4.0a0`), driven as a
//! black box: one way to find its interpreter and to run a script under it.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The reference interpreter, installed by `scripts/reference-venv.sh` on
/// first use (and looked up once per test binary).
pub fn python() -> String {
    static PYTHON: OnceLock<String> = OnceLock::new();
    PYTHON.get_or_init(find_python).clone()
}

fn find_python() -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/reference-venv.sh");
    let out = Command::new("bash")
        .arg(script)
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

/// Runs `tests/reference/<script>` with `args`, feeding it `stdin`, and
/// returns what it printed; fails the test if the script fails.
pub fn run(script: &str, args: &[&str], stdin: &str) -> String {
    let path = format!("{}/tests/reference/{script}", env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new(python())
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
