using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Pins;

/// <summary>
/// PIN submissions per operator (or API token) and minute, <c>Dashboard:PinSubmissionsPerMinute</c>.
/// One budget per person whichever way they submit: the PIN page calls <see cref="TryAcquire(ClaimsPrincipal, out TimeSpan?)"/>
/// before submitting; <c>POST /api/pins/{requestId}</c> goes through the <see cref="PolicyName"/> rate-limiter policy,
/// which draws on the same budget.
/// </summary>
public sealed class PinSubmissionRateLimiter : IDisposable
{
    public const string PolicyName = "pin-submissions";
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _limiter;

    public PinSubmissionRateLimiter(IOptions<DashboardOptions> options)
    {
        var permits = options.Value.PinSubmissionsPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.GetFixedWindowLimiter(user,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = Window, QueueLimit = 0, AutoReplenishment = true }),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Takes one submission from <paramref name="user"/>'s budget. False when it is spent; then
    /// <paramref name="retryAfter"/> says when to try again, if known.
    /// </summary>
    public bool TryAcquire(ClaimsPrincipal user, out TimeSpan? retryAfter) => TryAcquire(DashboardApi.ActorName(user), out retryAfter);

    /// <inheritdoc cref="TryAcquire(ClaimsPrincipal, out TimeSpan?)"/>
    public bool TryAcquire(string operatorName, out TimeSpan? retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(operatorName);
        retryAfter = !lease.IsAcquired && lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null;
        return lease.IsAcquired;
    }

    /// <summary>What to tell someone whose budget is spent.</summary>
    public static string RejectionMessage(TimeSpan? retryAfter) =>
        $"Too many PIN submissions: try again in {Math.Max(1, (int)Math.Ceiling((retryAfter ?? Window).TotalSeconds))} s.";

    public void Dispose() => _limiter.Dispose();

    /// <summary>The ASP.NET Core policy: partitions by the caller and forwards to the shared budget.</summary>
    internal sealed class Policy(PinSubmissionRateLimiter shared) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, cancellationToken) =>
        {
            context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
            if (retryAfter > TimeSpan.Zero) context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await TypedResults.Problem(detail: RejectionMessage(retryAfter), statusCode: StatusCodes.Status429TooManyRequests, title: "PIN not submitted")
                .ExecuteAsync(context.HttpContext);
        };

        public RateLimitPartition<string> GetPartition(HttpContext httpContext)
        {
            var user = DashboardApi.ActorName(httpContext.User);
            return RateLimitPartition.Get(user, key => new SharedBudget(shared._limiter, key));
        }
    }

    /// <summary>One caller's view of the shared limiter; disposing it (the middleware does when idle) leaves the budget alone.</summary>
    private sealed class SharedBudget(PartitionedRateLimiter<string> shared, string key) : RateLimiter
    {
        public override TimeSpan? IdleDuration => null;
        public override RateLimiterStatistics? GetStatistics() => shared.GetStatistics(key);
        protected override RateLimitLease AttemptAcquireCore(int permitCount) => shared.AttemptAcquire(key, permitCount);
        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            shared.AcquireAsync(key, permitCount, cancellationToken);
    }
}
