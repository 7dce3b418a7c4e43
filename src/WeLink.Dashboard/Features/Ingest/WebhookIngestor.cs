using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WeLink.Dashboard.Data;
using WeLink.Dashboard.Hosting;
using WeLink.Webhooks;

namespace WeLink.Dashboard.Features.Ingest;

public enum IngestStatus
{
    Stored,
    Duplicate,
    Unauthorized,
    BadRequest,
    TooLarge,
    UnsupportedMediaType,
    Unavailable,
}

public sealed record IngestAnswer(IngestStatus Status, string? Reason = null, IngestOutcome? Outcome = null);

/// <summary>
/// The ingest pipeline of one delivery: limits, parse, verify, then the writer. It answers every
/// case of design.md's "Ingest answers" and throws for none.
/// </summary>
public sealed class WebhookIngestor(
    DashboardWriter writer,
    RejectedDeliveries rejected,
    IOptions<IngestOptions> ingestOptions,
    IOptions<WeLinkOptions> weLinkOptions,
    TimeProvider time,
    ILogger<WebhookIngestor> logger)
{
    private readonly WebhookSignatureVerifier _verifier = new(weLinkOptions.Value.WebhookSecret, weLinkOptions.Value.AcceptJwtHash, time);
    private readonly IngestOptions _options = ingestOptions.Value;
    private readonly TimeSpan _pinTimeout = weLinkOptions.Value.PinTimeout;

    public bool RequiresSignature => _verifier.HasSecret;

    public async Task<IngestAnswer> IngestAsync(HttpRequest request, WebhookHints hints, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
            return Reject(IngestStatus.UnsupportedMediaType, "unsupported-media-type", "The body must be sent as application/json.");
        if (request.ContentLength > _options.MaxBodyBytes)
            return Reject(IngestStatus.TooLarge, "too-large", $"The body is larger than {_options.MaxBodyBytes} bytes.");

        byte[]? body;
        var readStart = Stopwatch.GetTimestamp();
        try
        {
            body = await ReadBodyAsync(request.Body, _options.MaxBodyBytes, cancellationToken);
            IngestMetrics.Record(IngestMetrics.Read, IngestMetrics.ReadStage, readStart);
        }
        catch (BadHttpRequestException ex)
        {
            return ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? Reject(IngestStatus.TooLarge, "too-large", "The body is too large.")
                : Reject(IngestStatus.BadRequest, "unreadable", "The body could not be read: " + ex.Message);
        }
        if (body is null)
            return Reject(IngestStatus.TooLarge, "too-large", $"The body is larger than {_options.MaxBodyBytes} bytes.");

        JsonDocument document;
        var parseStart = Stopwatch.GetTimestamp();
        try
        {
            document = JsonDocument.Parse(body);
            IngestMetrics.Record(IngestMetrics.Parse, IngestMetrics.ParseStage, parseStart);
        }
        catch (JsonException ex)
        {
            return Reject(IngestStatus.BadRequest, "not-json", "The body is not valid JSON: " + ex.Message);
        }

        // The envelope's result element points into the document: keep it until the write is done.
        using (document)
        {
            IngestRequest parsed;
            try
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    return Reject(IngestStatus.BadRequest, "not-an-object", $"The body is JSON but not an object (it is {root.ValueKind}).");

                var verifyStart = Stopwatch.GetTimestamp();
                var verification = _verifier.Check(root, body);
                IngestMetrics.Record(IngestMetrics.Verify, IngestMetrics.VerifyStage, verifyStart);
                if (!verification.Outcome.IsAccepted())
                {
                    var why = verification.Outcome == SignatureOutcome.Missing ? "The body has no usable hash." : "The hash does not match the body.";
                    return Reject(IngestStatus.Unauthorized, "bad-signature", why);
                }
                parsed = new IngestRequest(body, verification.ContentDigest, WebhookEnvelope.Read(root), hints, verification.Outcome);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException)
            {
                // Text the parser accepted but that cannot be read as a string: refused, never a 500.
                return Reject(IngestStatus.BadRequest, "not-json", "The body holds text that cannot be read: " + ex.Message);
            }

            return await StoreAsync(parsed, cancellationToken);
        }
    }

    private async Task<IngestAnswer> StoreAsync(IngestRequest parsed, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.CommitTimeout);
            var storeStart = Stopwatch.GetTimestamp();
            var outcome = await writer.ExecuteAsync<IngestOutcome>(new StoreWebhookEvent(parsed, _pinTimeout), timeout.Token);
            IngestMetrics.Record(IngestMetrics.Store, IngestMetrics.StoreStage, storeStart);
            if (outcome.ConflictingAccountId is { } other)
            {
                logger.LogWarning("Event {EventId} names account {Account} but its request {RequestId} is known for account {Other}; the body's account stands",
                    outcome.EventId, outcome.AccountId, parsed.Envelope.RequestId, other);
            }
            return new IngestAnswer(outcome.Duplicate ? IngestStatus.Duplicate : IngestStatus.Stored, Outcome: outcome);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("A webhook was not committed within {Timeout}; answering 503", _options.CommitTimeout);
            return new IngestAnswer(IngestStatus.Unavailable, "The database did not commit in time; retry later.");
        }
        catch (DatabaseUnavailableException ex)
        {
            return new IngestAnswer(IngestStatus.Unavailable, ex.Message + " Retry later.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An unexpected failure of this one event: not stored, so ask We-Link to retry rather than lose it.
            logger.LogError(ex, "Storing a webhook failed");
            return new IngestAnswer(IngestStatus.Unavailable, "The event could not be stored; retry later.");
        }
    }

    private IngestAnswer Reject(IngestStatus status, string reason, string message)
    {
        // No log line per refusal (anonymous traffic could fill the disk): RejectedDeliveries
        // writes one summary line a minute.
        rejected.Count(reason);
        return new IngestAnswer(status, message);
    }

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is longer.</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(limit + 1, 16 * 1024)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > limit) return null;
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, limit + 1));
            }
            var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0) break;
            length += read;
            if (length > limit) return null;
        }
        return buffer.AsSpan(0, length).ToArray();
    }
}
