namespace Binko.Backup;

/// <summary>A usage or environment problem (exit code 2). Its message is one line for the operator, with no
/// secret in it; the tool prints it without a stack trace.</summary>
public sealed class ToolException(string message, Exception? innerException = null) : Exception(message, innerException);
