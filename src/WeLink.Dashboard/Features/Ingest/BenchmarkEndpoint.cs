namespace WeLink.Dashboard.Features.Ingest;

/// <summary>
/// <c>POST /bench/noop</c>: reads the body and answers 200, nothing else. The benchmark's
/// baseline for what HTTP alone costs on this machine. <c>GET /bench/profile</c>: the ingest
/// instruments' totals so far (<see cref="IngestProfile"/>). Mapped only when
/// <c>Ingest:BenchmarkNoOpEndpoint</c> is true, never in a normal deployment.
/// </summary>
public static class BenchmarkEndpoint
{
    public const string Route = "/bench/noop";
    public const string ProfileRoute = "/bench/profile";
    public const string SettingKey = "Ingest:BenchmarkNoOpEndpoint";

    public static IEndpointRouteBuilder MapBenchmarkNoOp(this IEndpointRouteBuilder app)
    {
        // Read once at startup: the route exists or it does not, like any other endpoint.
        if (!app.ServiceProvider.GetRequiredService<IConfiguration>().GetValue<bool>(SettingKey)) return app;
        app.MapPost(Route, ReadAndAnswer).WithName("BenchmarkNoOp").WithTags("Benchmark").DisableAntiforgery()
            .WithSummary("Benchmark baseline: reads the body, answers 200.").ExcludeFromDescription();
        // Listens from startup on, for the process's lifetime.
        var profile = new IngestProfile();
        app.MapGet(ProfileRoute, () => TypedResults.Ok(profile.Snapshot())).WithName("BenchmarkProfile").WithTags("Benchmark").AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ReadAndAnswer(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (await request.Body.ReadAsync(buffer, cancellationToken) > 0)
        {
        }
        return TypedResults.Ok();
    }
}
