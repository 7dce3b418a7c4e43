namespace WeLink.Dashboard.Features.Ingest;

/// <summary>
/// <c>POST /bench/noop</c>: reads the body and answers 200, nothing else. The benchmark's
/// baseline for what HTTP alone costs on this machine; mapped only when
/// <c>Ingest:BenchmarkNoOpEndpoint</c> is true, never in a normal deployment.
/// </summary>
public static class BenchmarkEndpoint
{
    public const string Route = "/bench/noop";
    public const string SettingKey = "Ingest:BenchmarkNoOpEndpoint";

    public static IEndpointRouteBuilder MapBenchmarkNoOp(this IEndpointRouteBuilder app)
    {
        // Read once at startup: the route exists or it does not, like any other endpoint.
        if (!app.ServiceProvider.GetRequiredService<IConfiguration>().GetValue<bool>(SettingKey)) return app;
        app.MapPost(Route, ReadAndAnswer).WithName("BenchmarkNoOp").WithTags("Benchmark").DisableAntiforgery()
            .WithSummary("Benchmark baseline: reads the body, answers 200.").ExcludeFromDescription();
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
