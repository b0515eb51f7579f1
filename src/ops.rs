//! Use cases that more than one front end runs (DESIGN, "Data flow"): `cli` parses arguments,
//! calls these and prints; the dashboard's worker calls the same functions. Nothing here
//! parses arguments or draws a screen, and neither `cli` nor `tui` is imported from here
//! (`tests/layers.rs` checks the layering). Pure figures the use cases need come from
//! `analysis`; rows are read and written through `store`.

pub mod bundle;
pub mod checkpoint;
pub mod clock;
pub mod evidence;
pub mod gateways;
pub mod review;
pub mod tabletop;
pub mod vendors;
