namespace WeLink.Dashboard.Features.Demo;

/// <summary>
/// The <c>--demo</c> command-line switch. It is read from the raw arguments, never from configuration,
/// so no setting, environment variable or config file can turn the demo on; and it is taken out of the
/// arguments before ASP.NET Core reads them, whose parser would otherwise take the next argument
/// (<c>--demo --urls http://...</c>) as the switch's value and drop the address.
/// </summary>
public static class DemoSwitch
{
    public const string Name = "--demo";

    /// <summary>True when <paramref name="args"/> hold <c>--demo</c> or <c>--demo=true</c> (any case); <c>--demo=false</c> is off.</summary>
    /// <exception cref="ArgumentException">A <c>--demo=</c> with a value other than true or false.</exception>
    public static bool IsOn(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var on = false;
        foreach (var arg in args)
        {
            if (Value(arg) is { } value) on = value;
        }
        return on;
    }

    /// <summary><paramref name="args"/> without any form of the switch, for <c>WebApplication.CreateBuilder</c>.</summary>
    public static string[] Remove(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Where(a => Value(a) is null).ToArray();
    }

    /// <summary>The switch's value when <paramref name="arg"/> is the switch, else null.</summary>
    private static bool? Value(string arg)
    {
        if (arg.Equals(Name, StringComparison.OrdinalIgnoreCase)) return true;
        if (!arg.StartsWith(Name + "=", StringComparison.OrdinalIgnoreCase)) return null;
        var value = arg[(Name.Length + 1)..];
        return bool.TryParse(value, out var parsed)
            ? parsed
            : throw new ArgumentException($"{Name} takes no value, or true or false; not '{value}'.", nameof(arg));
    }
}
