//! Hand-written support code the generated modules call into. Nothing in `runtime/` is generated.
//! Modules that only generated code calls (`de`, `ser`, `one_of`, `wire_enum`) are hidden from the
//! docs: they are not an API to program against.

#[doc(hidden)]
pub mod de;
pub mod error;
pub mod error_code;
pub mod lenient;
pub mod multipart;
#[doc(hidden)]
pub mod one_of;
pub mod operation;
pub mod pacing;
pub mod pagination;
pub mod params;
pub mod rate_limit;
pub(crate) mod redact;
pub(crate) mod resume;
pub mod retry;
pub mod search;
#[doc(hidden)]
pub mod ser;
pub mod undeclared;
pub(crate) mod unwind;
#[doc(hidden)]
pub mod wire_enum;

pub use error::{ApiError, CallContext, Error, ErrorItem, ErrorList};
pub use error_code::ErrorCode;
pub use lenient::Mismatch;
pub use operation::{
    build_request, parse_response, parse_response_with, Decoded, Decoding, Operation, RequestBody, RequestContext,
    SuccessBody,
};
pub use pacing::Pacing;
pub use pagination::{CycleGuard, PageToken, Paginated, PaginationStyle};
pub use rate_limit::RateLimit;
pub use retry::RetryPolicy;
