using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;
using WeLink.Dashboard.Components.Shared;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Features;
using WeLink.Dashboard.Features.Ingest;
using WeLink.Dashboard.Hosting;
using WeLink.Dashboard.Live;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Tests.Components;

/// <summary>
/// The shared bUnit base: MudBlazor services, loose JS interop, a longer wait timeout, and the
/// dashboard's real query services over a real, migrated SQLite file fed through the real writer,
/// so a test posts an event and sees it arrive through the live feed as a page would.
/// </summary>
public abstract class DashboardComponentTest : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "welink-bunit", Guid.NewGuid().ToString("N"));
    private DashboardWriter? _writer;

    protected BunitContext Context { get; } = new();
    protected LiveFeed Feed { get; private set; } = null!;
    protected static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Waits until <paramref name="condition"/> holds, for what no render announces (bUnit's waits re-check on renders only).</summary>
    protected static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        var deadline = DateTime.UtcNow + WaitTimeout;
        while (!condition() && DateTime.UtcNow < deadline) await timer.WaitForNextTickAsync();
        Assert.True(condition());
    }

    /// <summary>Add or replace services before the context is used (e.g. a fake We-Link client handler).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var connectionString = DatabaseSetup.ResolveConnectionString($"Data Source={Path.Combine(_directory, "dashboard.db")}", _directory);
        var services = Context.Services;
        services.AddMudServices();
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(new WeLinkOptions { WebhookSecret = "s", PinTimeout = TimeSpan.FromMinutes(10) }));
        services.AddSingleton(new DashboardDatabase(connectionString));
        services.AddDbContextFactory<DashboardDbContext>(o => o.UseDashboardSqlite(connectionString));
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<DashboardWriter>();
        services.AddScoped<UiPreferences>();
        // As the app has it (UiSetup): a live component holds its reloads while its browser is away.
        services.AddScoped<CircuitConnection>();
        services.AddDashboardServices();
        ConfigureServices(services);

        await using (var db = await Context.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync())
            await db.Database.MigrateAsync();
        SearchIndexFile.Prepare(connectionString, NullLogger.Instance);
        Feed = Context.Services.GetRequiredService<LiveFeed>();
        _writer = Context.Services.GetRequiredService<DashboardWriter>();
        await _writer.StartAsync(CancellationToken.None);
    }

    protected NavigationManager Navigation => Context.Services.GetRequiredService<NavigationManager>();

    /// <summary>
    /// Renders a page as the app would at <paramref name="url"/> (when given): the popover and dialog
    /// providers MudBlazor menus and dialogs need, then the page with <paramref name="parameters"/>.
    /// </summary>
    protected IRenderedComponent<TPage> RenderPage<TPage>(string? url = null, Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null)
        where TPage : IComponent
    {
        Context.Render<MudPopoverProvider>();
        Context.Render<MudDialogProvider>();
        if (url is not null) Navigation.NavigateTo(url);
        return parameters is null ? Context.Render<TPage>() : Context.Render<TPage>(parameters);
    }

    /// <summary>Stores an event exactly as the webhook endpoint would, projections and live feed included.</summary>
    protected async Task<IngestOutcome> IngestAsync(string json, string? eventHint = null, string? accountHint = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var document = JsonDocument.Parse(body);
        var request = new IngestRequest(body, SHA256.HashData(body), WebhookEnvelope.Read(document.RootElement),
            new WebhookHints(eventHint, accountHint), SignatureOutcome.VerifiedNode);
        return await _writer!.ExecuteAsync<IngestOutcome>(new StoreWebhookEvent(request, TimeSpan.FromMinutes(10)));
    }

    /// <summary>Runs a write through the real writer (e.g. a PIN claim).</summary>
    protected Task<T> WriteAsync<T>(WriteOperation operation) => _writer!.ExecuteAsync<T>(operation);

    public async Task DisposeAsync()
    {
        if (_writer is not null) await _writer.StopAsync(CancellationToken.None);
        await Context.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
