using MudBlazor;

namespace WeLink.Dashboard.Components;

/// <summary>
/// The dashboard's colours, light and dark. MudBlazor's defaults put white text on light orange,
/// green and blue (2 to 3:1); these keep each state's hue (warning orange, success green, error red,
/// info blue) at a shade that reaches WCAG AA's 4.5:1 both as text on the page and behind its
/// contrast text. Checked by the axe-core browser test on every page in both themes.
/// </summary>
public static class DashboardTheme
{
    /// <summary>The app bar's LinkedIn-like blue, shared with the sign-in page.</summary>
    public const string Brand = "#0a66c2";

    public static MudTheme Create() => new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = Brand,
            AppbarBackground = Brand,
            Secondary = "#ad1457",
            Info = "#0b63b8",
            Success = "#256d29",
            Warning = "#a34f00",
            Error = "#c62828",
            // 0.54 black is 4.6:1 on white but less on the greys of hovered rows and chips.
            TextSecondary = "rgba(0,0,0,0.66)",
        },
        PaletteDark = new PaletteDark
        {
            // Light tints on the dark surfaces, with near-black text on them when filled. The
            // "darken" shades MudBlazor derives are for text on tinted backgrounds (alerts, chips):
            // on a dark page they must stay as light as the colour itself.
            Primary = "#8ecbff",
            PrimaryDarken = "#8ecbff",
            PrimaryContrastText = "#0b1a2b",
            Secondary = "#f8a5c2",
            SecondaryDarken = "#f8a5c2",
            SecondaryContrastText = "#1a1a1a",
            Info = "#7cc4fa",
            InfoDarken = "#7cc4fa",
            InfoContrastText = "#1a1a1a",
            Success = "#81c784",
            SuccessDarken = "#81c784",
            SuccessContrastText = "#1a1a1a",
            Warning = "#ffb74d",
            WarningDarken = "#ffb74d",
            WarningContrastText = "#1a1a1a",
            Error = "#ffb4ab",
            ErrorDarken = "#ffb4ab",
            ErrorContrastText = "#1a1a1a",
            TextSecondary = "rgba(255,255,255,0.72)",
        },
    };
}
