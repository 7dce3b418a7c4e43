using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features;

/// <summary>
/// What every feature's part of <c>/api</c> shares: the prefix, the group's rules (signed-in viewer),
/// JSON settings, the OpenAPI document, and the shape of a 400.
/// </summary>
public static class DashboardApi
{
    public const string Prefix = "/api";

    public static WebApplicationBuilder AddDashboardApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi();
        // Enums by name ("PinRequired", "VerifiedNode"): what scripts and people read.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        return builder;
    }

    /// <summary>The OpenAPI document of every feature's endpoints.</summary>
    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/api/openapi/{documentName}.json");
        return app;
    }

    /// <summary>A group under <see cref="Prefix"/> with the rules every API endpoint has; features map theirs into it.</summary>
    public static RouteGroupBuilder MapDashboardApiGroup(this IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix).WithTags("Dashboard API").RequireAuthorization(AuthorizationPolicies.Viewer);

    /// <summary>The name recorded beside a PIN submission or registration.</summary>
    public static string ActorName(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && !string.IsNullOrEmpty(user.Identity.Name) ? user.Identity.Name : "anonymous";

    internal static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
