using System.Reflection;
using System.Runtime.InteropServices;

namespace MetricsPipeline.Kafka.Native;

/// <summary>
/// Loads one librdkafka binary, once, for both Confluent.Kafka and this assembly's own P/Invokes.
/// </summary>
/// <remarks>
/// On Linux the default <c>librdkafka.so</c> from the redist package needs <c>libsasl2.so.3</c>, which Debian lacks;
/// the <c>centos8-librdkafka.so</c> beside it is self-contained, so it is preferred. Loading the same file for both
/// users matters: the mock cluster's <c>rd_kafka_t</c> and Confluent's clients must come from one copy of the library.
/// Thread-safe: the first caller loads, every other caller waits for that result.
/// </remarks>
public static class LibrdkafkaLoader
{
    private const string PreferredLinuxFile = "centos8-librdkafka.so";

    private static readonly Lazy<string?> Loaded = new(LoadCore, LazyThreadSafetyMode.ExecutionAndPublication);

    private static IntPtr handle;

    /// <summary>
    /// Ensures the native library is loaded. Returns the full path of the file that was loaded, or <c>null</c> when
    /// Confluent.Kafka's own default lookup is used (non-Linux platforms, or the preferred file was not found).
    /// </summary>
    public static string? EnsureLoaded() => Loaded.Value;

    /// <summary>Finds the preferred librdkafka file in the application's output, or returns <c>null</c>.</summary>
    public static string? FindLibraryPath()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return null;
        }

        var baseDirectory = AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(baseDirectory, PreferredLinuxFile),
            Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", PreferredLinuxFile),
            Path.Combine(Path.GetDirectoryName(typeof(LibrdkafkaLoader).Assembly.Location) ?? baseDirectory, "runtimes", "linux-x64", "native", PreferredLinuxFile),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Returns the native handle for this assembly's P/Invokes (loads the library when needed).</summary>
    internal static IntPtr GetHandle()
    {
        EnsureLoaded();
        if (handle == IntPtr.Zero)
        {
            // Confluent found the library on its own; ask the loader for the same name it uses.
            handle = NativeLibrary.Load("librdkafka", typeof(LibrdkafkaLoader).Assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory);
        }

        return handle;
    }

    private static string? LoadCore()
    {
        var path = FindLibraryPath();
        NativeLibrary.SetDllImportResolver(typeof(LibrdkafkaLoader).Assembly, Resolve);
        if (path is not null)
        {
            // Confluent's Library.Load calls dlopen through a P/Invoke to "libdl", a name only the glibc development
            // package provides (as libdl.so); the runtime has libdl.so.2 (or dlopen in libc.so.6 on glibc 2.34+).
            TrySetResolver(typeof(Confluent.Kafka.Library).Assembly, ResolveForConfluent);

            // dlopen returns the same handle for the same path, so Confluent and the P/Invokes share one copy.
            handle = NativeLibrary.Load(path);
            Confluent.Kafka.Library.Load(path);
        }

        return path;
    }

    private static void TrySetResolver(Assembly assembly, DllImportResolver resolver)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, resolver);
        }
        catch (InvalidOperationException)
        {
            // Someone else already set a resolver for that assembly; theirs stays in charge.
        }
    }

    private static IntPtr ResolveForConfluent(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName is "libdl" or "libdl.so")
        {
            foreach (var candidate in new[] { "libdl.so.2", "libc.so.6" })
            {
                if (NativeLibrary.TryLoad(candidate, out var dl))
                {
                    return dl;
                }
            }
        }

        return libraryName == LibrdkafkaNative.LibraryName && handle != IntPtr.Zero ? handle : IntPtr.Zero;
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == LibrdkafkaNative.LibraryName ? GetHandle() : IntPtr.Zero;
}
