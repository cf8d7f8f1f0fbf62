//! `report!`: a summary line for the test log, shared by the test binaries that print one.
//!
//! It writes to stderr directly: libtest captures `println!` and `eprintln!` of passing tests, and
//! these numbers are the point of the run.

macro_rules! report {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
