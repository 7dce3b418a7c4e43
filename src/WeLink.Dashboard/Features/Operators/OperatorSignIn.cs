using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Operators;

/// <summary>
/// Checks a user name and password against the operators table, with lock-out per user name and
/// client after repeated failures. Unknown, wrong and locked get the same answer after the same
/// work (one password hash check), so neither the answer nor its timing tells which names exist.
/// </summary>
public sealed class OperatorSignIn(
    IDbContextFactory<DashboardDbContext> contexts,
    DashboardWriter writer,
    IPasswordHasher<Operator> hasher,
    SignInLockouts lockouts,
    IOptionsMonitor<DashboardOptions> options,
    TimeProvider time,
    ILogger<OperatorSignIn> logger)
{
    private readonly Lazy<string> _decoyHash = new(() => hasher.HashPassword(new Operator(), OperatorCredentials.GeneratePassword()));

    /// <param name="client">The caller's address (after trusted forwarded headers): lock-outs are kept per name and client.</param>
    public async Task<SignInOutcome> SignInAsync(string? userName, string? password, string client, CancellationToken cancellationToken)
    {
        var name = userName?.Trim() ?? "";
        password ??= "";
        Operator? op = null;
        if (OperatorCredentials.CheckUserName(name) is null && password.Length <= OperatorCredentials.MaxPasswordLength)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            op = await db.Operators.AsNoTracking().SingleOrDefaultAsync(o => o.UserName == name, cancellationToken);
        }
        bool locked;
        try
        {
            locked = await lockouts.IsLockedAsync(name, client, cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            // The lock-outs cannot be read: no sign-in rather than one that skips them.
            logger.LogWarning("Sign-in refused: the lock-outs could not be read ({Error})", ex.GetType().Name);
            return new(SignInStatus.Unavailable);
        }

        // The hash is always checked (a decoy for unknown names), locked or not: the same work on every path.
        PasswordVerificationResult verified;
        if (op is null)
        {
            hasher.VerifyHashedPassword(new Operator(), _decoyHash.Value, password);
            verified = PasswordVerificationResult.Failed;
        }
        else verified = hasher.VerifyHashedPassword(op, op.PasswordHash, password);
        if (locked)
        {
            logger.LogWarning("Sign-in refused: locked out for this user name from this client");
            return new(SignInStatus.Rejected);
        }
        if (op is null || verified == PasswordVerificationResult.Failed)
        {
            try
            {
                await lockouts.RecordFailureAsync(name, client, cancellationToken);
            }
            catch (DatabaseUnavailableException)
            {
                return new(SignInStatus.Unavailable);
            }
            // Not the name when unknown: people type their password into the user name box.
            if (op is null) logger.LogWarning("Sign-in refused: unknown user name");
            else logger.LogWarning("Sign-in refused for {UserName}: wrong password", op.UserName);
            return new(SignInStatus.Rejected);
        }
        if (op.Disabled)
        {
            logger.LogWarning("Sign-in refused for {UserName}: disabled", op.UserName);
            return new(SignInStatus.Disabled);
        }

        var rehash = verified == PasswordVerificationResult.SuccessRehashNeeded ? hasher.HashPassword(op, password) : null;
        var signInId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var expiresAt = (time.GetUtcNow() + options.CurrentValue.SessionMaxLifetime).ToUnixTimeMilliseconds();
        string? recorded;
        try
        {
            recorded = await writer.ExecuteAsync<string?>(new RecordSignIn(op.Id, rehash, signInId, expiresAt), cancellationToken);
        }
        catch (DatabaseUnavailableException)
        {
            return new(SignInStatus.Unavailable);
        }
        if (recorded is null)
        {
            logger.LogWarning("Sign-in refused for {UserName}: removed or disabled meanwhile", op.UserName);
            return new(SignInStatus.Rejected);
        }
        try
        {
            await lockouts.RecordSuccessAsync(name, client, cancellationToken);
        }
        catch (DatabaseUnavailableException)
        {
            // Signed in all the same; the count runs out by itself.
            logger.LogWarning("A sign-in's failure count could not be cleared: the database is unavailable");
        }
        logger.LogInformation("{UserName} signed in", op.UserName);
        return new(SignInStatus.SignedIn, OperatorSessions.CreatePrincipal(op, recorded));
    }
}
