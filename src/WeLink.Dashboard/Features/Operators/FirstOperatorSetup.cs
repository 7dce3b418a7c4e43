using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features.Operators;

/// <summary>
/// On a start with no operator at all, creates the admin from <c>Dashboard:AdminUser</c> /
/// <c>Dashboard:AdminPassword</c>. Without a configured password it generates one and prints it
/// once to the console: deliberately not through the logger, so it never reaches a log file.
/// Runs before the server listens (hosted services start before Kestrel), after the writer started.
/// </summary>
public sealed class FirstOperatorSetup(
    IDbContextFactory<DashboardDbContext> contexts,
    DashboardWriter writer,
    IPasswordHasher<Operator> hasher,
    IOptions<DashboardOptions> options,
    GeneratedPasswordNotice notice,
    TimeProvider time,
    ILogger<FirstOperatorSetup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Operators.AnyAsync(cancellationToken)) return;
        }

        var (userName, password, hash) = NewAdmin();
        if (!await writer.ExecuteAsync<bool>(new CreateFirstOperator(userName, hash), cancellationToken)) return;
        Announce(userName, password);
    }

    /// <summary>
    /// The same step through <paramref name="db"/>, for a start-up that holds a lock across instances
    /// (PostgreSQL): the admin is created once however many instances start together. Runs before
    /// <see cref="StartAsync"/>, which then finds the admin and does nothing.
    /// </summary>
    internal async Task CreateIfNoneAsync(DashboardDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Operators.AnyAsync(cancellationToken)) return;
        var (userName, password, hash) = NewAdmin();
        db.Operators.Add(new Operator
        {
            UserName = userName,
            PasswordHash = hash,
            Role = Roles.Admin,
            SecurityStamp = OperatorRows.NewSecurityStamp(),
            CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
        await db.SaveChangesAsync(cancellationToken);
        Announce(userName, password);
    }

    private (string UserName, string Password, string Hash) NewAdmin()
    {
        var userName = options.Value.AdminUser.Trim();
        var configured = options.Value.AdminPassword;
        var password = string.IsNullOrEmpty(configured) ? OperatorCredentials.GeneratePassword() : configured;
        return (userName, password, hasher.HashPassword(new Operator { UserName = userName }, password));
    }

    private void Announce(string userName, string password)
    {
        if (!string.IsNullOrEmpty(options.Value.AdminPassword))
        {
            logger.LogInformation("Created the first operator {UserName} (Admin) with the password from Dashboard:AdminPassword", userName);
            return;
        }
        logger.LogWarning("Created the first operator {UserName} (Admin) with a generated password, printed once to the console", userName);
        notice.Show(userName, password);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
