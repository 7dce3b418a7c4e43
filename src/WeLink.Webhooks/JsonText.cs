using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace WeLink.Webhooks;

/// <summary>
/// Reads JSON strings and property names as the UTF-16 text JavaScript and Python see, lone
/// surrogates included. <c>JsonElement.GetString()</c> refuses an escaped lone surrogate
/// (<c>"\ud83d"</c>), which Node's <c>JSON.stringify</c> writes for a string cut inside an emoji:
/// valid JSON that We-Link signs, so it must be read, not refused.
/// </summary>
public static class JsonText
{
    /// <summary>The string value of <paramref name="value"/> (which must be a string), lone surrogates kept.</summary>
    public static string Read(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        // The raw value carries its quotes.
        return Decode(raw[1..^1]);
    }

    /// <summary>The property's name, lone surrogates kept.</summary>
    public static string NameOf(JsonProperty property) => Decode(JsonMarshal.GetRawUtf8PropertyName(property));

    /// <summary>True when the text holds a UTF-16 unit that is half of no pair.</summary>
    public static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return true;
        }
        return false;
    }

    /// <summary>The text with each lone surrogate replaced by U+FFFD, for places that must store or render valid Unicode.</summary>
    public static string WithReplacementMarks(string text)
    {
        if (!HasLoneSurrogate(text)) return text;
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(text[i]).Append(text[++i]);
            }
            else
            {
                builder.Append(char.IsSurrogate(text[i]) ? '\uFFFD' : text[i]);
            }
        }
        return builder.ToString();
    }

    /// <summary>Unescapes the UTF-8 text between a JSON string's quotes (already validated by the parser).</summary>
    private static string Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOf((byte)'\\') < 0) return Encoding.UTF8.GetString(raw);
        var text = new StringBuilder(raw.Length);
        while (raw.Length > 0)
        {
            var slash = raw.IndexOf((byte)'\\');
            if (slash < 0)
            {
                text.Append(Encoding.UTF8.GetString(raw));
                break;
            }
            text.Append(Encoding.UTF8.GetString(raw[..slash]));
            var escape = raw[slash + 1];
            var used = 2;
            switch (escape)
            {
                case (byte)'"': text.Append('"'); break;
                case (byte)'\\': text.Append('\\'); break;
                case (byte)'/': text.Append('/'); break;
                case (byte)'b': text.Append('\b'); break;
                case (byte)'f': text.Append('\f'); break;
                case (byte)'n': text.Append('\n'); break;
                case (byte)'r': text.Append('\r'); break;
                case (byte)'t': text.Append('\t'); break;
                case (byte)'u':
                    text.Append((char)int.Parse(Encoding.ASCII.GetString(raw.Slice(slash + 2, 4)), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    used = 6;
                    break;
                default:
                    throw new FormatException("Not a JSON string escape.");
            }
            raw = raw[(slash + used)..];
        }
        return text.ToString();
    }
}
