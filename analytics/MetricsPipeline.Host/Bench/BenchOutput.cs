namespace MetricsPipeline.Host.Bench;

/// <summary>Where a bench command's JSON result goes.</summary>
internal static class BenchOutput
{
    /// <summary>
    /// Checks before the measurement that <paramref name="path"/>, when given, can be written, and says why not on standard
    /// error (the bench's usage error, exit 2): it used to fail after the run, with a stack trace.
    /// </summary>
    /// <param name="path">The <c>--output</c> file, or <c>null</c>/empty.</param>
    /// <returns>False when it cannot be written.</returns>
    public static bool CanWrite(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return true;
        }

        try
        {
            Commands.CliPaths.RequireWritableFile("--output", path);
            return true;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return false;
        }
    }

    /// <summary>Writes <paramref name="json"/> to <paramref name="path"/> (saying so on standard error), or to standard output when no path is given.</summary>
    /// <param name="json">The UTF-8 JSON result.</param>
    /// <param name="path">The output file, or <c>null</c>.</param>
    public static void Write(byte[] json, string? path)
    {
        if (path is null)
        {
            Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(json));
        }
        else
        {
            File.WriteAllBytes(path, json);
            Console.Error.WriteLine($"Wrote {path}");
        }
    }

    /// <summary>Prints <paramref name="json"/> to standard output and, when <paramref name="path"/> is set, also writes it there.</summary>
    /// <param name="json">The JSON result.</param>
    /// <param name="path">The output file, or <c>null</c>/empty.</param>
    /// <param name="ct">Cancels the file write.</param>
    /// <returns>A task that completes when written.</returns>
    public static async Task PrintAndWriteAsync(string json, string? path, CancellationToken ct)
    {
        Console.WriteLine(json);
        if (!string.IsNullOrEmpty(path))
        {
            await File.WriteAllTextAsync(path, json, ct).ConfigureAwait(false);
        }
    }
}
