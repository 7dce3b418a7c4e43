namespace WeLink.Dashboard.Features.Pins;

public sealed record PinSubmitResult(PinSubmitStatus Status, string Message);
