namespace WeLink.Dashboard.Hosting;

public sealed class ApiToken
{
    public const int MinLength = 16;

    public string Name { get; set; } = "";

    public string Token { get; set; } = "";

    /// <summary><c>Viewer</c>, <c>Operator</c> or <c>Admin</c>.</summary>
    public string Role { get; set; } = Roles.Viewer;
}
