using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Data.PostgreSql;
using WeLink.Dashboard.Features.Shared;

namespace WeLink.Dashboard.IntegrationTests.Api;

/// <summary>
/// The names beside the rows of a breakdown (errors by account, the event log, PIN requests): looked up for
/// any number of ids in one statement, on the app's own store (SQLite file or PostgreSQL).
/// </summary>
public sealed class AccountNameLookupTests : IDisposable
{
    private readonly DashboardApp _app = DashboardApp.StartInTempDirectory();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Lookup_ManyIdsSomeUnknownRepeatedOrEmpty_NamesTheKnownOnesInOneStatement()
    {
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync())
        {
            for (var i = 0; i < 1_200; i++)
                db.Accounts.Add(new Account { AccountId = $"acc-{i:D4}", DisplayName = i % 3 == 0 ? null : $"Name {i}", Email = $"a{i}@example.com" });
            await db.SaveChangesAsync();
        }
        // More ids than SQLite takes parameters in one statement (32,766), as a fleet-wide breakdown over a year could ask.
        var asked = Enumerable.Range(0, 40_000).Select(i => $"acc-{i:D4}").Concat(["acc-0007", "", null, "acc-0010"]).ToList();

        var statements = new StatementCounter();
        await using var counted = CountedContext(statements);
        var names = await AccountNameQueries.LookupAsync(counted, asked, CancellationToken.None);

        Assert.Equal(1, statements.Count);
        Assert.Equal(1_200, names.Count);
        Assert.Equal(new AccountName("acc-0001", "Name 1", "a1@example.com"), names["acc-0001"]);
        Assert.Equal(new AccountName("acc-1199", "Name 1199", "a1199@example.com"), names["acc-1199"]);
        Assert.Null(names["acc-0003"].DisplayName);
        Assert.False(names.ContainsKey("acc-1200"));
    }

    [Fact]
    public async Task Lookup_NoIds_AsksNothing()
    {
        var statements = new StatementCounter();
        await using var counted = CountedContext(statements);

        var names = await AccountNameQueries.LookupAsync(counted, [null, ""], CancellationToken.None);

        Assert.Empty(names);
        Assert.Equal(0, statements.Count);
    }

    /// <summary>A context on the app's store that counts the statements it sends.</summary>
    private DashboardDbContext CountedContext(StatementCounter counter)
    {
        var database = _app.Services.GetRequiredService<DashboardDatabase>();
        var options = new DbContextOptionsBuilder<DashboardDbContext>().AddInterceptors(counter);
        if (database.Provider == DatabaseProvider.PostgreSQL)
        {
            options.UseNpgsql(database.ConnectionString);
            return new PostgreSqlDashboardDbContext(options.Options);
        }
        options.UseSqlite(database.ConnectionString);
        return new DashboardDbContext(options.Options);
    }

    private sealed class StatementCounter : DbCommandInterceptor
    {
        private int _count;
        public int Count => _count;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
