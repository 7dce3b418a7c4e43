using System.Collections.Concurrent;
using WeLink.Emulator.Traffic;

namespace WeLink.Emulator.FakeApi;

/// <summary>What the fake API remembers: its accounts, live sessions, request outcomes and PINs.</summary>
internal sealed class FakeWeLinkState(IReadOnlyList<FleetAccount> accounts, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, FleetAccount> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _responses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _loginRequests = new(StringComparer.Ordinal);
    private readonly List<LoginCodeCall> _loginCodes = [];
    private readonly List<(Func<LoginCodeCall, bool> Match, TaskCompletionSource<LoginCodeCall> Done)> _waiters = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<FleetAccount> Accounts { get; } = accounts;

    private readonly ConcurrentDictionary<string, bool> _unlisted = new(StringComparer.Ordinal);

    /// <summary>The accounts <c>get_all_ln_accounts</c> lists: one just linked in We-Link's UI can be missing from a list fetched before.</summary>
    public IEnumerable<FleetAccount> Listed => Accounts.Where(a => !_unlisted.ContainsKey(a.AccountId));

    public void SetListed(string accountId, bool listed)
    {
        if (listed) _unlisted.TryRemove(accountId, out _);
        else _unlisted[accountId] = true;
    }

    /// <summary>Share of outcome webhooks never posted (only served by <c>get_response</c>).</summary>
    public double DropWebhookShare { get; set; }

    private (int Status, DateTimeOffset? Until)? _getResponseFailure;

    /// <summary>Makes <c>get_response</c> answer <paramref name="status"/> until <paramref name="until"/> (for ever when null); null answers normally.</summary>
    public void FailGetResponse(int? status, DateTimeOffset? until) => _getResponseFailure = status is { } s ? (s, until) : null;

    /// <summary>The status <c>get_response</c> answers instead of the result now, if it is failing.</summary>
    public int? GetResponseFailureStatus()
    {
        if (_getResponseFailure is not { } failure) return null;
        return failure.Until is { } until && time.GetUtcNow() >= until ? null : failure.Status;
    }

    /// <summary>When set, the asynchronous actions wait this long before answering (a We-Link that hangs).</summary>
    public TimeSpan? ActionStall { get; set; }

    public FleetAccount? FindAccount(string accountId) => Accounts.FirstOrDefault(a => a.AccountId == accountId);

    public FleetAccount? FindByEmail(string email) =>
        Accounts.FirstOrDefault(a => string.Equals(a.Email, email.Trim(), StringComparison.OrdinalIgnoreCase));

    public void StartLogin(string requestId, string accountId) => _loginRequests[requestId] = accountId;

    public string? AccountOfLogin(string requestId) => _loginRequests.GetValueOrDefault(requestId);

    public void SetSession(FleetAccount account, bool active)
    {
        if (active) _sessions[account.AccountId] = account;
        else _sessions.TryRemove(account.AccountId, out _);
    }

    public bool IsActive(string accountId) => _sessions.ContainsKey(accountId);

    private readonly ConcurrentQueue<(string AccountId, DateTimeOffset At)> _meCalls = new();

    /// <summary>When set, <c>me</c> answers this status (e.g. 503) whatever the account: an outage, not an answer about the session.</summary>
    public int? MeFailureStatus { get; set; }

    public void RecordMeCall(string accountId) => _meCalls.Enqueue((accountId, time.GetUtcNow()));

    public IReadOnlyList<(string AccountId, DateTimeOffset At)> MeCalls => _meCalls.ToArray();

    /// <summary>Keeps <paramref name="json"/> (without <c>hash</c>) as the request's latest result.</summary>
    public void StoreResponse(string requestId, string json) => _responses[requestId] = json;

    public string? Response(string requestId) => _responses.GetValueOrDefault(requestId);

    public LoginCodeCall RecordLoginCode(string accountId, string requestId, string code)
    {
        var call = new LoginCodeCall(accountId, requestId, code, time.GetUtcNow());
        List<TaskCompletionSource<LoginCodeCall>> done = [];
        lock (_lock)
        {
            _loginCodes.Add(call);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(call)) continue;
                done.Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var waiter in done) waiter.TrySetResult(call);
        return call;
    }

    public IReadOnlyList<LoginCodeCall> LoginCodes
    {
        get { lock (_lock) return _loginCodes.ToArray(); }
    }

    public async Task<LoginCodeCall> WaitForLoginCodeAsync(Func<LoginCodeCall, bool> match, TimeSpan timeout)
    {
        var waiter = (match, new TaskCompletionSource<LoginCodeCall>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_lock)
        {
            var existing = _loginCodes.FirstOrDefault(match);
            if (existing is not null) return existing;
            _waiters.Add(waiter);
        }
        try
        {
            return await waiter.Item2.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_lock) _waiters.Remove(waiter);
            throw new TimeoutException($"No matching login_code call within {timeout}.");
        }
    }
}
