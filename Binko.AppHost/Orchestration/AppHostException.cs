namespace Binko.AppHost.Orchestration;

/// <summary>A failure the user can act on; its message is printed as one line, without a stack trace.</summary>
public sealed class AppHostException(string message, Exception? innerException = null) : Exception(message, innerException);
