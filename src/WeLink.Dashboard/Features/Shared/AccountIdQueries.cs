using Microsoft.EntityFrameworkCore;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Shared;

/// <summary>The account ids an account picker offers, from the accounts table (never the log).</summary>
public sealed class AccountIdQueries(IDbContextFactory<DashboardDbContext> contexts)
{
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await ListAsync(db, cancellationToken);
    }

    internal static async Task<IReadOnlyList<string>> ListAsync(DashboardDbContext db, CancellationToken cancellationToken) =>
        await db.Accounts.AsNoTracking().OrderBy(a => a.AccountId).Select(a => a.AccountId).ToListAsync(cancellationToken);
}
