using WeLink.Emulator.FakeApi;
using WeLink.Emulator.Traffic;

namespace WeLink.Emulator.Cli;

/// <summary>Runs a command line to its exit code: 0 fine, 1 some posts failed, 2 bad arguments, 130 cancelled.</summary>
public static class EmulatorCli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadArguments = 2;
    public const int Cancelled = 130;

    public static async Task<int> RunAsync(string[] args, Func<string, string?> environment, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        EmulatorCommand command;
        try
        {
            command = CommandLine.Parse(args, environment);
        }
        catch (CommandLineException ex)
        {
            await error.WriteLineAsync(ex.Message + " Run with --help for usage.");
            return BadArguments;
        }

        try
        {
            return command switch
            {
                SendCommand send => await SendAsync(send.Options, output, cancellationToken),
                GatewaySendCommand gateway => await SendThroughGatewayAsync(gateway.Options, output, cancellationToken),
                ServeCommand serve => await ServeAsync(serve, output, cancellationToken),
                _ => await HelpAsync(output),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Cancelled.");
            return Cancelled;
        }
    }

    private static async Task<int> HelpAsync(TextWriter output)
    {
        await output.WriteLineAsync(CommandLine.Usage);
        return Ok;
    }

    private static async Task<int> SendAsync(SendOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"Sending {options.Count} events for {options.Accounts} accounts to {options.Target} "
            + $"({(options.Secret is null ? "unsigned" : "signed")}, concurrency {options.Concurrency}, "
            + $"{(options.Rate > 0 ? $"{options.Rate} events/s" : "as fast as possible")})...");
        var report = await new TrafficSender().RunAsync(options, cancellationToken);
        await output.WriteLineAsync(report.ToString());
        return report.AllAcknowledged ? Ok : Failed;
    }

    private static async Task<int> SendThroughGatewayAsync(GatewayTrafficOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"Calling {options.Count} actions for {options.Accounts} accounts through {options.Gateway} "
            + $"({(options.BearerToken is null ? "We-Link key and secret" : "bearer token")}, concurrency {options.Concurrency})...");
        var report = await new GatewayTraffic().RunAsync(options, cancellationToken);
        await output.WriteLineAsync(report.ToString());
        return report.Failed == 0 ? Ok : Failed;
    }

    private static async Task<int> ServeAsync(ServeCommand serve, TextWriter output, CancellationToken cancellationToken)
    {
        var options = serve.Options;
        await using var api = await FakeWeLinkApi.StartAsync(options, cancellationToken);
        await output.WriteLineAsync($"Fake We-Link API on {api.BaseAddress} with accounts {api.Accounts[0].AccountId}..{api.Accounts[^1].AccountId}.");
        await output.WriteLineAsync(serve.DefaultCredentials
            ? $"Credentials: x-api-key '{CommandLine.DefaultApiKey}' and the default development secret (see --help)."
            : "Credentials: the given API key and secret.");
        await output.WriteLineAsync(options.WebhookUrl is null
            ? "No --webhook-url: outcomes are only kept for get_response."
            : $"Outcomes go to {options.WebhookUrl} ({(string.IsNullOrEmpty(options.WebhookSecret) ? "unsigned" : "signed")}, "
              + $"{(options.AccountHintInUrl ? "with ?account= hints" : "no URL hints")}).");
        if (options.DropWebhookShare > 0)
            await output.WriteLineAsync($"Dropping {options.DropWebhookShare:P0} of outcome webhooks (served by get_response only).");
        if (options.GetResponseFailureStatus is { } failure)
            await output.WriteLineAsync($"get_response answers {failure} {(options.GetResponseFailureFor is { } span ? $"for the first {span.TotalSeconds:0} s" : "until stopped")}.");
        await output.WriteLineAsync($"Point the dashboard at it: WeLink__ApiBaseUrl={api.BaseAddress.ToString().TrimEnd('/')}. Ctrl+C stops.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync("Stopping.");
        }
        return Ok;
    }
}
