using System.Numerics;

namespace MetricsPipeline.Forecasting;

/// <summary>ML.NET's incremental diagonal averaging of the SSA state, vectorised.</summary>
internal static class DiagonalAverage
{
    /// <summary>
    /// state[i] ← (older[i]·state[i+1] + smoothedTail[i]) / divisor[i] for i &lt; L−2, using the old state[i+1]
    /// (reads run ahead of writes, so a forward vector sweep is safe); state[L−2] ← smoothedTail[L−2].
    /// </summary>
    public static void Update(Span<double> state, ReadOnlySpan<double> smoothedTail, ReadOnlySpan<double> older, ReadOnlySpan<double> divisor)
    {
        int count = older.Length;
        int i = 0;
        int width = Vector<double>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + width <= count; i += width)
            {
                var next = new Vector<double>(state.Slice(i + 1, width));
                var fresh = new Vector<double>(smoothedTail.Slice(i, width));
                var w = new Vector<double>(older.Slice(i, width));
                var d = new Vector<double>(divisor.Slice(i, width));
                var result = ((w * next) + fresh) / d;
                result.CopyTo(state.Slice(i, width));
            }
        }

        for (; i < count; i++)
        {
            state[i] = ((older[i] * state[i + 1]) + smoothedTail[i]) / divisor[i];
        }

        state[count] = smoothedTail[count];
    }
}
