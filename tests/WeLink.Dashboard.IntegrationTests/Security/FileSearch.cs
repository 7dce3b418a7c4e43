using System.Text;

namespace WeLink.Dashboard.IntegrationTests.Security;

/// <summary>Looks for text in a file byte for byte (UTF-8 and UTF-16), while the app may still hold it open.</summary>
internal static class FileSearch
{
    public static bool Contains(string path, string text)
    {
        byte[] content;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            content = copy.ToArray();
        }
        return content.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0
            || content.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)) >= 0;
    }

    /// <summary>The files under <paramref name="directory"/> that contain <paramref name="text"/>.</summary>
    public static IReadOnlyList<string> FilesContaining(string directory, string text) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Where(f => Contains(f, text)).ToList();
}
