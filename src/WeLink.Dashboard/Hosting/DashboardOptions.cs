using System.ComponentModel.DataAnnotations;

namespace WeLink.Dashboard.Hosting;

/// <summary>The <c>Dashboard</c> section: the first operator and the API tokens.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>The first operator's name, created when no operator exists.</summary>
    public string AdminUser { get; set; } = "admin";

    /// <summary>The first operator's password; when empty a strong one is generated and printed once.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Bearer tokens for scripts and monitors.</summary>
    public List<ApiToken> ApiTokens { get; set; } = [];
}

public sealed class ApiToken
{
    [Required]
    public string Name { get; set; } = "";

    [Required, MinLength(16)]
    public string Token { get; set; } = "";

    /// <summary><c>Viewer</c>, <c>Operator</c> or <c>Admin</c>.</summary>
    [Required]
    public string Role { get; set; } = Roles.Viewer;
}

public static class Roles
{
    public const string Viewer = "Viewer";
    public const string Operator = "Operator";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Viewer, Operator, Admin];

    public static string? Normalize(string? role) => All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase));
}
