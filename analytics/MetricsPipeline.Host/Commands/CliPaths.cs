namespace MetricsPipeline.Host.Commands;

/// <summary>
/// The checks every command makes on the paths it is given, before any work, with the same words: a file that is missing
/// "does not exist", a directory given for a file "is a directory; give a file path", each naming the option. The
/// messages are <see cref="ArgumentException"/>s, which the commands report as usage errors (exit 2).
/// </summary>
internal static class CliPaths
{
    /// <summary>Checks that <paramref name="path"/> is a file that exists and can be opened for reading.</summary>
    /// <exception cref="ArgumentException">It does not exist, is a directory, or cannot be read.</exception>
    public static void RequireReadableFile(string option, string path)
    {
        if (Directory.Exists(path))
        {
            throw new ArgumentException($"{option} '{path}' is a directory; give a file path.");
        }

        if (!File.Exists(path))
        {
            throw new ArgumentException($"{option} '{path}' does not exist.");
        }

        try
        {
            using var probe = File.OpenRead(path);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new ArgumentException($"{option} '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Checks that <paramref name="path"/> is a directory that exists.</summary>
    /// <exception cref="ArgumentException">It does not exist or is a file.</exception>
    public static void RequireDirectory(string option, string path)
    {
        if (File.Exists(path))
        {
            throw new ArgumentException($"{option} '{path}' is a file; give a directory.");
        }

        if (!Directory.Exists(path))
        {
            throw new ArgumentException($"{option} '{path}' does not exist.");
        }
    }

    /// <summary>Checks that <paramref name="path"/>, given for a file to write, is not a directory.</summary>
    /// <exception cref="ArgumentException">It is a directory.</exception>
    public static void RequireNotDirectory(string option, string path)
    {
        if (Directory.Exists(path))
        {
            throw new ArgumentException($"{option} '{path}' is a directory; give a file path.");
        }
    }

    /// <summary>
    /// Checks that a file can be written at <paramref name="path"/> (not a directory, its directory exists, permission)
    /// by opening it for writing; a file this check creates is removed again, an existing one is left as it is.
    /// </summary>
    /// <exception cref="ArgumentException">It is a directory or cannot be written.</exception>
    public static void RequireWritableFile(string option, string path)
    {
        RequireNotDirectory(option, path);
        bool existed = File.Exists(path);
        try
        {
            using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write))
            {
            }

            if (!existed)
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ArgumentException($"Cannot write {option} '{path}': {e.Message}", e);
        }
    }
}
