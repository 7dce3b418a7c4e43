// The kit's types used to live in these namespaces; test files (and branches) that still say
// `using WeLink.Dashboard.IntegrationTests.Infrastructure;` or the reliability one keep compiling.
// A namespace exists in a referenced assembly only if a type is declared in it, hence the anchors.
#pragma warning disable CA1812

namespace WeLink.Dashboard.IntegrationTests.Infrastructure
{
    internal static class NamespaceAnchor;
}

namespace WeLink.Dashboard.ReliabilityTests.Infrastructure
{
    internal static class NamespaceAnchor;
}
