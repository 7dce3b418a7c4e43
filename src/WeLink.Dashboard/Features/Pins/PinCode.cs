namespace WeLink.Dashboard.Features.Pins;

/// <summary>What a PIN box accepts: digits only, whitespace ignored, 4 to 8 of them.</summary>
public static class PinCode
{
    public const int MinLength = 4;
    public const int MaxLength = 8;

    public static bool TryNormalize(string? input, out string code, out string error)
    {
        code = string.Concat((input ?? "").Where(c => !char.IsWhiteSpace(c)));
        if (code.Length == 0) error = "Enter the PIN.";
        else if (!code.All(char.IsAsciiDigit)) error = "The PIN has digits only.";
        else if (code.Length is < MinLength or > MaxLength) error = $"The PIN has {MinLength} to {MaxLength} digits.";
        else error = "";
        if (error.Length > 0) code = "";
        return error.Length == 0;
    }
}
