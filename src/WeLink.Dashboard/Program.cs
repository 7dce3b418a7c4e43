using WeLink.Dashboard.Components;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features;
using WeLink.Dashboard.Features.Accounts;
using WeLink.Dashboard.Features.Alerts;
using WeLink.Dashboard.Features.Connections;
using WeLink.Dashboard.Features.Demo;
using WeLink.Dashboard.Features.Errors;
using WeLink.Dashboard.Features.Events;
using WeLink.Dashboard.Features.Gateway;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Dashboard.Features.Jobs;
using WeLink.Dashboard.Features.Limits;
using WeLink.Dashboard.Features.Operators;
using WeLink.Dashboard.Features.Overview;
using WeLink.Dashboard.Features.Pins;
using WeLink.Dashboard.Features.Requests;
using WeLink.Dashboard.Features.Retention;
using WeLink.Dashboard.Hosting;
using WeLink.Dashboard.Live;

var builder = WebApplication.CreateBuilder(DemoSwitch.Remove(args));

builder.AddDashboardLogging()
    .AddDashboardOptions()
    .AddDashboardDatabase()
    .AddJobLeases()
    .AddStoredLimits()
    .AddLive()
    .AddRedis()
    .AddIngest()
    .AddRetention()
    .AddDashboardSecurity()
    .AddOperators()
    .AddDashboardApi()
    .AddPins()
    .AddEvents()
    .AddAccounts()
    .AddErrors()
    .AddConnections()
    .AddOverview()
    .AddGateway()
    .AddAlerts()
    .AddDashboardHealth()
    .AddDashboardUi()
    .AddDemo(args);

var app = builder.Build();

await app.MigrateDashboardDatabaseAsync();

app.UseDashboardRequestLogging();
app.UseDashboardSecurity();
app.UseDashboardUi();
app.UseDashboardAuthorization();
// Open without sign-in: health, and webhooks, which their HMAC signature guards.
var open = app.MapGroup("").AllowAnonymous();
open.MapDashboardHealth();
open.MapIngest();
open.MapBenchmarkNoOp();
app.MapSignIn();
app.MapLive();
app.MapDashboardApi();
app.MapEvents();
app.MapAccounts();
app.MapPins();
app.MapErrors();
app.MapConnections();
app.MapOverview();
app.MapRequests();
app.MapGateway();
app.MapAlerts();
app.MapDashboardPages();

await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
