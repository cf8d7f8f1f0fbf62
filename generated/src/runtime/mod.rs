//! Hand-written support code the generated modules call into. Nothing in `runtime/` is generated.

#[doc(hidden)]
pub mod de;
pub mod error;
pub mod lenient;
pub mod one_of;
pub mod operation;
pub mod params;
#[doc(hidden)]
pub mod ser;
pub mod wire_enum;

pub use error::{ApiError, Error, ErrorItem, ErrorList};
pub use lenient::Mismatch;
pub use operation::{
    build_request, parse_response, parse_response_with, Decoded, Decoding, Operation, Paginated, RequestContext,
    SuccessBody,
};
