using System.Net;
using WeLink.Webhooks;

namespace WeLink.Dashboard.IntegrationTests.Ingest;

public sealed class StartupTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Start_ProductionWithoutSecret_Refuses()
    {
        var error = Assert.ThrowsAny<Exception>(() =>
        {
            using var app = DashboardApp.Start(_dir.Path, secret: null, environment: "Production");
        });
        Assert.Contains("WeLink:WebhookSecret", error.ToString());
    }

    [Fact]
    public async Task Start_DevelopmentWithoutSecret_AcceptsUnsignedAsUnverified()
    {
        using var app = DashboardApp.Start(_dir.Path, secret: null, environment: "Development");
        var response = await app.PostWebhookAsync("""{"status":"SUCCESS","request_id":"dev-1","result":{"connected":true}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Unverified", app.Scalar<string>("SELECT Signature FROM Events"));
    }

    [Fact]
    public async Task Healthz_AnswersHealthy()
    {
        using var app = DashboardApp.Start(_dir.Path);
        var response = await app.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Restart_OnSameFile_KeepsEverything()
    {
        var bodies = Enumerable.Range(0, 50)
            .Select(i => WebhookSigner.Sign($$$"""{"status":"SUCCESS","request_id":"r-{{{i}}}","result":{"connected":true}}""", DashboardApp.Secret))
            .ToList();
        using (var first = DashboardApp.Start(_dir.Path))
        {
            foreach (var body in bodies) Assert.Equal(HttpStatusCode.OK, (await first.PostWebhookAsync(body, "/webhooks/welink?account=acc-r")).StatusCode);
        }

        using var second = DashboardApp.Start(_dir.Path);
        Assert.Equal(50, second.Scalar<long>("SELECT COUNT(*) FROM Events"));
        Assert.Equal(50, second.Scalar<long>("SELECT EventCount FROM Accounts WHERE AccountId = 'acc-r'"));
        var again = await second.PostWebhookAsync(bodies[0], "/webhooks/welink?account=acc-r");
        Assert.Contains("duplicate", await again.Content.ReadAsStringAsync());
        if (!second.OnPostgreSql)
        {
            Assert.Equal("wal", second.Scalar<string>("PRAGMA journal_mode"));
            Assert.True(File.Exists(second.DatabasePath));
        }
        Assert.NotEmpty(Directory.GetFiles(second.LogDirectory, "*.log"));
    }
}
