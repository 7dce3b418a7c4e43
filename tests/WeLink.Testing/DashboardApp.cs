using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeLink.Webhooks;

namespace WeLink.Testing;

/// <summary>
/// The real dashboard on Kestrel at 127.0.0.1 on a free port, with its own SQLite file (in the PostgreSQL
/// pass a PostgreSQL database standing in for it, see <see cref="TestStore"/>) and log folder under a
/// temporary directory. Dispose stops the server; the directory is removed by
/// <see cref="TestDirectory"/> (or by Dispose when the app was started with <see cref="StartInTempDirectory"/>).
/// Access: three bearer tokens (Admin, Operator, Viewer) and the first admin's password are
/// configured; <see cref="Http"/> sends the admin token. <see cref="CreateHttpClient"/> makes clients
/// with another token or none.
/// </summary>
public sealed class DashboardApp : WebApplicationFactory<Program>
{
    public const string Secret = "fixture-secret";

    /// <summary>Bearer token with the Admin role; <see cref="Http"/> sends it.</summary>
    public const string AdminToken = "test-admin-token-0123456789";
    public const string OperatorToken = "test-operator-token-0123456789";
    public const string ViewerToken = "test-viewer-token-0123456789";

    /// <summary>The first operator, created at start: Admin role.</summary>
    public const string AdminUser = "admin";
    public const string AdminPassword = "fixture-admin-password";

    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;
    private readonly Action<IServiceCollection>? _services;

    private DashboardApp(string directory, string environment, Dictionary<string, string?> settings, Action<IServiceCollection>? services)
    {
        Directory = directory;
        _environment = environment;
        _settings = settings;
        _services = services;
    }

    public string Directory { get; }
    public string DatabasePath => Path.Combine(Directory, "dashboard.db");
    public string LogDirectory => Path.Combine(Directory, "logs");

    /// <summary>Every line of the app's log files so far, read beside the writer that still holds them open.</summary>
    public List<string> LogLines()
    {
        var lines = new List<string>();
        if (!System.IO.Directory.Exists(LogDirectory)) return lines;
        foreach (var file in System.IO.Directory.GetFiles(LogDirectory))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line) lines.Add(line);
        }
        return lines;
    }
    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    /// <summary>
    /// Starts the app. <paramref name="settings"/> override configuration; a null secret means none.
    /// <paramref name="services"/> replaces services (e.g. the <see cref="TimeProvider"/>).
    /// </summary>
    public static DashboardApp Start(string directory, string? secret = Secret, string environment = "Production",
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Dashboard"] = $"Data Source={Path.Combine(directory, "dashboard.db")}",
            ["WeLink:WebhookSecret"] = secret,
            ["Serilog:WriteTo:1:Args:path"] = Path.Combine(directory, "logs", "dashboard-.log"),
            ["Dashboard:AdminUser"] = AdminUser,
            ["Dashboard:AdminPassword"] = AdminPassword,
            ["Dashboard:ApiTokens:0:Name"] = "tests",
            ["Dashboard:ApiTokens:0:Token"] = AdminToken,
            ["Dashboard:ApiTokens:0:Role"] = "Admin",
            ["Dashboard:ApiTokens:1:Name"] = "tests-operator",
            ["Dashboard:ApiTokens:1:Token"] = OperatorToken,
            ["Dashboard:ApiTokens:1:Role"] = "Operator",
            ["Dashboard:ApiTokens:2:Name"] = "tests-viewer",
            ["Dashboard:ApiTokens:2:Token"] = ViewerToken,
            ["Dashboard:ApiTokens:2:Role"] = "Viewer",
            // Tests submit many PINs with one token; the security tests set their own limit.
            ["Dashboard:PinSubmissionsPerMinute"] = "1000",
        };
        settings ??= new Dictionary<string, string?>();
        foreach (var (key, value) in TestStore.SettingsFor(Path.Combine(directory, "dashboard.db"), settings.Keys)) all[key] = value;
        foreach (var (key, value) in settings) all[key] = value;

        var app = new DashboardApp(directory, environment, all, services);
        app.UseKestrel(0);
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        app.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
        app.Http = app.CreateHttpClient(AdminToken, followRedirects: true);
        return app;
    }

    /// <summary>As <see cref="Start"/>, in a temporary folder of its own that Dispose removes with the app.</summary>
    public static DashboardApp StartInTempDirectory(string? secret = Secret, string environment = "Production",
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var directory = new TestDirectory();
        try
        {
            var app = Start(directory.Path, secret, environment, settings, services);
            app._ownedDirectory = directory;
            return app;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    private TestDirectory? _ownedDirectory;

    /// <summary>
    /// A client of the real server. <paramref name="bearerToken"/> null sends no credentials;
    /// <paramref name="cookies"/> keeps cookies (a sign-in); redirects are not followed unless asked, so tests see them.
    /// </summary>
    public HttpClient CreateHttpClient(string? bearerToken = null, CookieContainer? cookies = null, bool followRedirects = false)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = cookies is not null };
        if (cookies is not null) handler.CookieContainer = cookies;
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (bearerToken is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return client;
    }

    /// <summary>A SignalR connection to <paramref name="hubPath"/> on the real server, sending <paramref name="bearerToken"/> (none when null).</summary>
    public HubConnection CreateHubConnection(string hubPath, string? bearerToken = AdminToken) => new HubConnectionBuilder()
        .WithUrl(new Uri(BaseAddress, hubPath), o =>
        {
            if (bearerToken is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(bearerToken);
        })
        .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()))
        .Build();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        // On PostgreSQL the dashboard keeps its data-protection keys under the content root (the source tree here):
        // each test app keeps them in its own folder instead, where they sit beside the SQLite file otherwise.
        // With Redis they are in Redis, shared by the instances of a test: that is what is tested.
        if (OnPostgreSql && string.IsNullOrEmpty(_settings.GetValueOrDefault("Redis:Configuration")))
            builder.ConfigureTestServices(services => services.Configure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o =>
                o.XmlRepository = new Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository(
                    new DirectoryInfo(Path.Combine(Directory, "keys")), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)));
        if (_services is not null) builder.ConfigureTestServices(_services);
    }

    public Task<HttpResponseMessage> PostWebhookAsync(string body, string path = "/webhooks/welink", string contentType = "application/json")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return Http.PostAsync(path, content);
    }

    /// <summary>Posts <paramref name="json"/> signed with <see cref="Secret"/>, as We-Link would.</summary>
    public Task<HttpResponseMessage> PostSignedWebhookAsync(string json, string path = "/webhooks/welink") =>
        PostWebhookAsync(WebhookSigner.Sign(json, Secret), path);

    /// <summary>A read-only connection to the app's SQLite file, for tests about SQLite itself.</summary>
    public SqliteConnection OpenDatabase() => SqliteFile.Open(DatabasePath, readOnly: true);

    /// <summary>One value from the app's store, whichever it is (SQLite's spelling, see <see cref="TestStore"/>).</summary>
    public T Scalar<T>(string sql, params (string Name, object Value)[] parameters) => TestStore.Scalar<T>(DatabasePath, sql, parameters);

    /// <summary>One value from the SQLite search index's own file (<see cref="WeLink.Dashboard.Data.SearchIndexFile"/>).</summary>
    public T SearchIndexScalar<T>(string sql) => TestStore.Scalar<T>(WeLink.Dashboard.Data.SearchIndexFile.PathFor(DatabasePath), sql);

    /// <summary>Rows from the app's store, whichever it is (see <see cref="TestStore.Rows"/>).</summary>
    public List<object?[]> Rows(string sql, params (string Name, object Value)[] parameters) => TestStore.Rows(DatabasePath, sql, parameters);

    /// <summary>True when the app runs on a PostgreSQL database instead of its file.</summary>
    public bool OnPostgreSql => string.Equals(_settings.GetValueOrDefault("Database:Provider"), "PostgreSQL", StringComparison.OrdinalIgnoreCase);

    protected override void Dispose(bool disposing)
    {
        if (disposing) Http?.Dispose();
        base.Dispose(disposing);
        if (disposing) _ownedDirectory?.Dispose();
    }
}
