namespace WeLink.Emulator.Traffic;

/// <summary>What <see cref="TrafficSender"/> sends, where, and how fast.</summary>
public sealed record SendOptions
{
    /// <summary>The dashboard's webhook endpoint, e.g. <c>http://127.0.0.1:5000/webhooks/welink</c>.</summary>
    public required Uri Target { get; init; }

    /// <summary>We-Link's Secret Code; bodies go unsigned when null or empty.</summary>
    public string? Secret { get; init; }

    /// <summary>Distinct events to generate; redeliveries come on top.</summary>
    public int Count { get; init; } = 2000;

    /// <summary>Posts per second; 0 sends as fast as <see cref="Concurrency"/> allows.</summary>
    public double Rate { get; init; }

    /// <summary>Posts in flight at once (and HTTP connections).</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Accounts in the fleet: <c>acc-001</c> to <c>acc-{Accounts}</c>.</summary>
    public int Accounts { get; init; } = 20;

    /// <summary>Share of events delivered a second time, byte for byte (We-Link is at-least-once).</summary>
    public double RedeliveryRatio { get; init; } = 0.05;

    /// <summary>Seed of the traffic's content.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Prefix of every request id. Null picks a fresh one per run, so two runs against the same
    /// dashboard are not taken for redeliveries; set it to make a run byte-for-byte repeatable.
    /// </summary>
    public string? RunId { get; init; }

    /// <summary>Time the receiver gets to answer one post (We-Link allows 30 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (!Target.IsAbsoluteUri || (Target.Scheme != Uri.UriSchemeHttp && Target.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException("Target must be an absolute http or https URL.", nameof(Target));
        if (Count < 1) throw new ArgumentException("Count must be at least 1.", nameof(Count));
        if (Rate < 0 || double.IsNaN(Rate) || double.IsInfinity(Rate)) throw new ArgumentException("Rate must be 0 or a positive number.", nameof(Rate));
        if (Concurrency < 1) throw new ArgumentException("Concurrency must be at least 1.", nameof(Concurrency));
        if (Accounts is < 1 or > 999) throw new ArgumentException("Accounts must be between 1 and 999.", nameof(Accounts));
        if (RedeliveryRatio is < 0 or > 1 || double.IsNaN(RedeliveryRatio)) throw new ArgumentException("RedeliveryRatio must be between 0 and 1.", nameof(RedeliveryRatio));
        if (RunId is not null && (RunId.Length == 0 || RunId.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-')))
            throw new ArgumentException("RunId must be ASCII letters, digits or '-'.", nameof(RunId));
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentException("RequestTimeout must be positive.", nameof(RequestTimeout));
    }
}

/// <summary>What a <see cref="TrafficSender"/> run achieved.</summary>
public sealed record SendReport
{
    /// <summary>Distinct events generated.</summary>
    public required int Events { get; init; }
    /// <summary>HTTP posts made, redeliveries included.</summary>
    public required int Sent { get; init; }
    /// <summary>Posts answered 2xx.</summary>
    public required int Acknowledged { get; init; }
    /// <summary>Distinct events with at least one 2xx answer.</summary>
    public required int UniqueAcknowledged { get; init; }
    /// <summary>Posts that repeated an earlier event.</summary>
    public required int Redeliveries { get; init; }
    /// <summary>Non-2xx answers by status code.</summary>
    public required IReadOnlyDictionary<int, int> Rejected { get; init; }
    /// <summary>Posts that got no answer (connection refused, timeout, ...).</summary>
    public required int Errors { get; init; }
    /// <summary>The first transport failure's message, if any.</summary>
    public string? FirstError { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required int Concurrency { get; init; }

    public int RejectedTotal => Rejected.Values.Sum();
    public double EventsPerSecond => Elapsed > TimeSpan.Zero ? Sent / Elapsed.TotalSeconds : 0;
    /// <summary>Every post got a 2xx answer.</summary>
    public bool AllAcknowledged => Acknowledged == Sent;

    public override string ToString()
    {
        var rejected = Rejected.Count == 0 ? "none" : string.Join(", ", Rejected.OrderBy(r => r.Key).Select(r => $"{r.Key}×{r.Value}"));
        return $"sent {Sent} posts ({Events} events + {Redeliveries} redeliveries) in {Elapsed.TotalSeconds:F2} s: "
            + $"{EventsPerSecond:F1} events/s at concurrency {Concurrency}\n"
            + $"acknowledged {Acknowledged} posts, {UniqueAcknowledged}/{Events} distinct events; rejected: {rejected}; transport errors: {Errors}"
            + (FirstError is null ? "" : $" (first: {FirstError})");
    }
}
