using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeLink.Emulator.Traffic;

namespace WeLink.Emulator.FakeApi;

/// <summary>
/// A fake We-Link REST API on 127.0.0.1: checks the API key and secret, answers the calls the
/// dashboard makes, and posts login outcomes back as signed webhooks. PINs are accepted except
/// <c>000000</c>, which fails the login with <c>WRONG_PASSWORD</c>.
/// </summary>
public sealed class FakeWeLinkApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeWeLinkState _state;

    private FakeWeLinkApi(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        _state = app.Services.GetRequiredService<FakeWeLinkState>();
    }

    /// <summary>The PIN that makes a login fail.</summary>
    public const string WrongPinCode = FakeWeLinkEndpoints.WrongPinCode;

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:5080/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The linked accounts it knows.</summary>
    public IReadOnlyList<FleetAccount> Accounts => _state.Accounts;

    /// <summary>Every call that reached it, and the outcomes its actions produced.</summary>
    public FakeApiLog Log => _app.Services.GetRequiredService<FakeApiLog>();

    /// <summary>Every <c>login_code</c> call so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<LoginCodeCall> LoginCodes => _state.LoginCodes;

    /// <summary>The first <c>login_code</c> call, past or future, that <paramref name="match"/> accepts.</summary>
    /// <exception cref="TimeoutException">None came within <paramref name="timeout"/>.</exception>
    public Task<LoginCodeCall> WaitForLoginCodeAsync(Func<LoginCodeCall, bool> match, TimeSpan timeout) =>
        _state.WaitForLoginCodeAsync(match, timeout);

    /// <summary>
    /// Gives the account a live session or ends it: <c>me</c> then answers with the profile, or 400
    /// "Linked account not active". A successful PIN login starts one too.
    /// </summary>
    public void SetSessionActive(string accountId, bool active)
    {
        var account = _state.FindAccount(accountId) ?? throw new ArgumentException($"No account {accountId} in the fake fleet.", nameof(accountId));
        _state.SetSession(account, active);
    }

    /// <summary>Makes <c>me</c> answer <paramref name="status"/> (e.g. 503) for every account; null answers normally again.</summary>
    public void FailMe(System.Net.HttpStatusCode? status) => _state.MeFailureStatus = status is { } s ? (int)s : null;

    /// <summary>Leaves the account out of <c>get_all_ln_accounts</c> or lists it again; it still logs in and acts (an account linked after the dashboard's last list).</summary>
    public void SetListed(string accountId, bool listed)
    {
        _ = _state.FindAccount(accountId) ?? throw new ArgumentException($"No account {accountId} in the fake fleet.", nameof(accountId));
        _state.SetListed(accountId, listed);
    }

    /// <summary>Makes the asynchronous actions wait <paramref name="delay"/> before answering (the call is logged on arrival); null answers at once again.</summary>
    public void StallActions(TimeSpan? delay) => _state.ActionStall = delay;

    /// <summary>Drops this share (0..1) of outcome webhooks from now on: never posted, only served by <c>get_response</c>.</summary>
    public void DropWebhooks(double share)
    {
        if (share is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(share), "The share must be between 0 and 1.");
        _state.DropWebhookShare = share;
    }

    /// <summary>
    /// Makes <c>get_response</c> answer <paramref name="status"/> (404, or a 5xx) for <paramref name="duration"/>
    /// (for ever when null); a null status answers normally again.
    /// </summary>
    public void FailGetResponse(System.Net.HttpStatusCode? status, TimeSpan? duration = null) =>
        _state.FailGetResponse(status is { } s ? (int)s : null, duration is { } d ? DateTimeOffset.UtcNow + d : null);

    /// <summary>Every <c>me</c> call so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<(string AccountId, DateTimeOffset At)> MeCalls => _state.MeCalls;

    public static async Task<FakeWeLinkApi> StartAsync(FakeWeLinkOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(FakeWeLinkApi).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp =>
        {
            var state = new FakeWeLinkState(FleetAccount.CreateFleet(options.Accounts), sp.GetRequiredService<TimeProvider>());
            foreach (var accountId in options.UnlistedAccounts) state.SetListed(accountId, false);
            state.DropWebhookShare = options.DropWebhookShare;
            if (options.GetResponseFailureStatus is { } failure)
                state.FailGetResponse(failure, options.GetResponseFailureFor is { } span ? DateTimeOffset.UtcNow + span : null);
            return state;
        });
        builder.Services.AddSingleton<OutcomeWebhooks>();
        builder.Services.AddSingleton<FakeApiLog>();

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            // Every call is logged before the key check: a test can tell that nothing reached "We-Link".
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            context.Request.Body.Position = 0;
            var headers = context.Request.Headers;
            app.Services.GetRequiredService<FakeApiLog>().Record(new ReceivedCall(context.Request.Path, headers.Keys.ToArray(),
                headers.Authorization.Count > 0 ? headers.Authorization.ToString() : null, headers.Cookie.Count > 0 ? headers.Cookie.ToString() : null, body));
            await next(context).ConfigureAwait(false);
        });
        app.MapFakeWeLinkApi(options);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeWeLinkApi(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Stops listening; outcome webhooks not yet posted are dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
