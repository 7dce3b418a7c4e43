namespace WeLink.Emulator.Traffic;

/// <summary>
/// One webhook post: the exact URL and body, plus what the emulator knows about it (which the
/// body itself does not say) so tests can check how a receiver classified and attributed it.
/// </summary>
/// <param name="Sequence">Position in the run, 0-based.</param>
/// <param name="EventType">The true type; <c>UNKNOWN</c> for deliberately odd shapes.</param>
/// <param name="ErrorCode">The error code carried, documented or not.</param>
/// <param name="AccountId">The account the event belongs to (whether or not the URL says so).</param>
/// <param name="After">Sequence of the post that must be answered before this one is sent.</param>
/// <param name="RedeliveryOf">For a redelivery, the sequence of the original post.</param>
public sealed record GeneratedEvent(
    int Sequence,
    Uri Url,
    string Body,
    string EventType,
    string? ErrorCode,
    string? AccountId,
    string RequestId,
    WebhookUrlForm UrlForm,
    int? After = null,
    int? RedeliveryOf = null)
{
    public bool IsRedelivery => RedeliveryOf is not null;

    /// <summary>The sequence of the distinct event this post carries.</summary>
    public int EventSequence => RedeliveryOf ?? Sequence;
}
