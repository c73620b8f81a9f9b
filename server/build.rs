//! Records which commit the binary was built from, for `shelf --version` and `/metrics`:
//! `SHELF_GIT_COMMIT` (short hash; `unknown` outside a git checkout, e.g. when built from a
//! source tarball). Uncommitted changes are not flagged: watching the index would rebuild
//! the server after every `git status`.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn main() {
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=SHELF_GIT_COMMIT={commit}");
    // Rebuilt when the commit moves; only files that exist are watched (a missing one would
    // make cargo rerun this on every build).
    if let Some(git_dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
        watched.extend(git(&["symbolic-ref", "-q", "HEAD"]));
        for file in watched {
            let path = std::path::Path::new(&git_dir).join(file);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}
