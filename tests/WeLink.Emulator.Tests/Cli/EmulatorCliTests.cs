using WeLink.Emulator.Cli;
using WeLink.Emulator.Tests.Support;

namespace WeLink.Emulator.Tests.Cli;

public sealed class EmulatorCliTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static async Task<(int Code, string Output, string Error)> RunAsync(Func<string, string?> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await EmulatorCli.RunAsync(args, environment, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("send", "--help")]
    public async Task Help_PrintsUsage(params string[] args)
    {
        var (code, output, _) = await RunAsync(NoEnvironment, args);

        Assert.Equal(EmulatorCli.Ok, code);
        Assert.Contains("send --url URL", output);
        Assert.Contains("serve [options]", output);
    }

    [Theory]
    [InlineData]
    [InlineData("launch")]
    [InlineData("send")]
    [InlineData("send", "--url", "not a url")]
    [InlineData("send", "--url", "ftp://x/webhooks")]
    [InlineData("send", "--url", "http://127.0.0.1:1/w", "--count", "0")]
    [InlineData("send", "--url", "http://127.0.0.1:1/w", "--count")]
    [InlineData("send", "--url", "http://127.0.0.1:1/w", "--redeliveries", "1.5")]
    [InlineData("send", "--url", "http://127.0.0.1:1/w", "--bogus", "1")]
    [InlineData("send", "--url", "http://127.0.0.1:1/w", "--url", "http://127.0.0.1:2/w")]
    [InlineData("serve", "--port", "70000")]
    [InlineData("serve", "--api-key", "only-the-key")]
    [InlineData("serve", "stray")]
    [InlineData("serve", "--drop-webhooks", "1.5")]
    [InlineData("serve", "--get-response-fails", "200")]
    [InlineData("serve", "--get-response-fails", "503:0")]
    public async Task BadArguments_ExitWith2AndSaySo(params string[] args)
    {
        var (code, output, error) = await RunAsync(NoEnvironment, args);

        Assert.Equal(EmulatorCli.BadArguments, code);
        Assert.Equal("", output);
        Assert.Contains("--help", error);
    }

    [Fact]
    public void Parse_Send_ReadsEveryOptionAndTheSecretFromTheEnvironment()
    {
        var command = CommandLine.Parse(
            ["send", "--url", "http://127.0.0.1:5000/webhooks/welink", "--count=10", "--rate", "2.5", "--concurrency", "4", "--accounts", "7", "--redeliveries", "0", "--seed", "9"],
            name => name == "WELINK_WEBHOOK_SECRET" ? "env-secret" : null);

        var send = Assert.IsType<SendCommand>(command).Options;
        Assert.Equal(("env-secret", 10, 2.5, 4, 7, 0.0, 9), (send.Secret, send.Count, send.Rate, send.Concurrency, send.Accounts, send.RedeliveryRatio, send.Seed));
    }

    [Fact]
    public void Parse_ServeDropAndGetResponseFailure_SetsTheShareStatusAndDuration()
    {
        var command = CommandLine.Parse(["serve", "--drop-webhooks", "0.25", "--get-response-fails", "503:30"], NoEnvironment);

        var options = Assert.IsType<ServeCommand>(command).Options;
        Assert.Equal((0.25, 503, TimeSpan.FromSeconds(30)), (options.DropWebhookShare, options.GetResponseFailureStatus, options.GetResponseFailureFor));
        var forever = Assert.IsType<ServeCommand>(CommandLine.Parse(["serve", "--get-response-fails", "404"], NoEnvironment)).Options;
        Assert.Equal((404, (TimeSpan?)null), (forever.GetResponseFailureStatus, forever.GetResponseFailureFor));
    }

    [Fact]
    public void Parse_Serve_FlagsWinOverEnvironment()
    {
        var environment = new Dictionary<string, string> { ["WELINK_API_KEY"] = "env-key", ["WELINK_API_SECRET"] = "env-secret", ["WELINK_WEBHOOK_SECRET"] = "env-hook" };

        var command = CommandLine.Parse(["serve", "--port", "0", "--api-key", "k", "--api-secret", "s", "--webhook-url", "http://127.0.0.1:5000/webhooks/welink"], environment.GetValueOrDefault);

        var serve = Assert.IsType<ServeCommand>(command);
        Assert.Equal(("k", "s", "env-hook", 0), (serve.Options.ApiKey, serve.Options.ApiSecret, serve.Options.WebhookSecret, serve.Options.Port));
        Assert.False(serve.DefaultCredentials);
    }

    [Fact]
    public async Task Send_AllAccepted_Exits0WithAReport()
    {
        await using var receiver = await WebhookReceiver.StartAsync();

        var (code, output, _) = await RunAsync(NoEnvironment, "send", "--url", receiver.Url.ToString(), "--count", "40", "--concurrency", "4");

        Assert.Equal(EmulatorCli.Ok, code);
        Assert.Contains("events/s at concurrency 4", output);
        Assert.Contains("40/40 distinct events", output);
    }

    [Fact]
    public async Task Send_SomeRejected_Exits1()
    {
        await using var receiver = await WebhookReceiver.StartAsync(rejectShare: 0.5);

        var (code, output, _) = await RunAsync(NoEnvironment, "send", "--url", receiver.Url.ToString(), "--count", "20", "--secret", "s");

        Assert.Equal(EmulatorCli.Failed, code);
        Assert.Contains("503×", output);
    }

    [Fact]
    public void Parse_SendGateway_ReadsTokenOrKeysAndRefusesWebhookFlags()
    {
        var command = Assert.IsType<GatewaySendCommand>(CommandLine.Parse(
            ["send", "--gateway", "http://127.0.0.1:5000/welink", "--count", "50", "--accounts", "3"], name => name == "DASHBOARD_TOKEN" ? "t-1" : null));
        Assert.Equal(("t-1", 50, 3), (command.Options.BearerToken, command.Options.Count, command.Options.Accounts));
        var keys = Assert.IsType<GatewaySendCommand>(CommandLine.Parse(
            ["send", "--gateway", "http://127.0.0.1:5000/welink", "--api-key", "k", "--api-secret", "s"], _ => null));
        Assert.Equal((null, "k", "s"), (keys.Options.BearerToken, keys.Options.ApiKey, keys.Options.ApiSecret));
        Assert.Throws<CommandLineException>(() => CommandLine.Parse(["send", "--gateway", "http://127.0.0.1:5000/welink"], _ => null));
        Assert.Throws<CommandLineException>(() => CommandLine.Parse(["send", "--url", "http://127.0.0.1:5000/webhooks/welink", "--token", "t"], _ => null));
        var serve = Assert.IsType<ServeCommand>(CommandLine.Parse(["serve", "--url-hints", "no"], _ => null));
        Assert.False(serve.Options.AccountHintInUrl);
    }
}
