using System.Security.Claims;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Features.Limits;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Pins;

/// <summary>
/// PIN submissions per operator (or API token) and minute, <c>Dashboard:PinSubmissionsPerMinute</c>.
/// One budget per person whichever way they submit and whichever instance they reach: the PIN page and
/// <c>POST /api/pins/{requestId}</c> both call <see cref="TryAcquireAsync(string, CancellationToken)"/>
/// before submitting, and the count is kept in the database (<see cref="RateLimitWindows"/>).
/// </summary>
public sealed class PinSubmissionRateLimiter(RateLimitWindows windows, IOptions<DashboardOptions> options)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <inheritdoc cref="TryAcquireAsync(string, CancellationToken)"/>
    public Task<RateLimitDecision> TryAcquireAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TryAcquireAsync(DashboardApi.ActorName(user), cancellationToken);

    /// <summary>
    /// Takes one submission from <paramref name="operatorName"/>'s budget (names compare ignoring case).
    /// Refused when it is spent, with when to try again. Throws <see cref="Data.DatabaseUnavailableException"/>
    /// when the database cannot count.
    /// </summary>
    public Task<RateLimitDecision> TryAcquireAsync(string operatorName, CancellationToken cancellationToken) =>
        windows.TakeAsync("pin:" + operatorName.ToLowerInvariant(), options.Value.PinSubmissionsPerMinute, Window, cancellationToken);

    /// <summary>What to tell someone whose budget is spent.</summary>
    public static string RejectionMessage(TimeSpan? retryAfter) =>
        $"Too many PIN submissions: try again in {Math.Max(1, (int)Math.Ceiling((retryAfter ?? Window).TotalSeconds))} s.";

    /// <summary>The <c>Retry-After</c> header's value for <paramref name="retryAfter"/>, whole seconds, at least one.</summary>
    public static string RetryAfterSeconds(TimeSpan? retryAfter) =>
        Math.Max(1, (int)Math.Ceiling((retryAfter ?? Window).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
