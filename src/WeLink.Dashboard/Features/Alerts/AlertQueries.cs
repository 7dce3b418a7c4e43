using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;

namespace WeLink.Dashboard.Features.Alerts;

/// <summary>One attempt record of one message on one channel.</summary>
public sealed record AlertDeliveryView(
    string Channel,
    AlertDeliveryStatus Status,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? DeliveredAt);

/// <summary>One alert message and where it went.</summary>
public sealed record AlertMessageView(
    string Id,
    long AlertId,
    string Rule,
    AlertMessageKind Kind,
    string State,
    string? AccountId,
    string? Subject,
    DateTimeOffset At,
    IReadOnlyList<AlertDeliveryView> Deliveries);

/// <summary>A configured channel as pages and the API show it: secrets masked.</summary>
public sealed record AlertChannelView(
    string Name,
    AlertChannelKind Kind,
    string Target,
    IReadOnlyList<string> Rules,
    int Pending,
    DateTimeOffset? LastDeliveredAt,
    string? LastError);

public sealed record AlertFilter(string? Channel = null, AlertDeliveryStatus? Status = null, string? Rule = null);

public sealed record AlertPage(IReadOnlyList<AlertMessageView> Items, string? NextCursor);

/// <summary>Reads of the alert log and the channels' state for the Alerts page and <c>GET /api/alerts</c>.</summary>
public sealed class AlertQueries(IDbContextFactory<DashboardDbContext> contexts, IOptions<AlertOptions> options)
{
    public const int MaxLimit = 500;

    public AlertOptions Settings => options.Value;

    public async Task<AlertPage> ListAsync(AlertFilter filter, int limit, string? cursor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var messages = db.AlertMessages.AsNoTracking().AsQueryable();
        if (ParseCursor(cursor) is { } before) messages = messages.Where(m => m.Id < before);
        if (filter.Rule is { Length: > 0 } rule) messages = messages.Where(m => m.Rule == rule);
        if (filter.Channel is { Length: > 0 } || filter.Status is not null)
        {
            var deliveries = db.AlertDeliveries.AsQueryable();
            if (filter.Channel is { Length: > 0 } channel) deliveries = deliveries.Where(d => d.Channel == channel);
            if (filter.Status is { } status) deliveries = deliveries.Where(d => d.Status == status);
            messages = messages.Where(m => deliveries.Any(d => d.MessageId == m.Id));
        }
        var page = await messages.OrderByDescending(m => m.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var more = page.Count > limit;
        if (more) page.RemoveAt(page.Count - 1);
        var ids = page.Select(m => m.Id).ToList();
        var attempts = (await db.AlertDeliveries.AsNoTracking().Where(d => ids.Contains(d.MessageId)).OrderBy(d => d.Id).ToListAsync(cancellationToken))
            .ToLookup(d => d.MessageId);
        var items = page.Select(m => new AlertMessageView(
            AlertContent.MessageIdOf(m), m.AlertId, m.Rule, m.Kind,
            m.Kind == AlertMessageKind.Resolved ? AlertContent.Resolved : AlertContent.Firing,
            m.AccountId, m.Subject, FromMs(m.At),
            attempts[m.Id].Select(d => new AlertDeliveryView(d.Channel, d.Status, d.Attempts, d.LastStatusCode, Scrub(d.Channel, d.LastError),
                d.LastAttemptAt is { } t ? FromMs(t) : null, FromMs(d.NextAttemptAt), d.DeliveredAt is { } at ? FromMs(at) : null)).ToList())).ToList();
        return new AlertPage(items, more ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : null);
    }

    public async Task<IReadOnlyList<AlertChannelView>> ChannelsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var views = new List<AlertChannelView>();
        foreach (var c in options.Value.Channels)
        {
            var pending = await db.AlertDeliveries.CountAsync(d => d.Status == AlertDeliveryStatus.Pending && d.Channel == c.Name, cancellationToken);
            var delivered = await db.AlertDeliveries.Where(d => d.Status == AlertDeliveryStatus.Delivered && d.Channel == c.Name)
                .OrderByDescending(d => d.Id).Select(d => d.DeliveredAt).FirstOrDefaultAsync(cancellationToken);
            var failing = await db.AlertDeliveries.Where(d => d.Status == AlertDeliveryStatus.Pending && d.Channel == c.Name && d.LastError != null)
                .OrderBy(d => d.Id).Select(d => d.LastError).FirstOrDefaultAsync(cancellationToken);
            views.Add(new AlertChannelView(c.Name, c.Kind, AlertSecrets.Target(c), c.Rules.Count == 0 ? AlertRules.All : c.Rules, pending,
                delivered is { } at ? FromMs(at) : null, Scrub(c.Name, failing)));
        }
        return views;
    }

    public static bool IsValidCursor(string? cursor) => cursor is null || ParseCursor(cursor) is not null;

    private static long? ParseCursor(string? cursor) =>
        long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    private string? Scrub(string channel, string? error) =>
        error is null ? null : options.Value.Channel(channel) is { } c ? AlertSecrets.Scrub(c, error) : error;

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
