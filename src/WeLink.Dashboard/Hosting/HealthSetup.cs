using Microsoft.Extensions.Diagnostics.HealthChecks;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Hosting;

/// <summary><c>/healthz</c>: healthy when the database answers a query.</summary>
public sealed class DatabaseHealthCheck(DashboardDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var answers = database.Provider == DatabaseProvider.PostgreSQL
            ? await Data.PostgreSql.PostgreSqlDatabase.AnswersAsync(database.ConnectionString, cancellationToken)
            : await database.AnswersAsync(cancellationToken);
        return answers
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database does not answer.");
    }
}

public static class HealthSetup
{
    public const string Route = "/healthz";

    public static WebApplicationBuilder AddDashboardHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    public static IEndpointConventionBuilder MapDashboardHealth(this IEndpointRouteBuilder app) =>
        app.MapHealthChecks(Route);
}
