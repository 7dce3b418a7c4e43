using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WeLink.Dashboard.IntegrationTests.Infrastructure;

/// <summary>
/// The real dashboard on Kestrel at 127.0.0.1 on a free port, with its own SQLite file and log
/// folder under a temporary directory. Dispose stops the server; the directory is removed by
/// <see cref="TestDirectory"/>.
/// </summary>
public sealed class DashboardApp : WebApplicationFactory<Program>
{
    public const string Secret = "fixture-secret";

    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;

    private DashboardApp(string directory, string environment, Dictionary<string, string?> settings)
    {
        Directory = directory;
        _environment = environment;
        _settings = settings;
    }

    public string Directory { get; }
    public string DatabasePath => Path.Combine(Directory, "dashboard.db");
    public string LogDirectory => Path.Combine(Directory, "logs");
    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    /// <summary>Starts the app. <paramref name="settings"/> override configuration; a null secret means none.</summary>
    public static DashboardApp Start(string directory, string? secret = Secret, string environment = "Production",
        IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Dashboard"] = $"Data Source={Path.Combine(directory, "dashboard.db")}",
            ["WeLink:WebhookSecret"] = secret,
            ["Serilog:WriteTo:1:Args:path"] = Path.Combine(directory, "logs", "dashboard-.log"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;

        var app = new DashboardApp(directory, environment, all);
        app.UseKestrel(0);
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        app.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
        app.Http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
    }

    public Task<HttpResponseMessage> PostWebhookAsync(string body, string path = "/webhooks/welink", string contentType = "application/json")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return Http.PostAsync(path, content);
    }

    /// <summary>A read-only connection to the app's file, for assertions.</summary>
    public SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    public T Scalar<T>(string sql)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Http?.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>A temporary folder for one test's database and logs.</summary>
public sealed class TestDirectory : IDisposable
{
    public TestDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "welink-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be closing; the temp folder is cleaned by the OS.
        }
    }
}
