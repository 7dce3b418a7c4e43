using System.Text;

namespace WeLink.Dashboard.IntegrationTests.Security;

/// <summary>Looks for text in a file byte for byte (UTF-8 and UTF-16), while the app may still hold it open.</summary>
internal static class FileSearch
{
    public static bool Contains(string path, string text) => Find(Read(path), text) >= 0;

    private static byte[] Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static int Find(byte[] content, string text)
    {
        var at = content.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text));
        return at >= 0 ? at : content.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text));
    }

    /// <summary>Fails when any file under <paramref name="directory"/> contains <paramref name="text"/>, quoting where.</summary>
    public static void AssertNowhere(string directory, string text) =>
        Assert.True(FilesContaining(directory, text).Count == 0, $"found {text} in {Describe(directory, text)}");

    /// <summary>
    /// Each file under <paramref name="directory"/> that contains <paramref name="text"/>, with the bytes around
    /// its first occurrence (control and non-ASCII bytes as <c>\xNN</c>): a failure says at once whether a secret
    /// was written or a timestamp, a duration or an id happened to hold the same digits.
    /// </summary>
    public static string Describe(string directory, string text) => string.Join("; ", FilesContaining(directory, text).Select(path =>
    {
        var content = Read(path);
        var at = Find(content, text);
        var from = Math.Max(0, at - 120);
        var around = content.AsSpan(from, Math.Min(content.Length, at + text.Length + 120) - from);
        var shown = new StringBuilder();
        foreach (var b in around) shown.Append(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}");
        return $"{path} at byte {at}: …{shown}…";
    }));

    /// <summary>The files under <paramref name="directory"/> that contain <paramref name="text"/>.</summary>
    public static IReadOnlyList<string> FilesContaining(string directory, string text) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Where(f => Contains(f, text)).ToList();
}
