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

    private static long Hash(string text) => BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
