namespace WeLink.Dashboard.Features.Requests;

/// <summary>Requests made elsewhere that the dashboard is told about: <c>POST /api/requests</c>.</summary>
public static class RequestsSetup
{
    public static IEndpointRouteBuilder MapRequests(this IEndpointRouteBuilder app)
    {
        app.MapDashboardApiGroup().MapRequestsApi();
        return app;
    }
}
