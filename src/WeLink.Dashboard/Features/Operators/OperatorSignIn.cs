using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Operators;

public enum SignInStatus
{
    SignedIn,
    /// <summary>Unknown user name or wrong password: the two are not told apart.</summary>
    Rejected,
    LockedOut,
    Disabled,
    Unavailable,
}

public sealed record SignInOutcome(SignInStatus Status, ClaimsPrincipal? Principal = null, DateTimeOffset? LockedUntil = null);

/// <summary>Checks a user name and password against the operators table, with lock-out after repeated failures.</summary>
public sealed class OperatorSignIn(
    IDbContextFactory<DashboardDbContext> contexts,
    DashboardWriter writer,
    IPasswordHasher<Operator> hasher,
    IOptionsMonitor<DashboardOptions> options,
    TimeProvider time,
    ILogger<OperatorSignIn> logger)
{
    private readonly Lazy<string> _decoyHash = new(() => hasher.HashPassword(new Operator(), OperatorCredentials.GeneratePassword()));

    public async Task<SignInOutcome> SignInAsync(string? userName, string? password, CancellationToken cancellationToken)
    {
        var name = userName?.Trim() ?? "";
        password ??= "";
        Operator? op = null;
        if (OperatorCredentials.CheckUserName(name) is null && password.Length <= OperatorCredentials.MaxPasswordLength)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            op = await db.Operators.AsNoTracking().SingleOrDefaultAsync(o => o.UserName == name, cancellationToken);
        }
        if (op is null)
        {
            // The same hashing work as for a real operator, so timing does not tell which names exist.
            hasher.VerifyHashedPassword(new Operator(), _decoyHash.Value, password);
            // Not the name: people type their password into the user name box.
            logger.LogWarning("Sign-in refused: unknown user name");
            return new(SignInStatus.Rejected);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (SignInLockout.IsLocked(new LockoutState(op.FailedSignIns, op.LockedUntil), now))
        {
            logger.LogWarning("Sign-in refused for {UserName}: locked out", op.UserName);
            return new(SignInStatus.LockedOut, LockedUntil: DateTimeOffset.FromUnixTimeMilliseconds(op.LockedUntil!.Value));
        }

        var verified = hasher.VerifyHashedPassword(op, op.PasswordHash, password);
        var matched = verified != PasswordVerificationResult.Failed;
        if (matched && op.Disabled)
        {
            logger.LogWarning("Sign-in refused for {UserName}: disabled", op.UserName);
            return new(SignInStatus.Disabled);
        }

        var rehash = verified == PasswordVerificationResult.SuccessRehashNeeded ? hasher.HashPassword(op, password) : null;
        var lockout = new SignInLockout(options.CurrentValue.LockoutThreshold, options.CurrentValue.LockoutDuration);
        (SignInRecordResult Result, long? LockedUntil) recorded;
        try
        {
            recorded = await writer.ExecuteAsync<(SignInRecordResult, long?)>(new RecordSignInAttempt(op.Id, matched, lockout, rehash), cancellationToken);
        }
        catch (DatabaseUnavailableException)
        {
            return new(SignInStatus.Unavailable);
        }

        switch (recorded.Result)
        {
            case SignInRecordResult.SignedIn:
                logger.LogInformation("{UserName} signed in", op.UserName);
                return new(SignInStatus.SignedIn, OperatorSessions.CreatePrincipal(op));
            case SignInRecordResult.LockedOut:
                logger.LogWarning("Sign-in refused for {UserName}: locked out after repeated failures", op.UserName);
                return new(SignInStatus.LockedOut, LockedUntil: DateTimeOffset.FromUnixTimeMilliseconds(recorded.LockedUntil!.Value));
            default:
                logger.LogWarning("Sign-in refused for {UserName}: wrong password", op.UserName);
                return new(SignInStatus.Rejected);
        }
    }
}
