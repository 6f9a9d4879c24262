using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MetricsPipeline.Forecasting.Store;

/// <summary>
/// A directory of versioned SSA checkpoints: <c>{root}/{series}/v{N}.ssa</c> (an <see cref="SsaCheckpoint"/>) and
/// <c>v{N}.json</c> (<see cref="ModelMetadata"/>). The JSON is written last, by rename, so a version without it is
/// incomplete and ignored. Every save bumps <c>{root}/generation</c>, which lets a running pipeline poll one small
/// file instead of listing every series' directory. Saves hold an exclusive lock on <c>{root}/store.lock</c> while they
/// number, write and announce a version, so writers in several processes (two <c>retrain</c> runs overlapping) each get
/// their own version and every save bumps the generation; readers take no lock.
/// </summary>
public sealed class ModelStore
{
    private const string GenerationFile = "generation";
    private const string LockFile = "store.lock";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Opens (does not create) a store rooted at <paramref name="root"/>.</summary>
    public ModelStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = root;
    }

    /// <summary>The store's directory.</summary>
    public string Root { get; }

    /// <summary>A file-system-safe directory name for a series key (readable, with a hash against collisions).</summary>
    public static string DirectoryName(string seriesKey)
    {
        ArgumentNullException.ThrowIfNull(seriesKey);
        var sb = new StringBuilder(seriesKey.Length + 9);
        foreach (var c in seriesKey)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '=' ? c : '_');
        }

        // FNV-1a: stable across processes (string.GetHashCode is randomised per process).
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(seriesKey))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return sb.Append('~').Append(hash.ToString("x8", CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>The store's generation: 0 when empty, increased by every <see cref="Save"/>.</summary>
    public long Generation()
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(Root, GenerationFile));
            return long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var g) ? g : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>The complete versions stored for <paramref name="seriesKey"/>, ascending.</summary>
    public IReadOnlyList<int> Versions(string seriesKey)
    {
        var dir = Path.Combine(Root, DirectoryName(seriesKey));
        if (!Directory.Exists(dir))
        {
            return [];
        }

        var versions = new List<int>();
        foreach (var path in Directory.EnumerateFiles(dir, "v*.json"))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && File.Exists(Path.ChangeExtension(path, ".ssa")))
            {
                versions.Add(v);
            }
        }

        versions.Sort();
        return versions;
    }

    /// <summary>
    /// How long <see cref="Save"/> waits for another writer's lock on the store before it gives up with an
    /// <see cref="IOException"/>. The default is 60 s (a save takes milliseconds).
    /// </summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Stores <paramref name="model"/> as the next version; returns its metadata (with the version filled in). Safe to
    /// call from several processes (and threads) at once: they take turns.
    /// </summary>
    /// <exception cref="IOException">The files cannot be written, or another writer held the store for <see cref="LockTimeout"/>.</exception>
    public ModelMetadata Save(SsaForecaster model, ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        var dir = Path.Combine(Root, DirectoryName(metadata.SeriesKey));
        Directory.CreateDirectory(dir);
        // Without the lock two writers both took the newest version + 1: one's checkpoint overwrote the other's under the
        // other's metadata, and the generation went up once for two saves.
        using var writerLock = AcquireLock();
        var existing = Versions(metadata.SeriesKey);
        var version = existing.Count == 0 ? 1 : existing[^1] + 1;
        var stored = metadata with { Version = version };
        var baseName = Path.Combine(dir, $"v{version}");
        using (var file = new FileStream(baseName + ".ssa", FileMode.Create, FileAccess.Write))
        {
            SsaCheckpoint.Save(model, file);
        }

        WriteAtomically(baseName + ".json", JsonSerializer.Serialize(stored, Json));
        WriteAtomically(Path.Combine(Root, GenerationFile), (Generation() + 1).ToString(CultureInfo.InvariantCulture));
        return stored;
    }

    /// <summary>Reads the metadata of one version, or null if it is missing or unreadable.</summary>
    public ModelMetadata? ReadMetadata(string seriesKey, int version)
    {
        var path = Path.Combine(Root, DirectoryName(seriesKey), $"v{version}.json");
        try
        {
            return JsonSerializer.Deserialize<ModelMetadata>(File.ReadAllText(path), Json);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Loads one version (checkpoint and metadata).</summary>
    /// <exception cref="IOException">The files cannot be read.</exception>
    /// <exception cref="InvalidDataException">The checkpoint or its metadata is corrupt or of an unknown version.</exception>
    public StoredModel Load(string seriesKey, int version)
    {
        var metadata = ReadMetadata(seriesKey, version) ?? throw new InvalidDataException($"Model {seriesKey} v{version}: metadata missing or unreadable.");
        using var file = new FileStream(Path.Combine(Root, DirectoryName(seriesKey), $"v{version}.ssa"), FileMode.Open, FileAccess.Read, FileShare.Read);
        return new StoredModel(metadata, SsaCheckpoint.Load(file));
    }

    /// <summary>Loads the newest version of <paramref name="seriesKey"/>, or null if there is none.</summary>
    public StoredModel? LoadLatest(string seriesKey)
    {
        var versions = Versions(seriesKey);
        return versions.Count == 0 ? null : Load(seriesKey, versions[^1]);
    }

    // An exclusive lock on a file in the root (flock on Unix, a sharing lock on Windows): released by the OS when the
    // process dies, so a crashed writer never blocks the store. Only contention is retried, until LockTimeout: any other
    // failure to open the lock file (a read-only file system, a lock file that is a dangling link) fails at once, where it
    // used to be retried for the whole LockTimeout (a minute by default) before the same error came out.
    private FileStream AcquireLock()
    {
        var path = Path.Combine(Root, LockFile);
        var deadline = DateTime.UtcNow + LockTimeout;
        var delayMs = 5;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex) when (IsLockConflict(ex) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(delayMs);
                delayMs = Math.Min(100, delayMs * 2);
            }
            catch (IOException ex) when (IsLockConflict(ex))
            {
                throw new IOException($"Model store {Root}: could not lock {path} within {LockTimeout.TotalSeconds:F0} s (another retrain saving?): {ex.Message}", ex);
            }
            catch (IOException ex)
            {
                throw new IOException($"Model store {Root}: cannot open the lock file {path} (not held by another writer): {ex.Message}", ex);
            }
        }
    }

    /// <summary>
    /// Whether opening the lock file failed because another writer holds it. .NET reports that as a plain
    /// <see cref="IOException"/> whose HResult is, on Unix, the errno of the refused non-blocking flock (EWOULDBLOCK, 11
    /// on Linux, 35 on macOS) and, on Windows, ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION as an HRESULT.
    /// </summary>
    internal static bool IsLockConflict(IOException ex) =>
        ex.GetType() == typeof(IOException) && (OperatingSystem.IsWindows()
            ? ex.HResult is unchecked((int)0x80070020) or unchecked((int)0x80070021)
            : ex.HResult == (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 35 : 11));

    private static void WriteAtomically(string path, string content)
    {
        var tmp = path + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(tmp, content);
        File.Move(tmp, path, overwrite: true);
    }
}
