using Complex = System.Numerics.Complex;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>
/// A deliberately plain, double-precision transcription of the reference description of ML.NET's SSA forecaster
/// (/work/shared/reference/timeseries-algorithms.md §1): trajectory matrix, dense eigen-decomposition (MathNet),
/// Exact or Fixed rank selection with full elementary reconstructions, LRF, stabilisation from the companion matrix's
/// eigenvalues with the full polynomial rebuild, noise moments, initial state, Consume, Forecast and the bound
/// recursion. It shares no code with the production modeler; it is slow (O(L·K) dense matrices) on purpose.
/// </summary>
internal sealed class ReferenceSsa
{
    private const double Eps = 1e-9;
    private readonly int _l;
    private readonly int _m;
    private readonly double[][] _u;
    private readonly List<double> _buffer = [];
    private readonly bool _skipPsi1;
    private readonly double _z;

    /// <param name="x">Training values (already the first trainSize non-NaN values).</param>
    /// <param name="l">Window size L.</param>
    /// <param name="maxRank">Rank cap (ML.NET's forecaster: L − 1).</param>
    /// <param name="fixedRank">Rank for the Fixed method; null = Exact selection.</param>
    /// <param name="stabilize">ShouldStabilize.</param>
    /// <param name="skipPsi1">ML.NET's variance recursion (ψ₁ skipped) when true; textbook when false.</param>
    /// <param name="confidence">Confidence level of the bounds.</param>
    public ReferenceSsa(double[] x, int l, int maxRank, int? fixedRank, bool stabilize, bool skipPsi1, double confidence = 0.95)
    {
        _l = l;
        _m = l - 1;
        _skipPsi1 = skipPsi1;
        _z = Normal.InvCDF(0, 1, 0.5 + (confidence / 2));
        int n = x.Length;
        int k = n - l + 1;
        var traj = Matrix<double>.Build.Dense(l, k, (i, j) => x[i + j]);
        var evd = (traj * traj.Transpose()).Evd(Symmetricity.Symmetric);
        var all = Enumerable.Range(0, l).OrderByDescending(i => evd.EigenValues[i].Real)
            .Select(c => evd.EigenVectors.Column(c).ToArray()).ToArray();

        double[] signal;
        if (fixedRank is { } r)
        {
            Rank = r;
            signal = Reconstruct(traj, all, r, n);
        }
        else
        {
            (Rank, signal) = SelectExact(x, traj, all, maxRank);
        }

        _u = all[..Rank];
        double nu = _u.Sum(u => u[_m] * u[_m]);
        Alpha = new double[_m];
        for (int j = 0; j < _m; j++)
        {
            Alpha[j] = _u.Sum(u => u[j] * u[_m]) / (1 - nu);
        }

        if (stabilize)
        {
            Stabilize(Alpha, l);
        }

        // Noise moments on the signal; the means are then forced to zero (both modes use zero means by default).
        var e = x.Zip(signal, (a, b) => a - b).ToArray();
        double obsMean = e.Average();
        ObservationVariance = e.Select(v => v * v).Average() - (obsMean * obsMean);
        var rho = Enumerable.Range(0, n - l + 1).Select(c => signal[c + _m] - Dot(Alpha, signal.AsSpan(c, _m).ToArray())).ToArray();
        double rhoMean = rho.Average();
        AutoregressiveVariance = rho.Sum(v => (v - rhoMean) * (v - rhoMean)) / (n - (2 * l) + 2);

        var proj = Project(x[(n - l)..]);
        State = proj[1..];
        Next = Dot(Alpha, State);
    }

    public int Rank { get; }

    public double[] Alpha { get; }

    public double ObservationVariance { get; }

    public double AutoregressiveVariance { get; }

    public double[] State { get; private set; }

    public double Next { get; private set; }

    public void Consume(double x)
    {
        if (_buffer.Count == 0)
        {
            _buffer.AddRange(State);
        }

        var lag = _buffer.Skip(_buffer.Count - _m).Append(x).ToArray();
        var proj = Project(lag);
        var s = new double[_m];
        for (int i = 0; i < _l - 2; i++)
        {
            s[i] = (((_l - 2 - i) * State[i + 1]) + proj[i + 1]) / (_l - 1 - i);
        }

        s[_m - 1] = proj[_l - 1];
        State = s;
        Next = Dot(Alpha, State);
        _buffer.Add(x);
    }

    public (double[] Forecast, double[] Lower, double[] Upper) Forecast(int h)
    {
        var seq = State.ToList();
        seq.Add(Next);
        for (int i = 1; i < h; i++)
        {
            seq.Add(Dot(Alpha, seq.Skip(seq.Count - _m).ToArray()));
        }

        var f = seq.Skip(_m).ToArray();

        // ψ-weights: the textbook starts from ψ₀ = 1 so the first product is ψ₁ = α[m−1]; ML.NET's queue starts one
        // further, [.., 1, α[m−1]], so its first product is ψ₂.
        var last = new List<double>(new double[_m]);
        if (_skipPsi1)
        {
            if (_m >= 2)
            {
                last[_m - 2] = 1;
            }

            last[_m - 1] = _m >= 2 ? Alpha[_m - 1] : Alpha[0];
        }
        else
        {
            last[_m - 1] = 1;
        }

        var variance = new double[h];
        variance[0] = AutoregressiveVariance + ObservationVariance;
        for (int i = 1; i < h; i++)
        {
            double t = Dot(Alpha, last.Skip(last.Count - _m).ToArray());
            last.Add(t);
            variance[i] = variance[i - 1] + (AutoregressiveVariance * t * t);
        }

        var lower = f.Select((v, i) => v - (_z * Math.Sqrt(variance[i]))).ToArray();
        var upper = f.Select((v, i) => v + (_z * Math.Sqrt(variance[i]))).ToArray();
        return (f, lower, upper);
    }

    private (int Rank, double[] Signal) SelectExact(double[] x, Matrix<double> traj, double[][] u, int maxRank)
    {
        int n = x.Length;
        int k = n - _l + 1;
        int evalLen = Math.Min(Math.Max(_l, 200), k);
        var alpha = new double[_m];
        double nu = 0;
        var recon = new double[n];
        double best = double.PositiveInfinity;
        int bestRank = maxRank;
        double[] bestSignal = [];
        for (int i = 0; i < maxRank; i++)
        {
            double lambda = u[i][_m];
            for (int j = 0; j < _m; j++)
            {
                alpha[j] += lambda * u[i][j];
            }

            nu += lambda * lambda;
            var elementary = Hankel(Vector<double>.Build.DenseOfArray(u[i]).OuterProduct(traj.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(u[i]))));
            for (int t = 0; t < n; t++)
            {
                recon[t] += elementary[t];
            }

            double mu = x.Zip(recon, (a, b) => a - b).Average();
            var window = recon.Skip(n - evalLen - _m).Take(_m).ToList();
            double err = 0;
            for (int t = n - evalLen; t < n; t++)
            {
                double p = (Dot(alpha, window.Skip(window.Count - _m).ToArray()) / (1 - nu)) + mu;
                window.Add(p);
                err += Math.Abs(x[t] - p);
            }

            if (err < best)
            {
                best = err;
                bestRank = i + 1;
                bestSignal = (double[])recon.Clone();
            }
        }

        return (bestRank, bestSignal.Length == 0 ? Reconstruct(traj, u, bestRank, n) : bestSignal);
    }

    private static double[] Reconstruct(Matrix<double> traj, double[][] u, int rank, int n)
    {
        var w = Matrix<double>.Build.DenseOfColumnArrays(u[..rank]);
        return Hankel(w * w.TransposeThisAndMultiply(traj));
    }

    /// <summary>Diagonal averaging of an L×K matrix into a series of length L + K − 1.</summary>
    private static double[] Hankel(Matrix<double> a)
    {
        int n = a.RowCount + a.ColumnCount - 1;
        var sum = new double[n];
        var count = new int[n];
        for (int j = 0; j < a.RowCount; j++)
        {
            for (int k = 0; k < a.ColumnCount; k++)
            {
                sum[j + k] += a[j, k];
                count[j + k]++;
            }
        }

        return sum.Select((s, t) => s / count[t]).ToArray();
    }

    /// <summary>Reference §1.2 step 7 with maxTrendRatio = +∞, rebuilding the polynomial from all roots.</summary>
    private static void Stabilize(double[] alpha, int l)
    {
        int m = alpha.Length;
        if (m == 1)
        {
            alpha[0] = Math.Clamp(alpha[0], -1, 1);
            return;
        }

        // Companion matrix of z^m − Σ α[j] z^j: ones on the subdiagonal, α in the last column.
        var companion = Matrix<double>.Build.Dense(m, m);
        for (int i = 1; i < m; i++)
        {
            companion[i, i - 1] = 1;
        }

        for (int j = 0; j < m; j++)
        {
            companion[j, m - 1] = alpha[j];
        }

        var z = companion.Evd().EigenValues.Select(v => Math.Abs(v.Imaginary) <= 1e-10 * v.Magnitude ? new Complex(v.Real, 0) : v).ToArray();
        static double Phase(Complex c) => Math.Atan2(c.Imaginary, c.Real);
        var trend = Enumerable.Range(0, m).Where(i => z[i].Magnitude > 1 && (Math.Abs(Phase(z[i])) <= Eps || Math.Abs(Math.Abs(Phase(z[i])) - Math.PI) <= Eps)).ToList();
        bool polyTrend = false;
        var seasonal = new List<int>();
        for (int i = 0; i < m; i++)
        {
            double phase = Phase(z[i]);
            if (phase == 0)
            {
                continue;
            }

            if (z[i].Magnitude >= 1 && 2 * Math.PI / Math.Abs(phase) > l)
            {
                z[i] = new Complex(z[i].Real, 0);
                polyTrend = true;
            }
            else if (z[i].Magnitude > 1)
            {
                seasonal.Add(i);
            }
        }

        if (polyTrend && seasonal.Count > 1)
        {
            var sorted = seasonal.OrderBy(i => Phase(z[i])).ToList();
            var clusters = new List<List<int>> { new() { sorted[0] } };
            for (int s = 1; s < sorted.Count; s++)
            {
                double a = Phase(z[sorted[s - 1]]);
                double b = Phase(z[sorted[s]]);
                if (Math.Sign(a) == Math.Sign(b) && b - a <= 0.05)
                {
                    clusters[^1].Add(sorted[s]);
                }
                else
                {
                    clusters.Add([sorted[s]]);
                }
            }

            foreach (var c in clusters.Where(c => c.Count > 1))
            {
                var avg = Complex.FromPolarCoordinates(c.Average(i => z[i].Magnitude), c.Average(i => Phase(z[i])));
                c.ForEach(i => z[i] = avg);
            }
        }
        else if (!polyTrend)
        {
            int ind1 = trend.FirstOrDefault(i => Math.Abs(Phase(z[i])) <= Eps, -1);
            int ind2 = ind1 < 0 ? -1 : Enumerable.Range(0, m).FirstOrDefault(i => i != ind1 && Math.Abs(Phase(z[i])) <= Eps && z[i].Magnitude >= 0.9, -1);
            if (ind1 >= 0 && ind2 >= 0)
            {
                z[ind1] = Complex.One;
                z[ind2] = Complex.One;
                polyTrend = true;
            }
        }

        double maxTrend = 1;
        if (polyTrend)
        {
            trend.ForEach(i => z[i] = Complex.FromPolarCoordinates(0.99, Phase(z[i])));
        }
        else
        {
            maxTrend = Enumerable.Range(0, m).Where(i => z[i].Magnitude > 1 && Math.Abs(Phase(z[i])) <= Eps).Select(i => z[i].Magnitude).DefaultIfEmpty(1).Max();
        }

        for (int i = 0; i < m; i++)
        {
            double phase = Math.Abs(Phase(z[i]));
            if (z[i].Magnitude >= maxTrend)
            {
                bool high = phase > Math.PI / 2 && phase < Math.PI - Eps;
                z[i] = Complex.FromPolarCoordinates(high ? Math.Min(maxTrend, (maxTrend + 1) / 2) : maxTrend, Phase(z[i]));
            }

            if (phase <= Eps)
            {
                z[i] = new Complex(z[i].Magnitude, 0);
            }
            else if (Math.Abs(phase - Math.PI) <= Eps)
            {
                z[i] = new Complex(-z[i].Magnitude, 0);
            }
        }

        // ∏(z − zᵢ), ascending coefficients, in complex double; α[j] = −c[j].
        var poly = new Complex[] { Complex.One };
        foreach (var root in z)
        {
            var next = new Complex[poly.Length + 1];
            for (int j = 0; j < poly.Length; j++)
            {
                next[j + 1] += poly[j];
                next[j] -= root * poly[j];
            }

            poly = next;
        }

        for (int j = 0; j < m; j++)
        {
            alpha[j] = -poly[j].Real;
        }
    }

    private double[] Project(double[] v)
    {
        var result = new double[_l];
        foreach (var u in _u)
        {
            double y = Dot(u, v);
            for (int j = 0; j < _l; j++)
            {
                result[j] += y * u[j];
            }
        }

        return result;
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();
}
