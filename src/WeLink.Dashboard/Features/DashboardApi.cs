using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Dashboard.Features.Connections;
using WeLink.Dashboard.Features.Errors;
using WeLink.Dashboard.Features.Events;
using WeLink.Dashboard.Features.Operators;
using WeLink.Dashboard.Features.Overview;
using WeLink.Dashboard.Features.Pins;
using WeLink.Dashboard.Features.Requests;
using WeLink.Dashboard.Features.WeLinkApi;
using WeLink.Dashboard.Hosting;

namespace WeLink.Dashboard.Features;

/// <summary>Registers the query and command services that pages and <c>/api</c> share, and maps <c>/api</c>.</summary>
public static class DashboardApi
{
    public const string Prefix = "/api";

    public static WebApplicationBuilder AddDashboardFeatures(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboardServices();
        builder.Services.AddHostedService<PinExpirySweeper>();
        builder.Services.AddHostedService<EventSearchIndexer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AccountSync>());
        builder.Services.AddOpenApi();
        // Enums by name ("PinRequired", "VerifiedNode"): what scripts and people read.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return builder;
    }

    /// <summary>The services pages and the API share (no background work): also what component tests register.</summary>
    public static IServiceCollection AddDashboardServices(this IServiceCollection services)
    {
        services.AddWeLinkApi();
        services.AddSingleton<EventQueries>();
        services.AddSingleton<AccountQueries>();
        services.AddSingleton<PinQueries>();
        services.AddSingleton<ErrorStatsQueries>();
        services.AddSingleton<ConnectionStatsQueries>();
        services.AddSingleton<OverviewQueries>();
        services.AddScoped<PinSubmissionService>();
        services.AddSingleton<AccountSync>();
        return services;
    }

    public static RouteGroupBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/api/openapi/{documentName}.json");
        var api = app.MapGroup(Prefix).WithTags("Dashboard API").RequireAuthorization(AuthorizationPolicies.Viewer);
        api.MapEventsApi();
        api.MapAccountsApi();
        api.MapPinsApi();
        api.MapErrorStatsApi();
        api.MapConnectionStatsApi();
        api.MapOverviewApi();
        api.MapRequestsApi();
        api.LimitPinSubmissions();
        return api;
    }

    /// <summary>The name recorded beside a PIN submission or registration.</summary>
    public static string ActorName(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && !string.IsNullOrEmpty(user.Identity.Name) ? user.Identity.Name : "anonymous";

    internal static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
