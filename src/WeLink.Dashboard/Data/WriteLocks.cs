using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace WeLink.Dashboard.Data;

/// <summary>
/// Keys of PostgreSQL transaction-level advisory locks that a batch takes before it writes (see
/// <see cref="WriteOperation.CollectLockKeys"/>): one per stored event (its content digest), per account and
/// per request it names. Two instances whose batches share a key run those batches one after the other;
/// batches with nothing in common run side by side. The row-level guarantees (the unique digest, additive
/// upserts, rows read FOR UPDATE) hold without them; the locks only keep two batches from deadlocking.
/// </summary>
public static class WriteLocks
{
    public static long Event(byte[] contentDigest) => BinaryPrimitives.ReadInt64BigEndian(contentDigest);

    public static long Account(string accountId) => Hash("account\0" + accountId);

    public static long Request(string requestId) => Hash("request\0" + requestId);

    /// <summary>
    /// An alert rule whose alerts are raised by looking first (open one? cooldown over?) and then inserting,
    /// from work that is not about one account: two instances raising it run one after the other, and the
    /// second sees the first's alert.
    /// </summary>
    public static long AlertRule(string rule) => Hash("alert\0" + rule);

    private static long Hash(string text) => BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
