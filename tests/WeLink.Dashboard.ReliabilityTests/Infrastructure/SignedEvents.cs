using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using WeLink.Webhooks;

namespace WeLink.Dashboard.ReliabilityTests.Infrastructure;

/// <summary>A signed delivery, identified by its request id.</summary>
public sealed record SignedEvent(string RequestId, string Path, byte[] Body)
{
    public HttpContent Content()
    {
        var content = new ByteArrayContent(Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}

public static class SignedEvents
{
    public const string Secret = ChildDashboard.Secret;

    /// <summary><paramref name="count"/> unique, realistic, signed events spread over a few accounts and shapes.</summary>
    public static List<SignedEvent> Make(int count, string run)
    {
        var events = new List<SignedEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var requestId = $"{run}-{i:D6}";
            var account = $"acc-{i % 17:D2}";
            JsonObject body = (i % 10) switch
            {
                < 5 => new() { ["status"] = "SUCCESS", ["request_id"] = requestId, ["result"] = new JsonObject { ["connected"] = true, ["profile_id"] = "ACoAAL" + i } },
                < 7 => new() { ["status"] = "FAILED", ["requestId"] = requestId, ["error"] = i % 3 == 0 ? "STATUS_429" : "PROFILE_NOT_FOUND" },
                7 => new() { ["status"] = "PIN_REQUIRED", ["request_id"] = requestId, ["message"] = "Please provide the verification code sent to the user" },
                8 => new() { ["status"] = "SUCCESS", ["request_id"] = requestId, ["result"] = new JsonObject { ["message_id"] = "msg-" + i, ["text"] = "Merci, ça me va 👍" } },
                _ => new() { ["status"] = "SUCCESS", ["request_id"] = requestId, ["data"] = new JsonObject { ["job"] = "sync", ["n"] = i } },
            };
            events.Add(new SignedEvent(requestId, "/webhooks/welink?account=" + account, Encoding.UTF8.GetBytes(WebhookSigner.Sign(body.ToJsonString(), Secret))));
        }
        return events;
    }

    /// <summary>Request ids stored for the file (or the PostgreSQL database standing in for it), with how many rows carry each.</summary>
    public static Dictionary<string, int> StoredRequestIds(string databasePath) => TestStore.StoredRequestIds(databasePath);

    /// <summary>One value from the store of <paramref name="databasePath"/>, whichever it is (SQLite's spelling, see <see cref="TestStore"/>).</summary>
    public static T Scalar<T>(string databasePath, string sql) => TestStore.Scalar<T>(databasePath, sql);

    /// <summary>
    /// "ok" when the store is intact: SQLite's integrity_check of the file; on PostgreSQL (which checks its own pages)
    /// every index valid, the unique digest index among them, so a crash left nothing half-built.
    /// </summary>
    public static string IntegrityCheck(string databasePath) => TestStore.Find(databasePath) is null
        ? Scalar<string>(databasePath, "PRAGMA integrity_check")
        : Scalar<long>(databasePath, "SELECT COUNT(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relname = 'Events' AND NOT i.indisvalid") == 0
          && Scalar<long>(databasePath, "SELECT COUNT(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relname = 'Events' AND i.indisunique") >= 2
            ? "ok" : "an index of Events is invalid or missing";
}
