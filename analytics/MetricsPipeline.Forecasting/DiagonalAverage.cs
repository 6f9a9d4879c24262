using System.Numerics;
using System.Runtime.InteropServices;

namespace MetricsPipeline.Forecasting;

/// <summary>ML.NET's incremental diagonal averaging of the SSA state, vectorised.</summary>
internal static class DiagonalAverage
{
    /// <summary>
    /// With c = state.Length − 1 (= L − 2): state[i] ← ((c − i)·state[i+1] + smoothedTail[i]) / (c − i + 1) for i &lt; c,
    /// using the old state[i+1] (reads run ahead of writes, so a forward vector sweep is safe); state[c] ← smoothedTail[c].
    /// The new anti-diagonal joins the c − i older estimates of element i. The weights are small integers, made
    /// exactly in registers instead of read from two arrays per model (less memory traffic when thousands of models
    /// take turns on one core; the same values, so the same bits).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="state"/> is empty or <paramref name="smoothedTail"/> is shorter than it.</exception>
    public static void Update(Span<double> state, ReadOnlySpan<double> smoothedTail)
    {
        int count = state.Length - 1;
        if (count < 0 || smoothedTail.Length <= count)
        {
            throw new ArgumentException("The state must be non-empty and the smoothed tail at least as long.", nameof(state));
        }

        int i = 0;
        int width = Vector<double>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            // Checked above, so the vector loads index without per-slice bounds checks.
            ref double s = ref MemoryMarshal.GetReference(state);
            ref double fresh = ref MemoryMarshal.GetReference(smoothedTail);
            for (; i + width <= count; i += width)
            {
                nuint at = (nuint)i;
                var older = new Vector<double>(count - i) - Vector<double>.Indices;
                var divisor = older + Vector<double>.One;
                var result = ((older * Vector.LoadUnsafe(ref s, at + 1)) + Vector.LoadUnsafe(ref fresh, at)) / divisor;
                result.StoreUnsafe(ref s, at);
            }
        }

        for (; i < count; i++)
        {
            double older = count - i;
            state[i] = ((older * state[i + 1]) + smoothedTail[i]) / (older + 1);
        }

        state[count] = smoothedTail[count];
    }
}
