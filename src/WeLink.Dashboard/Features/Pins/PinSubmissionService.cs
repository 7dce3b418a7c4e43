using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.WeLinkApi;

namespace WeLink.Dashboard.Features.Pins;

/// <summary>
/// Submits an operator's PIN to We-Link's <c>login_code</c>: validates it, claims the request so it
/// cannot be submitted twice, calls We-Link, and records who submitted and how it went (never the PIN).
/// </summary>
public sealed class PinSubmissionService(DashboardWriter writer, WeLinkApiClient weLink, ILogger<PinSubmissionService> logger)
{
    public bool IsConfigured => weLink.IsConfigured;

    public async Task<PinSubmitResult> SubmitAsync(string requestId, string? rawCode, string? accountOverride, string submittedBy, CancellationToken cancellationToken)
    {
        if (!PinCode.TryNormalize(rawCode, out var code, out var error)) return new(PinSubmitStatus.InvalidCode, error);
        if (!weLink.IsConfigured)
            return new(PinSubmitStatus.NotConfigured, "PIN submission needs We-Link API credentials (WeLink:ApiKey and WeLink:ApiSecret).");
        var account = string.IsNullOrWhiteSpace(accountOverride) ? null : accountOverride.Trim();

        (ClaimResult Result, string? AccountId) claim;
        try
        {
            claim = await writer.ExecuteAsync<(ClaimResult, string?)>(new ClaimPinRequest(requestId, account, submittedBy), cancellationToken);
        }
        catch (DatabaseUnavailableException ex)
        {
            return new(PinSubmitStatus.Unavailable, ex.Message + " Try again.");
        }

        switch (claim.Result)
        {
            case ClaimResult.NotFound: return new(PinSubmitStatus.NotFound, "No PIN request has this id.");
            case ClaimResult.AccountNotYetKnown:
                return new(PinSubmitStatus.AccountNotYetKnown,
                    "The login's e-mail is not in We-Link's account list yet, and login_code needs the account id; the list is fetched again every minute.");
            case ClaimResult.NeedsAccount: return new(PinSubmitStatus.NeedsAccount, "No account is known for this request: pick the account.");
            case ClaimResult.AlreadySubmitted: return new(PinSubmitStatus.Conflict, "A PIN was already submitted for this request; waiting for the outcome.");
            case ClaimResult.Resolved: return new(PinSubmitStatus.Conflict, "This login already has its outcome.");
            case ClaimResult.Expired: return new(PinSubmitStatus.Conflict, "This PIN request has expired.");
        }

        var accountId = claim.AccountId!;
        try
        {
            await weLink.SubmitLoginCodeAsync(accountId, code, requestId, cancellationToken);
        }
        catch (WeLinkApiException ex)
        {
            // We-Link's error text is quoted back: should it ever echo the PIN, the PIN goes no further.
            var reason = ex.Message.Replace(code, "[PIN]", StringComparison.Ordinal);
            logger.LogWarning("PIN submission for request {RequestId} by {Operator} failed: {Error}", requestId, submittedBy, reason);
            await RecordAsync(new RecordPinSubmission(requestId, accountId, submittedBy, sent: false, reason));
            return new(PinSubmitStatus.UpstreamFailed, reason);
        }
        catch (OperationCanceledException)
        {
            // The caller went away mid-call: We-Link may or may not have the PIN. Open the request
            // again (a retry is harmless: the outcome webhook settles it) and say what happened.
            await RecordAsync(new RecordPinSubmission(requestId, accountId, submittedBy, sent: false, "Cancelled before We-Link answered."));
            throw;
        }

        logger.LogInformation("PIN submitted for request {RequestId} (account {AccountId}) by {Operator}", requestId, accountId, submittedBy);
        await RecordAsync(new RecordPinSubmission(requestId, accountId, submittedBy, sent: true, null));
        return new(PinSubmitStatus.Accepted, "Submitted — waiting for the outcome.");
    }

    private async Task RecordAsync(RecordPinSubmission operation)
    {
        try
        {
            // Not tied to the caller's cancellation: what happened upstream must be recorded.
            await writer.ExecuteAsync<PinSubmissionOutcome>(operation, CancellationToken.None);
        }
        catch (DatabaseUnavailableException ex)
        {
            logger.LogError("Could not record a PIN submission: {Error}", ex.Message);
        }
    }
}
