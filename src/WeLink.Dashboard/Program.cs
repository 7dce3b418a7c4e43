using WeLink.Dashboard.Components;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Dashboard.Hosting;
using WeLink.Dashboard.Live;

var builder = WebApplication.CreateBuilder(args);

builder.AddDashboardLogging()
    .AddDashboardOptions()
    .AddDashboardDatabase()
    .AddLive()
    .AddIngest()
    .AddDashboardHealth()
    .AddDashboardUi();

var app = builder.Build();

await app.MigrateDashboardDatabaseAsync();

app.UseDashboardRequestLogging();
app.UseDashboardUi();
app.MapDashboardHealth();
app.MapIngest();
app.MapLive();
app.MapDashboardPages();

await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
