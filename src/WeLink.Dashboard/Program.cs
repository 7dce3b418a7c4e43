using WeLink.Dashboard.Components;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Dashboard.Features.Retention;
using WeLink.Dashboard.Hosting;
using WeLink.Dashboard.Live;

var builder = WebApplication.CreateBuilder(args);

builder.AddDashboardLogging()
    .AddDashboardOptions()
    .AddDashboardDatabase()
    .AddLive()
    .AddIngest()
    .AddRetention()
    .AddDashboardSecurity()
    .AddDashboardFeatures()
    .AddDashboardHealth()
    .AddDashboardUi();

var app = builder.Build();

await app.MigrateDashboardDatabaseAsync();

app.UseDashboardRequestLogging();
app.UseDashboardSecurity();
app.UseDashboardUi();
app.MapDashboardHealth();
app.MapIngest();
app.MapBenchmarkNoOp();
app.MapLive();
app.MapDashboardApi();
app.MapDashboardPages();

await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
