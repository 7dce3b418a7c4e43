using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace WeLink.Dashboard.Bench;

/// <summary>What the runs with open pages need from the pages, wherever their browser is driven from.</summary>
public interface IOpenPageSet : IAsyncDisposable
{
    Task OpenAsync(string account);
    Task<Dictionary<string, Dictionary<string, double>>> BrowserMetricsAsync();
    Task SettleAsync(string requestId, TimeSpan timeout);
    Task<List<TailSnapshot>> CloseAsync();
}

/// <summary>
/// The open pages driven from a process of their own (this program with <c>--hold-pages</c>), not from the
/// process that sends the webhooks. Playwright's driver hands every WebSocket frame of every page (each
/// Blazor render batch) to its client as an event; in the load generator's process that work competed with
/// the sender's own requests and made the pages look far costlier to the dashboard than they are. An
/// operator's browser is not in We-Link's sender either. Commands go over the child's standard input, one
/// per line; answers come back on its standard output.
/// </summary>
public sealed class PageHolderProcess : IOpenPageSet
{
    private readonly Process _process;

    private const string PasswordVariable = "WELINK_BENCH_PAGES_PASSWORD";

    private PageHolderProcess(Process process) => _process = process;

    public static async Task<PageHolderProcess> LaunchAsync(Uri baseAddress, string user, string password)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        start.ArgumentList.Add("--hold-pages");
        start.ArgumentList.Add(baseAddress.ToString());
        start.ArgumentList.Add(user);
        // Not on the command line, where every process on the machine can read it.
        start.Environment[PasswordVariable] = password;
        if (OpenPages.OnlyPaths is { } only)
        {
            start.ArgumentList.Add("--paths");
            start.ArgumentList.Add(string.Join(',', only));
        }
        if (OpenPages.ProfileBrowser) start.ArgumentList.Add("--browser-profile");
        if (OpenPages.BrowserCpuShares is { } shares)
        {
            start.ArgumentList.Add("--browser-cpu-shares");
            start.ArgumentList.Add(shares.ToString(CultureInfo.InvariantCulture));
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("The page holder did not start.");
        var holder = new PageHolderProcess(process);
        await holder.ExpectAsync("ready");
        return holder;
    }

    public async Task OpenAsync(string account)
    {
        await SendAsync("open " + account);
        await ExpectAsync("opened");
    }

    public async Task<Dictionary<string, Dictionary<string, double>>> BrowserMetricsAsync()
    {
        await SendAsync("metrics");
        return JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, double>>>(await ReadAsync())!;
    }

    public async Task SettleAsync(string requestId, TimeSpan timeout)
    {
        await SendAsync(FormattableString.Invariant($"settle {(int)timeout.TotalMilliseconds} {requestId}"));
        await ExpectAsync("settled");
    }

    public async Task<List<TailSnapshot>> CloseAsync()
    {
        await SendAsync("close");
        return JsonSerializer.Deserialize<List<TailSnapshot>>(await ReadAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SendAsync("exit");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    private async Task<string> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await _process.StandardOutput.ReadLineAsync(timeout.Token)
            ?? throw new InvalidOperationException("The page holder exited (exit code " + (_process.HasExited ? _process.ExitCode : -1) + ").");
    }

    private async Task ExpectAsync(string expected)
    {
        var line = await ReadAsync();
        if (line != expected) throw new InvalidOperationException($"The page holder answered \"{line}\" where \"{expected}\" was expected.");
    }

    /// <summary>The child's side: <c>--hold-pages BASE USER</c> (the password in <see cref="PasswordVariable"/>), then commands on standard input.</summary>
    public static async Task<int> HoldAsync(string[] args)
    {
        var at = Array.IndexOf(args, "--hold-pages");
        var baseAddress = new Uri(args[at + 1]);
        var stdout = Console.Out;
        // Only answers go to standard output; anything else the libraries print goes to standard error.
        Console.SetOut(Console.Error);
        var password = Environment.GetEnvironmentVariable(PasswordVariable)
            ?? throw new InvalidOperationException($"The page holder needs the password in {PasswordVariable}.");
        await using var pages = await OpenPages.LaunchAsync(baseAddress, args[at + 2], password);
        await stdout.WriteLineAsync("ready");
        await stdout.FlushAsync();
        while (await Console.In.ReadLineAsync() is { } command)
        {
            var answer = command.Split(' ', 2) switch
            {
                ["open", var account] => await OpenedAsync(pages, account),
                ["metrics"] => JsonSerializer.Serialize(await pages.BrowserMetricsAsync()),
                ["settle", var rest] => await SettledAsync(pages, rest),
                ["close"] => JsonSerializer.Serialize(await pages.CloseAsync()),
                ["exit"] => null,
                _ => throw new InvalidOperationException("Unknown page holder command: " + command),
            };
            if (answer is null) break;
            await stdout.WriteLineAsync(answer);
            await stdout.FlushAsync();
        }
        return 0;
    }

    private static async Task<string> SettledAsync(OpenPages pages, string timeoutAndRequestId)
    {
        var parts = timeoutAndRequestId.Split(' ', 2);
        await pages.SettleAsync(parts[1], TimeSpan.FromMilliseconds(int.Parse(parts[0], CultureInfo.InvariantCulture)));
        return "settled";
    }

    private static async Task<string> OpenedAsync(OpenPages pages, string account)
    {
        await pages.OpenAsync(account);
        return "opened";
    }
}
