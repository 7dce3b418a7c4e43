namespace WeLink.Dashboard.Features.Pins;

public enum PinSubmitStatus
{
    /// <summary>We-Link took the PIN; the outcome comes by webhook.</summary>
    Accepted,
    InvalidCode,
    NeedsAccount,
    AccountNotYetKnown,
    NotFound,
    Conflict,
    NotConfigured,
    UpstreamFailed,
    Unavailable,
}
