using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Operators;

/// <summary>
/// What the admin page does: list, add, re-role, disable or enable, unlock, reset passwords and
/// remove operators. There is always at least one enabled admin: a change that would leave none is refused.
/// </summary>
public sealed class OperatorAdministration(
    IDbContextFactory<DashboardDbContext> contexts,
    DashboardWriter writer,
    IPasswordHasher<Operator> hasher,
    SignInLockouts lockouts,
    OperatorSessions sessions,
    ILogger<OperatorAdministration> logger)
{
    public async Task<IReadOnlyList<OperatorRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Operators.AsNoTracking().OrderBy(o => o.UserName).ToListAsync(cancellationToken);
        var locks = await lockouts.LockedUntilAsync(cancellationToken);
        return rows.Select(o => new OperatorRow(
            o.Id, o.UserName, o.Role, o.Disabled, FromMs(o.CreatedAt),
            o.LastSignInAt is { } s ? FromMs(s) : null,
            SignInLockouts.LockedUntil(locks, o.UserName))).ToList();
    }

    public async Task<OperatorCommandResult> AddAsync(string? userName, string? role, string? password, string actor, CancellationToken cancellationToken = default)
    {
        var name = userName?.Trim() ?? "";
        if (OperatorCredentials.CheckUserName(name) is { } nameError) return Invalid(nameError);
        if (Roles.Normalize(role) is not { } normalizedRole) return Invalid("Pick a role.");
        if (OperatorCredentials.CheckPassword(password) is { } passwordError) return Invalid(passwordError);

        var hash = hasher.HashPassword(new Operator { UserName = name }, password!);
        var status = await WriteAsync<OperatorWriteStatus>(new CreateOperator(name, normalizedRole, hash), cancellationToken);
        if (status is null) return Unavailable();
        if (status == OperatorWriteStatus.DuplicateName) return new(OperatorCommandStatus.DuplicateName, $"An operator named {name} already exists.");
        logger.LogInformation("Operator {UserName} added as {Role} by {Actor}", name, normalizedRole, actor);
        return new(OperatorCommandStatus.Done, $"{name} added as {normalizedRole}.");
    }

    public Task<OperatorCommandResult> SetRoleAsync(long operatorId, string? role, string actor, CancellationToken cancellationToken = default) =>
        Roles.Normalize(role) is { } normalized
            ? ChangeAsync(operatorId, new OperatorChange.SetRole(normalized), actor, $"is now {normalized}", cancellationToken)
            : Task.FromResult(Invalid("Pick a role."));

    public Task<OperatorCommandResult> SetDisabledAsync(long operatorId, bool disabled, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(operatorId, new OperatorChange.SetDisabled(disabled), actor, disabled ? "is disabled" : "is enabled", cancellationToken);

    public Task<OperatorCommandResult> UnlockAsync(long operatorId, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(operatorId, new OperatorChange.Unlock(), actor, "is unlocked", cancellationToken);

    public Task<OperatorCommandResult> RemoveAsync(long operatorId, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(operatorId, new OperatorChange.Remove(), actor, "was removed", cancellationToken);

    /// <summary>Sets a new password, lifts any lock-out and ends the operator's sessions.</summary>
    public Task<OperatorCommandResult> ResetPasswordAsync(long operatorId, string? password, string actor, CancellationToken cancellationToken = default) =>
        OperatorCredentials.CheckPassword(password) is { } error
            ? Task.FromResult(Invalid(error))
            : ChangeAsync(operatorId, new OperatorChange.SetPassword(hasher.HashPassword(new Operator(), password!)), actor, "has a new password", cancellationToken);

    private async Task<OperatorCommandResult> ChangeAsync(long operatorId, OperatorChange change, string actor, string done, CancellationToken cancellationToken)
    {
        var result = await WriteAsync<(OperatorWriteStatus, string?)>(new ChangeOperator(operatorId, change), cancellationToken);
        if (result is not { } written) return Unavailable();
        var (status, userName) = written;
        switch (status)
        {
            case OperatorWriteStatus.NotFound:
                return new(OperatorCommandStatus.NotFound, "No such operator.");
            case OperatorWriteStatus.LastAdmin:
                return new(OperatorCommandStatus.LastAdmin, $"{userName} is the last enabled admin: make another admin first.");
            default:
                if (change is OperatorChange.Unlock or OperatorChange.SetPassword)
                {
                    try
                    {
                        await lockouts.UnlockAsync(userName!, cancellationToken);
                    }
                    catch (DatabaseUnavailableException)
                    {
                        return Unavailable();
                    }
                }
                // Open hub connections of this operator are checked now, not within the minute.
                sessions.NotifyChanged();
                logger.LogInformation("Operator {UserName} {Change} (by {Actor})", userName, done, actor);
                return new(OperatorCommandStatus.Done, $"{userName} {done}.");
        }
    }

    private async Task<T?> WriteAsync<T>(WriteOperation<T> operation, CancellationToken cancellationToken) where T : struct
    {
        try
        {
            return await writer.ExecuteAsync<T>(operation, cancellationToken);
        }
        catch (DatabaseUnavailableException ex)
        {
            logger.LogWarning("An operator change could not be saved: {Error}", ex.Message);
            return null;
        }
    }

    private static OperatorCommandResult Invalid(string message) => new(OperatorCommandStatus.Invalid, message);
    private static OperatorCommandResult Unavailable() => new(OperatorCommandStatus.Unavailable, "The database is unavailable. Try again.");
    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
