using Microsoft.AspNetCore.Authentication;

namespace WeLink.Dashboard.Hosting;

public static class SecuritySetup
{
    public static WebApplicationBuilder AddDashboardSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddAuthentication(ApiTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddDashboardPolicies();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    public static WebApplication UseDashboardSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
