//! Intercom's error codes (`errors[].code` of an `error.list` body) as an enum.
//!
//! The list is data: every code used in the error examples of the shipped descriptions
//! (`spec/versions.toml`; `generated/tests/error_codes.rs` checks this table against them, so a new
//! description with a new code fails that test until the code is added here), plus the general codes
//! Intercom documents for every endpoint (`rate_limit_exceeded`, `token_revoked`, `token_not_found`,
//! `intercom_version_invalid`, `scroll_exists`, `server_error`, `forbidden`). Any other code decodes
//! to [`ErrorCode::Unknown`].

use std::fmt;

/// An Intercom error code; match on it instead of on strings.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    AdminNotFound,
    AlreadyLinkedToTracker,
    ApiPlanRestricted,
    ArticleNotFound,
    AssigneeNotFound,
    AwayStatusReasonMandatory,
    BadRequest,
    ClientError,
    CompanyNotFound,
    Conflict,
    ContactCompanyLimitExceeded,
    ContactMerged,
    ContentHasProcedureDependencies,
    ContentSnippetNotFound,
    ConversationAttributeNotFound,
    ConversationIdLimitExceeded,
    ConversationNotFound,
    ConversationPartOrMessageNotFound,
    DataConnectorInUse,
    DataConnectorNotFound,
    DataInvalid,
    ExecutionResultNotFound,
    FieldNotFound,
    Forbidden,
    IdentityVerificationSecretNotFound,
    ImportJobIdRequired,
    ImportSourceNotFound,
    IntercomVersionInvalid,
    InternalArticleNotFound,
    InternalError,
    InvalidCatalogFormat,
    InvalidField,
    InvalidMerge,
    InvalidPartNumber,
    InvalidSortOrder,
    InvalidTicketType,
    JobNotFound,
    LinkedConversationLimitExceeded,
    MergeFailed,
    NotFound,
    ParameterInvalid,
    ParameterMismatch,
    ParameterNotFound,
    PayloadTooLarge,
    RateLimitExceeded,
    ResourceConflict,
    ScrollExists,
    ServerError,
    SyncInProgress,
    TagHasDependentObjects,
    TagNotFound,
    TeamNotFound,
    TicketNotFound,
    TicketStateIdInvalid,
    TokenNotFound,
    TokenRevoked,
    TokenUnauthorized,
    TypeMismatch,
    Unauthorized,
    UploadSessionNotFinalizable,
    UploadSessionNotFound,
    ValidationError,
    WhatsappMessageNotFound,
    /// A code this version of the crate does not know.
    Unknown(String),
}

/// Every known code with its wire spelling, in wire order.
pub const KNOWN: &[(ErrorCode, &str)] = &[
    (ErrorCode::AdminNotFound, "admin_not_found"),
    (ErrorCode::AlreadyLinkedToTracker, "already_linked_to_tracker"),
    (ErrorCode::ApiPlanRestricted, "api_plan_restricted"),
    (ErrorCode::ArticleNotFound, "article_not_found"),
    (ErrorCode::AssigneeNotFound, "assignee_not_found"),
    (ErrorCode::AwayStatusReasonMandatory, "away_status_reason_mandatory"),
    (ErrorCode::BadRequest, "bad_request"),
    (ErrorCode::ClientError, "client_error"),
    (ErrorCode::CompanyNotFound, "company_not_found"),
    (ErrorCode::Conflict, "conflict"),
    (ErrorCode::ContactCompanyLimitExceeded, "contact_company_limit_exceeded"),
    (ErrorCode::ContactMerged, "contact_merged"),
    (ErrorCode::ContentHasProcedureDependencies, "content_has_procedure_dependencies"),
    (ErrorCode::ContentSnippetNotFound, "content_snippet_not_found"),
    (ErrorCode::ConversationAttributeNotFound, "conversation_attribute_not_found"),
    (ErrorCode::ConversationIdLimitExceeded, "conversation_id_limit_exceeded"),
    (ErrorCode::ConversationNotFound, "conversation_not_found"),
    (ErrorCode::ConversationPartOrMessageNotFound, "conversation_part_or_message_not_found"),
    (ErrorCode::DataConnectorInUse, "data_connector_in_use"),
    (ErrorCode::DataConnectorNotFound, "data_connector_not_found"),
    (ErrorCode::DataInvalid, "data_invalid"),
    (ErrorCode::ExecutionResultNotFound, "execution_result_not_found"),
    (ErrorCode::FieldNotFound, "field_not_found"),
    (ErrorCode::Forbidden, "forbidden"),
    (ErrorCode::IdentityVerificationSecretNotFound, "identity_verification_secret_not_found"),
    (ErrorCode::ImportJobIdRequired, "import_job_id_required"),
    (ErrorCode::ImportSourceNotFound, "import_source_not_found"),
    (ErrorCode::IntercomVersionInvalid, "intercom_version_invalid"),
    (ErrorCode::InternalArticleNotFound, "internal_article_not_found"),
    (ErrorCode::InternalError, "internal_error"),
    (ErrorCode::InvalidCatalogFormat, "invalid_catalog_format"),
    (ErrorCode::InvalidField, "invalid_field"),
    (ErrorCode::InvalidMerge, "invalid_merge"),
    (ErrorCode::InvalidPartNumber, "invalid_part_number"),
    (ErrorCode::InvalidSortOrder, "invalid_sort_order"),
    (ErrorCode::InvalidTicketType, "invalid_ticket_type"),
    (ErrorCode::JobNotFound, "job_not_found"),
    (ErrorCode::LinkedConversationLimitExceeded, "linked_conversation_limit_exceeded"),
    (ErrorCode::MergeFailed, "merge_failed"),
    (ErrorCode::NotFound, "not_found"),
    (ErrorCode::ParameterInvalid, "parameter_invalid"),
    (ErrorCode::ParameterMismatch, "parameter_mismatch"),
    (ErrorCode::ParameterNotFound, "parameter_not_found"),
    (ErrorCode::PayloadTooLarge, "payload_too_large"),
    (ErrorCode::RateLimitExceeded, "rate_limit_exceeded"),
    (ErrorCode::ResourceConflict, "resource_conflict"),
    (ErrorCode::ScrollExists, "scroll_exists"),
    (ErrorCode::ServerError, "server_error"),
    (ErrorCode::SyncInProgress, "sync_in_progress"),
    (ErrorCode::TagHasDependentObjects, "tag_has_dependent_objects"),
    (ErrorCode::TagNotFound, "tag_not_found"),
    (ErrorCode::TeamNotFound, "team_not_found"),
    (ErrorCode::TicketNotFound, "ticket_not_found"),
    (ErrorCode::TicketStateIdInvalid, "ticket_state_id_invalid"),
    (ErrorCode::TokenNotFound, "token_not_found"),
    (ErrorCode::TokenRevoked, "token_revoked"),
    (ErrorCode::TokenUnauthorized, "token_unauthorized"),
    (ErrorCode::TypeMismatch, "type_mismatch"),
    (ErrorCode::Unauthorized, "unauthorized"),
    (ErrorCode::UploadSessionNotFinalizable, "upload_session_not_finalizable"),
    (ErrorCode::UploadSessionNotFound, "upload_session_not_found"),
    (ErrorCode::ValidationError, "validation_error"),
    (ErrorCode::WhatsappMessageNotFound, "whatsapp_message_not_found"),
];

/// The general codes Intercom documents for any endpoint, beyond those in the descriptions' examples.
pub const DOCUMENTED_GENERAL: &[&str] = &[
    "rate_limit_exceeded",
    "token_revoked",
    "token_not_found",
    "intercom_version_invalid",
    "scroll_exists",
    "server_error",
    "forbidden",
];

impl ErrorCode {
    /// The code as Intercom spells it.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::Unknown(code) => code,
            known => KNOWN.iter().find(|(c, _)| c == known).map_or("", |(_, wire)| wire),
        }
    }

    /// The code for `wire`; [`ErrorCode::Unknown`] if it is not in [`KNOWN`].
    pub fn parse(wire: &str) -> ErrorCode {
        match KNOWN.binary_search_by(|(_, w)| (*w).cmp(wire)) {
            Ok(i) => KNOWN[i].0.clone(),
            Err(_) => ErrorCode::Unknown(wire.to_string()),
        }
    }
}

impl From<&str> for ErrorCode {
    fn from(wire: &str) -> Self {
        ErrorCode::parse(wire)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::error::sanitize(self.as_str(), 200))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_unique_and_round_trips() {
        for pair in KNOWN.windows(2) {
            assert!(pair[0].1 < pair[1].1, "{} before {}", pair[0].1, pair[1].1);
        }
        for (code, wire) in KNOWN {
            assert_eq!(ErrorCode::parse(wire), *code);
            assert_eq!(code.as_str(), *wire);
            assert!(!matches!(code, ErrorCode::Unknown(_)));
        }
        for general in DOCUMENTED_GENERAL {
            assert!(KNOWN.iter().any(|(_, w)| w == general), "{general}");
        }
        assert_eq!(ErrorCode::parse("brand_new"), ErrorCode::Unknown("brand_new".into()));
        assert_eq!(ErrorCode::parse("brand_new").as_str(), "brand_new");
        assert_eq!(ErrorCode::from("scroll_exists"), ErrorCode::ScrollExists);
    }
}
