using System.Diagnostics;
using System.Net;
using WeLink.Dashboard.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace WeLink.Dashboard.ReliabilityTests;

/// <summary>
/// The front the README gives for two instances, deploy/nginx/welink-dashboard.conf as shipped (only its ports
/// changed), run by Debian's nginx before two dashboard processes on one PostgreSQL database.
/// </summary>
[Trait("Provider", TestStore.PostgreSqlItself)]
public sealed class NginxFrontTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Front_NginxBeforeTwoInstances_WebhooksSpreadAndStoredSignInPageLoadsBrowserKeepsItsInstance()
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is missing: apt-get install nginx-light (the front of the README's two-instance setup)");
        using var folder = new TestFolder();
        var database = TestStore.DatabaseFor(folder.Database);
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSQL",
            ["ConnectionStrings__Dashboard"] = database.ConnectionString,
            ["Dashboard__TrustedProxies__0"] = "127.0.0.1",
        };
        var a = await ChildDashboard.StartAsync(folder.Database, Path.Combine(folder.Path, "logs-a"), settings);
        await using var b = await ChildDashboard.StartAsync(folder.Database, Path.Combine(folder.Path, "logs-b"), settings);
        try
        {
            var port = FreePort.Next();
            var conf = WriteConfiguration(folder.Path, a, b, port);

            // The shipped file passes nginx's own check.
            using (var check = Process.Start(NginxStart(nginx, folder.Path, conf, "-t"))!)
            {
                var checkOutput = await check.StandardError.ReadToEndAsync();
                await check.WaitForExitAsync();
                Assert.True(check.ExitCode == 0, $"nginx -t: {checkOutput}");
            }

            using var front = Process.Start(NginxStart(nginx, folder.Path, conf, "-g", "daemon off;"))!;
            try
            {
                using var anonymous = new HttpClient(new SocketsHttpHandler { UseCookies = false, UseProxy = false })
                { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                await Poll.UntilAsync(async () =>
                {
                    try
                    {
                        using var answer = await anonymous.GetAsync("/healthz");
                        return answer.StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return (HttpStatusCode)0;
                    }
                }, status => status == HttpStatusCode.OK || front.HasExited, TimeSpan.FromSeconds(30), "nginx to answer /healthz");
                Assert.False(front.HasExited, "nginx stopped: " + ReadLog(folder.Path));

                // Webhooks carry no cookie: spread over both instances, each stored once.
                var events = SignedEvents.Make(40, "front");
                var upstreams = new HashSet<string>(StringComparer.Ordinal);
                foreach (var e in events.Take(30))
                {
                    using var answer = await anonymous.PostAsync(e.Path, e.Content());
                    Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                    upstreams.Add(Upstream(answer));
                }
                Assert.Equal(new[] { a.BaseAddress.Authority, b.BaseAddress.Authority }.Order(StringComparer.Ordinal).ToArray(), upstreams.Order(StringComparer.Ordinal).ToArray());

                // A browser: the sign-in page, and every later request (Blazor's negotiate among them) on the one instance.
                using var browser = new HttpClient(new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer(), UseProxy = false })
                { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                string instance;
                using (var page = await browser.GetAsync("/signin"))
                {
                    var html = await page.Content.ReadAsStringAsync();
                    Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                    Assert.Contains("Sign in to continue.", html);
                    Assert.Contains("name=\"__RequestVerificationToken\"", html);
                    Assert.Contains(page.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith("welink_node=", StringComparison.Ordinal));
                    instance = Upstream(page);
                }
                for (var i = 0; i < 10; i++)
                {
                    // Not signed in, so the instance refuses the circuit (401); which instance answered is the point.
                    using var negotiate = await browser.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
                    Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
                    Assert.Equal(instance, Upstream(negotiate));
                    using var script = await browser.GetAsync("/_framework/blazor.web.js");
                    Assert.Equal(HttpStatusCode.OK, script.StatusCode);
                    Assert.Equal(instance, Upstream(script));
                    using var again = await browser.GetAsync("/signin");
                    Assert.Equal(instance, Upstream(again));
                }

                // One instance gone: the front gives its deliveries to the other, so We-Link still sees 200s.
                await a.KillAsync();
                foreach (var e in events.Skip(30))
                {
                    using var answer = await anonymous.PostAsync(e.Path, e.Content());
                    Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                    Assert.Equal(b.BaseAddress.Authority, Upstream(answer).Split(", ")[^1]);
                }
                var stored = SignedEvents.StoredRequestIds(folder.Database);
                Assert.Equal(events.Count, stored.Count);
                Assert.All(events, e => Assert.Equal(1, stored.GetValueOrDefault(e.RequestId)));
                output.WriteLine($"instances behind the front: {string.Join(", ", upstreams)}; the browser's: {instance}");
            }
            finally
            {
                if (!front.HasExited) front.Kill(entireProcessTree: true);
                await front.WaitForExitAsync();
            }
        }
        finally
        {
            await a.DisposeAsync();
        }
    }

    /// <summary>
    /// The shipped file with the test's ports (each replacement must find its text, so a changed file fails here
    /// rather than testing something else) and, for the assertions only, a header naming the instance that answered.
    /// </summary>
    private static string WriteConfiguration(string folder, ChildDashboard a, ChildDashboard b, int port)
    {
        var shipped = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "nginx", "welink-dashboard.conf"));
        string Replace(string text, string old, string @new)
        {
            Assert.Contains(old, text);
            return text.Replace(old, @new, StringComparison.Ordinal);
        }
        var site = Replace(shipped, "server 127.0.0.1:5001 ", $"server {a.BaseAddress.Authority} ");
        site = Replace(site, "server 127.0.0.1:5002 ", $"server {b.BaseAddress.Authority} ");
        site = Replace(site, "listen 127.0.0.1:8080;", $"listen 127.0.0.1:{port};");
        site = Replace(site, "server_name _;", "server_name _;\n    add_header X-Test-Upstream $upstream_addr always;");
        File.WriteAllText(Path.Combine(folder, "welink-dashboard.conf"), site);

        // A main file of its own: pid, logs and temporary files in the test's folder, so nothing of the system's nginx is touched.
        var conf = Path.Combine(folder, "nginx.conf");
        File.WriteAllText(conf, $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/nginx-error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{folder}}/nginx-body;
                proxy_temp_path {{folder}}/nginx-proxy;
                fastcgi_temp_path {{folder}}/nginx-fastcgi;
                uwsgi_temp_path {{folder}}/nginx-uwsgi;
                scgi_temp_path {{folder}}/nginx-scgi;
                include {{folder}}/welink-dashboard.conf;
            }
            """);
        return conf;
    }

    private static ProcessStartInfo NginxStart(string nginx, string folder, string conf, params string[] arguments)
    {
        var info = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in (string[])["-p", folder + "/", "-e", Path.Combine(folder, "nginx-error.log"), "-c", conf, .. arguments])
            info.ArgumentList.Add(argument);
        return info;
    }

    private static string Upstream(HttpResponseMessage answer) =>
        answer.Headers.TryGetValues("X-Test-Upstream", out var values) ? string.Join(",", values) : "(none)";

    private static string ReadLog(string folder)
    {
        var log = Path.Combine(folder, "nginx-error.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no error log)";
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WeLink.Dashboard.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("WeLink.Dashboard.sln not found above " + AppContext.BaseDirectory);
    }
}
