namespace WeLink.Dashboard.Components.Shared;

/// <summary>
/// A table's rows, each keeping its identity from one reload to the next. MudTable keys its rows by the
/// item itself (<c>@key="item"</c>): a reloaded row is a new record, and a record that holds a list is
/// never equal to the last one, so every reload tore down each row's components and DOM and built them
/// again, where only a count or a time had changed. One <see cref="KeptRow{TRow}"/> per key, carried over
/// while the key is listed, lets the renderer move a row and change the cells that differ.
/// </summary>
public sealed class KeptRows<TKey, TRow>(Func<TRow, TKey> keyOf) where TKey : notnull
{
    private Dictionary<TKey, KeptRow<TRow>> _byKey = [];

    /// <summary>Takes a reload's rows, in their order: a key seen last time gets its holder back, with the new row in it.</summary>
    public IReadOnlyList<KeptRow<TRow>> Update(IEnumerable<TRow> rows)
    {
        var kept = new List<KeptRow<TRow>>();
        var byKey = new Dictionary<TKey, KeptRow<TRow>>(_byKey.Count, _byKey.Comparer);
        foreach (var row in rows)
        {
            var key = keyOf(row);
            KeptRow<TRow>? holder;
            // A key listed twice in one reload: the second row gets a holder of its own, so no two rows share one.
            if (byKey.ContainsKey(key)) holder = new KeptRow<TRow>(row);
            else if (_byKey.TryGetValue(key, out holder)) holder.Row = row;
            else holder = new KeptRow<TRow>(row);
            byKey.TryAdd(key, holder);
            kept.Add(holder);
        }
        _byKey = byKey;
        return kept;
    }
}

/// <summary>One row of <see cref="KeptRows{TKey, TRow}"/>: the same object while its key stays listed, holding the latest row.</summary>
public sealed class KeptRow<TRow>(TRow row)
{
    public TRow Row { get; internal set; } = row;
}
