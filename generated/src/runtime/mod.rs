//! Hand-written support code the generated modules call into. Nothing in `runtime/` is generated.

pub mod one_of;
pub mod wire_enum;
