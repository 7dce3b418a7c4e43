using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WeLink.Webhooks;

/// <summary>How a webhook's signature turned out.</summary>
public enum SignatureOutcome
{
    /// <summary>No secret is configured (Development only): the event is stored as unverified.</summary>
    Unverified = 0,
    /// <summary>The hash matched the <c>JSON.stringify</c> form.</summary>
    VerifiedNode = 1,
    /// <summary>The hash matched Python's <c>json.dumps</c> form.</summary>
    VerifiedPython = 2,
    /// <summary>The hash was an HS256 JWT signed with the secret.</summary>
    VerifiedJwt = 3,
    /// <summary>No usable <c>hash</c> member.</summary>
    Missing = 4,
    /// <summary>A hash was there but did not match.</summary>
    Mismatch = 5,
}

public static class SignatureOutcomeExtensions
{
    public static bool IsAccepted(this SignatureOutcome outcome) =>
        outcome is SignatureOutcome.Unverified or SignatureOutcome.VerifiedNode
            or SignatureOutcome.VerifiedPython or SignatureOutcome.VerifiedJwt;
}

/// <summary>
/// Checks a webhook body's <c>hash</c> as We-Link computes it: HMAC-SHA256 (hex) over the body
/// without its <c>hash</c> member, serialised as <c>JSON.stringify</c> does; Python's
/// <c>json.dumps</c> form and an HS256 JWT are accepted as documented variants. Comparisons are
/// constant-time.
/// </summary>
public sealed class WebhookSignatureVerifier
{
    public const string HashMember = "hash";
    private readonly byte[]? _key;

    public WebhookSignatureVerifier(string? secret)
    {
        _key = string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);
    }

    public bool HasSecret => _key is not null;

    public SignatureOutcome Verify(JsonElement root) => Verify(root, ReadOnlySpan<byte>.Empty);

    /// <summary>
    /// Verifies <paramref name="root"/>, parsed from <paramref name="rawBody"/>. When the body is
    /// already in the reference form with <c>hash</c> last (as We-Link sends it), the signed text is
    /// the body up to that member, and the check needs no re-serialisation.
    /// </summary>
    public SignatureOutcome Verify(JsonElement root, ReadOnlySpan<byte> rawBody)
    {
        if (_key is null) return SignatureOutcome.Unverified;
        if (root.ValueKind != JsonValueKind.Object) return SignatureOutcome.Missing;

        string? hash = null;
        foreach (var property in root.EnumerateObject())
        {
            if (property.NameEquals(HashMember))
                hash = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
        }
        if (string.IsNullOrEmpty(hash)) return SignatureOutcome.Missing;

        if (hash.Length == 64 && TryDecodeHex(hash, out var expected))
        {
            if (MatchesAsSent(rawBody, hash, expected)) return SignatureOutcome.VerifiedNode;
            if (Matches(root, CanonicalForm.Node, expected)) return SignatureOutcome.VerifiedNode;
            if (Matches(root, CanonicalForm.Python, expected)) return SignatureOutcome.VerifiedPython;
            return SignatureOutcome.Mismatch;
        }

        return VerifyJwt(hash) ? SignatureOutcome.VerifiedJwt : SignatureOutcome.Mismatch;
    }

    /// <summary>The hex signature We-Link would put into <c>hash</c> for <paramref name="root"/>.</summary>
    public static string ComputeHash(JsonElement root, string secret, CanonicalForm form = CanonicalForm.Node)
    {
        var text = CanonicalJson.ToText(root, form, HashMember);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(text)));
    }

    private bool MatchesAsSent(ReadOnlySpan<byte> rawBody, string hash, byte[] expected)
    {
        // ,"hash":"<64 hex>"} at the very end.
        const int tailLength = 10 + 64 + 2;
        if (rawBody.Length <= tailLength) return false;
        var tail = rawBody[^tailLength..];
        if (!tail.StartsWith(",\"hash\":\""u8) || !tail.EndsWith("\"}"u8)) return false;
        if (!tail[10..^2].SequenceEqual(Encoding.ASCII.GetBytes(hash))) return false;

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key!);
        hmac.AppendData(rawBody[..^tailLength]);
        hmac.AppendData("}"u8);
        Span<byte> actual = stackalloc byte[32];
        hmac.GetHashAndReset(actual);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private bool Matches(JsonElement root, CanonicalForm form, byte[] expected)
    {
        var text = CanonicalJson.ToText(root, form, HashMember);
        var actual = HMACSHA256.HashData(_key!, Encoding.UTF8.GetBytes(text));
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private bool VerifyJwt(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0)) return false;
        if (!TryDecodeBase64Url(parts[0], out var headerBytes) || !TryDecodeBase64Url(parts[2], out var signature))
            return false;
        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            if (header.RootElement.ValueKind != JsonValueKind.Object
                || !header.RootElement.TryGetProperty("alg", out var alg)
                || alg.ValueKind != JsonValueKind.String
                || alg.GetString() != "HS256")
                return false;
        }
        catch (JsonException)
        {
            return false;
        }

        var actual = HMACSHA256.HashData(_key!, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        return CryptographicOperations.FixedTimeEquals(actual, signature);
    }

    private static bool TryDecodeHex(string text, out byte[] bytes)
    {
        bytes = [];
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
        }
        bytes = Convert.FromHexString(text);
        return true;
    }

    private static bool TryDecodeBase64Url(string text, out byte[] bytes)
    {
        bytes = [];
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        }
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => "!" };
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
