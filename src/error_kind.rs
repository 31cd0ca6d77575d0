//! The identity of the operation's errors: a leaf module, so that the constraint table
//! can name each error by it and the wire code of `error` can read the table.

/// Which error a service answered with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// `AccessDeniedException`, 403.
    AccessDenied,
    /// `PendingVerification`, 403.
    PendingVerification,
    /// `ResourceNotFoundException`, 404.
    ResourceNotFound,
    /// `ServiceQuotaExceededException`, 402.
    ServiceQuotaExceeded,
    /// `ValidationException`, 400.
    Validation,
    /// `SerializationException`, 400: a malformed body (a protocol error, not modeled).
    Serialization,
    /// Any other error type, kept as read (sanitised). Empty when none could be found.
    Unknown(String),
}
