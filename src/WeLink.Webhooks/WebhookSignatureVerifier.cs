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
    /// <summary>
    /// Not delivered: fetched by the dashboard from We-Link's <c>get_response</c> with its API key, so
    /// authenticated by that call rather than by a signature; a later signed delivery of the same body upgrades it.
    /// </summary>
    Fetched = 6,
}

public static class SignatureOutcomeExtensions
{
    public static bool IsAccepted(this SignatureOutcome outcome) =>
        outcome is SignatureOutcome.Unverified or SignatureOutcome.VerifiedNode
            or SignatureOutcome.VerifiedPython or SignatureOutcome.VerifiedJwt;
}

/// <summary>Which check accepted a body; tests and diagnostics read it.</summary>
public enum VerificationPath
{
    /// <summary>Nothing accepted it (or no secret is configured).</summary>
    None,
    /// <summary>The body as sent, up to its trailing <c>hash</c>, was the signed text: no re-serialisation.</summary>
    AsSent,
    /// <summary>The <c>JSON.stringify</c> form had to be rebuilt.</summary>
    NodeForm,
    /// <summary>Python's <c>json.dumps</c> form had to be rebuilt.</summary>
    PythonForm,
    /// <summary>An HS256 JWT whose payload is the body.</summary>
    Jwt,
}

/// <summary>A signature check's outcome, the check that decided it, and the digest of the body's signed content.</summary>
public readonly record struct WebhookVerification(SignatureOutcome Outcome, VerificationPath Path, byte[] ContentDigest);

/// <summary>
/// Checks a webhook body's <c>hash</c> as We-Link computes it: HMAC-SHA256 (hex) over the body
/// without its <c>hash</c> member, serialised as <c>JSON.stringify</c> does; Python's
/// <c>json.dumps</c> form and an HS256 JWT whose payload is the body are accepted as documented
/// variants. Comparisons are constant-time.
/// </summary>
public sealed class WebhookSignatureVerifier
{
    public const string HashMember = "hash";

    /// <summary>How far a JWT's <c>exp</c>/<c>nbf</c> may be off: clocks of two hosts never agree exactly.</summary>
    public static readonly TimeSpan JwtClockSkew = TimeSpan.FromMinutes(2);

    // Registered claims a signer may add to the payload; every other member must be the body's.
    private static readonly string[] TimeClaims = ["iat", "exp", "nbf"];

    // ,"hash":" before the 64 hex digits and "} after them.
    private static ReadOnlySpan<byte> HashLead => ",\"hash\":\""u8;
    private const int AsSentTailLength = 9 + 64 + 2;

    private readonly byte[]? _key;
    private readonly bool _acceptJwt;
    private readonly TimeProvider _time;

    public WebhookSignatureVerifier(string? secret, bool acceptJwt = true, TimeProvider? time = null)
    {
        _key = string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);
        _acceptJwt = acceptJwt;
        _time = time ?? TimeProvider.System;
    }

    public bool HasSecret => _key is not null;

    public SignatureOutcome Verify(JsonElement root) => Check(root, ReadOnlySpan<byte>.Empty).Outcome;

    public SignatureOutcome Verify(JsonElement root, ReadOnlySpan<byte> rawBody) => Check(root, rawBody).Outcome;

    /// <summary>
    /// Verifies <paramref name="root"/>, parsed from <paramref name="rawBody"/>. When the body is
    /// already in the reference form with <c>hash</c> last (as We-Link sends it), the signed text is
    /// the body up to that member, and the check needs no re-serialisation. The digest is of the
    /// signed content (the <c>JSON.stringify</c> form without <c>hash</c>), so byte variants of one
    /// body share it.
    /// </summary>
    public WebhookVerification Check(JsonElement root, ReadOnlySpan<byte> rawBody)
    {
        if (_key is null)
            return new(SignatureOutcome.Unverified, VerificationPath.None, root.ValueKind == JsonValueKind.Object ? CanonicalJson.ContentDigest(root) : []);
        if (root.ValueKind != JsonValueKind.Object) return new(SignatureOutcome.Missing, VerificationPath.None, []);

        string? hash = null;
        foreach (var property in root.EnumerateObject())
        {
            if (property.NameEquals(HashMember))
                hash = property.Value.ValueKind == JsonValueKind.String ? JsonText.Read(property.Value) : null;
        }
        if (string.IsNullOrEmpty(hash)) return new(SignatureOutcome.Missing, VerificationPath.None, []);

        if (hash.Length == 64 && TryDecodeHex(hash, out var expected))
        {
            if (MatchesAsSent(rawBody, hash, expected, out var signedDigest))
                return new(SignatureOutcome.VerifiedNode, VerificationPath.AsSent, signedDigest);
            var nodeText = Encoding.UTF8.GetBytes(CanonicalJson.ToText(root, CanonicalForm.Node, HashMember));
            if (Matches(nodeText, expected))
                return new(SignatureOutcome.VerifiedNode, VerificationPath.NodeForm, SHA256.HashData(nodeText));
            if (Matches(Encoding.UTF8.GetBytes(CanonicalJson.ToText(root, CanonicalForm.Python, HashMember)), expected))
                return new(SignatureOutcome.VerifiedPython, VerificationPath.PythonForm, SHA256.HashData(nodeText));
            return new(SignatureOutcome.Mismatch, VerificationPath.None, []);
        }

        return _acceptJwt && VerifyJwt(hash, root)
            ? new(SignatureOutcome.VerifiedJwt, VerificationPath.Jwt, CanonicalJson.ContentDigest(root))
            : new(SignatureOutcome.Mismatch, VerificationPath.None, []);
    }

    /// <summary>The hex signature We-Link would put into <c>hash</c> for <paramref name="root"/>.</summary>
    public static string ComputeHash(JsonElement root, string secret, CanonicalForm form = CanonicalForm.Node)
    {
        var text = CanonicalJson.ToText(root, form, HashMember);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(text)));
    }

    private bool MatchesAsSent(ReadOnlySpan<byte> rawBody, string hash, byte[] expected, out byte[] signedDigest)
    {
        signedDigest = [];
        // ,"hash":"<64 hex>"} at the end (a final newline, as a posted file has, aside); the signed
        // text is what comes before it, closed.
        while (rawBody.Length > 0 && rawBody[^1] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') rawBody = rawBody[..^1];
        if (rawBody.Length <= AsSentTailLength) return false;
        var tail = rawBody[^AsSentTailLength..];
        if (!tail.StartsWith(HashLead) || !tail.EndsWith("\"}"u8)) return false;
        if (!tail[HashLead.Length..^2].SequenceEqual(Encoding.ASCII.GetBytes(hash))) return false;

        // One-shot hashes over a copy: cheaper than incremental contexts for bodies this size.
        var prefix = rawBody[..^AsSentTailLength];
        var signed = new byte[prefix.Length + 1];
        prefix.CopyTo(signed);
        signed[^1] = (byte)'}';
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key!, signed), expected)) return false;
        signedDigest = SHA256.HashData(signed);
        return true;
    }

    private bool Matches(byte[] text, byte[] expected) =>
        CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key!, text), expected);

    /// <summary>
    /// An HS256 JWT signed with the secret whose payload is the body: the same members with the same
    /// values as the body without <c>hash</c>, apart from <c>iat</c>/<c>exp</c>/<c>nbf</c> the body
    /// does not carry, and within <c>exp</c>/<c>nbf</c>. A JWT's signature alone proves only that the
    /// secret made it, not that it was made for this body.
    /// </summary>
    private bool VerifyJwt(string token, JsonElement body)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0)) return false;
        if (!TryDecodeBase64Url(parts[0], out var headerBytes) || !TryDecodeBase64Url(parts[1], out var payloadBytes)
            || !TryDecodeBase64Url(parts[2], out var signature))
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
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }

        var actual = HMACSHA256.HashData(_key!, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(actual, signature)) return false;

        try
        {
            using var payload = JsonDocument.Parse(payloadBytes);
            var claims = payload.RootElement;
            return claims.ValueKind == JsonValueKind.Object && WithinTimeClaims(claims) && PayloadIsBody(claims, body);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private bool WithinTimeClaims(JsonElement claims)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        var skew = JwtClockSkew.TotalSeconds;
        if (claims.TryGetProperty("exp", out var exp) && !(exp.ValueKind == JsonValueKind.Number && now <= exp.GetDouble() + skew))
            return false;
        if (claims.TryGetProperty("nbf", out var nbf) && !(nbf.ValueKind == JsonValueKind.Number && now >= nbf.GetDouble() - skew))
            return false;
        return true;
    }

    private static bool PayloadIsBody(JsonElement claims, JsonElement body)
    {
        var bodyMembers = Members(body, skip: HashMember);
        var claimMembers = Members(claims, skip: null);
        foreach (var claim in TimeClaims)
        {
            // A time claim the body also carries is body content and compared like any member.
            if (!bodyMembers.ContainsKey(claim)) claimMembers.Remove(claim);
        }
        if (claimMembers.Count != bodyMembers.Count) return false;
        foreach (var (name, value) in bodyMembers)
        {
            if (!claimMembers.TryGetValue(name, out var claim) || !SameValue(value, claim)) return false;
        }
        return true;
    }

    /// <summary>Members by name, the last of a repeated name winning, as JSON.parse reads them.</summary>
    private static Dictionary<string, JsonElement> Members(JsonElement obj, string? skip)
    {
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            if (skip is not null && property.NameEquals(skip)) continue;
            members[JsonText.NameOf(property)] = property.Value;
        }
        return members;
    }

    /// <summary>Equal as parsed values: numbers by the double they read as, object members in any order.</summary>
    private static bool SameValue(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind) return false;
        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                var left = Members(a, null);
                var right = Members(b, null);
                return left.Count == right.Count && left.All(m => right.TryGetValue(m.Key, out var other) && SameValue(m.Value, other));
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength()) return false;
                using (var x = a.EnumerateArray().GetEnumerator())
                using (var y = b.EnumerateArray().GetEnumerator())
                {
                    while (x.MoveNext() && y.MoveNext())
                    {
                        if (!SameValue(x.Current, y.Current)) return false;
                    }
                }
                return true;
            case JsonValueKind.String:
                return string.Equals(JsonText.Read(a), JsonText.Read(b), StringComparison.Ordinal);
            case JsonValueKind.Number:
                return CanonicalJson.FormatNodeNumber(a.GetRawText()) == CanonicalJson.FormatNodeNumber(b.GetRawText());
            default:
                return true;
        }
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
