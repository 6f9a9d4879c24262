namespace MetricsPipeline.Host.Commands;

/// <summary>The text a command prints for an error it reports to the user.</summary>
internal static class CliErrorText
{
    /// <summary>
    /// The exception's message without the " (Parameter 'name')" that <see cref="ArgumentException"/> appends: the
    /// name is the code's, not an option the user typed, and the message already says what is wrong.
    /// </summary>
    public static string Of(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        string message = ex.Message;
        if (ex is ArgumentException { ParamName: { Length: > 0 } name })
        {
            string suffix = $" (Parameter '{name}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal))
            {
                return message[..^suffix.Length];
            }
        }

        return message;
    }
}
