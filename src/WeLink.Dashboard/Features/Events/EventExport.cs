using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WeLink.Dashboard.Features.Events;

/// <summary>Streams an export page by page, flushing as it goes, so memory stays flat.</summary>
public static class EventExport
{
    private static readonly string[] Columns =
        ["id", "receivedAt", "eventType", "typeSource", "accountId", "displayName", "email", "accountSource", "status", "requestId", "errorCode", "message", "signature", "deliveryCount", "body"];

    public static async Task WriteCsvAsync(EventQueries queries, EventFilter filter, Stream output)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024);
        await writer.WriteLineAsync(string.Join(',', Columns));
        var count = 0;
        await foreach (var (e, body) in queries.ExportAsync(filter, CancellationToken.None))
        {
            string?[] cells =
            [
                e.Id.ToString(CultureInfo.InvariantCulture), e.ReceivedAt.ToString("O", CultureInfo.InvariantCulture), e.EventType,
                e.TypeSource.ToString(), e.AccountId, e.DisplayName, e.Email, e.AccountSource.ToString(), e.Status, e.RequestId, e.ErrorCode, e.Message,
                e.Signature.ToString(), e.DeliveryCount.ToString(CultureInfo.InvariantCulture), body,
            ];
            await writer.WriteLineAsync(string.Join(',', cells.Select(Cell)));
            if (++count % 1000 == 0) await writer.FlushAsync();
        }
    }

    public static async Task WriteNdjsonAsync(EventQueries queries, EventFilter filter, Stream output)
    {
        var options = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var count = 0;
        await foreach (var (e, body) in queries.ExportAsync(filter, CancellationToken.None))
        {
            using var buffer = new MemoryStream();
            await using (var json = new Utf8JsonWriter(buffer, options))
            {
                json.WriteStartObject();
                json.WriteNumber("id", e.Id);
                json.WriteString("receivedAt", e.ReceivedAt);
                json.WriteString("eventType", e.EventType);
                json.WriteString("typeSource", e.TypeSource.ToString());
                json.WriteString("accountId", e.AccountId);
                json.WriteString("displayName", e.DisplayName);
                json.WriteString("email", e.Email);
                json.WriteString("accountSource", e.AccountSource.ToString());
                json.WriteString("status", e.Status);
                json.WriteString("requestId", e.RequestId);
                json.WriteString("errorCode", e.ErrorCode);
                json.WriteString("message", e.Message);
                json.WriteString("signature", e.Signature.ToString());
                json.WriteNumber("deliveryCount", e.DeliveryCount);
                json.WritePropertyName("body");
                json.WriteRawValue(body, skipInputValidation: false);
                json.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
            buffer.Position = 0;
            await buffer.CopyToAsync(output);
            if (++count % 1000 == 0) await output.FlushAsync();
        }
    }

    /// <summary>RFC 4180 quoting, and a leading apostrophe where a spreadsheet would read a formula.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
