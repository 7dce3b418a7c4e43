using System.Globalization;
using WeLink.Emulator.FakeApi;
using WeLink.Emulator.Traffic;

namespace WeLink.Emulator.Cli;

/// <summary>A parsed command line.</summary>
public abstract record EmulatorCommand;

public sealed record HelpCommand : EmulatorCommand;

public sealed record SendCommand(SendOptions Options) : EmulatorCommand;

/// <summary><c>send --gateway</c>: actions through the dashboard's gateway; their webhooks come from <c>serve</c>.</summary>
public sealed record GatewaySendCommand(GatewayTrafficOptions Options) : EmulatorCommand;

/// <param name="DefaultCredentials">No key or secret was given, so the documented development pair is used.</param>
public sealed record ServeCommand(FakeWeLinkOptions Options, bool DefaultCredentials) : EmulatorCommand;

/// <summary>The command line was wrong; the message says how.</summary>
public sealed class CommandLineException(string message) : Exception(message);

/// <summary>Hand-written parsing of <c>send</c> and <c>serve</c>; <c>--name value</c> or <c>--name=value</c>.</summary>
public static class CommandLine
{
    public const string DefaultApiKey = "emulator-key";
    public const string DefaultApiSecret = "emulator-secret";
    public const int DefaultPort = 5080;

    public const string Usage = """
        WeLink.Emulator: a sandbox We-Link for the dashboard.

        Usage:
          WeLink.Emulator send --url URL [options]   post realistic webhook traffic, report events/s
          WeLink.Emulator send --gateway URL [options]  call actions through the dashboard's gateway
          WeLink.Emulator serve [options]            run a fake We-Link REST API until Ctrl+C
          WeLink.Emulator --help

        send options:
          --url URL            webhook endpoint, e.g. http://127.0.0.1:5000/webhooks/welink (required)
          --secret S           Secret Code that signs the bodies (default: $WELINK_WEBHOOK_SECRET;
                               unsigned when neither is set)
          --count N            distinct events (default 2000); redeliveries come on top
          --rate R             events per second, 0 = as fast as possible (default 0)
          --concurrency C      posts in flight and connections (default 16)
          --accounts A         accounts acc-001..acc-A in the fleet (default 20)
          --redeliveries F     share of events delivered twice, 0..1 (default 0.05)
          --seed N             seed of the traffic content (default 1)
          Exit code 0 when every post got a 2xx answer, 1 otherwise.

        send --gateway options (an automation pointed at the dashboard; no hints anywhere):
          --gateway URL        the dashboard's gateway, e.g. http://127.0.0.1:5000/welink
          --token T            a dashboard bearer token, Operator or Admin (default: $DASHBOARD_TOKEN)
          --api-key K, --api-secret S   or We-Link's own key and secret (default: $WELINK_API_KEY/_SECRET)
          --count N, --concurrency C, --accounts A, --seed N   as above (defaults 200, 8, 5, 1)
          The webhooks come from `serve --webhook-url ... --url-hints no`, which the dashboard's
          WeLink:ApiBaseUrl must point at.

        serve options:
          --port P             port on 127.0.0.1, 0 = any free port (default 5080)
          --api-key K          expected x-api-key (default: $WELINK_API_KEY, else emulator-key)
          --api-secret S       expected x-api-secret (default: $WELINK_API_SECRET, else emulator-secret)
          --webhook-url URL    where login outcomes are posted as webhooks, with ?account=acc-NNN
                               (default: none; outcomes only through get_response)
          --secret S           Secret Code that signs those webhooks (default: $WELINK_WEBHOOK_SECRET)
          --accounts N         linked accounts acc-001..acc-N (default 5)
          --url-hints yes|no   add ?account=acc-NNN to the webhook URL (default yes; no is the real set-up)
          --drop-webhooks F    share 0..1 of outcome webhooks never sent, only served by get_response (default 0)
          --get-response-fails STATUS[:SECONDS]
                               get_response answers STATUS (404 or 5xx) for the first SECONDS (default: for ever)
          Calls: POST /api/v1/login_code, login_v2, get_response, get_all_ln_accounts,
          get_ln_account_details, me, and the actions connect, send_message, send_message_to_thread,
          send_message_to_sales_navigator_thread, personal_messages, view_profile,
          get_profile_details, search, sales_navigator_search (each answers a request id and posts
          its outcome as a webhook, one in five before answering). PIN 000000 fails the login.

        Bad arguments exit with code 2.
        """;

    private static readonly string[] SendFlags = ["url", "secret", "count", "rate", "concurrency", "accounts", "redeliveries", "seed",
        "gateway", "token", "api-key", "api-secret"];
    private static readonly string[] ServeFlags = ["port", "api-key", "api-secret", "webhook-url", "secret", "accounts", "url-hints",
        "drop-webhooks", "get-response-fails"];

    public static EmulatorCommand Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        if (args.Count == 0) throw new CommandLineException("Missing command: send or serve.");
        if (args.Any(a => a is "--help" or "-h" or "help" or "-?")) return new HelpCommand();
        return args[0] switch
        {
            "send" => ParseSend(ReadFlags(args.Skip(1), SendFlags), environment),
            "serve" => ParseServe(ReadFlags(args.Skip(1), ServeFlags), environment),
            _ => throw new CommandLineException($"Unknown command '{args[0]}': expected send or serve."),
        };
    }

    private static EmulatorCommand ParseSend(Dictionary<string, string> flags, Func<string, string?> environment)
    {
        if (flags.GetValueOrDefault("gateway") is { } gateway) return ParseGatewaySend(gateway, flags, environment);
        if (flags.Keys.FirstOrDefault(k => k is "token" or "api-key" or "api-secret") is { } stray)
            throw new CommandLineException($"--{stray} belongs to send --gateway.");
        var url = flags.GetValueOrDefault("url") ?? throw new CommandLineException("send needs --url.");
        var options = new SendOptions
        {
            Target = HttpUrl(url, "--url"),
            Secret = NonEmpty(flags.GetValueOrDefault("secret")) ?? NonEmpty(environment("WELINK_WEBHOOK_SECRET")),
            Count = Int(flags, "count", 2000, min: 1),
            Rate = Double(flags, "rate", 0, min: 0, max: 1_000_000),
            Concurrency = Int(flags, "concurrency", 16, min: 1, max: 1024),
            Accounts = Int(flags, "accounts", 20, min: 1, max: 999),
            RedeliveryRatio = Double(flags, "redeliveries", 0.05, min: 0, max: 1),
            Seed = Int(flags, "seed", 1, min: int.MinValue),
        };
        return new SendCommand(options);
    }

    private static GatewaySendCommand ParseGatewaySend(string gateway, Dictionary<string, string> flags, Func<string, string?> environment)
    {
        if (flags.ContainsKey("url")) throw new CommandLineException("Give --url (webhooks) or --gateway (actions), not both.");
        var token = NonEmpty(flags.GetValueOrDefault("token")) ?? NonEmpty(environment("DASHBOARD_TOKEN"));
        var key = NonEmpty(flags.GetValueOrDefault("api-key")) ?? NonEmpty(environment("WELINK_API_KEY"));
        var secret = NonEmpty(flags.GetValueOrDefault("api-secret")) ?? NonEmpty(environment("WELINK_API_SECRET"));
        if (token is null && (key is null || secret is null))
            throw new CommandLineException("send --gateway needs --token (or DASHBOARD_TOKEN), or both --api-key and --api-secret.");
        return new GatewaySendCommand(new GatewayTrafficOptions
        {
            Gateway = HttpUrl(gateway, "--gateway"),
            BearerToken = token,
            ApiKey = token is null ? key : null,
            ApiSecret = token is null ? secret : null,
            Count = Int(flags, "count", 200, min: 1),
            Concurrency = Int(flags, "concurrency", 8, min: 1, max: 1024),
            Accounts = Int(flags, "accounts", 5, min: 1, max: 999),
            Seed = Int(flags, "seed", 1, min: int.MinValue),
        });
    }

    private static ServeCommand ParseServe(Dictionary<string, string> flags, Func<string, string?> environment)
    {
        var key = NonEmpty(flags.GetValueOrDefault("api-key")) ?? NonEmpty(environment("WELINK_API_KEY"));
        var secret = NonEmpty(flags.GetValueOrDefault("api-secret")) ?? NonEmpty(environment("WELINK_API_SECRET"));
        if ((key is null) != (secret is null))
            throw new CommandLineException("Give both the API key and the API secret (--api-key/--api-secret or WELINK_API_KEY/WELINK_API_SECRET), or neither.");
        var webhookUrl = flags.GetValueOrDefault("webhook-url");
        var options = new FakeWeLinkOptions
        {
            Port = Int(flags, "port", DefaultPort, min: 0, max: 65535),
            ApiKey = key ?? DefaultApiKey,
            ApiSecret = secret ?? DefaultApiSecret,
            WebhookUrl = webhookUrl is null ? null : HttpUrl(webhookUrl, "--webhook-url"),
            WebhookSecret = NonEmpty(flags.GetValueOrDefault("secret")) ?? NonEmpty(environment("WELINK_WEBHOOK_SECRET")),
            Accounts = Int(flags, "accounts", 5, min: 1, max: 999),
            AccountHintInUrl = flags.GetValueOrDefault("url-hints", "yes") switch
            {
                "yes" or "true" => true,
                "no" or "false" => false,
                var other => throw new CommandLineException($"--url-hints must be yes or no, not '{other}'."),
            },
            DropWebhookShare = Double(flags, "drop-webhooks", 0, min: 0, max: 1),
        };
        if (flags.TryGetValue("get-response-fails", out var fails))
        {
            var parts = fails.Split(':', 2);
            if (!int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var status) || (status != 404 && status is < 500 or > 599))
                throw new CommandLineException($"--get-response-fails must be 404 or a 5xx status, optionally :SECONDS, not '{fails}'.");
            int? seconds = null;
            if (parts.Length == 2)
            {
                if (!int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) || s < 1)
                    throw new CommandLineException($"--get-response-fails seconds must be a whole number of at least 1, not '{parts[1]}'.");
                seconds = s;
            }
            options = options with { GetResponseFailureStatus = status, GetResponseFailureFor = seconds is { } n ? TimeSpan.FromSeconds(n) : null };
        }
        return new ServeCommand(options, DefaultCredentials: key is null);
    }

    private static Dictionary<string, string> ReadFlags(IEnumerable<string> args, string[] known)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new CommandLineException($"Unexpected argument '{arg}'.");
            var split = arg.IndexOf('=');
            var name = split < 0 ? arg[2..] : arg[2..split];
            if (!known.Contains(name)) throw new CommandLineException($"Unknown option '--{name}'.");
            string value;
            if (split >= 0) value = arg[(split + 1)..];
            else if (e.MoveNext()) value = e.Current;
            else throw new CommandLineException($"--{name} needs a value.");
            if (!flags.TryAdd(name, value)) throw new CommandLineException($"--{name} is given twice.");
        }
        return flags;
    }

    private static int Int(Dictionary<string, string> flags, string name, int fallback, int min, int max = int.MaxValue)
    {
        if (!flags.TryGetValue(name, out var text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new CommandLineException($"--{name} must be a whole number from {min} to {max}, not '{text}'.");
        return value;
    }

    private static double Double(Dictionary<string, string> flags, string name, double fallback, double min, double max)
    {
        if (!flags.TryGetValue(name, out var text)) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value >= min && value <= max))
            throw new CommandLineException($"--{name} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not '{text}'.");
        return value;
    }

    private static Uri HttpUrl(string text, string name) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new CommandLineException($"{name} must be an absolute http or https URL, not '{text}'.");

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
