using Microsoft.Extensions.FileProviders;
using MudBlazor.Services;

namespace WeLink.Dashboard.Components;

public static class UiSetup
{
    public const string AssetsFolder = "wwwroot-assets";

    public static WebApplicationBuilder AddDashboardUi(this WebApplicationBuilder builder)
    {
        // The static-web-assets manifest (MudBlazor's and the framework's files when running from
        // the build output) is only read in Development by default; read it in every environment.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddScoped<Shared.UiPreferences>();
        builder.Services.AddScoped<Shared.CircuitConnection>();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, Shared.CircuitConnectionHandler>();
        return builder;
    }

    public static WebApplication UseDashboardUi(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error", createScopeForErrors: true);
        var assets = Path.Combine(AppContext.BaseDirectory, AssetsFolder);
        if (Directory.Exists(assets))
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(assets) });
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapDashboardPages(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
