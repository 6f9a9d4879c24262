using Microsoft.Extensions.Logging;

namespace MetricsPipeline.Host.Commands;

/// <summary>
/// A minimal logger that writes one line per message to stderr (<c>warn: Category: message</c>, then the exception).
/// The agent uses it instead of <c>LoggerFactory</c> with the console provider, whose dependency injection, options,
/// configuration and JSON formatter code cost the agent several MB of resident memory and a queue thread for the
/// handful of warnings it ever writes. Thread-safe (one <see cref="Console.Error"/> write per message).
/// </summary>
/// <typeparam name="T">The category.</typeparam>
/// <param name="minimum">The least severe level written.</param>
internal sealed class StandardErrorLogger<T>(LogLevel minimum) : ILogger<T>
{
    private static readonly string Category = typeof(T).Name;

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimum;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var level = logLevel switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
        var text = exception is null
            ? $"{level}: {Category}: {formatter(state, exception)}"
            : $"{level}: {Category}: {formatter(state, exception)}{Environment.NewLine}{exception}";
        Console.Error.WriteLine(text);
    }
}
