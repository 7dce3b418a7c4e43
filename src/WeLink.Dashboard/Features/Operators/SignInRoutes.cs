namespace WeLink.Dashboard.Features.Operators;

/// <summary>Where signing in and out happens.</summary>
public static class SignInRoutes
{
    /// <summary>The sign-in page (GET).</summary>
    public const string Page = "/signin";
    /// <summary>The sign-in form posts here; the cookie is set by this HTTP endpoint, not by a circuit.</summary>
    public const string Submit = "/auth/signin";
    public const string SignOut = "/auth/signout";
    public const string AccessDenied = "/access-denied";
    public const string Admin = "/admin/operators";
    public const string ReturnUrlParameter = "returnUrl";

    /// <summary>The sign-in page, coming back to <paramref name="returnUrl"/> afterwards.</summary>
    public static string PageFor(string? returnUrl, string? error = null)
    {
        var query = new List<KeyValuePair<string, string?>>();
        if (LocalReturnUrl(returnUrl) is { } local && local != "/") query.Add(new(ReturnUrlParameter, local));
        if (!string.IsNullOrEmpty(error)) query.Add(new("error", error));
        return Page + QueryString.Create(query);
    }

    /// <summary><paramref name="returnUrl"/> when it stays on this site (a path, not <c>//host</c> or <c>/\host</c>), else null.</summary>
    public static string? LocalReturnUrl(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl[0] != '/') return null;
        if (returnUrl.Length > 1 && (returnUrl[1] == '/' || returnUrl[1] == '\\')) return null;
        if (returnUrl.Any(char.IsControl)) return null;
        // Back to the sign-in page or its endpoints would only loop.
        if (returnUrl.StartsWith(Page, StringComparison.OrdinalIgnoreCase) || returnUrl.StartsWith("/auth/", StringComparison.OrdinalIgnoreCase)) return "/";
        return AsciiOnly(returnUrl);
    }

    /// <summary>
    /// Non-ASCII characters percent-encoded as UTF-8: a Location header carries ASCII only, and the
    /// server refuses to send anything else (the sign-in would fail after the password was right).
    /// </summary>
    private static string AsciiOnly(string url)
    {
        if (System.Text.Ascii.IsValid(url)) return url;
        var builder = new System.Text.StringBuilder(url.Length * 2);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in url.EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                builder.Append((char)rune.Value);
                continue;
            }
            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length]) builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }
}
