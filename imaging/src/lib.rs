//! The photo pipeline (sniff, decode, orient, resize, encode); filled in by the imaging issue.
