namespace Binko.Tests.Infrastructure;

internal static class ServerOutput
{
    /// <summary>Server lines go to the current test's output; lines that arrive after the test ended are dropped.</summary>
    public static Action<string> ToTestOutput(string prefix)
    {
        var output = TestContext.Current.TestOutputHelper;
        return line =>
        {
            try
            {
                output?.WriteLine($"{prefix}: {line}");
            }
            catch (InvalidOperationException)
            {
                // xunit refuses output once the test is over (e.g. shutdown lines during DisposeAsync).
            }
        };
    }
}
