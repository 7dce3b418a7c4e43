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
    ILogger<FirstOperatorSetup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Operators.AnyAsync(cancellationToken)) return;
        }

        var userName = options.Value.AdminUser.Trim();
        var configured = options.Value.AdminPassword;
        var password = string.IsNullOrEmpty(configured) ? OperatorCredentials.GeneratePassword() : configured;
        var hash = hasher.HashPassword(new Operator { UserName = userName }, password);
        if (!await writer.ExecuteAsync<bool>(new CreateFirstOperator(userName, hash), cancellationToken)) return;

        if (!string.IsNullOrEmpty(configured))
        {
            logger.LogInformation("Created the first operator {UserName} (Admin) with the password from Dashboard:AdminPassword", userName);
            return;
        }
        logger.LogWarning("Created the first operator {UserName} (Admin) with a generated password, printed once to the console", userName);
        notice.Show(userName, password);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
