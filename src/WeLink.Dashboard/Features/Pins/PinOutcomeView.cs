using MudBlazor;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Pins;

/// <summary>How pages word and colour a PIN request's status and a PIN submission's outcome.</summary>
public static class PinOutcomeView
{
    public static (string Label, Color Color) Describe(PinRequestStatus status) => status switch
    {
        PinRequestStatus.Pending => ("Waiting for a PIN", Color.Warning),
        PinRequestStatus.Submitted => ("Submitted, waiting for the outcome", Color.Info),
        PinRequestStatus.Succeeded => ("Connected", Color.Success),
        PinRequestStatus.Failed => ("Login failed", Color.Error),
        PinRequestStatus.Expired => ("Expired", Color.Default),
        _ => (status.ToString(), Color.Default),
    };

    public static (string Label, Color Color) Describe(PinSubmissionOutcome outcome) => outcome switch
    {
        PinSubmissionOutcome.Sent => ("Sent, waiting for the outcome", Color.Info),
        PinSubmissionOutcome.Succeeded => ("Connected", Color.Success),
        PinSubmissionOutcome.LoginFailed => ("Login failed", Color.Error),
        PinSubmissionOutcome.Failed => ("Not taken by We-Link", Color.Error),
        PinSubmissionOutcome.Rejected => ("Rejected", Color.Error),
        _ => (outcome.ToString(), Color.Default),
    };
}
