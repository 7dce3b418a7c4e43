using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WeLink.Webhooks;

/// <summary>The two serialisations We-Link's documentation signs with.</summary>
public enum CanonicalForm
{
    /// <summary>Node's <c>JSON.stringify</c>: compact, original key order, non-ASCII raw.</summary>
    Node,
    /// <summary>Python's <c>json.dumps</c> defaults: <c>", "</c>/<c>": "</c> separators, <c>\uXXXX</c> for non-ASCII.</summary>
    Python,
}

/// <summary>
/// Rewrites a parsed JSON value exactly as <c>JSON.stringify(JSON.parse(text))</c> or
/// Python's <c>json.dumps(json.loads(text))</c> would, so a signature can be recomputed
/// whatever spacing the body travelled with.
/// </summary>
public static class CanonicalJson
{
    /// <summary>The canonical text as a string.</summary>
    public static string ToText(JsonElement root, CanonicalForm form, string? skipTopLevelMember = null)
    {
        var text = new StringBuilder(256);
        WriteValue(root, form, text, skipTopLevelMember);
        return text.ToString();
    }

    /// <summary>
    /// SHA-256 of the body's <c>JSON.stringify</c> form without <c>hash</c>: the identity of an
    /// event's signed content, the same for every spacing and escaping it can travel with.
    /// </summary>
    public static byte[] ContentDigest(JsonElement root) =>
        System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(ToText(root, CanonicalForm.Node, WebhookSignatureVerifier.HashMember)));

    private static void WriteValue(JsonElement value, CanonicalForm form, StringBuilder text, string? skipMember)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(value, form, text, skipMember);
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first) text.Append(form == CanonicalForm.Python ? ", " : ",");
                    first = false;
                    WriteValue(item, form, text, null);
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(JsonText.Read(value), form, text);
                break;
            case JsonValueKind.Number:
                text.Append(form == CanonicalForm.Node
                    ? FormatNodeNumber(value.GetRawText())
                    : FormatPythonNumber(value.GetRawText()));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    private static void WriteObject(JsonElement value, CanonicalForm form, StringBuilder text, string? skipMember)
    {
        // JSON.parse and json.loads keep a repeated key at its first position with its last value.
        var members = new List<KeyValuePair<string, JsonElement>>();
        Dictionary<string, int>? positions = null;
        foreach (var property in value.EnumerateObject())
        {
            if (skipMember is not null && property.NameEquals(skipMember)) continue;
            positions ??= new Dictionary<string, int>(StringComparer.Ordinal);
            var name = JsonText.NameOf(property);
            if (positions.TryGetValue(name, out var at))
            {
                members[at] = new(name, property.Value);
            }
            else
            {
                positions[name] = members.Count;
                members.Add(new(name, property.Value));
            }
        }

        text.Append('{');
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0) text.Append(form == CanonicalForm.Python ? ", " : ",");
            WriteString(members[i].Key, form, text);
            text.Append(form == CanonicalForm.Python ? ": " : ":");
            WriteValue(members[i].Value, form, text, null);
        }
        text.Append('}');
    }

    private static void WriteString(string value, CanonicalForm form, StringBuilder text)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': text.Append("\\\""); continue;
                case '\\': text.Append("\\\\"); continue;
                case '\b': text.Append("\\b"); continue;
                case '\f': text.Append("\\f"); continue;
                case '\n': text.Append("\\n"); continue;
                case '\r': text.Append("\\r"); continue;
                case '\t': text.Append("\\t"); continue;
            }

            if (c < 0x20)
            {
                AppendUnicodeEscape(text, c);
            }
            else if (form == CanonicalForm.Python)
            {
                // ensure_ascii: everything outside printable ASCII, one escape per UTF-16 unit.
                if (c > 0x7E) AppendUnicodeEscape(text, c);
                else text.Append(c);
            }
            else if (char.IsSurrogate(c) && !IsPairAt(value, i))
            {
                // Well-formed JSON.stringify escapes lone surrogates.
                AppendUnicodeEscape(text, c);
            }
            else
            {
                if (char.IsHighSurrogate(c))
                {
                    text.Append(c).Append(value[++i]);
                    continue;
                }
                text.Append(c);
            }
        }
        text.Append('"');
    }

    private static bool IsPairAt(string value, int i) =>
        char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);

    private static void AppendUnicodeEscape(StringBuilder text, char c) =>
        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));

    /// <summary>ECMAScript Number::toString of the double the token parses to.</summary>
    public static string FormatNodeNumber(string token)
    {
        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
            return "null";
        if (number == 0) return "0";

        var (negative, digits, n) = Decompose(number);
        var k = digits.Length;
        var sign = negative ? "-" : "";
        if (k <= n && n <= 21) return sign + digits + new string('0', n - k);
        if (0 < n && n <= 21) return sign + digits[..n] + "." + digits[n..];
        if (-6 < n && n <= 0) return sign + "0." + new string('0', -n) + digits;

        var exponent = n - 1;
        var exponentText = (exponent >= 0 ? "+" : "-") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        return k == 1
            ? sign + digits + "e" + exponentText
            : sign + digits[0] + "." + digits[1..] + "e" + exponentText;
    }

    /// <summary>What Python's json.dumps writes for the number json.loads reads from the token.</summary>
    public static string FormatPythonNumber(string token)
    {
        var isInteger = token.IndexOfAny(['.', 'e', 'E']) < 0;
        if (isInteger)
        {
            // Python ints are exact at any size; only "-0" changes.
            return token == "-0" ? "0" : token;
        }

        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return token;
        if (double.IsPositiveInfinity(number)) return "Infinity";
        if (double.IsNegativeInfinity(number)) return "-Infinity";
        if (number == 0) return double.IsNegative(number) ? "-0.0" : "0.0";

        var (negative, digits, n) = Decompose(number);
        var k = digits.Length;
        var sign = negative ? "-" : "";
        var exponent = n - 1;
        if (exponent < -4 || exponent >= 16)
        {
            var mantissa = k == 1 ? digits : digits[0] + "." + digits[1..];
            return sign + mantissa + "e" + (exponent >= 0 ? "+" : "-") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }
        if (n <= 0) return sign + "0." + new string('0', -n) + digits;
        if (n >= k) return sign + digits + new string('0', n - k) + ".0";
        return sign + digits[..n] + "." + digits[n..];
    }

    /// <summary>Shortest round-trip digits of |number| and the position n of the decimal point: value = 0.digits × 10^n.</summary>
    private static (bool Negative, string Digits, int N) Decompose(double number)
    {
        var text = Math.Abs(number).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.');
        var integerPart = dot >= 0 ? text[..dot] : text;
        var fraction = dot >= 0 ? text[(dot + 1)..] : "";
        var digits = integerPart + fraction;
        var n = integerPart.Length + exponent;
        var leading = 0;
        while (leading < digits.Length - 1 && digits[leading] == '0') leading++;
        digits = digits[leading..];
        n -= leading;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        return (number < 0, digits, n);
    }
}
